"""The day at the desk: duty shifts (who is on duty, check in/out) and what falls due today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mediation import volunteering, workflow
from mediation.db import require_write
from mediation.errors import Conflict, PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.models import Case, Document, DocumentVersion, DutyShift, User
from mediation.permissions import ADMIN, Actor, require, role_label
from mediation.services import access, audit, caselist, deadlines
from mediation.services.roster import common
from mediation.timeutil import local, local_today, start_of_local_day, utcnow
from mediation.validation import Collector

DUE_SOON_WORKDAYS = 2
"""A deadline this many working days ahead (or fewer) counts as "due soon"."""
AD_HOC_SHIFT = dt.timedelta(hours=4)
MAX_SHIFT = dt.timedelta(hours=24)
AD_HOC_NOTE = "临时到岗"
"""Stored with an unscheduled check-in; data stays in Chinese whatever the UI language."""


@dataclass(frozen=True)
class ShiftView:
    id: int
    user_id: int
    user_name: str
    role_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    note: str

    @property
    def present(self) -> bool:
        """Checked in and not yet checked out."""
        return self.checked_in_at is not None and self.checked_out_at is None


def _view(shift: DutyShift, user: User) -> ShiftView:
    return ShiftView(shift.id, shift.user_id, user.display_name, role_label(user.role),
                     shift.starts_at, shift.ends_at, shift.checked_in_at, shift.checked_out_at,
                     shift.note)


def _desk_of(actor: Actor) -> int:
    if actor.desk_id is None:
        raise ValidationError(field="desk_id", message=_("您的账户未分配调解点，不能使用值班表。"))
    return actor.desk_id


def shifts_on(session: Session, actor: Actor, day: dt.date, *, desk_id: int | None = None) -> list[ShiftView]:
    """Shifts of the actor's desk that overlap the local ``day``, earliest first."""
    desk = desk_id if desk_id is not None else _desk_of(actor)
    if not actor.may_read_desk(desk):
        raise PermissionDenied(_("您不能查看其他调解点的值班表。"))
    start = start_of_local_day(day)
    end = start_of_local_day(day + dt.timedelta(days=1))
    rows = session.execute(
        select(DutyShift, User).join(User, User.id == DutyShift.user_id)
        .where(DutyShift.desk_id == desk, DutyShift.starts_at < end, DutyShift.ends_at > start)
        .order_by(DutyShift.starts_at, DutyShift.id)).all()
    return [_view(s, u) for s, u in rows]


def add_shift(session: Session, actor: Actor, *, user_id: int, starts_at: dt.datetime,
              ends_at: dt.datetime, note: str = "") -> int:
    """Put someone on the roster (administrators)."""
    require_write(session)
    require(actor, "user.manage")
    v = Collector()
    user = session.get(User, user_id)
    if user is None or not user.active or not actor.may_read_desk(user.desk_id):
        v.add("user_id", _("请选择一个有效的账户。"))
    if ends_at <= starts_at:
        v.add("ends_at", _("结束时间须晚于开始时间。"))
    elif ends_at - starts_at > MAX_SHIFT:
        v.add("ends_at", _("一个班次不能超过 24 小时。"))
    if len(note) > 200:
        v.add("note", _("备注不能超过 200 个字符。"))
    v.raise_if_any()
    assert user is not None
    desk = user.desk_id if user.desk_id is not None else _desk_of(actor)
    access.check_write(actor, desk, DutyShift, _("您只能安排本调解点的值班。"))
    shift = DutyShift(desk_id=desk, user_id=user_id, starts_at=starts_at, ends_at=ends_at,
                      note=note.strip())
    session.add(shift)
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.add", entity="duty_shift",
                 entity_id=shift.id, after={"user_id": user_id, "starts_at": starts_at,
                                            "ends_at": ends_at})
    return shift.id


def remove_shift(session: Session, actor: Actor, shift_id: int) -> None:
    require_write(session)
    require(actor, "user.manage")
    shift = access.writable(session, actor, DutyShift, shift_id, denied=_("您只能安排本调解点的值班。"))
    if shift.checked_in_at is not None:
        raise Conflict(_("已签到的班次不能删除。"))
    before = {"user_id": shift.user_id, "starts_at": shift.starts_at, "ends_at": shift.ends_at}
    common.delete_shift(session, shift)
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.remove", entity="duty_shift",
                 entity_id=shift_id, before=before)


def _own_shift(session: Session, actor: Actor, shift_id: int) -> DutyShift:
    shift = access.writable(session, actor, DutyShift, shift_id)
    if shift.user_id != actor.user_id and actor.role != ADMIN:
        raise PermissionDenied(_("只能为自己的班次签到或签退。"))
    return shift


