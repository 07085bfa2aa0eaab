"""What a student takes away: 志愿服务记录证明 (numbered) and 课外实践表现报告, as PDF and DOCX
from the forms ``templates/service_record.toml`` and ``templates/practice_report.toml``.

An administrator or the adviser drafts one (the figures are the overview's: the same
:func:`~mediation.services.roster.overview.student_figures`); the adviser writes the
evaluation and approves it, which recomputes and freezes the figures and, for the service
record, gives the next number of the desk's year. A draft can only be previewed (marked
草稿); printing and exporting need the approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation, volunteering
from mediation.changes import Changes
from mediation.db import require_write
from mediation.documents import render
from mediation.documents.model import CaseTypeLine, VolunteerContext
from mediation.errors import Conflict, ValidationError
from mediation.i18n import _
from mediation.models import Certificate, Desk, Term, User, Volunteer
from mediation.permissions import Actor, require
from mediation.services import audit, cases
from mediation.services.numbering import next_value
from mediation.services.roster import common
from mediation.services.roster.overview import StudentFigures, student_figures
from mediation.timeutil import local_today, utcnow

CERTIFICATE_CHANGES = Changes(roster=True)
DRAFT_MARK = "草稿 未审批"
NUMBER_KIND = "certificate"
"""The number sequence of the service records (number_sequence.kind is at most 20 characters)."""
DEFAULT_CONTENT = ("在{desk}值班，接待来访群众，登记矛盾纠纷和法律咨询，参与纠纷的调查与调解，"
                   "制作调解记录、调查记录等文书，对达成协议的纠纷开展回访。")
"""The content of the service a draft starts with (the administrator edits it)."""


def certificate_prefix(number_prefix: str) -> str:
    """The desk's case-number prefix made into its certificates' one: X警校调字 → X警校志证字."""
    return number_prefix.replace("调字", "志证字") if "调字" in number_prefix else f"{number_prefix}志证字"


def format_number(year: int, prefix: str, seq: int) -> str:
    return f"（{year}）{prefix}第{seq:03d}号"


@dataclass(frozen=True)
class CertificateView:
    id: int
    volunteer_id: int
    kind: str
    status: str
    number: str | None
    figures: StudentFigures
    content: str
    evaluation: str
    drafted_by: str
    approved_by: str | None
    approved_at: dt.datetime | None
    issued_on: dt.date | None
    version: int
    changes: Changes = field(default_factory=lambda: CERTIFICATE_CHANGES)

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def title(self) -> str:
        return _(volunteering.CERTIFICATES[self.kind])


def _term_and_desk(session: Session, vol: Volunteer) -> tuple[Term, Desk]:
    term = session.get(Term, vol.term_id)
    desk = session.get(Desk, vol.desk_id)
    assert term is not None and desk is not None
    return term, desk


def _figures(session: Session, vol: Volunteer) -> StudentFigures:
    term, _desk = _term_and_desk(session, vol)
    return student_figures(session, term, [vol])[0]


def draft_certificate(session: Session, actor: Actor, volunteer_id: int, kind: str, *, content: str | None = None,
                      evaluation: str = "") -> int:
    """Start a certificate for a volunteer with the overview's figures."""
    require_write(session)
    require(actor, "roster.certify")
    vol = common.load_volunteer(session, actor, volunteer_id, write=True)
    if kind not in volunteering.CERTIFICATES:
        raise ValidationError(field="kind", message=_("未知的证明类型：{k}").format(k=kind))
    if vol.user_id is None:
        raise ValidationError(field="volunteer_id", message=_("{name} 还没有账户，没有值班记录可以证明。").format(
            name=vol.name))
    if session.scalar(select(Certificate.id).where(Certificate.volunteer_id == vol.id, Certificate.kind == kind,
                                                   Certificate.status == "draft")) is not None:
        raise Conflict(_("{name} 已有一份待审批的{title}。").format(name=vol.name,
                                                             title=_(volunteering.CERTIFICATES[kind])))
    _term, desk = _term_and_desk(session, vol)
    v = validation.Collector()
    text = v.check("content", validation.text, DEFAULT_CONTENT.format(desk=desk.name) if content is None else content,
                   max_len=2000) or ""
    judged = v.check("evaluation", validation.text, evaluation, max_len=4000) or ""
    v.raise_if_any()
    figures = _figures(session, vol)
    cert = Certificate(desk_id=vol.desk_id, volunteer_id=vol.id, kind=kind, period_start=figures.period_start,
                       period_end=figures.period_end, figures=figures.as_data(), content=text, evaluation=judged,
                       drafted_by_id=actor.user_id, drafted_at=utcnow())
    session.add(cert)
    session.flush()
    audit.append(session, desk_id=vol.desk_id, user_id=actor.user_id, action="roster.certificate_draft", entity="roster_certificate",
                 entity_id=cert.id, after={"volunteer_id": vol.id, "kind": kind})
    return cert.id


