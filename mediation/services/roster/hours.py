"""Hours: what each person's shifts, case records and training come to (the rules are
:func:`mediation.volunteering.attendance`), the adviser's decisions on extra time and on
hours added afterwards, and locked periods.

:func:`person_hours` is the one place hours are added up: the adviser's overview and the
certificates both read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mediation import validation, volunteering
from mediation.changes import Changes
from mediation.db import require_write
from mediation.errors import Conflict, PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.models import (
    Case,
    DutyShift,
    FollowUp,
    HoursClaim,
    InvestigationRecord,
    PeriodLock,
    SessionRecord,
    TrainingRecord,
    User,
)
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.services.roster import common
from mediation.services.roster.volunteers import volunteers_of_users
from mediation.timeutil import desk_tz, local_date, local_today, utcnow
from mediation.validation import Collector

HOURS_CHANGES = Changes(roster=True)
MAX_CLAIM_MINUTES = 24 * 60
CLAIM_KINDS = (volunteering.DUTY, volunteering.TRAINING_HOURS)
"""Hours that may be added afterwards: 办案 time comes from the case records only."""


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From midnight of ``start`` to midnight after ``end`` (desk time)."""
    return (dt.datetime.combine(start, dt.time(), tzinfo=desk_tz()),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=desk_tz()))


def facts_of(shift: DutyShift) -> volunteering.ShiftFacts:
    return volunteering.ShiftFacts(shift.starts_at, shift.ends_at, shift.checked_in_at, shift.checked_out_at,
                                   shift.scheduled, shift.auto_closed, shift.extra_minutes, shift.extra_status)


@dataclass(frozen=True)
class ShiftRecord:
    """One shift of a person and what it came to."""

    shift_id: int
    user_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    scheduled: bool
    attendance: volunteering.Attendance


@dataclass
class Hours:
    """One person's hours in a period, by kind (minutes), and their shifts."""

    duty: int = 0
    case: int = 0
    training: int = 0
    pending: int = 0
    """Duty time waiting for the adviser (stayed on, unscheduled, hours added afterwards)."""
    shifts: int = 0
    """Scheduled shifts that have begun."""
    kept: int = 0
    late: int = 0
    missed: int = 0
    missed_check_outs: int = 0
    sessions: int = 0
    investigations: int = 0
    follow_ups: int = 0
    last_shift_on: dt.date | None = None
    """The last day they were on duty (checked in)."""
    records: list[ShiftRecord] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.duty + self.case + self.training


def shift_records(session: Session, desk_id: int, user_ids: list[int], start: dt.date, end: dt.date, *,
                  now: dt.datetime | None = None, grace_minutes: int = 0) -> list[ShiftRecord]:
    """The shifts of these people beginning in [start, end], each under the hour rules."""
    if not user_ids:
        return []
    moment = now or utcnow()
    lo, hi = _day_bounds(start, end)
    rows = session.execute(select(
        DutyShift.id, DutyShift.user_id, DutyShift.starts_at, DutyShift.ends_at, DutyShift.checked_in_at,
        DutyShift.checked_out_at, DutyShift.scheduled, DutyShift.auto_closed, DutyShift.extra_minutes,
        DutyShift.extra_status).where(
        DutyShift.desk_id == desk_id, DutyShift.user_id.in_(user_ids), DutyShift.starts_at >= lo,
        DutyShift.starts_at < hi).order_by(DutyShift.starts_at, DutyShift.id))  # columns, not objects: the overview reads hundreds
    return [ShiftRecord(sid, uid, starts, ends, scheduled, volunteering.attendance(
        volunteering.ShiftFacts(starts, ends, cin, cout, scheduled, auto, extra or 0, extra_status), moment,
        grace_minutes=grace_minutes))
        for sid, uid, starts, ends, cin, cout, scheduled, auto, extra, extra_status in rows]


def _count_by(session: Session, column: Any, ids: list[int], desk_id: int, moment: Any,
              lo: dt.datetime, hi: dt.datetime, table: Any) -> dict[int, int]:
    """Records of ``table`` per person in ``column``, of the desk's cases, in [lo, hi)."""
    q = (select(column, func.count()).select_from(table).join(Case, Case.id == table.case_id)
         .where(column.in_(ids), Case.desk_id == desk_id, moment >= lo, moment < hi).group_by(column))
    return {uid: int(n) for uid, n in session.execute(q)}


