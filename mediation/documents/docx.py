"""DOCX output: the built-in layout (python-docx) and administrators' own templates (docxtpl).

The built-in layout mirrors :mod:`.pdf`: A4, the same margins, a 黑体 title, 宋体 body
with the East-Asian font set on every run (``w:eastAsia``), the number top right,
"第 N 页 共 M 页" in the footer and the signature block at the end.

An administrator may replace a form's layout with a DOCX of their own containing
docxtpl placeholders (``{{ agreement_number }}``, ``{%tr for p in parties %}``...).
:func:`validate_docx_template` checks such a file before it is stored: it must be a
plain DOCX (no macros, embedded objects, external links or oversized parts) and every
placeholder must name a known field — an unknown one is rejected by name. Rendering
uses the same Jinja2 sandbox as the built-in forms.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import zipfile
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

from mediation.documents import forms as f
from mediation.documents import sandbox
from mediation.documents.model import DocumentContext
from mediation.documents.pdf import (
    BODY_LEADING,
    BODY_SIZE,
    MARGINS_MM,
    SMALL_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
)
from mediation.errors import ValidationError
from mediation.i18n import _

# Font names as Word knows them on a Chinese Windows; LibreOffice substitutes by
# fontconfig (the bundled fonts, once installed, match these roles).
SONG = "宋体"  # SimSun
HEI = "黑体"  # SimHei
SONG_EXTB = "SimSun-ExtB"  # Windows' font for CJK Ext-B (U+20000 and up)

A4_MM = (210.0, 297.0)
TEXT_WIDTH_MM = A4_MM[0] - MARGINS_MM[2] - MARGINS_MM[3]

# ------------------------------------------------------------------ WordprocessingML
# The body is written as WordprocessingML text and spliced into a skeleton package
# made once with python-docx (styles, A4 section, header and footers). Building the
# body through python-docx's object API takes ~300 ms for an agreement (its table
# cell look-ups are quadratic); this takes a few.

_W_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BODY_MARK = "@@BODY@@"
_NUMBER_MARK = "@@NUMBER@@"
_PROPS = {"title": "@@TITLE@@", "subject": "@@SUBJECT@@", "author": "@@AUTHOR@@"}


def _x(text: str) -> str:
    """Escape text for XML, dropping characters XML cannot hold."""
    return xml_escape(_INVALID_XML.sub("", text))


def _planes(text: str) -> list[tuple[bool, str]]:
    """Split ``text`` into runs of BMP / supplementary-plane characters."""
    out: list[tuple[bool, str]] = []
    for char in text:
        extb = ord(char) > 0xFFFF
        if out and out[-1][0] == extb:
            out[-1] = (extb, out[-1][1] + char)
        else:
            out.append((extb, char))
    return out


def _rpr(font: str, size: float) -> str:
    half_points = round(size * 2)
    f_ = _x(font)
    return (
        f'<w:rPr><w:rFonts w:ascii="{f_}" w:hAnsi="{f_}" w:eastAsia="{f_}" w:cs="{f_}"'
        f' w:hint="eastAsia"/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def _runs(text: str, font: str = SONG, size: float = BODY_SIZE) -> str:
    """Runs for ``text``; characters beyond U+FFFF get the Ext-B font (per-glyph fallback)."""
    return "".join(
        f"<w:r>{_rpr(SONG_EXTB if extb else font, size)}"
        f'<w:t xml:space="preserve">{_x(piece)}</w:t></w:r>'
        for extb, piece in _planes(text)
    )


def _p(
    text: str,
    *,
    font: str = SONG,
    size: float = BODY_SIZE,
    align: str = "left",
    leading: float | None = BODY_LEADING,
    before: float = 0.0,
    after: float = 0.0,
    indent: bool = False,
) -> str:
    spacing = f'w:before="{int(before * 20)}" w:after="{int(after * 20)}"'
    if leading is not None:
        spacing += f' w:line="{int(leading * 20)}" w:lineRule="exact"'
    ppr = f"<w:pPr><w:spacing {spacing}/>"
    if indent:
        ppr += f'<w:ind w:firstLineChars="200" w:firstLine="{int(size * 40)}"/>'
    ppr += f'<w:jc w:val="{_W_ALIGN[align]}"/>{_rpr(font, size)}</w:pPr>'
    return f"<w:p>{ppr}{_runs(text, font, size)}</w:p>"


_STYLE = {
    # style: (font, size, leading, space before, space after)
    "body": (SONG, BODY_SIZE, BODY_LEADING, 0.0, 0.0),
    "heading": (HEI, BODY_SIZE, BODY_LEADING, 6.0, 0.0),
    "small": (SONG, SMALL_SIZE, 17.0, 0.0, 0.0),
    "title": (HEI, TITLE_SIZE, None, 0.0, 10.0),
    "subtitle": (HEI, SUBTITLE_SIZE, None, 0.0, 4.0),
    "issuer": (HEI, SUBTITLE_SIZE, None, 0.0, 0.0),
    "right": (SONG, BODY_SIZE, BODY_LEADING, 0.0, 6.0),
    "center": (SONG, BODY_SIZE, BODY_LEADING, 0.0, 0.0),
}


def _paragraphs(text: str, style: str, align: str, indent: bool = False) -> str:
    font, size, leading, before, after = _STYLE[style]
    if style in ("title", "subtitle", "issuer", "center"):
        align = "center"
    elif style == "right":
        align = "right"
    return "".join(
        _p(
            line,
            font=font,
            size=size,
            align=align,
            leading=leading,
            before=before,
            after=after,
            indent=indent,
        )
        for line in text.split("\n")
    )


def _twips_mm(value: float) -> int:
    return round(value / 25.4 * 1440)


def _tc(
    width: int,
    content: str,
    *,
    span: int = 1,
    vmerge: str | None = None,
    sign: bool = False,
) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        pr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        pr += "<w:vMerge/>"
    if sign:
        pr += (
            '<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            "</w:tcBorders>"
        )
    pr += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{content or '<w:p/>'}</w:tc>"


def _tbl(block: f.Table | f.Signatures) -> str:
    grid = isinstance(block, f.Table)
    total = sum(block.widths)
    widths = [_twips_mm(TEXT_WIDTH_MM * w / total) for w in block.widths]
    border = '<w:{0} w:val="single" w:sz="{1}" w:space="0" w:color="000000"/>'
    if grid:
        borders = "".join(
            border.format(edge, 8 if edge in ("top", "left", "bottom", "right") else 4)
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
    else:
        borders = "".join(
            f'<w:{edge} w:val="nil"/>'
            for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>',
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    covered: dict[tuple[int, int], tuple[int, int]] = {}  # (row, col) -> (span, until row)
    for r, row in enumerate(block.rows):
        out.append("<w:tr>")
        if row.height_mm:
            out.append(
                f'<w:trPr><w:trHeight w:val="{_twips_mm(row.height_mm)}" w:hRule="atLeast"/>'
                "</w:trPr>"
            )
        col = 0
        cells = list(row.cells)
        i = 0
        while i < len(cells):
            if (r, col) in covered:
                span, _last = covered[(r, col)]
                out.append(_tc(sum(widths[col : col + span]), "", span=span, vmerge="continue"))
                # Skip the placeholder cells the spec writes under a row-spanning cell.
                taken = 0
                while i < len(cells) and taken < span:
                    taken += cells[i].span
                    i += 1
                col += span
                continue
            cell = cells[i]
            content = (
                "".join(_p(line, align=cell.align, leading=17.0) for line in cell.text.split("\n"))
                if cell.text
                else ""
            )
            vmerge = None
            if cell.rowspan > 1:
                vmerge = "restart"
                for below in range(r + 1, r + cell.rowspan):
                    covered[(below, col)] = (cell.span, r + cell.rowspan - 1)
            out.append(
                _tc(
                    sum(widths[col : col + cell.span]),
                    content,
                    span=cell.span,
                    vmerge=vmerge,
                    sign=cell.sign,
                )
            )
            col += cell.span
            i += 1
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _body_xml(page: f.Page) -> str:
    parts: list[str] = []
    if page.issuer:
        parts.append(_paragraphs(page.issuer, "issuer", "center"))
    parts.append(_paragraphs(page.title, "title", "center"))
    if page.number:
        parts.append(_paragraphs(page.number, "right", "right"))
    for block in page.blocks:
        if isinstance(block, f.Para):
            parts.append(_paragraphs(block.text, block.style, block.align, block.indent))
        elif isinstance(block, f.Item):
            parts.append(_p(f"{block.label}{block.text}", align="justify", indent=True))
        elif isinstance(block, f.Table):
            parts.append(_tbl(block))
            # Word needs a paragraph between two adjacent tables or it merges them.
            parts.append(_p("", leading=6.0))
        elif isinstance(block, f.Signatures):
            parts.append(_p("", leading=BODY_LEADING))
            parts.append(_tbl(block))
        elif isinstance(block, f.Spacer):
            parts.append(_p("", leading=None, after=block.height_mm / 25.4 * 72))
        elif isinstance(block, f.PageBreak):
            parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    return "".join(parts)


# ------------------------------------------------------------------ skeleton package


def _field_runs(instruction: str, placeholder: str, size: float) -> str:
    rpr = _rpr(SONG, size)
    return (
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>{placeholder}</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def _footer_paragraph_xml() -> str:
    size = 9.0
    return (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:pPr><w:jc w:val="center"/></w:pPr>'
        + _runs("第 ", size=size)
        + _field_runs("PAGE", "1", size)
        + _runs(" 页 共 ", size=size)
        + _field_runs("NUMPAGES", "1", size)
        + _runs(" 页", size=size)
        + "</w:p>"
    )


def _replace_paragraph(container: Any, xml: str) -> None:
    """Replace the first paragraph of a header/footer with ``xml``."""
    new = parse_xml(xml)
    old = container.paragraphs[0]._element
    old.addprevious(new)
    old.getparent().remove(old)


@functools.cache
def _skeleton() -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    """A python-docx package with the page set-up, to splice each body into."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    rpr.insert(
        0,
        parse_xml(
            _rpr(SONG, BODY_SIZE).replace(
                "<w:rPr>",
                '<w:rPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">',
            )
        )[0],
    )
    rpr.append(
        parse_xml(
            '<w:lang xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' w:val="en-US" w:eastAsia="zh-CN"/>'
        )
    )
    props = doc.core_properties
    props.title, props.subject, props.author = _PROPS["title"], _PROPS["subject"], _PROPS["author"]
    props.language = "zh-CN"
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.revision = 1
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    # The number heads every page but the first (where it sits under the title).
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    _replace_paragraph(section.footer, _footer_paragraph_xml())
    section.first_page_footer.is_linked_to_previous = False
    _replace_paragraph(section.first_page_footer, _footer_paragraph_xml())
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(_NUMBER_MARK)
    doc.add_paragraph().add_run(_BODY_MARK)
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as archive:
        return {i.filename: (i, archive.read(i)) for i in archive.infolist()}


