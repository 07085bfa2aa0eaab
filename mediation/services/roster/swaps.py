"""Swapping shifts: a volunteer asks a colleague to take a shift (or to exchange it for one of
the colleague's), the colleague accepts or declines, and the adviser approves — only then does
the shift change hands. Shifts that have begun never change hands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from mediation import validation, volunteering
from mediation.changes import Changes
from mediation.db import require_write
from mediation.errors import Conflict, PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.models import DutyShift, ShiftSwap, User
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.services.roster import common
from mediation.timeutil import local_date, utcnow

SWAP_CHANGES = Changes(roster=True)
OPEN = ("asked", "accepted")


def _not_begun(shift: DutyShift, now: dt.datetime) -> None:
    if shift.checked_in_at is not None or shift.starts_at <= now:
        raise Conflict(_("已开始的班次不能换班。"))


def ask_swap(session: Session, actor: Actor, shift_id: int, colleague_id: int, *,
             colleague_shift_id: int | None = None, note: str = "") -> int:
    """Ask ``colleague_id`` to take the actor's shift (or to exchange it for ``colleague_shift_id``)."""
    require_write(session)
    require(actor, "roster.duty")
    shift = common.load(session, actor, DutyShift, shift_id, write=True, missing=_("该班次不存在。"))
    if shift.user_id != actor.user_id:
        raise PermissionDenied(_("只能为自己的班次申请换班。"))
    now = utcnow()
    _not_begun(shift, now)
    colleague = common.load_user(session, actor, colleague_id, desk_id=shift.desk_id)
    v = validation.Collector()
    if colleague.id == actor.user_id or not colleague.active:
        v.add("colleague_id", _("请选择一位在岗的同事。"))
    why = v.check("note", validation.text, note, max_len=200) or ""
    v.raise_if_any()
    if colleague_shift_id is not None:
        theirs = common.load(session, actor, DutyShift, colleague_shift_id, missing=_("该班次不存在。"))
        if theirs.user_id != colleague.id:
            raise ValidationError(field="colleague_shift_id", message=_("所选班次不是这位同事的。"))
        _not_begun(theirs, now)
    if session.scalar(select(ShiftSwap.id).where(ShiftSwap.shift_id == shift.id,
                                                 ShiftSwap.status.in_(OPEN))) is not None:
        raise Conflict(_("这个班次已有一个换班申请在处理中。"))
    common.ensure_unlocked(session, shift.desk_id, local_date(shift.starts_at), field="shift_id")
    swap = ShiftSwap(desk_id=shift.desk_id, shift_id=shift.id, requester_id=actor.user_id, colleague_id=colleague.id,
                     colleague_shift_id=colleague_shift_id, note=why)
    session.add(swap)
    session.flush()
    audit.append(session, desk_id=shift.desk_id, user_id=actor.user_id, action="roster.swap_ask", entity="roster_swap", entity_id=swap.id,
                 after={"shift_id": shift.id, "colleague_id": colleague.id,
                        "colleague_shift_id": colleague_shift_id, "note": why})
    return swap.id


def _load(session: Session, actor: Actor, swap_id: int) -> ShiftSwap:
    return common.load(session, actor, ShiftSwap, swap_id, write=True, for_update=True,
                       missing=_("该换班申请不存在。"))


def answer_swap(session: Session, actor: Actor, swap_id: int, *, accept: bool) -> Changes:
    """The colleague accepts (it goes to the adviser) or declines."""
    require_write(session)
    require(actor, "roster.duty")
    swap = _load(session, actor, swap_id)
    if swap.colleague_id != actor.user_id:
        raise PermissionDenied(_("只有被邀请的同事才能答复这个换班申请。"))
    if swap.status != "asked":
        raise Conflict(_("这个换班申请已处理（{s}）。").format(s=_(volunteering.SWAP_STATUSES[swap.status])))
    swap.status = "accepted" if accept else "declined"
    swap.accepted_at = utcnow() if accept else None
    session.flush()
    audit.append(session, desk_id=swap.desk_id, user_id=actor.user_id, action="roster.swap_answer", entity="roster_swap", entity_id=swap.id,
                 after={"status": swap.status})
    return SWAP_CHANGES


