"""Documents on a case: draft → check → approval (with a diff) → signatures → final → verify.

A final version's PDF bytes are frozen with their SHA-256 and a verification code that
is printed in the footer (and as a QR code); it can never be edited, only superseded by
a new version that gives its reason.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import require_write
from mediation.documents import case_file, forms, render
from mediation.documents.context import CONTENT_KEYS, build_context
from mediation.documents.forms import SignLine
from mediation.documents.model import DocumentContext
from mediation.documents.pdf import FooterStamp
from mediation.errors import NotFound, ValidationError, WorkflowError
from mediation.i18n import _
from mediation.models import (
    Case,
    Document,
    DocumentReview,
    DocumentVersion,
    Signature,
    User,
)
from mediation.permissions import Actor, require
from mediation.services import audit, case_records, cases
from mediation.settings import get_setting
from mediation.timeutil import local_date, utcnow

_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
VERIFY_MARK = "mediation-verify:"
_CODE_RE = re.compile(rb"mediation-verify:([0-9A-Z]{4}-[0-9A-Z]{4})")
_CODE_TEXT_RE = re.compile(r"([0-9A-Z]{4}-[0-9A-Z]{4})")


@dataclass(frozen=True)
class Problem:
    """One finding of the form checker."""

    code: str
    field: str
    message: str
    severity: str
    """error (blocks approval) | warning."""


@dataclass(frozen=True)
class VersionInfo:
    id: int
    number: int
    status: str
    created_at: dt.datetime
    created_by: str
    reason: str
    approved_by: str
    approved_at: dt.datetime | None
    finalized_at: dt.datetime | None
    sha256: str | None
    verification_code: str | None
    signed_on_paper: bool
    scan_attachment_id: int | None = None
    """The scan of the paper copy signed by hand (an attachment of the case)."""


@dataclass(frozen=True)
class ReviewInfo:
    version_number: int
    reviewer: str
    decision: str
    comment: str
    at: dt.datetime


@dataclass(frozen=True)
class SignatureInfo:
    id: int
    signer_role: str
    signer_name: str
    captured_at: dt.datetime
    captured_by: str
    sha256: str


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    case_id: int
    form: str
    title: str
    status: str
    version_number: int
    version_id: int
    content: dict[str, Any]
    lock_version: int
    required_copies: int
    """一式N份 as the rules ask for this version (what the checker expects), or 1 for a
    form that is not an agreement."""
    versions: list[VersionInfo] = field(default_factory=list)
    reviews: list[ReviewInfo] = field(default_factory=list)
    signatures: list[SignatureInfo] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


def _load(session: Session, actor: Actor, document_id: int, *,
          write: bool = False) -> tuple[Document, DocumentVersion, Case]:
    """The document, its current version and its case, for the actor: NotFound unless
    they may read the case's desk; with ``write`` (the document is about to change)
    PermissionDenied unless they may change it."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(_("文书不存在。"))
    try:
        case = cases.load_case(session, actor, doc.case_id, write=write)
    except NotFound:
        raise NotFound(_("文书不存在。")) from None
    version = session.get(DocumentVersion, doc.current_version_id) if doc.current_version_id else None
    if version is None:
        raise NotFound(_("文书没有可用的版本。"))
    return doc, version, case


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {uid: n for uid, n in session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))}


def _form_title(form: str) -> str:
    for f in render.list_forms():
        if f.form == form:
            return f.title
    raise ValidationError(field="form", message=_("未知的文书类型：{f}").format(f=form))


def _clean_content(content: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(content) - set(CONTENT_KEYS))
    if unknown:
        raise ValidationError(field="content", message=_("文书内容含有未知字段：{f}").format(f="、".join(unknown)))
    out = dict(content)
    if "terms" in out:
        terms = out["terms"]
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise ValidationError(field="terms", message=_("协议条款应为逐条文字。"))
        out["terms"] = [t.strip() for t in terms if t.strip()]
    return audit.jsonable(out)  # type: ignore[no-any-return]  # jsonable keeps the shape: a dict in, a dict out


def default_content(case: Case, form: str) -> dict[str, Any]:
    """What a fresh draft starts from: the case's own record."""
    c: dict[str, Any] = {"facts": case.facts, "claims": case.claims, "disputed_matters": case.claims}
    if form in workflow.AGREEMENT_FORMS:
        c["terms"] = [line for line in case.agreement_terms.splitlines() if line.strip()]
        c["performance_manner"] = case.performance_manner
        c["performance_place"] = case.performance_place
        c["performance_deadline"] = case.performance_deadline.isoformat() if case.performance_deadline else None
        if case.agreement_amount is not None:
            c["amounts"] = [{"label": "履行金额", "value": str(case.agreement_amount)}]
    return c


