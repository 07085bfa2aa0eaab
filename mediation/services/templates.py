"""The desk's own DOCX wording for a form: upload, check, use, reset (administrators).

The built-in layout of every form (``templates/<form>.toml``) prints both the PDF and
the DOCX. An administrator may replace the DOCX of a form with the desk's own Word
file using docxtpl placeholders (``{{ case_number }}``, ``{% for p in parties %}`` …);
it is checked before it is stored (sandbox, known fields only, no macros or external
links, and a trial rendering on a sample case) and then used for every DOCX of that
form on the desk. The PDF keeps the built-in layout: it is the frozen original whose
bytes the verification code vouches for.

A template belongs to the uploader's desk, or to every desk when the administrator
has none (a shared database); a desk's own template wins over the shared one.
Replaced and reset templates stay in the table, inactive, as history; every upload
and reset is in the audit log with the file's SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from mediation.db import require_write
from mediation.documents import fields, forms, render, sandbox
from mediation.documents import docx as docx_out
from mediation.documents.model import DocumentContext
from mediation.documents.pdf import MARGINS_MM
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import DocumentTemplate, User
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.timeutil import utcnow

log = logging.getLogger(__name__)

FIELD = "docx_template"
MAX_FILENAME = 255
MAX_TEMPLATE_BYTES = docx_out.MAX_TEMPLATE_BYTES


@dataclass(frozen=True)
class TemplateInfo:
    """One form and the DOCX template it uses on the actor's desk."""

    form: str
    label: str
    custom: bool  # False: the built-in layout
    template_id: int | None = None
    filename: str = ""
    sha256: str = ""
    size: int = 0
    uploaded_by: str = ""
    uploaded_at: dt.datetime | None = None
    shared: bool = False  # a template for every desk (not only this one)


def _scope(actor: Actor) -> int | None:
    """The desk an administrator's templates apply to (None: every desk)."""
    return actor.desk_id


def _known_form(form: str) -> None:
    if form not in forms.available_forms():
        raise ValidationError(field="form", message=_("没有“{form}”这种文书。").format(form=form))


def _active_rows(session: Session, form: str | None, desk_id: int | None) -> list[DocumentTemplate]:
    """Active templates for ``desk_id`` (its own first, then the shared ones); the file
    content is loaded only when it is read."""
    stmt = (select(DocumentTemplate).options(defer(DocumentTemplate.content))
            .where(DocumentTemplate.active.is_(True)))
    if form is not None:
        stmt = stmt.where(DocumentTemplate.form == form)
    if desk_id is None:
        stmt = stmt.where(DocumentTemplate.desk_id.is_(None))
    else:
        stmt = stmt.where((DocumentTemplate.desk_id == desk_id) | DocumentTemplate.desk_id.is_(None))
    rows = list(session.scalars(stmt))
    rows.sort(key=lambda r: (r.desk_id is None, -r.id))
    return rows


def active_template(session: Session, form: str, desk_id: int | None) -> bytes | None:
    """The DOCX template in use for ``form`` on ``desk_id``, or None for the built-in one."""
    rows = _active_rows(session, form, desk_id)
    return rows[0].content if rows else None


def render_docx(session: Session, form: str, ctx: DocumentContext, desk_id: int | None) -> bytes:
    """``form`` as DOCX for ``ctx``: through the desk's template if it has one.

    Should a stored template fail on this case's data (it passed the checks on the
    sample cases), the built-in layout is used so that the volunteer still gets the
    document; the failure is logged (the form, never the case's data).
    """
    template = active_template(session, form, desk_id)
    if template is not None:
        try:
            return render.render_docx(form, ctx, template=template)
        except ValidationError as exc:
            log.warning("DOCX template of form %s failed (%s); built-in layout used", form, exc.field)
    return render.render_docx(form, ctx)


def list_templates(session: Session, actor: Actor) -> list[TemplateInfo]:
    """Every form with the template it uses on the actor's desk."""
    require(actor, "template.manage")
    in_use: dict[str, DocumentTemplate] = {}
    for row in _active_rows(session, None, _scope(actor)):
        in_use.setdefault(row.form, row)
    names = {u.id: u.display_name for u in session.scalars(
        select(User).where(User.id.in_({r.uploaded_by_id for r in in_use.values() if r.uploaded_by_id})))}
    out = []
    for info in render.list_forms():
        active = in_use.get(info.form)
        if active is None:
            out.append(TemplateInfo(form=info.form, label=info.label, custom=False))
        else:
            out.append(TemplateInfo(
                form=info.form, label=info.label, custom=True, template_id=active.id,
                filename=active.filename, sha256=active.sha256, size=active.size,
                uploaded_by=names.get(active.uploaded_by_id or 0, ""), uploaded_at=active.uploaded_at,
                shared=active.desk_id is None,
            ))
    return out