def _load(session: Session, actor: Actor, certificate_id: int, *, write: bool = False) -> Certificate:
    return common.load(session, actor, Certificate, certificate_id, write=write, missing=_("该证明不存在。"))


def update_certificate(session: Session, actor: Actor, certificate_id: int, *, content: str, evaluation: str,
                       expected_version: int | None = None) -> Changes:
    """Edit a draft (the content, the adviser's evaluation); its figures are read again."""
    require_write(session)
    require(actor, "roster.certify")
    cert = _load(session, actor, certificate_id, write=True)
    if cert.status != "draft":
        raise Conflict(_("已审批的证明不能再修改。"))
    if expected_version is not None and cert.version_id != expected_version:
        raise Conflict(_("这份证明已被其他人修改，请重新打开。"))
    v = validation.Collector()
    text = v.check("content", validation.text, content, max_len=2000) or ""
    judged = v.check("evaluation", validation.text, evaluation, max_len=4000) or ""
    v.raise_if_any()
    vol = session.get(Volunteer, cert.volunteer_id)
    assert vol is not None
    figures = _figures(session, vol)
    before = {"content": cert.content, "evaluation": cert.evaluation}
    cert.content, cert.evaluation = text, judged
    cert.figures = figures.as_data()
    cert.period_start, cert.period_end = figures.period_start, figures.period_end
    cases.flush(session)
    audit.append(session, desk_id=cert.desk_id, user_id=actor.user_id, action="roster.certificate_update", entity="roster_certificate",
                 entity_id=cert.id, before=before, after={"content": text, "evaluation": judged})
    return CERTIFICATE_CHANGES


def approve_certificate(session: Session, actor: Actor, certificate_id: int, *,
                        expected_version: int | None = None) -> Changes:
    """The adviser approves: the figures are computed once more and frozen, the service record
    gets its number, and it may be printed."""
    require_write(session)
    require(actor, "roster.approve")
    cert = _load(session, actor, certificate_id, write=True)
    if cert.status != "draft":
        raise Conflict(_("这份证明已经审批过了。"))
    if expected_version is not None and cert.version_id != expected_version:
        raise Conflict(_("这份证明已被其他人修改，请重新打开。"))
    v = validation.Collector()
    if cert.kind == volunteering.SERVICE_RECORD and not cert.content.strip():
        v.add("content", _("请填写志愿服务内容。"))
    if cert.kind == volunteering.PRACTICE_REPORT and not cert.evaluation.strip():
        v.add("evaluation", _("请填写指导老师评价。"))
    v.raise_if_any()
    vol = session.get(Volunteer, cert.volunteer_id)
    assert vol is not None
    figures = _figures(session, vol)
    cert.figures = figures.as_data()
    cert.period_start, cert.period_end = figures.period_start, figures.period_end
    today = local_today()
    if cert.kind == volunteering.SERVICE_RECORD:
        desk = session.get(Desk, cert.desk_id)
        assert desk is not None
        seq = next_value(session, desk_id=cert.desk_id, year=today.year, kind=NUMBER_KIND)
        cert.year, cert.seq = today.year, seq
        cert.number = format_number(today.year, certificate_prefix(desk.number_prefix), seq)
    cert.status = "approved"
    cert.approved_by_id = actor.user_id
    cert.approved_at = utcnow()
    cert.issued_on = today
    cases.flush(session)
    audit.append(session, desk_id=cert.desk_id, user_id=actor.user_id, action="roster.certificate_approve", entity="roster_certificate",
                 entity_id=cert.id, after={"number": cert.number, "figures": cert.figures})
    return CERTIFICATE_CHANGES