def page_text(session: Session, doc: Document, version: DocumentVersion) -> str:
    """The filled-in form as plain text lines (what reviewers compare)."""
    ctx = build_context(session, doc.case_id, version.content, form=doc.form)
    page = render.page_for(doc.form, ctx)
    return "\n".join(t.strip() for t in page.texts() if t.strip())


def check(session: Session, actor: Actor, document_id: int) -> list[Problem]:
    """Run the form checker over the current version."""
    doc, version, _case = _load(session, actor, document_id)
    return _check(session, doc, version)


def _check(session: Session, doc: Document, version: DocumentVersion) -> list[Problem]:
    from mediation.documents import checks

    ctx = build_context(session, doc.case_id, version.content, form=doc.form)
    found = checks.check_document(doc.form, ctx)
    return [Problem(p.code, p.field, p.message_zh, p.severity) for p in found]


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _new_code(session: Session) -> str:
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _i in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if session.scalar(select(DocumentVersion.id).where(DocumentVersion.verification_code == code)) is None:
            return code


# ---------------------------------------------------------------- reading


def list_documents(session: Session, actor: Actor, case_id: int) -> list[DocumentInfo]:
    cases.load_case(session, actor, case_id)
    ids = session.scalars(select(Document.id).where(Document.case_id == case_id).order_by(Document.id)).all()
    return [get_document(session, actor, i) for i in ids]


def get_document(session: Session, actor: Actor, document_id: int) -> DocumentInfo:
    doc, version, _case = _load(session, actor, document_id)
    versions = session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc.id)
                               .order_by(DocumentVersion.number)).all()
    reviews = session.scalars(select(DocumentReview).where(DocumentReview.document_id == doc.id)
                              .order_by(DocumentReview.id)).all()
    sigs = session.scalars(select(Signature).where(Signature.version_id == version.id)
                           .order_by(Signature.id)).all()
    names = _names(session, {v.created_by_id for v in versions} | {v.approved_by_id for v in versions}
                   | {r.reviewer_id for r in reviews} | {s.captured_by_id for s in sigs})
    number_of = {v.id: v.number for v in versions}
    copies = (build_context(session, doc.case_id, version.content).required_copies
              if doc.form in workflow.AGREEMENT_FORMS else 1)
    return DocumentInfo(
        id=doc.id, case_id=doc.case_id, form=doc.form, title=doc.title, status=version.status,
        version_number=version.number, version_id=version.id, content=dict(version.content),
        lock_version=doc.version_id, required_copies=copies,
        versions=[VersionInfo(v.id, v.number, v.status, v.created_at, names.get(v.created_by_id or 0, ""),
                              v.reason, names.get(v.approved_by_id or 0, ""), v.approved_at,
                              v.finalized_at, v.sha256, v.verification_code, v.signed_on_paper,
                              v.scan_attachment_id)
                  for v in versions],
        reviews=[ReviewInfo(number_of.get(r.version_id_reviewed, 0), names.get(r.reviewer_id, ""),
                            r.decision, r.comment, r.at) for r in reviews if r.decision != "viewed"],
        signatures=[SignatureInfo(s.id, s.signer_role, s.signer_name, s.captured_at,
                                  names.get(s.captured_by_id or 0, ""), s.sha256) for s in sigs],
    )


def draft_mark() -> str:
    """Printed across every page of anything that is not a frozen final version."""
    return _("草稿 未定稿")


def shows_full_ids(actor: Actor, status: str) -> bool:
    """Whether an output of a version in ``status`` carries the parties' full ID numbers:
    for those allowed to see them (``party.view_id``) and in a final version (the frozen
    original); a draft shown to anyone else (a volunteer) has them masked (issue 11 item
    4). Every output is audited with this answer as ``full_ids``."""
    return status == "final" or actor.can("party.view_id")


OUTPUT_KINDS = ("preview", "print", "export", "render")
"""What an output is for, as its audit row's action says: ``document.<kind>``."""


def _check_output(kind: str, fmt: str) -> None:
    if kind not in OUTPUT_KINDS or fmt not in ("pdf", "docx"):
        raise ValueError(f"unknown output {kind!r}/{fmt!r}")