def case_record_counts(session: Session, desk_id: int, user_ids: list[int], start: dt.date, end: dt.date
                       ) -> dict[int, tuple[int, int, int]]:
    """(sessions, investigations, follow-ups) each person recorded in [start, end]: a session
    counts for its mediator and its recorder (once when they are the same person)."""
    if not user_ids:
        return {}
    lo, hi = _day_bounds(start, end)
    as_mediator = _count_by(session, SessionRecord.mediator_id, user_ids, desk_id, SessionRecord.held_at, lo, hi,
                            SessionRecord)
    as_recorder = {uid: n for uid, n in session.execute(
        select(SessionRecord.recorder_id, func.count()).join(Case, Case.id == SessionRecord.case_id)
        .where(SessionRecord.recorder_id.in_(user_ids), Case.desk_id == desk_id, SessionRecord.held_at >= lo,
               SessionRecord.held_at < hi,
               or_(SessionRecord.mediator_id.is_(None), SessionRecord.mediator_id != SessionRecord.recorder_id))
        .group_by(SessionRecord.recorder_id)) if uid is not None}
    investigations = _count_by(session, InvestigationRecord.investigator_id, user_ids, desk_id,
                               InvestigationRecord.held_at, lo, hi, InvestigationRecord)
    follow_ups = _count_by(session, FollowUp.user_id, user_ids, desk_id, FollowUp.visited_at, lo, hi, FollowUp)
    return {uid: (as_mediator.get(uid, 0) + as_recorder.get(uid, 0), investigations.get(uid, 0),
                  follow_ups.get(uid, 0)) for uid in user_ids}


def person_hours(session: Session, desk_id: int, people: Mapping[int, int | None], start: dt.date, end: dt.date, *,
                 now: dt.datetime | None = None) -> dict[int, Hours]:
    """Hours of each person (account id → their volunteer record id, or None) in [start, end].

    值班: the shifts under the hour rules, plus confirmed hours added afterwards; 办案: the
    case records they made times the desk's minutes per record; 培训: the training of their
    volunteer record, plus confirmed training added afterwards.
    """
    rules = common.rules(session, desk_id)
    user_ids = sorted(people)
    out = {uid: Hours() for uid in user_ids}
    for rec in shift_records(session, desk_id, user_ids, start, end, now=now, grace_minutes=rules.grace_minutes):
        h = out[rec.user_id]
        a = rec.attendance
        h.records.append(rec)
        h.duty += a.credited_minutes
        h.pending += a.pending_minutes
        if a.state == volunteering.UPCOMING:
            continue
        if rec.scheduled:
            h.shifts += 1
        if a.state == volunteering.MISSED:
            h.missed += 1
            continue
        h.kept += 1
        h.late += 1 if a.late else 0
        h.missed_check_outs += 1 if a.missed_check_out else 0
        day = local_date(rec.starts_at)
        h.last_shift_on = day if h.last_shift_on is None or day > h.last_shift_on else h.last_shift_on
    for uid, (sessions, investigations, follow_ups) in case_record_counts(session, desk_id, user_ids, start,
                                                                          end).items():
        h = out[uid]
        h.sessions, h.investigations, h.follow_ups = sessions, investigations, follow_ups
        h.case = (sessions * rules.case_minutes["session"] + investigations * rules.case_minutes["investigation"]
                  + follow_ups * rules.case_minutes["follow_up"])
    volunteer_ids = {vid: uid for uid, vid in people.items() if vid is not None}
    if volunteer_ids:
        for vid, minutes in session.execute(select(TrainingRecord.volunteer_id, func.sum(TrainingRecord.minutes))
                                            .where(TrainingRecord.volunteer_id.in_(sorted(volunteer_ids)))
                                            .group_by(TrainingRecord.volunteer_id)):
            out[volunteer_ids[vid]].training += int(minutes or 0)
    for uid, kind, status, minutes in session.execute(
            select(HoursClaim.user_id, HoursClaim.kind, HoursClaim.status, func.sum(HoursClaim.minutes))
            .where(HoursClaim.desk_id == desk_id, HoursClaim.user_id.in_(user_ids), HoursClaim.worked_on >= start,
                   HoursClaim.worked_on <= end, HoursClaim.status.in_(("pending", "confirmed")))
            .group_by(HoursClaim.user_id, HoursClaim.kind, HoursClaim.status)):
        h = out[uid]
        if status == "pending":
            h.pending += int(minutes or 0)
        elif kind == volunteering.DUTY:
            h.duty += int(minutes or 0)
        elif kind == volunteering.TRAINING_HOURS:
            h.training += int(minutes or 0)
    return out


# ---------------------------------------------------------------- the adviser's decisions


def _shift_day(shift: DutyShift) -> dt.date:
    return local_date(shift.starts_at)