def _view(session: Session, cert: Certificate) -> CertificateView:
    names = {uid: n for uid, n in session.execute(select(User.id, User.display_name).where(
        User.id.in_([i for i in (cert.drafted_by_id, cert.approved_by_id) if i])))}
    return CertificateView(cert.id, cert.volunteer_id, cert.kind, cert.status, cert.number,
                           StudentFigures.from_data(cert.figures), cert.content, cert.evaluation,
                           names.get(cert.drafted_by_id or 0, ""),
                           names.get(cert.approved_by_id) if cert.approved_by_id else None, cert.approved_at,
                           cert.issued_on, cert.version_id)


def get_certificate(session: Session, actor: Actor, certificate_id: int) -> CertificateView:
    require(actor, "roster.view")
    return _view(session, _load(session, actor, certificate_id))


def list_certificates(session: Session, actor: Actor, term_id: int) -> list[CertificateView]:
    """A term's certificates, by student and kind."""
    require(actor, "roster.view")
    term = common.load_term(session, actor, term_id)
    rows = session.scalars(select(Certificate).join(Volunteer, Volunteer.id == Certificate.volunteer_id)
                           .where(Volunteer.term_id == term.id)
                           .order_by(Volunteer.student_no, Certificate.kind, Certificate.id))
    return [_view(session, c) for c in rows]


def context_for(session: Session, cert: Certificate) -> VolunteerContext:
    """What the forms print for ``cert`` (its frozen figures once approved)."""
    vol = session.get(Volunteer, cert.volunteer_id)
    assert vol is not None
    term, desk = _term_and_desk(session, vol)
    view = _view(session, cert)
    fig = view.figures
    hours = volunteering.hours_text
    return VolunteerContext(
        desk_name=desk.name, committee_name=desk.committee_name, certificate_number=cert.number or "",
        issued_on=cert.issued_on, handler=view.drafted_by, adviser=view.approved_by or "",
        name=vol.name, sex=vol.sex, student_no=vol.student_no, college=vol.college, class_name=vol.class_name,
        id_number=vol.id_number, term_name=term.name, period_start=fig.period_start, period_end=fig.period_end,
        duty_hours=hours(fig.duty_minutes), case_hours=hours(fig.case_minutes),
        training_hours=hours(fig.training_minutes), total_hours=hours(fig.total_minutes),
        shifts_kept=fig.kept, cases_handled=fig.cases_handled, sessions=fig.sessions,
        investigations=fig.investigations, consultations=fig.consultations,
        documents_drafted=fig.documents_drafted, follow_ups=fig.follow_ups, service_content=cert.content,
        case_types=[CaseTypeLine(c.label, c.count, c.succeeded) for c in fig.case_types],
        evaluation=cert.evaluation)


def render_certificate(session: Session, actor: Actor, certificate_id: int, *,
                       fmt: Literal["pdf", "docx"] = "pdf") -> bytes:
    """The certificate as PDF or DOCX. A draft is only previewed, as a PDF marked 草稿."""
    require(actor, "roster.view")
    cert = _load(session, actor, certificate_id)
    ctx = context_for(session, cert)
    if cert.status != "approved":
        if fmt != "pdf":
            raise Conflict(_("证明经指导老师审批后才能导出和打印。"))
        return render.render_pdf(cert.kind, ctx, watermark=DRAFT_MARK)
    if fmt == "docx":
        return render.render_docx(cert.kind, ctx)
    return render.render_pdf(cert.kind, ctx)