def _record(session: Session, actor: Actor, doc: Document, version: DocumentVersion, case: Case, *,
            kind: str, fmt: str) -> None:
    """The audit row of one output of ``version`` (the actor's desk check already made)."""
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id or None, action=f"document.{kind}",
                 entity="document", entity_id=doc.id, case_id=case.id,
                 after={"form": doc.form, "version": version.number, "format": fmt,
                        "full_ids": shows_full_ids(actor, version.status)})


def preview_pdf(session: Session, actor: Actor, document_id: int, *, kind: str = "preview") -> bytes:
    """The current version as PDF, put on record first (audit row ``document.<kind>``, in
    the caller's write transaction: no record, no output): the frozen bytes if final, else
    a fresh rendering marked as a draft across every page (so it is not signed as the
    agreement), with the ID numbers masked unless :func:`shows_full_ids`."""
    require_write(session)
    _check_output(kind, "pdf")
    doc, version, case = _load(session, actor, document_id)
    _record(session, actor, doc, version, case, kind=kind, fmt="pdf")
    if version.pdf is not None:
        return version.pdf
    ctx = build_context(session, doc.case_id, version.content, full_ids=shows_full_ids(actor, version.status), form=doc.form)
    return render.render_pdf(doc.form, ctx, watermark=draft_mark())


def render_docx(session: Session, actor: Actor, document_id: int, *, kind: str = "export") -> bytes:
    """The current version as DOCX, put on record first like :func:`preview_pdf`, in the
    desk's own template of the form if an administrator uploaded one (see
    :mod:`mediation.services.templates`)."""
    from mediation.services import templates

    require_write(session)
    _check_output(kind, "docx")
    doc, version, case = _load(session, actor, document_id)
    _record(session, actor, doc, version, case, kind=kind, fmt="docx")
    ctx = build_context(session, doc.case_id, version.content, full_ids=shows_full_ids(actor, version.status), form=doc.form)
    data = templates.render_docx(session, doc.form, ctx, case.desk_id)
    if version.status != "final":
        from mediation.documents import docx as docx_out

        data = docx_out.mark_draft(data, draft_mark())
    return data


def render_for_case(session: Session, actor: Actor, case_id: int, form: str, fmt: str, *,
                    kind: str = "render") -> tuple[bytes, str]:
    """The case's ``form`` as it stands, put on record first (one audit row), and the
    status of the version it came from ("" if none): its current document version if one
    exists (a final version's PDF is the frozen original), else a fresh rendering from
    the case's record, marked as a draft, with the ID numbers masked unless the actor
    has ``party.view_id``."""
    require_write(session)
    _check_output(kind, fmt)
    case = cases.load_case(session, actor, case_id)
    _form_title(form)
    doc = session.scalar(select(Document).where(Document.case_id == case.id, Document.form == form)
                         .order_by(Document.id.desc()).limit(1))
    if doc is not None:
        data = (preview_pdf(session, actor, doc.id, kind=kind) if fmt == "pdf"
                else render_docx(session, actor, doc.id, kind=kind))
        version = session.get(DocumentVersion, doc.current_version_id)
        return data, version.status if version is not None else ""
    _record_case(session, actor, case, form=form, kind=kind, fmt=fmt)
    ctx = build_context(session, case.id, default_content(case, form), full_ids=actor.can("party.view_id"))
    if fmt == "pdf":
        return render.render_pdf(form, ctx, watermark=draft_mark()), ""
    from mediation.services import templates

    return templates.render_docx(session, form, ctx, case.desk_id), ""


def record_output(session: Session, actor: Actor, document_id: int, *, kind: str, fmt: str = "pdf") -> None:
    """Audit another output of bytes already made by :func:`preview_pdf` (and audited
    there): the preview's PDF printed or saved. Not for new renderings, which record
    themselves."""
    require_write(session)
    _check_output(kind, fmt)
    doc, version, case = _load(session, actor, document_id)
    _record(session, actor, doc, version, case, kind=kind, fmt=fmt)


def _record_case(session: Session, actor: Actor, case: Case, *, form: str, kind: str, fmt: str) -> None:
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id or None, action=f"document.{kind}",
                 entity="case", entity_id=case.id, case_id=case.id,
                 after={"form": form, "format": fmt, "full_ids": actor.can("party.view_id")})