def decide_extra(session: Session, actor: Actor, shift_id: int, *, approve: bool) -> Changes:
    """Approve (it counts) or refuse the extra time of a shift: staying on beyond the end,
    or an unscheduled check-in."""
    require_write(session)
    require(actor, "roster.approve")
    shift = common.load(session, actor, DutyShift, shift_id, write=True, missing=_("该班次不存在。"))
    if shift.extra_status != "pending":
        raise Conflict(_("该班次没有待确认的时长。"))
    common.ensure_unlocked(session, shift.desk_id, _shift_day(shift), field="shift_id")
    shift.extra_status = "approved" if approve else "rejected"
    shift.extra_decided_by_id = actor.user_id
    shift.extra_decided_at = utcnow()
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="roster.extra_decide", entity="duty_shift",
                 entity_id=shift.id, after={"status": shift.extra_status, "minutes": shift.extra_minutes})
    return HOURS_CHANGES


def claim_hours(session: Session, actor: Actor, *, kind: str, worked_on: dt.date, minutes: int, reason: str,
                user_id: int | None = None) -> int:
    """Add hours afterwards (值班 or 培训; 办案 time comes from the case records): a reason is
    required, and they count once the adviser confirms. A volunteer adds their own; an
    administrator may add anyone's."""
    require_write(session)
    require(actor, "roster.duty")
    whom = user_id if user_id is not None else actor.user_id
    if whom != actor.user_id:
        require(actor, "roster.manage")
    user = common.load_user(session, actor, whom)
    desk = user.desk_id
    if desk is None:
        raise ValidationError(field="user_id", message=_("该账户未分配调解点。"))
    common.check_write(actor, desk)
    v = Collector()
    if kind not in CLAIM_KINDS:
        v.add("kind", _("只能补记值班或培训时长；办案时长按案件记录自动计算。"))
    if not 0 < minutes <= MAX_CLAIM_MINUTES:
        v.add("minutes", _("时长应在 1 分钟到 24 小时之间。"))
    v.check("worked_on", validation.past_or_today, worked_on)
    why = v.check("reason", validation.text, reason, required=True, max_len=500) or ""
    v.raise_if_any()
    common.ensure_unlocked(session, desk, worked_on, field="worked_on")
    claim = HoursClaim(desk_id=desk, user_id=whom, kind=kind, worked_on=worked_on, minutes=minutes, reason=why,
                       requested_by_id=actor.user_id)
    session.add(claim)
    session.flush()
    audit.append(session, desk_id=desk, user_id=actor.user_id, action="roster.claim", entity="roster_hours_claim",
                 entity_id=claim.id, after={"user_id": whom, "kind": kind, "worked_on": worked_on,
                                            "minutes": minutes, "reason": why})
    return claim.id


def decide_claim(session: Session, actor: Actor, claim_id: int, *, confirm: bool, note: str = "") -> Changes:
    require_write(session)
    require(actor, "roster.approve")
    claim = common.load(session, actor, HoursClaim, claim_id, write=True, missing=_("该补记不存在。"))
    if claim.status != "pending":
        raise Conflict(_("该补记已处理。"))
    if claim.user_id == actor.user_id:
        raise PermissionDenied(_("不能确认自己的补记工时。"))
    common.ensure_unlocked(session, claim.desk_id, claim.worked_on, field="claim_id")
    claim.status = "confirmed" if confirm else "rejected"
    claim.decided_by_id = actor.user_id
    claim.decided_at = utcnow()
    claim.decision_note = validation.text(note, field="note", max_len=500)
    session.flush()
    audit.append(session, desk_id=claim.desk_id, user_id=actor.user_id, action="roster.claim_decide", entity="roster_hours_claim",
                 entity_id=claim.id, after={"status": claim.status, "note": claim.decision_note})
    return HOURS_CHANGES


@dataclass(frozen=True)
class ExtraView:
    shift_id: int
    user_id: int
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    checked_out_at: dt.datetime | None
    minutes: int
    scheduled: bool


@dataclass(frozen=True)
class ClaimView:
    id: int
    user_id: int
    name: str
    kind: str
    worked_on: dt.date
    minutes: int
    reason: str
    status: str


@dataclass(frozen=True)
class Pending:
    """What waits for the adviser's decision."""

    extras: list[ExtraView]
    claims: list[ClaimView]


def pending(session: Session, actor: Actor, *, desk_id: int | None = None) -> Pending:
    desk = common.desk_of(actor, desk_id)
    extras = [ExtraView(s.id, s.user_id, name, s.starts_at, s.ends_at, s.checked_out_at, s.extra_minutes, s.scheduled)
              for s, name in session.execute(select(DutyShift, User.display_name).join(User, User.id == DutyShift.user_id)
                                             .where(DutyShift.desk_id == desk, DutyShift.extra_status == "pending")
                                             .order_by(DutyShift.starts_at))]
    claims = list_claims(session, actor, desk_id=desk, status="pending")
    return Pending(extras, claims)