_MARK_PARAGRAPH = re.compile(r"<w:p\b(?:(?!<w:p\b).)*?" + _BODY_MARK + r".*?</w:p>", re.S)
_NUMBER_RUN = re.compile(r"<w:r>(?:(?!<w:r>).)*?" + _NUMBER_MARK + r".*?</w:r>", re.S)


def _splice(data: bytes, mark: re.Pattern[str], replacement: str) -> bytes:
    """Replace the first match of ``mark`` in an XML part (no regex escapes applied)."""
    text = data.decode("utf-8")
    m = mark.search(text)
    if m is None:
        raise AssertionError("skeleton marker missing")
    return (text[: m.start()] + replacement + text[m.end() :]).encode("utf-8")


def render(page: f.Page, *, author: str = "") -> bytes:
    """Lay out ``page`` as DOCX bytes."""
    body = _body_xml(page)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for name, (info, data) in _skeleton().items():
            if name == "word/document.xml":
                data = _splice(data, _MARK_PARAGRAPH, body)
            elif name.startswith("word/header") and _NUMBER_MARK.encode() in data:
                number = _runs(page.number, size=9.0) if page.number else ""
                data = _splice(data, _NUMBER_RUN, number)
            elif name == "docProps/core.xml":
                text = data.decode("utf-8")
                for key, mark in _PROPS.items():
                    value = {"title": page.title, "subject": page.number, "author": author}[key]
                    text = text.replace(mark, _x(value))
                data = text.encode("utf-8")
            out.writestr(info, data)
    return buf.getvalue()