def record_case_output(session: Session, actor: Actor, case_id: int, *, form: str, fmt: str,
                       kind: str = "render") -> None:
    """Audit another output of a form made from a case's record (no document drafted
    yet) or of the case file, from bytes already made (and audited) by
    :func:`render_for_case` or :func:`case_file_pdf`: printed or saved."""
    require_write(session)
    _check_output(kind, fmt)
    case = cases.load_case(session, actor, case_id)
    _record_case(session, actor, case, form=form, kind=kind, fmt=fmt)


def diff_for_reviewer(session: Session, actor: Actor, document_id: int) -> list[str]:
    """Unified diff of the current text against the last text this reviewer saw.

    Empty list: nothing changed since. A first review compares against an empty text."""
    doc, version, _case = _load(session, actor, document_id)
    last = session.scalar(select(DocumentReview.seen_text).where(
        DocumentReview.document_id == doc.id, DocumentReview.reviewer_id == actor.user_id)
        .order_by(DocumentReview.id.desc()).limit(1))
    now = page_text(session, doc, version)
    return list(difflib.unified_diff((last or "").splitlines(), now.splitlines(),
                                     fromfile=_("上次审阅"), tofile=_("当前版本"), lineterm=""))


# ---------------------------------------------------------------- writing


def create_draft(session: Session, actor: Actor, case_id: int, form: str) -> int:
    require_write(session)
    require(actor, "document.draft")
    case = cases.load_case(session, actor, case_id, for_update=True)
    title = _form_title(form)
    if form in workflow.AGREEMENT_FORMS and case.stage in (workflow.REGISTERED,):
        raise WorkflowError(_("案件受理后才能起草调解协议。"))
    doc = Document(case_id=case.id, form=form, title=title, status="draft", created_by_id=actor.user_id)
    session.add(doc)
    session.flush()
    content = default_content(case, form)
    if form == case_file.COVER_FORM:
        # Who assembles the file, and the one retention field (issue 12 item 24), from the desk's default.
        years = get_setting(session, "retention_years", case.desk_id)
        content.update(archivist=actor.display_name,
                       retention_period=f"{years}年" if isinstance(years, int) else "")
    version = DocumentVersion(document_id=doc.id, number=1, status="draft",
                              content=_clean_content(content), created_by_id=actor.user_id)
    session.add(version)
    session.flush()
    doc.current_version_id = version.id
    cases.record_event(session, case, actor, "document", _("起草文书：{t}").format(t=title))
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.create", entity="document",
                 entity_id=doc.id, case_id=case.id, after={"form": form, "version": 1})
    return doc.id


def update_draft(session: Session, actor: Actor, document_id: int, content: dict[str, Any], *,
                 expected_version: int | None = None) -> int:
    """Save the draft's text; returns the document's new lock version."""
    require_write(session)
    require(actor, "document.draft")
    doc, version, case = _load(session, actor, document_id, write=True)
    if expected_version is not None and doc.version_id != expected_version:
        from mediation.errors import Conflict

        raise Conflict(_("该文书已被其他人修改，请重新载入后再保存。"))
    if version.status not in ("draft", "returned"):
        raise WorkflowError(_("文书已提交审批或已定稿，不能直接修改。定稿后如需更正，请创建新版本并说明理由。"))
    before = dict(version.content)
    version.content = _clean_content({**before, **content})
    version.status = "draft"
    doc.status = "draft"
    doc.updated_at = utcnow()
    session.flush()
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.update", entity="document",
                 entity_id=doc.id, case_id=case.id, before=before, after=dict(version.content))
    return doc.version_id


def submit(session: Session, actor: Actor, document_id: int) -> list[Problem]:
    """Send the draft for the officer's approval; refused while the checker finds errors."""
    require_write(session)
    require(actor, "document.draft")
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status not in ("draft", "returned"):
        raise WorkflowError(_("只有草稿才能提交审批。"))
    problems = _check(session, doc, version)
    errors = _errors(problems)
    if errors:
        raise ValidationError({p.field or p.code: p.message for p in errors})
    version.status = doc.status = "submitted"
    version.submitted_at = utcnow()
    doc.updated_at = utcnow()
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.submit", entity="document",
                 entity_id=doc.id, case_id=case.id, after={"version": version.number})
    return problems


