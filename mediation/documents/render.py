"""Public entry points: list the forms, render one as PDF or DOCX.

    >>> list_forms()[0].form
    'application'
    >>> pdf_bytes = render_pdf("people_agreement", ctx)

Forms are the ``templates/<form>.toml`` descriptions; parsed forms, compiled templates
and parsed fonts are cached per process, so only the first render pays for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mediation.documents import forms, pdf
from mediation.documents.model import DocumentContext, FormContext, VolunteerContext
from mediation.documents.pdf import FooterStamp

__all__ = [
    "FooterStamp",
    "FormInfo",
    "list_forms",
    "page_for",
    "render_docx",
    "render_pdf",
    "warm_up",
]


@dataclass(frozen=True)
class FormInfo:
    form: str  # identifier, e.g. "people_agreement"
    title: str  # printed title, e.g. "人民调解协议书"
    label: str  # name shown in menus
    agreement: bool  # an agreement form (checked before approval)


def list_forms(subject: str = "case") -> list[FormInfo]:
    """The forms in ``templates/`` filled from a ``subject`` (a case's, by default), sorted by identifier."""
    out = []
    for name in forms.available_forms(subject):
        spec = forms.load_spec(name)
        title = spec.label if "{" in spec.title else spec.title
        out.append(FormInfo(form=name, title=title, label=spec.label, agreement=spec.agreement))
    return out


def page_for(form: str, ctx: FormContext) -> forms.Page:
    """The filled-in form, before layout (what both outputs print)."""
    return forms.evaluate(forms.load_spec(form), ctx)


def render_pdf(form: str, ctx: FormContext, *, footer: FooterStamp | None = None,
               signatures: Mapping[tuple[str, str], bytes] | None = None, watermark: str = "") -> bytes:
    """Render ``form`` for ``ctx`` as PDF; ``footer`` adds a verification code and QR,
    ``signatures`` ((role, name) → PNG captured on screen) go on their signature lines,
    ``watermark`` (a draft's mark) across every page."""
    return pdf.render(page_for(form, ctx), footer=footer, author=_author(ctx), signatures=signatures,
                      watermark=watermark)


def render_docx(form: str, ctx: FormContext, *, template: bytes | None = None) -> bytes:
    """Render ``form`` for ``ctx`` as DOCX.

    ``template`` is an administrator's DOCX (docxtpl placeholders) replacing the
    built-in layout; it is checked with :func:`~mediation.documents.docx.validate_docx_template`
    first.
    """
    from mediation.documents import docx as docx_out

    if template is not None:
        if not isinstance(ctx, DocumentContext):
            raise TypeError("a desk's own DOCX templates are for case documents")
        return docx_out.render_template(template, form, ctx)
    return docx_out.render(page_for(form, ctx), author=_author(ctx))


def _author(ctx: FormContext) -> str:
    if isinstance(ctx, VolunteerContext):
        return ctx.committee_name or ctx.desk_name
    return ctx.committee_name if ctx.track != "police" else ctx.police_unit or ctx.desk_name


def warm_up(*, rare_characters: bool = True) -> None:
    """Pay the one-off costs now (≈1–1.5 s): parse fonts and forms, compile templates.

    Meant for a background worker at application start, so that the first document a
    user opens renders as fast as the next ones.
    """
    from mediation.documents import docx as docx_out
    from mediation.documents import fonts

    fonts.preload()
    if rare_characters:
        fonts.load("fallback")
    empty = DocumentContext()
    for info in list_forms():
        page_for(info.form, empty)
    pdf.render(page_for("people_agreement", empty))
    docx_out.render(page_for("people_agreement", empty))