def check_template(form: str, content: bytes, filename: str = "template.docx") -> None:
    """Raise ValidationError (field ``docx_template``, or the unknown field's name) unless
    ``content`` is a usable DOCX template for ``form``; renders it once on a sample case."""
    from mediation.documents import samples

    _known_form(form)
    if not filename.lower().endswith(".docx"):
        raise ValidationError(field=FIELD, message=_(
            "只能使用 .docx 文件（Word 2007 及以后的格式）；.doc 或 .wps 文件请先在 Word/WPS 中另存为 .docx。"))
    if not content:
        raise ValidationError(field=FIELD, message=_("文件是空的。"))
    docx_out.validate_docx_template(content, form)
    # A full sample case, and a case with nothing filled in yet (a date or a party
    # missing must not break the form for the volunteer drafting it).
    render.render_docx(form, samples.context_for(form), template=content)
    try:
        render.render_docx(form, DocumentContext(), template=content)
    except ValidationError as exc:
        raise ValidationError(field=exc.field, message=_(
            "模板用在尚未填写完整的案件上会出错（{why}）。可能为空的字段请用 {{% if 字段 %}}…{{% endif %}} 包住。"
        ).format(why="；".join(exc.errors.values()))) from exc


def upload_template(session: Session, actor: Actor, form: str, *, filename: str, content: bytes) -> TemplateInfo:
    """Check ``content`` and make it the DOCX template of ``form`` on the actor's desk."""
    require_write(session)
    require(actor, "template.manage")
    name = re.split(r"[\\/]", filename.strip())[-1][:MAX_FILENAME] or "template.docx"
    check_template(form, content, name)
    desk_id = _scope(actor)
    digest = hashlib.sha256(content).hexdigest()
    before = None
    now = utcnow()
    for old in _active_rows(session, form, desk_id):
        if old.desk_id != desk_id:
            continue  # the shared template stays for the other desks
        old.active = False
        old.retired_at = now
        old.retired_by_id = actor.user_id
        before = {"template_id": old.id, "filename": old.filename, "sha256": old.sha256}
    row = DocumentTemplate(form=form, desk_id=desk_id, filename=name, content=content, sha256=digest,
                           size=len(content), active=True, uploaded_by_id=actor.user_id, uploaded_at=now)
    session.add(row)
    session.flush()
    audit.append(session, desk_id=desk_id, user_id=actor.user_id, action="template.upload", entity="document_template",
                 entity_id=row.id, before=before,
                 after={"form": form, "desk_id": desk_id, "filename": name, "sha256": digest, "size": len(content)})
    return TemplateInfo(form=form, label=forms.load_spec(form).label, custom=True, template_id=row.id,
                        filename=name, sha256=digest, size=len(content), uploaded_by=actor.display_name,
                        uploaded_at=now, shared=desk_id is None)


def reset_template(session: Session, actor: Actor, form: str) -> bool:
    """Go back to the built-in DOCX of ``form`` on the actor's desk; False if it already was.

    A shared template (for every desk) is only reset by an administrator without a desk."""
    require_write(session)
    require(actor, "template.manage")
    _known_form(form)
    desk_id = _scope(actor)
    rows = [r for r in _active_rows(session, form, desk_id) if r.desk_id == desk_id]
    if not rows:
        return False
    now = utcnow()
    for row in rows:
        row.active = False
        row.retired_at = now
        row.retired_by_id = actor.user_id
    audit.append(session, desk_id=desk_id, user_id=actor.user_id, action="template.reset", entity="document_template",
                 entity_id=rows[0].id, before={"form": form, "desk_id": desk_id, "filename": rows[0].filename,
                                                "sha256": rows[0].sha256}, after=None)
    return True