def _review(session: Session, actor: Actor, doc: Document, version: DocumentVersion, decision: str,
            comment: str) -> None:
    session.add(DocumentReview(document_id=doc.id, version_id_reviewed=version.id,
                               reviewer_id=actor.user_id, decision=decision, comment=comment,
                               seen_text=page_text(session, doc, version)))


def mark_viewed(session: Session, actor: Actor, document_id: int) -> None:
    """The reviewer looked at the text (so the next diff starts from here)."""
    require_write(session)
    doc, version, _case = _load(session, actor, document_id, write=True)
    _review(session, actor, doc, version, "viewed", "")


def approve(session: Session, actor: Actor, document_id: int, *, comment: str = "") -> None:
    require_write(session)
    require(actor, "document.approve")
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status not in ("submitted", "draft"):
        raise WorkflowError(_("该版本当前状态不能审批。"))
    errors = _errors(_check(session, doc, version))
    if errors:
        raise ValidationError({p.field or p.code: p.message for p in errors})
    version.status = doc.status = "approved"
    version.approved_by_id = actor.user_id
    version.approved_at = utcnow()
    doc.updated_at = utcnow()
    _review(session, actor, doc, version, "approved", comment.strip())
    cases.record_event(session, case, actor, "document", _("审批通过：{t}（第{n}版）").format(t=doc.title, n=version.number))
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.approve", entity="document",
                 entity_id=doc.id, case_id=case.id, after={"version": version.number, "comment": comment})


def return_for_changes(session: Session, actor: Actor, document_id: int, *, comment: str) -> None:
    require_write(session)
    require(actor, "document.approve")
    if not comment.strip():
        raise ValidationError(field="comment", message=_("退回修改时请写明需要修改的地方。"))
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status not in ("submitted", "draft", "approved"):
        raise WorkflowError(_("该版本当前状态不能退回。"))
    version.status = doc.status = "returned"
    doc.updated_at = utcnow()
    _review(session, actor, doc, version, "returned", comment.strip())
    cases.record_event(session, case, actor, "document", _("退回修改：{t}：{c}").format(t=doc.title, c=comment.strip()))
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.return", entity="document",
                 entity_id=doc.id, case_id=case.id, after={"version": version.number, "comment": comment})


def add_signature(session: Session, actor: Actor, document_id: int, *, signer_role: str,
                  signer_name: str, image_png: bytes, party_id: int | None = None) -> int:
    """Store a signature drawn on screen for the approved version."""
    require_write(session)
    require(actor, "document.draft")
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status != "approved":
        raise WorkflowError(_("文书审批通过后才能签名。"))
    if signer_role not in workflow.SIGNER_ROLES:
        raise ValidationError(field="signer_role", message=_("请选择签名人身份。"))
    if not signer_name.strip():
        raise ValidationError(field="signer_name", message=_("请填写签名人姓名。"))
    if (signer_role, signer_name.strip()) not in {line.key for line in sign_lines(session, doc, version)}:
        raise ValidationError(field="signer_name", message=_("“{who}”不在本文书的签名栏中。").format(
            who=f"{workflow.signer_label(signer_role)} {signer_name.strip()}"))
    if not image_png.startswith(b"\x89PNG") or len(image_png) < 100:
        raise ValidationError(field="signature", message=_("签名为空，请在签名区内签字。"))
    if party_id is not None and party_id not in {link.party_id for link in case.parties}:
        # Only a party of this case signs it (never another case's or another desk's).
        raise ValidationError(field="party_id", message=_("签名人不是本案的当事人。"))
    digest = hashlib.sha256(image_png).hexdigest()
    sig = Signature(version_id=version.id, signer_role=signer_role, signer_name=signer_name.strip(),
                    party_id=party_id, image_png=image_png, sha256=digest, captured_by_id=actor.user_id)
    session.add(sig)
    session.flush()
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.sign", entity="signature",
                 entity_id=sig.id, case_id=case.id,
                 after={"document": doc.id, "version": version.number, "role": signer_role,
                        "name": signer_name.strip(), "sha256": digest})
    return sig.id


def sign_lines(session: Session, doc: Document, version: DocumentVersion) -> list[SignLine]:
    """Every line this version prints to sign on (the form's ``sign = true`` cells), in order."""
    ctx = build_context(session, doc.case_id, version.content, form=doc.form)
    return forms.sign_lines(render.page_for(doc.form, ctx))


def required_signers(session: Session, doc: Document, version: DocumentVersion) -> list[tuple[str, str]]:
    """(role, name) of everyone who must sign this version on screen: each line of the form."""
    return [line.key for line in sign_lines(session, doc, version)]