def list_claims(session: Session, actor: Actor, *, desk_id: int | None = None, status: str | None = None,
                user_id: int | None = None) -> list[ClaimView]:
    desk = common.desk_of(actor, desk_id)
    q = (select(HoursClaim, User.display_name).join(User, User.id == HoursClaim.user_id)
         .where(HoursClaim.desk_id == desk).order_by(HoursClaim.worked_on, HoursClaim.id))
    if status is not None:
        q = q.where(HoursClaim.status == status)
    if user_id is not None:
        q = q.where(HoursClaim.user_id == user_id)
    return [ClaimView(c.id, c.user_id, name, c.kind, c.worked_on, c.minutes, c.reason, c.status)
            for c, name in session.execute(q)]


# ---------------------------------------------------------------- locked periods


@dataclass(frozen=True)
class LockView:
    id: int
    starts_on: dt.date
    ends_on: dt.date
    note: str
    locked_at: dt.datetime


def lock_period(session: Session, actor: Actor, *, starts_on: dt.date, ends_on: dt.date, note: str = "",
                desk_id: int | None = None) -> int:
    """Lock the hours of [starts_on, ends_on] (a month, a term): refused while something in it
    still waits for a decision, or if it includes today."""
    require_write(session)
    require(actor, "roster.approve")
    desk = common.desk_of(actor, desk_id)
    common.check_write(actor, desk)
    v = Collector()
    if ends_on < starts_on:
        v.add("ends_on", _("结束日期不能早于开始日期。"))
    elif ends_on >= local_today():
        v.add("ends_on", _("只能锁定已经过去的日子（到昨天为止）。"))
    what = v.check("note", validation.text, note, max_len=200) or ""
    v.raise_if_any()
    lo, hi = _day_bounds(starts_on, ends_on)
    waiting_shifts = session.scalar(select(func.count()).select_from(DutyShift).where(
        DutyShift.desk_id == desk, DutyShift.extra_status == "pending", DutyShift.starts_at >= lo,
        DutyShift.starts_at < hi)) or 0
    waiting_claims = session.scalar(select(func.count()).select_from(HoursClaim).where(
        HoursClaim.desk_id == desk, HoursClaim.status == "pending", HoursClaim.worked_on >= starts_on,
        HoursClaim.worked_on <= ends_on)) or 0
    if waiting_shifts or waiting_claims:
        raise Conflict(_("该时段还有 {s} 个班次的超时和 {c} 条补记工时等待确认，请先处理再锁定。").format(
            s=waiting_shifts, c=waiting_claims))
    lock = PeriodLock(desk_id=desk, starts_on=starts_on, ends_on=ends_on, note=what, locked_by_id=actor.user_id)
    session.add(lock)
    session.flush()
    audit.append(session, desk_id=desk, user_id=actor.user_id, action="roster.lock", entity="roster_period_lock",
                 entity_id=lock.id, after={"starts_on": starts_on, "ends_on": ends_on, "note": what})
    return lock.id


def list_locks(session: Session, actor: Actor, *, desk_id: int | None = None) -> list[LockView]:
    desk = common.desk_of(actor, desk_id)
    return [LockView(lock.id, lock.starts_on, lock.ends_on, lock.note, lock.locked_at)
            for lock in session.scalars(select(PeriodLock).where(PeriodLock.desk_id == desk)
                                        .order_by(PeriodLock.starts_on))]


# ---------------------------------------------------------------- a person's own hours


@dataclass(frozen=True)
class MyShift:
    shift_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    attendance: volunteering.Attendance


@dataclass(frozen=True)
class MyHours:
    """What a volunteer sees of their own hours this term."""

    start: dt.date
    end: dt.date
    hours: Hours
    shifts: list[MyShift]
    claims: list[ClaimView]


def my_hours(session: Session, actor: Actor, start: dt.date, end: dt.date) -> MyHours:
    desk = common.desk_of(actor)
    vol = volunteers_of_users(session, desk, [actor.user_id], on=end).get(actor.user_id)
    hours = person_hours(session, desk, {actor.user_id: vol.id if vol else None}, start, end)[actor.user_id]
    shifts = [MyShift(r.shift_id, r.starts_at, r.ends_at, r.attendance) for r in hours.records]
    return MyHours(start, end, hours, shifts, list_claims(session, actor, desk_id=desk, user_id=actor.user_id))