def template_file(session: Session, actor: Actor, form: str) -> tuple[str, bytes]:
    """The DOCX template in use for ``form`` (to edit in Word): the uploaded file, or the
    starter template generated from the built-in layout."""
    require(actor, "template.manage")
    _known_form(form)
    rows = _active_rows(session, form, _scope(actor))
    if rows:
        return rows[0].filename, rows[0].content
    return f"{forms.load_spec(form).label}-模板.docx", starter_template(form)


def field_names() -> list[str]:
    """The names a template may use at the top level (see templates/README.md for their parts)."""
    return sandbox.context_fields()


def field_descriptions() -> list[fields.FieldInfo]:
    """Every name a template may use, with its Chinese label and an example."""
    return fields.describe()


def field_listing() -> str:
    """Every name a template may use: its Chinese label, the placeholder, an example."""
    return fields.listing()


# ------------------------------------------------------------------ starter template

def starter_template(form: str) -> bytes:
    """A DOCX template with the built-in form's wording and placeholders, to edit in Word.

    Paragraph by paragraph (tables become lines of "label: value"), with the form's
    repetitions and conditions as docxtpl paragraph tags (``{%p for … %}``). It passes
    :func:`check_template` as it is.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    spec = forms.load_spec(form)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)

    def set_font(style_or_run: object, east_asia: str, size: float) -> None:
        font = style_or_run.font  # type: ignore[attr-defined]  # a python-docx style or run: both have font and element
        font.size = Pt(size)
        font.name = "Times New Roman"
        rpr = style_or_run.element.get_or_add_rPr()  # type: ignore[attr-defined]  # a python-docx style or run: both have font and element
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)

    set_font(doc.styles["Normal"], docx_out.SONG, 12)

    def para(text: str, *, align: str = "left", bold: bool = False, size: float = 12,
             font: str = docx_out.SONG, indent: bool = False) -> None:
        p = doc.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        for n, line in enumerate(text.split("\n")):
            if n:
                p.add_run().add_break(WD_BREAK.LINE)
            run = p.add_run(line)
            run.bold = bold
            set_font(run, font, size)

    def tag(text: str) -> None:
        doc.add_paragraph("{%p " + text + " %}")

    def open_scope(scope: forms.Scope, *, number: bool = False) -> int:
        if scope.each is not None:
            test = f" if {scope.when}" if scope.when else ""
            tag(f"for {scope.as_} in {scope.each}{test}")
            tag("set index = loop.index")
            tag("set index_cn = loop.index | cn_num")
            if number:
                tag("set number = loop.index | string")
            return 1
        if scope.when:
            tag(f"if {scope.when}")
            return 2
        return 0

    def close_scope(kind: int) -> None:
        if kind == 1:
            tag("endfor")
        elif kind == 2:
            tag("endif")

    def row_line(cells: tuple[forms.CellSpec, ...]) -> str:
        parts = []
        for cell in cells:
            text = cell.text.replace("\n", "")
            if cell.sign:
                parts.append((text + "：" if text else "") + "__________")
            elif cell.label and text:
                parts.append(text + "：")
            elif text:
                parts.append(text + "　")
        return "".join(parts).rstrip("　")

    def rows(specs: tuple[forms.RowSpec, ...]) -> None:
        for rs in specs:
            kind = open_scope(rs.scope)
            if rs.rows:
                rows(rs.rows)
            else:
                line = row_line(rs.cells)
                if line:
                    para(line)
            close_scope(kind)

    def blocks(specs: tuple[forms.BlockSpec, ...]) -> None:
        for bs in specs:
            kind = open_scope(bs.scope, number=bs.type == "items")
            if bs.type == "text":
                style = bs.style
                para(bs.text, align=bs.align, bold=style in ("heading", "title", "subtitle"),
                     font=docx_out.HEI if style in ("title", "subtitle", "heading") else docx_out.SONG,
                     indent=bs.indent)
            elif bs.type == "items":
                para("{{ loop.index }}. " + bs.text, indent=True)
            elif bs.type in ("table", "signatures"):
                rows(bs.rows)
            elif bs.type == "group":
                blocks(bs.blocks)
            elif bs.type == "spacer":
                doc.add_paragraph()
            elif bs.type == "page_break":
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            close_scope(kind)

    para(spec.title, align="center", bold=True, size=18, font=docx_out.HEI)
    if spec.number:
        para(spec.number, align="right", size=10.5)
    blocks(spec.blocks)
    if spec.issuer:
        para(spec.issuer, align="right")
    props = doc.core_properties
    props.title = spec.label
    props.author = "mediation-desk"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