def required_signers_for(session: Session, actor: Actor, document_id: int) -> list[tuple[str, str]]:
    """(role, name) of everyone who must sign the current version on screen, for the
    signature dialog to offer in turn."""
    return [line.key for line in sign_lines_for(session, actor, document_id)]


def sign_lines_for(session: Session, actor: Actor, document_id: int) -> list[SignLine]:
    """The signature lines of the current version (for the signature dialog)."""
    require(actor, "case.view")
    doc, version, _case = _load(session, actor, document_id)
    return sign_lines(session, doc, version)


def line_name(line: SignLine) -> str:
    """A line as a refusal names it: 记录人 王五, or 记录人（未填姓名）."""
    if line.name:
        return _("{role} {name}").format(role=workflow.signer_label(line.role), name=line.name)
    return _("{role}（未填姓名）").format(role=workflow.signer_label(line.role))


def finalize(session: Session, actor: Actor, document_id: int, *, signed_on_paper: bool = False) -> str:
    """Freeze the approved version as PDF bytes with SHA-256 and a verification code.

    On screen: every party and the mediator must have signed first. On paper: the final
    PDF is printed and signed by hand; the scan is attached afterwards with
    :func:`attach_signed_scan`. Returns the verification code.
    """
    require_write(session)
    require(actor, "document.draft")
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status != "approved":
        raise WorkflowError(_("文书须经督导民警审批通过后才能定稿。"))
    if not signed_on_paper:
        # Every line the form prints must carry its signature (else sign on paper).
        signed = {(s.signer_role, s.signer_name) for s in session.scalars(
            select(Signature).where(Signature.version_id == version.id))}
        missing = [line_name(line) for line in sign_lines(session, doc, version)
                   if not line.name or line.key not in signed]
        if missing:
            raise WorkflowError(_("还缺少以下签名栏的签名：{names}。请在屏幕上签名，或改为纸质签字定稿。").format(
                names="、".join(missing)), missing)
    code = _new_code(session)
    ctx = build_context(session, doc.case_id, version.content, document_date=local_date(utcnow()), form=doc.form)
    drawn: dict[tuple[str, str], bytes] = {}
    if not signed_on_paper:
        for sig in session.scalars(select(Signature).where(Signature.version_id == version.id)
                                   .order_by(Signature.id)):
            drawn[(sig.signer_role, sig.signer_name)] = sig.image_png  # a later capture replaces an earlier one
    pdf = render.render_pdf(doc.form, ctx, footer=FooterStamp(code=code, qr_data=f"{VERIFY_MARK}{code}"),
                            signatures=drawn)
    version.pdf = pdf
    version.sha256 = hashlib.sha256(pdf).hexdigest()
    version.verification_code = code
    version.signed_on_paper = signed_on_paper
    version.finalized_at = utcnow()
    version.finalized_by_id = actor.user_id
    version.status = doc.status = "final"
    doc.updated_at = utcnow()
    # The verification record carries the desk chain's checkpoint as of now: one of the
    # anchors a later `audit verify` holds the chain against (issue 11 item 7).
    anchor = audit.checkpoint_for(session, case.desk_id)
    version.audit_anchor = ({"desk": anchor.desk_id, "genesis": anchor.genesis, "n": anchor.n,
                             "head": anchor.head, "at": anchor.at} if anchor is not None else None)
    cases.record_event(session, case, actor, "document", _("文书定稿：{t}（第{n}版，校验码 {c}）").format(
        t=doc.title, n=version.number, c=code))
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.finalize", entity="document",
                 entity_id=doc.id, case_id=case.id,
                 after={"version": version.number, "sha256": version.sha256, "code": code,
                        "signed_on_paper": signed_on_paper})
    if doc.form in workflow.AGREEMENT_FORMS:
        session.flush()
        cases.carry_final_agreement(session, actor, case.id, agreement_input(doc.form, ctx, signed=not signed_on_paper),
                                    title=doc.title)
    return code


def agreement_input(form: str, ctx: DocumentContext, *, signed: bool = False) -> cases.AgreementInput:
    """What an agreement document says, as the case records an agreement."""
    return cases.AgreementInput(
        kind=workflow.ORAL if form == workflow.ORAL_AGREEMENT else workflow.WRITTEN,
        terms="\n".join(t for t in ctx.terms if t.strip()),
        amount=ctx.total_amount if ctx.amounts else None,
        performance_manner=ctx.performance_manner, performance_place=ctx.performance_place,
        performance_deadline=ctx.performance_deadline, signed=signed)