def close_missed_check_outs(session: Session, actor: Actor) -> list[int]:
    """Shifts of the actor's desk that ended with nobody checking out: closed at their end and
    marked (未签退). An unscheduled check-in's whole time then waits for the adviser."""
    require_write(session)
    desk_id = _desk_of(actor)
    now = utcnow()
    closed = []
    for shift in session.scalars(select(DutyShift).where(
            DutyShift.desk_id == desk_id, DutyShift.checked_in_at.is_not(None),
            DutyShift.checked_out_at.is_(None), DutyShift.ends_at <= now).order_by(DutyShift.id).with_for_update()):
        assert shift.checked_in_at is not None
        shift.checked_out_at = shift.ends_at
        shift.auto_closed = True
        if not shift.scheduled:
            shift.extra_minutes = max(0, int((shift.ends_at - shift.checked_in_at).total_seconds() // 60))
            shift.extra_status = "pending"
        closed.append(shift.id)
    if closed:
        session.flush()
        audit.append(session, desk_id=desk_id, user_id=None, action="shift.auto_close", entity="duty_shift",
                     entity_id=closed[0] if len(closed) == 1 else None, after={"shifts": closed})
    return closed


def _current_shifts(session: Session, actor: Actor, now: dt.datetime, early: int) -> list[ShiftView]:
    """The actor's shifts today not yet checked in to and not over, earliest first."""
    return [s for s in shifts_on(session, actor, local_today())
            if s.user_id == actor.user_id and s.checked_in_at is None and s.ends_at > now]


def _ensure_not_on_duty(session: Session, actor: Actor) -> None:
    open_shift = session.scalar(select(DutyShift.id).where(
        DutyShift.user_id == actor.user_id, DutyShift.checked_in_at.is_not(None), DutyShift.checked_out_at.is_(None)))
    if open_shift is not None:
        raise Conflict(_("您已签到，正在值班中（先签退，再签到下一个班次）。"))


def _stamp_in(session: Session, actor: Actor, shift: DutyShift, now: dt.datetime) -> int:
    shift.checked_in_at = now
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.check_in", entity="duty_shift",
                 entity_id=shift.id, after={"at": now, "late_minutes": max(0, int((now - shift.starts_at)
                                                                             .total_seconds() // 60))})
    return shift.id


def check_in(session: Session, actor: Actor, shift_id: int | None = None) -> int:
    """Check in for a shift; without ``shift_id`` the actor's next shift today (from the
    desk's check-in window before its start), or, with none today, an unscheduled one
    (临时到岗) whose time counts once the adviser confirms it."""
    require_write(session)
    require(actor, "roster.duty")
    desk = _desk_of(actor)
    close_missed_check_outs(session, actor)
    now = utcnow()
    early = common.rules(session, desk).early_minutes
    if shift_id is None:
        _ensure_not_on_duty(session, actor)
        today = _current_shifts(session, actor, now, early)
        if today:
            first = today[0]
            opens = first.starts_at - dt.timedelta(minutes=early)
            if now < opens:
                raise Conflict(_("您今天的班次 {start} 开始，{opens} 起可以签到。").format(
                    start=local(first.starts_at).strftime("%H:%M"), opens=local(opens).strftime("%H:%M")))
            shift_id = first.id
        else:
            shift = DutyShift(desk_id=desk, user_id=actor.user_id, starts_at=now,
                              ends_at=now + AD_HOC_SHIFT, note=AD_HOC_NOTE, scheduled=False)
            session.add(shift)
            session.flush()
            shift_id = shift.id
    shift = _own_shift(session, actor, shift_id)
    if shift.checked_in_at is not None:
        raise Conflict(_("该班次已经签到。"))
    if shift.ends_at <= now:
        raise Conflict(_("该班次已经结束，不能再签到；补记工时请填写“补记工时”，由指导老师确认。"))
    return _stamp_in(session, actor, shift, now)


def check_in_at_login(session: Session, actor: Actor) -> int | None:
    """At login: check in to the actor's scheduled shift that is on now (or starts within the
    desk's check-in window); None when there is none. Never makes an unscheduled shift."""
    require_write(session)
    if actor.desk_id is None or not actor.can("roster.duty"):
        return None
    close_missed_check_outs(session, actor)
    now = utcnow()
    early = common.rules(session, actor.desk_id).early_minutes
    on_duty = session.scalar(select(DutyShift.id).where(
        DutyShift.user_id == actor.user_id, DutyShift.checked_in_at.is_not(None), DutyShift.checked_out_at.is_(None)))
    if on_duty is not None:
        return None
    for s in _current_shifts(session, actor, now, early):
        if s.starts_at - dt.timedelta(minutes=early) <= now:
            shift = session.get(DutyShift, s.id)
            assert shift is not None
            if shift.scheduled:
                return _stamp_in(session, actor, shift, now)
    return None


@dataclass(frozen=True)
class CheckedOut:
    shift_id: int
    extra_minutes: int
    """Time beyond the shift waiting for the adviser (stayed on, or an unscheduled check-in)."""


def check_out(session: Session, actor: Actor, shift_id: int) -> CheckedOut:
    """签退. Staying on beyond the end (past the grace minutes) is recorded as extra time for
    the adviser to approve; an unscheduled check-in's whole time waits likewise."""
    require_write(session)
    shift = _own_shift(session, actor, shift_id)
    if shift.checked_in_at is None:
        raise Conflict(_("尚未签到，不能签退。"))
    if shift.checked_out_at is not None:
        raise Conflict(_("该班次已经签退。"))
    now = utcnow()
    shift.checked_out_at = now
    grace = common.rules(session, shift.desk_id).grace_minutes
    if not shift.scheduled:
        shift.ends_at = max(now, shift.checked_in_at)
        shift.extra_minutes = max(0, int((now - shift.checked_in_at).total_seconds() // 60))
    else:
        shift.extra_minutes = volunteering.stayed_on_minutes(shift.ends_at, now, grace_minutes=grace)
    shift.extra_status = "pending" if shift.extra_minutes else None
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.check_out", entity="duty_shift",
                 entity_id=shift.id, after={"at": now, "extra_minutes": shift.extra_minutes})
    return CheckedOut(shift.id, shift.extra_minutes)


# ---------------------------------------------------------------- today


@dataclass(frozen=True)
class TodayOverview:
    """What the "today" panel shows; lists are short, counts are exact."""

    today: dt.date
    due_until: dt.date
    """Deadlines on or before this day are "due" (today + 2 working days)."""
    my_open: list[caselist.CaseRow]
    my_open_count: int
    deadlines_due: list[caselist.CaseRow]
    follow_ups_due: list[caselist.CaseRow]
    shifts: list[ShiftView]
    documents: list[DocumentTask] = field(default_factory=list)
    """Officers: documents waiting for their approval. Drafters: theirs returned for changes."""


@dataclass(frozen=True)
class DocumentTask:
    """A document that waits for this user: to approve, or to revise."""

    document_id: int
    case_id: int
    case_number: str | None
    parties: str
    title: str
    status: str
    """submitted (to approve) | returned (to revise)."""
    since: dt.datetime


def document_tasks(session: Session, actor: Actor, *, limit: int = 30) -> list[DocumentTask]:
    """Documents waiting for ``actor``, oldest first: submitted ones for those who approve,
    and the ones they drafted that came back for changes."""
    wanted = []
    if actor.can("document.approve"):
        wanted.append(Document.status == "submitted")
    if actor.can("document.draft"):
        wanted.append((Document.status == "returned") & (DocumentVersion.created_by_id == actor.user_id))
    if not wanted:
        return []
    q = (select(Document.id, Document.case_id, Case.number, Case.party_names, Document.title,
                Document.status, Document.updated_at)
         .join(Case, Case.id == Document.case_id)
         .join(DocumentVersion, DocumentVersion.id == Document.current_version_id)
         .where(or_(*wanted)).order_by(Document.updated_at, Document.id).limit(limit))
    desks = actor.readable_desks
    if desks is not None:
        q = q.where(Case.desk_id.in_(sorted(desks)))
    return [DocumentTask(*row) for row in session.execute(q).all()]


def urgency(deadline: dt.date | None, today: dt.date, due_until: dt.date) -> int:
    """0 nothing to worry about, 1 due within the next working days, 2 overdue."""
    if deadline is None:
        return 0
    if deadline < today:
        return 2
    if deadline <= due_until:
        return 1
    return 0


def due_until(session: Session, today: dt.date | None = None) -> dt.date:
    """The last day that counts as "due soon" (today plus two working days)."""
    day = today or local_today()
    return deadlines.calendar(session).add_workdays(day, DUE_SOON_WORKDAYS)


def today_overview(session: Session, actor: Actor, *, limit: int = 30) -> TodayOverview:
    today = local_today()
    until = due_until(session, today)
    open_stages = tuple(sorted(workflow.OPEN_STAGES))
    mine_q = caselist.CaseQuery(stages=open_stages, mediator_id=actor.user_id, sort="deadline",
                                descending=False)
    mine = caselist.list_cases(session, actor, mine_q, limit=limit).rows
    mine_count = caselist.count_cases(session, actor, mine_q) if len(mine) >= limit else len(mine)
    by_deadline = caselist.CaseQuery(stages=open_stages, sort="deadline", descending=False)
    due = [r for r in caselist.list_cases(session, actor, by_deadline, limit=limit).rows
           if r.deadline is not None and r.deadline <= until]
    follow_q = caselist.CaseQuery(stages=(workflow.PERFORMING,), sort="deadline", descending=False)
    follow = caselist.list_cases(session, actor, follow_q, limit=limit).rows
    shifts = shifts_on(session, actor, today) if actor.desk_id is not None else []
    return TodayOverview(today, until, mine, mine_count, due, follow, shifts,
                         document_tasks(session, actor, limit=limit))