# ------------------------------------------------------------------ administrators' templates

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 2000
_FORBIDDEN_PARTS = re.compile(
    r"(vbaProject|vbaData|activeX|/embeddings/|oleObject|customUI|/afchunk|altChunk)", re.I
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK_TYPE = "/relationships/hyperlink"
_ALT_CHUNK_TYPE = "/relationships/aFChunk"


def _reject(what: str) -> ValidationError:
    return ValidationError(
        field="docx_template", message=_("DOCX模板不安全或无法使用：{what}").format(what=what)
    )


_FIELD_CODES = re.compile(r"\b(DDEAUTO|DDE|INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|LINK)\b")
"""Word fields that run programs (DDE, DDEAUTO) or fetch files and URLs when the document
opens or updates (INCLUDEPICTURE, INCLUDETEXT, INCLUDE, IMPORT, LINK)."""
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_package(data: bytes) -> None:
    """Reject anything but a plain word-processing package."""
    from mediation import ooxml

    if len(data) > MAX_TEMPLATE_BYTES:
        raise _reject(_("文件过大"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _reject(_("不是DOCX文件")) from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise _reject(_("不是DOCX文件"))
        # Sizes, part names, and a document type declared in any XML part, read whole.
        refused = ooxml.check(archive, max_entries=MAX_ENTRIES, max_unpacked=MAX_UNPACKED_BYTES)
        if refused is not None:
            raise _reject(refused.message)
        for info in infos:
            if _FORBIDDEN_PARTS.search(info.filename):
                raise _reject(_("含有宏、控件或嵌入对象：{name}").format(name=info.filename))
        content_types = archive.read("[Content_Types].xml")
        if b"macroEnabled" in content_types or b"vbaProject" in content_types:
            raise _reject(_("含有宏"))
        for name in sorted(names):
            if name.endswith(".rels"):
                _check_relationships(name, archive.read(name), names)
        for name in sorted(names):
            if name.startswith("word/") and name.endswith(".xml"):
                _check_fields(name, archive.read(name))


def _check_fields(name: str, raw: bytes) -> None:
    """No field that runs a program or fetches something (the field code may be split over
    several runs: the instruction texts of the part are read together)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise _reject(_("部件无法解析：{name}").format(name=name)) from exc
    instructions = [el.text or "" for el in root.iter(f"{_WORD_NS}instrText")]
    instructions += [el.get(f"{_WORD_NS}instr") or "" for el in root.iter(f"{_WORD_NS}fldSimple")]
    for text in ("".join(instructions), *instructions):
        found = _FIELD_CODES.search(text.upper())
        if found:
            raise _reject(_("含有会运行程序或读取外部文件的 Word 域（{field}）：{name}").format(
                field=found.group(1), name=name))


def _check_relationships(name: str, raw: bytes, names: set[str]) -> None:
    """No part may be fetched from outside the file (a remote template, image or frame
    would make Word contact that host when the document opens), no macro project under
    another name, no alternative-format chunk, and no relationship to a part that is not
    there; only hyperlinks, which go nowhere until clicked, may point outside."""
    import posixpath

    from lxml import etree

    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise _reject(_("含有文档类型声明"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise _reject(_("部件无法解析：{name}").format(name=name)) from exc
    # word/_rels/document.xml.rels describes word/document.xml: targets are relative to word/.
    base = posixpath.dirname(posixpath.dirname(name))
    for rel in root.iter():
        if not isinstance(rel.tag, str) or etree.QName(rel).localname != "Relationship":
            continue
        kind = rel.get("Type", "")
        if kind.endswith(_ALT_CHUNK_TYPE):
            raise _reject(_("含有宏、控件或嵌入对象：{name}").format(name=name))
        if "vbaproject" in kind.lower() or "vbadata" in kind.lower() or "activex" in kind.lower():
            raise _reject(_("含有宏（关系 {id} 指向宏工程 {target}）").format(
                id=rel.get("Id", "?"), target=rel.get("Target", "?")))
        external = (rel.get("TargetMode") or "").strip().lower() == "external"
        if external and not kind.endswith(_HYPERLINK_TYPE):
            raise _reject(_("引用了外部资源（{name}）").format(name=name))
        target = rel.get("Target", "")
        if not external and target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            if part not in names:
                raise _reject(_("部件 {name} 引用的 {target} 不存在（文件不完整或被改动过）").format(
                    name=name, target=target))


def _template_sources(data: bytes) -> list[str]:
    """The Jinja2 sources docxtpl will render: body, headers, footers, footnotes, props."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    document = Document(io.BytesIO(data))
    sources = [tpl.patch_xml(tpl.xml_to_string(document.element.body))]
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        if rel.reltype in (RT.HEADER, RT.FOOTER, RT.FOOTNOTES):
            blob = rel.target_part.blob
            sources.append(tpl.patch_xml(blob.decode("utf-8")))
    props = document.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        value = getattr(props, name)
        if value:
            sources.append(value)
    return sources


@functools.lru_cache(maxsize=32)
def _validated(digest: str, data: bytes, form: str) -> None:
    f.load_spec(form)  # the form must exist
    _check_package(data)
    try:
        sources = _template_sources(data)
    except ValidationError:
        raise
    except Exception as exc:
        raise _reject(_("Word 无法正常打开的文件（{kind}）；请在 Word 中另存为 .docx 后再上传").format(
            kind=type(exc).__name__)) from exc
    for source in sources:
        sandbox.check_source(source)


def validate_docx_template(data: bytes, form: str) -> None:
    """Check an administrator's DOCX template for ``form``; raise ValidationError if bad.

    Unknown placeholders are reported by name (the error's ``field``), unsafe content
    (macros, embedded objects, external references, Python internals) by what it is.
    """
    _validated(hashlib.sha256(data).hexdigest(), data, form)


def render_template(data: bytes, form: str, ctx: DocumentContext) -> bytes:
    """Render an administrator's DOCX template (validated first) for ``ctx``."""
    from docxtpl import DocxTemplate

    validate_docx_template(data, form)
    tpl = DocxTemplate(io.BytesIO(data))
    env = sandbox.make_environment(autoescape=True)
    try:
        tpl.render(sandbox.template_namespace(ctx), jinja_env=env)
    except sandbox.RENDER_ERRORS as exc:
        raise sandbox.render_error(exc) from exc
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def mark_draft(data: bytes, mark: str) -> bytes:
    """``data`` with ``mark`` (e.g. "草稿 未定稿") in red at the top of every page's header,
    so a printed draft is not taken for the agreement to sign."""
    from docx.shared import RGBColor

    document = Document(io.BytesIO(data))
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            run = paragraph.insert_paragraph_before().add_run(mark) if paragraph.text else paragraph.add_run(mark)
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            run._element.get_or_add_rPr().get_or_add_rFonts().set(  # python-docx has no public API for w:eastAsia
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", HEI)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