def agreement_draft(session: Session, actor: Actor, case_id: int) -> cases.AgreementInput | None:
    """The latest agreement document of the case, for 登记调解协议 to start from (None: none drafted)."""
    cases.load_case(session, actor, case_id)
    doc = session.scalar(select(Document).where(Document.case_id == case_id,
                                                Document.form.in_(workflow.AGREEMENT_FORMS))
                         .order_by(Document.id.desc()).limit(1))
    if doc is None or doc.current_version_id is None:
        return None
    version = session.get(DocumentVersion, doc.current_version_id)
    assert version is not None
    return agreement_input(doc.form, build_context(session, case_id, version.content))


def attach_signed_scan(session: Session, actor: Actor, document_id: int, *, filename: str,
                       content: bytes, mime_type: str = "application/pdf") -> int:
    """Attach the scan of the paper copy signed by hand to the final version it belongs to."""
    require_write(session)
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status != "final":
        raise WorkflowError(_("请先定稿并打印，双方签字后再上传扫描件。"))
    att_id = case_records.add_attachment(
        session, actor, case.id, filename=filename, content=content, mime_type=mime_type,
        description=_("{t} 第{n}版 签字扫描件").format(t=doc.title, n=version.number))
    version.scan_attachment_id = att_id
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.scan", entity="document",
                 entity_id=doc.id, case_id=case.id, after={"version": version.number, "attachment": att_id})
    if doc.form in workflow.AGREEMENT_FORMS and case.stage == workflow.AGREED and case.agreement_signed_at is None:
        session.flush()
        cases.mark_agreement_signed(session, actor, case.id)
    return att_id


def supersede(session: Session, actor: Actor, document_id: int, *, reason: str) -> int:
    """Start a new version of a final document; the final one stays as it was signed."""
    require_write(session)
    require(actor, "document.draft")
    if not reason.strip():
        raise ValidationError(field="reason", message=_("请说明更正的理由。"))
    doc, version, case = _load(session, actor, document_id, write=True)
    if version.status != "final":
        raise WorkflowError(_("只有定稿的文书才需要创建新版本；草稿可以直接修改。"))
    version.status = "superseded"
    new = DocumentVersion(document_id=doc.id, number=version.number + 1, status="draft",
                          content=dict(version.content), reason=reason.strip(), created_by_id=actor.user_id)
    session.add(new)
    session.flush()
    doc.current_version_id = new.id
    doc.status = "draft"
    doc.updated_at = utcnow()
    cases.record_event(session, case, actor, "document", _("更正文书：{t}（第{n}版）：{r}").format(
        t=doc.title, n=new.number, r=reason.strip()))
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="document.supersede", entity="document",
                 entity_id=doc.id, case_id=case.id,
                 after={"from_version": version.number, "to_version": new.number, "reason": reason.strip()})
    return new.id


def final_pdf(session: Session, actor: Actor, document_id: int, version_number: int | None = None) -> bytes:
    doc, version, _case = _load(session, actor, document_id)
    if version_number is not None:
        v = session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc.id,
                                                          DocumentVersion.number == version_number))
        if v is None:
            raise NotFound(_("该版本不存在。"))
        version = v
    if version.pdf is None:
        raise WorkflowError(_("该版本尚未定稿。"))
    return version.pdf


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class VerifyOutcome:
    status: str
    """valid | superseded | altered | unknown."""
    message: str
    case_number: str = ""
    title: str = ""
    version: int = 0
    code: str = ""


def _extract_code(data: bytes) -> str | None:
    m = _CODE_RE.search(data)
    if m:
        return m.group(1).decode("ascii")
    try:
        import io

        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        keywords = (reader.metadata.get("/Keywords") if reader.metadata else None) or ""
        m2 = re.search(r"mediation-verify:([0-9A-Z]{4}-[0-9A-Z]{4})", str(keywords))
        if m2:
            return m2.group(1)
        text = "\n".join((page.extract_text() or "") for page in reader.pages[:3])
        m3 = re.search(r"校验码[：:\s]*([0-9A-Z]{4}-[0-9A-Z]{4})", text)
        if m3:
            return m3.group(1)
    except Exception:  # noqa: BLE001 - not a PDF we can read: the code simply cannot be found
        return None
    return None


