"""The day at the desk: duty shifts (who is on duty, check in/out) and what falls due today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.db import require_write
from mediation.errors import Conflict, NotFound, PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.models import Case, Document, DocumentVersion, DutyShift, User
from mediation.permissions import ADMIN, Actor, require, role_label
from mediation.services import audit, caselist, deadlines
from mediation.timeutil import local_today, start_of_local_day, utcnow
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
    if user is None or not user.active:
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
    shift = session.get(DutyShift, shift_id)
    if shift is None:
        raise NotFound(_("该班次不存在。"))
    if shift.checked_in_at is not None:
        raise Conflict(_("已签到的班次不能删除。"))
    before = {"user_id": shift.user_id, "starts_at": shift.starts_at, "ends_at": shift.ends_at}
    session.delete(shift)
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.remove", entity="duty_shift",
                 entity_id=shift_id, before=before)


def _own_shift(session: Session, actor: Actor, shift_id: int) -> DutyShift:
    shift = session.get(DutyShift, shift_id)
    if shift is None:
        raise NotFound(_("该班次不存在。"))
    if shift.user_id != actor.user_id and actor.role != ADMIN:
        raise PermissionDenied(_("只能为自己的班次签到或签退。"))
    return shift


def check_in(session: Session, actor: Actor, shift_id: int | None = None) -> int:
    """Check in for a shift; without ``shift_id`` the actor's next shift today, or an ad-hoc one."""
    require_write(session)
    now = utcnow()
    if shift_id is None:
        today = [s for s in shifts_on(session, actor, local_today())
                 if s.user_id == actor.user_id and s.checked_in_at is None and s.ends_at > now]
        if today:
            shift_id = today[0].id
        else:
            shift = DutyShift(desk_id=_desk_of(actor), user_id=actor.user_id, starts_at=now,
                              ends_at=now + AD_HOC_SHIFT, note=AD_HOC_NOTE)
            session.add(shift)
            session.flush()
            shift_id = shift.id
    shift = _own_shift(session, actor, shift_id)
    if shift.checked_in_at is not None:
        raise Conflict(_("该班次已经签到。"))
    shift.checked_in_at = now
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.check_in", entity="duty_shift",
                 entity_id=shift.id, after={"at": now})
    return shift.id


def check_out(session: Session, actor: Actor, shift_id: int) -> None:
    require_write(session)
    shift = _own_shift(session, actor, shift_id)
    if shift.checked_in_at is None:
        raise Conflict(_("尚未签到，不能签退。"))
    if shift.checked_out_at is not None:
        raise Conflict(_("该班次已经签退。"))
    now = utcnow()
    shift.checked_out_at = now
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="shift.check_out", entity="duty_shift",
                 entity_id=shift.id, after={"at": now})


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
    if not actor.reads_every_desk:
        q = q.where(Case.desk_id == actor.desk_id)
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