def decide_swap(session: Session, actor: Actor, swap_id: int, *, approve: bool) -> Changes:
    """The adviser approves (the shift changes hands now) or refuses an accepted swap."""
    require_write(session)
    require(actor, "roster.approve")
    swap = _load(session, actor, swap_id)
    if swap.status != "accepted":
        raise Conflict(_("只有同事已接受的换班申请才能批准。"))
    shift = session.get(DutyShift, swap.shift_id)
    assert shift is not None
    theirs = session.get(DutyShift, swap.colleague_shift_id) if swap.colleague_shift_id else None
    now = utcnow()
    if approve:
        if shift.user_id != swap.requester_id or (theirs is not None and theirs.user_id != swap.colleague_id):
            raise Conflict(_("班次安排已经变了，这个换班申请不能再批准。"))
        _not_begun(shift, now)
        if theirs is not None:
            _not_begun(theirs, now)
        common.ensure_unlocked(session, shift.desk_id, local_date(shift.starts_at), field="swap_id")
        shift.user_id = swap.colleague_id
        if theirs is not None:
            theirs.user_id = swap.requester_id
    swap.status = "approved" if approve else "rejected"
    swap.decided_by_id = actor.user_id
    swap.decided_at = now
    session.flush()
    audit.append(session, desk_id=swap.desk_id, user_id=actor.user_id, action="roster.swap_decide", entity="roster_swap", entity_id=swap.id,
                 after={"status": swap.status, "shift_id": shift.id, "to_user_id": swap.colleague_id,
                        "colleague_shift_id": swap.colleague_shift_id})
    return SWAP_CHANGES


def cancel_swap(session: Session, actor: Actor, swap_id: int) -> Changes:
    """The volunteer who asked withdraws it (before the adviser decides)."""
    require_write(session)
    require(actor, "roster.duty")
    swap = _load(session, actor, swap_id)
    if swap.requester_id != actor.user_id:
        raise PermissionDenied(_("只有申请人可以撤回换班申请。"))
    if swap.status not in OPEN:
        raise Conflict(_("这个换班申请已处理，不能撤回。"))
    swap.status = "cancelled"
    session.flush()
    audit.append(session, desk_id=swap.desk_id, user_id=actor.user_id, action="roster.swap_cancel", entity="roster_swap",
                 entity_id=swap.id, after={"status": "cancelled"})
    return SWAP_CHANGES


@dataclass(frozen=True)
class SwapView:
    id: int
    status: str
    shift_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    requester_id: int
    requester: str
    colleague_id: int
    colleague: str
    colleague_shift_id: int | None
    colleague_starts_at: dt.datetime | None
    note: str

    @property
    def status_label(self) -> str:
        return _(volunteering.SWAP_STATUSES.get(self.status, self.status))


def list_swaps(session: Session, actor: Actor, *, mine: bool = False, status: tuple[str, ...] | None = None,
               desk_id: int | None = None) -> list[SwapView]:
    """The desk's swaps (``mine``: those the actor asked or is asked), the newest first."""
    desk = common.desk_of(actor, desk_id)
    requester, colleague = aliased(User), aliased(User)
    theirs = aliased(DutyShift)
    q = (select(ShiftSwap, DutyShift, requester.display_name, colleague.display_name, theirs.starts_at)
         .join(DutyShift, DutyShift.id == ShiftSwap.shift_id)
         .join(requester, requester.id == ShiftSwap.requester_id)
         .join(colleague, colleague.id == ShiftSwap.colleague_id)
         .outerjoin(theirs, theirs.id == ShiftSwap.colleague_shift_id)
         .where(ShiftSwap.desk_id == desk).order_by(ShiftSwap.id.desc()))
    if mine:
        q = q.where(or_(ShiftSwap.requester_id == actor.user_id, ShiftSwap.colleague_id == actor.user_id))
    if status is not None:
        q = q.where(ShiftSwap.status.in_(status))
    return [SwapView(sw.id, sw.status, sh.id, sh.starts_at, sh.ends_at, sw.requester_id, rname, sw.colleague_id,
                     cname, sw.colleague_shift_id, their_start, sw.note)
            for sw, sh, rname, cname, their_start in session.execute(q)]


@dataclass(frozen=True)
class UpcomingShift:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


def upcoming_shifts(session: Session, actor: Actor, user_id: int | None = None) -> list[UpcomingShift]:
    """The shifts of ``user_id`` (the actor) that have not begun: what may be swapped."""
    whom = common.load_user(session, actor, user_id if user_id is not None else actor.user_id)
    rows = session.scalars(select(DutyShift).where(
        DutyShift.user_id == whom.id, DutyShift.starts_at > utcnow(), DutyShift.checked_in_at.is_(None))
        .order_by(DutyShift.starts_at).limit(60))
    return [UpcomingShift(s.id, s.starts_at, s.ends_at) for s in rows]