def verify_bytes(session: Session, data: bytes) -> VerifyOutcome:
    """Is ``data`` exactly a final version? Which case? Or was it altered?"""
    digest = hashlib.sha256(data).hexdigest()
    row = session.execute(
        select(DocumentVersion, Document, Case).join(Document, Document.id == DocumentVersion.document_id)
        .join(Case, Case.id == Document.case_id).where(DocumentVersion.sha256 == digest)).first()
    if row is not None:
        v, d, c = row
        if v.status == "superseded":
            return VerifyOutcome("superseded", _("文件与定稿一致，但该版本已被第 {n} 版以后的更正版本取代。").format(
                n=v.number + 1), c.number or "", d.title, v.number, v.verification_code or "")
        return VerifyOutcome("valid", _("文件与定稿完全一致：{num} {t} 第{n}版。").format(
            num=c.number or "", t=d.title, n=v.number), c.number or "", d.title, v.number,
            v.verification_code or "")
    code = _extract_code(data)
    if code:
        row = session.execute(
            select(DocumentVersion, Document, Case).join(Document, Document.id == DocumentVersion.document_id)
            .join(Case, Case.id == Document.case_id).where(DocumentVersion.verification_code == code)).first()
        if row is not None:
            v, d, c = row
            return VerifyOutcome("altered", _("文件已被改动：校验码 {code} 属于 {num} {t} 第{n}版，但内容与定稿不一致。").format(
                code=code, num=c.number or "", t=d.title, n=v.number), c.number or "", d.title, v.number, code)
    return VerifyOutcome("unknown", _("未找到与此文件对应的定稿文书。"))


# ---------------------------------------------------------------- the case file (卷宗)


@dataclass(frozen=True)
class CaseFile:
    pdf: bytes
    papers: int
    """Final documents and scans after the cover."""
    pages: int
    """Their pages (本卷页数)."""
    cover_final: bool
    """The cover is the frozen final one (else a fresh one, marked as a draft)."""


def _latest_cover(session: Session, case_id: int) -> tuple[Document, DocumentVersion] | None:
    doc = session.scalar(select(Document).where(Document.case_id == case_id, Document.form == case_file.COVER_FORM)
                         .order_by(Document.id.desc()).limit(1))
    if doc is None or doc.current_version_id is None:
        return None
    version = session.get(DocumentVersion, doc.current_version_id)
    return (doc, version) if version is not None else None


def final_cover(session: Session, actor: Actor, case_id: int) -> DocumentVersion | None:
    """The final version of the case file's cover, if there is one (archiving shows its
    保管期限); the case must be one the actor may read."""
    case = cases.load_case(session, actor, case_id)
    return _final_cover(session, case.id)


def _final_cover(session: Session, case_id: int) -> DocumentVersion | None:
    return session.scalar(
        select(DocumentVersion).join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.case_id == case_id, Document.form == case_file.COVER_FORM,
               DocumentVersion.status == "final").order_by(DocumentVersion.id.desc()).limit(1))


def case_file_pdf(session: Session, actor: Actor, case_id: int, *, kind: str = "preview") -> CaseFile:
    """The 卷宗 as one PDF: cover and 卷内目录, then every final document and signed scan in
    order, put on record first (it shows full ID numbers: audit row ``document.<kind>``,
    form ``case_file``, in the caller's write transaction).

    The cover is its final version if it has one; otherwise it is made now from the case
    (and the cover's draft, if any) and marked as a draft across every page."""
    require_write(session)
    _check_output(kind, "pdf")
    case = cases.load_case(session, actor, case_id)
    _record_case(session, actor, case, form="case_file", kind=kind, fmt="pdf")
    papers = case_file.gather(session, case.id)
    final = _final_cover(session, case.id)
    if final is not None and final.pdf is not None:
        cover = final.pdf
    else:
        drafted = _latest_cover(session, case.id)
        content = dict(drafted[1].content) if drafted else default_content(case, case_file.COVER_FORM)
        content.setdefault("archivist", actor.display_name)
        ctx = build_context(session, case.id, content, form=case_file.COVER_FORM)
        cover = render.render_pdf(case_file.COVER_FORM, ctx, watermark=draft_mark())
    pdf = case_file.merge([cover, *(p.pdf for p in papers)])
    return CaseFile(pdf, len(papers), sum(p.pages for p in papers), final is not None)
