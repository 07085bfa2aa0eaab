"""The adviser's overview of a term, per student: shifts kept, late and missed; hours by kind;
cases handled, sessions, consultations, documents drafted and returned, follow-ups; and who
has had no shift for 30 days.

:func:`student_figures` computes it; the certificates call the same function, so what a
student takes away is what the adviser saw.

A student's *cases handled* in a period are the cases of the desk they registered in it,
those they were the mediator of while the case was open in it, and those they made a record
on (session, investigation, follow-up) in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select, union
from sqlalchemy.orm import Session

from mediation import volunteering
from mediation.i18n import _
from mediation.models import (
    Case,
    Consultation,
    DisputeCategory,
    DisputeSubtype,
    Document,
    DocumentReview,
    FollowUp,
    InvestigationRecord,
    SessionRecord,
    Term,
    Volunteer,
)
from mediation.permissions import Actor, require
from mediation.services import reference
from mediation.services.roster import common, handover, hours, swaps
from mediation.services.roster.terms import TermView, get_term
from mediation.timeutil import desk_tz, local_today

IDLE_DAYS = 30
"""A student with no shift for this many days is pointed out."""


@dataclass(frozen=True)
class CaseType:
    """Cases of one type a student handled (described anonymously: no names, no numbers)."""

    category: str
    subcategory: str
    count: int
    succeeded: int

    @property
    def label(self) -> str:
        return f"{self.category}/{self.subcategory}" if self.subcategory else (self.category or "其他")


@dataclass(frozen=True)
class StudentFigures:
    volunteer_id: int
    user_id: int | None
    name: str
    student_no: str
    class_name: str
    status: str
    period_start: dt.date
    period_end: dt.date
    shifts: int = 0
    kept: int = 0
    late: int = 0
    missed: int = 0
    missed_check_outs: int = 0
    duty_minutes: int = 0
    case_minutes: int = 0
    training_minutes: int = 0
    pending_minutes: int = 0
    cases_handled: int = 0
    sessions: int = 0
    investigations: int = 0
    follow_ups: int = 0
    consultations: int = 0
    documents_drafted: int = 0
    documents_returned: int = 0
    last_shift_on: dt.date | None = None
    case_types: tuple[CaseType, ...] = ()

    @property
    def total_minutes(self) -> int:
        return self.duty_minutes + self.case_minutes + self.training_minutes

    @property
    def status_label(self) -> str:
        return volunteering.status_label(self.status)

    def idle(self, today: dt.date) -> bool:
        """No shift for IDLE_DAYS days while on the roster (培训中 or 在岗)."""
        if self.status not in (volunteering.TRAINING, volunteering.ACTIVE):
            return False
        return self.last_shift_on is None or (today - self.last_shift_on).days > IDLE_DAYS

    def as_data(self) -> dict[str, Any]:
        """JSON-safe (frozen on an approved certificate)."""
        data = asdict(self)
        data["period_start"] = self.period_start.isoformat()
        data["period_end"] = self.period_end.isoformat()
        data["last_shift_on"] = self.last_shift_on.isoformat() if self.last_shift_on else None
        data["case_types"] = [asdict(c) for c in self.case_types]
        return data

    @staticmethod
    def from_data(data: dict[str, Any]) -> StudentFigures:
        values = dict(data)
        for key in ("period_start", "period_end", "last_shift_on"):
            values[key] = dt.date.fromisoformat(values[key]) if values.get(key) else None
        values["case_types"] = tuple(CaseType(**c) for c in values.get("case_types") or ())
        return StudentFigures(**values)


def period_of(term: Term, vol: Volunteer, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """A student's period in the term: from the term's start (or their joining) to its end,
    or to today while the term runs."""
    start = max(term.starts_on, vol.joined_on or term.starts_on)
    end = min(term.ends_on, today or local_today())
    return start, max(start, end)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(start, dt.time(), tzinfo=desk_tz()),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=desk_tz()))


def _handled(session: Session, desk_id: int, user_ids: list[int], lo: dt.datetime, hi: dt.datetime
             ) -> dict[int, tuple[CaseType, ...]]:
    """The types of the cases each student handled in [lo, hi) (module docstring), counted in
    the database: one query, each (student, case) once."""
    if not user_ids:
        return {}
    sources = union(
        select(Case.registered_by_id.label("uid"), Case.id.label("cid")).where(
            Case.desk_id == desk_id, Case.registered_by_id.in_(user_ids), Case.registered_at >= lo,
            Case.registered_at < hi),
        select(Case.mediator_id, Case.id).where(
            Case.desk_id == desk_id, Case.mediator_id.in_(user_ids), Case.registered_at < hi,
            or_(Case.closed_at.is_(None), Case.closed_at >= lo)),
        select(SessionRecord.mediator_id, SessionRecord.case_id).where(
            SessionRecord.mediator_id.in_(user_ids), SessionRecord.held_at >= lo, SessionRecord.held_at < hi),
        select(SessionRecord.recorder_id, SessionRecord.case_id).where(
            SessionRecord.recorder_id.in_(user_ids), SessionRecord.held_at >= lo, SessionRecord.held_at < hi),
        select(InvestigationRecord.investigator_id, InvestigationRecord.case_id).where(
            InvestigationRecord.investigator_id.in_(user_ids), InvestigationRecord.held_at >= lo,
            InvestigationRecord.held_at < hi),
        select(FollowUp.user_id, FollowUp.case_id).where(
            FollowUp.user_id.in_(user_ids), FollowUp.visited_at >= lo, FollowUp.visited_at < hi),
    ).subquery()
    succeeded = func.sum(case((Case.result == "success", 1), else_=0))
    rows = session.execute(
        select(sources.c.uid, Case.category_id, Case.subcategory_id, func.count(), succeeded)
        .join(Case, Case.id == sources.c.cid)
        .where(Case.desk_id == desk_id)  # the records' cases: of the desk
        .group_by(sources.c.uid, Case.category_id, Case.subcategory_id)).all()
    # Categories by their stable ids (a rename keeps the row), shown by their labels.
    cats = reference.labels(session, DisputeCategory, (r[1] for r in rows))
    subs = reference.labels(session, DisputeSubtype, (r[2] for r in rows))
    merged: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for uid, cat, sub, n, ok in rows:
        if uid is not None:
            key = (uid, cats.get(cat, "") if cat is not None else "", subs.get(sub, "") if sub is not None else "")
            merged[key][0] += int(n)
            merged[key][1] += int(ok or 0)
    out: dict[int, list[CaseType]] = defaultdict(list)
    for (uid, cat_label, sub_label), (n, ok) in merged.items():
        out[uid].append(CaseType(cat_label, sub_label, n, ok))
    return {uid: tuple(sorted(types, key=lambda t: (-t.count, t.category, t.subcategory)))
            for uid, types in out.items()}


def _counts(session: Session, q: Any) -> dict[int, int]:
    return {uid: int(n) for uid, n in session.execute(q) if uid is not None}


def student_figures(session: Session, term: Term, vols: list[Volunteer], *, today: dt.date | None = None,
                    now: dt.datetime | None = None) -> list[StudentFigures]:
    """The figures of each volunteer (in the order given), each over their own period."""
    day = today or local_today()
    by_period: dict[tuple[dt.date, dt.date], list[Volunteer]] = defaultdict(list)
    for vol in vols:
        by_period[period_of(term, vol, today=day)].append(vol)
    figures: dict[int, StudentFigures] = {}
    for (start, end), group in by_period.items():
        lo, hi = _bounds(start, end)
        people = {v.user_id: v.id for v in group if v.user_id is not None}
        user_ids = sorted(people)
        worked = hours.person_hours(session, term.desk_id, people, start, end, now=now) if people else {}
        handled = _handled(session, term.desk_id, user_ids, lo, hi) if user_ids else {}
        consultations = _counts(session, select(Consultation.answered_by_id, func.count()).where(
            Consultation.desk_id == term.desk_id, Consultation.answered_by_id.in_(user_ids),
            Consultation.asked_at >= lo, Consultation.asked_at < hi).group_by(Consultation.answered_by_id))
        drafted = _counts(session, select(Document.created_by_id, func.count()).join(Case, Case.id == Document.case_id)
                          .where(Case.desk_id == term.desk_id, Document.created_by_id.in_(user_ids),
                                 Document.created_at >= lo, Document.created_at < hi)
                          .group_by(Document.created_by_id))
        returned = _counts(session, select(Document.created_by_id, func.count())
                           .join(DocumentReview, DocumentReview.document_id == Document.id)
                           .join(Case, Case.id == Document.case_id)
                           .where(and_(Case.desk_id == term.desk_id, Document.created_by_id.in_(user_ids),
                                       DocumentReview.decision == "returned", DocumentReview.at >= lo,
                                       DocumentReview.at < hi))
                           .group_by(Document.created_by_id))
        for vol in group:
            uid = vol.user_id
            base = dict(volunteer_id=vol.id, user_id=uid, name=vol.name, student_no=vol.student_no,
                        class_name=vol.class_name, status=vol.status, period_start=start, period_end=end)
            if uid is None:
                figures[vol.id] = StudentFigures(**base)  # type: ignore[arg-type]  # the fields above, by name
                continue
            h = worked[uid]
            types = handled.get(uid, ())
            figures[vol.id] = StudentFigures(
                **base,  # type: ignore[arg-type]  # the fields above, by name
                shifts=h.shifts, kept=h.kept, late=h.late, missed=h.missed, missed_check_outs=h.missed_check_outs,
                duty_minutes=h.duty, case_minutes=h.case, training_minutes=h.training, pending_minutes=h.pending,
                cases_handled=sum(t.count for t in types), sessions=h.sessions, investigations=h.investigations,
                follow_ups=h.follow_ups, consultations=consultations.get(uid, 0),
                documents_drafted=drafted.get(uid, 0), documents_returned=returned.get(uid, 0),
                last_shift_on=h.last_shift_on, case_types=types)
    return [figures[v.id] for v in vols]


# ---------------------------------------------------------------- the overview


@dataclass(frozen=True)
class AttendanceIssue:
    """A late or missed shift, or one nobody checked out of."""

    shift_id: int
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    """late | missed | missed_check_out."""
    minutes: int = 0

    @property
    def label(self) -> str:
        return {"late": _("迟到 {m} 分钟").format(m=self.minutes), "missed": _("缺勤"),
                "missed_check_out": _("未签退")}[self.kind]


@dataclass(frozen=True)
class TermOverview:
    term: TermView
    today: dt.date
    students: list[StudentFigures]
    idle: list[StudentFigures]
    attendance: list[AttendanceIssue]
    handovers: list[handover.HandoverView]
    """Not yet acknowledged."""
    pending: hours.Pending
    swaps: list[swaps.SwapView] = field(default_factory=list)
    """Accepted by the colleague, waiting for the adviser."""


def term_overview(session: Session, actor: Actor, term_id: int) -> TermOverview:
    """The adviser's overview of a term."""
    require(actor, "roster.view")
    term = common.load_term(session, actor, term_id)
    view = get_term(session, actor, term.id)
    day = local_today()
    vols = list(session.scalars(select(Volunteer).where(Volunteer.term_id == term.id).order_by(Volunteer.student_no)))
    students = student_figures(session, term, vols, today=day)
    start, end = term.starts_on, min(term.ends_on, day)
    user_ids = [v.user_id for v in vols if v.user_id is not None]
    names = {v.user_id: v.name for v in vols}
    grace = common.rules(session, term.desk_id).grace_minutes
    issues = []
    if end >= start:
        for rec in hours.shift_records(session, term.desk_id, user_ids, start, end, grace_minutes=grace):
            a = rec.attendance
            name = names.get(rec.user_id, "")
            if a.state == volunteering.MISSED:
                issues.append(AttendanceIssue(rec.shift_id, name, rec.starts_at, rec.ends_at, "missed"))
            if a.late:
                issues.append(AttendanceIssue(rec.shift_id, name, rec.starts_at, rec.ends_at, "late", a.late_minutes))
            if a.missed_check_out:
                issues.append(AttendanceIssue(rec.shift_id, name, rec.starts_at, rec.ends_at, "missed_check_out"))
    issues.sort(key=lambda i: (i.starts_at, i.shift_id), reverse=True)
    return TermOverview(view, day, students, [s for s in students if s.idle(day)], issues,
                        handover.open_handovers(session, actor, desk_id=term.desk_id, limit=100),
                        hours.pending(session, actor, desk_id=term.desk_id),
                        swaps.list_swaps(session, actor, status=("accepted",), desk_id=term.desk_id))


def figures_of(session: Session, actor: Actor, volunteer_id: int) -> StudentFigures:
    """One student's figures, as the overview computes them."""
    vol = common.load_volunteer(session, actor, volunteer_id)
    term = session.get(Term, vol.term_id)
    assert term is not None
    return student_figures(session, term, [vol])[0]
