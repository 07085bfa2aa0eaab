"""What every roster service shares: the actor's desk, loading a record by id for the actor,
the desk's roster settings, and the period lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mediation.errors import NotFound, PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.models import DutyShift, PeriodLock, ShiftSwap, Term, User, Volunteer
from mediation.permissions import Actor
from mediation.settings import DEFAULT_SETTINGS, get_setting

T = TypeVar("T")


def desk_of(actor: Actor, desk_id: int | None = None) -> int:
    """The desk a roster service works on: ``desk_id`` if given (and readable), else the actor's own."""
    desk = desk_id if desk_id is not None else actor.desk_id
    if desk is None:
        raise ValidationError(field="desk_id", message=_("您的账户未分配调解点，不能使用值班表。"))
    if not actor.may_read_desk(desk):
        raise NotFound(_("该调解点不存在或您无权查看。"))
    return desk


def check_write(actor: Actor, desk_id: int, message: str | None = None) -> None:
    if not actor.may_write_desk(desk_id):
        raise PermissionDenied(message or _("您只能修改本调解点的值班记录。"))


def load(session: Session, actor: Actor, model: type[T], record_id: int, *, write: bool = False,
         missing: str | None = None, for_update: bool = False) -> T:
    """The record of ``model`` (which has ``desk_id``) if it exists and the actor may read its
    desk (NotFound otherwise, so another desk's records are not even confirmed to exist);
    ``write``: the actor must also be allowed to change that desk (PermissionDenied)."""
    stmt = select(model).where(model.id == record_id)  # type: ignore[attr-defined]  # every roster model has id
    if for_update:
        stmt = stmt.with_for_update()
    record = session.execute(stmt).scalar_one_or_none()
    desk = getattr(record, "desk_id", None) if record is not None else None
    if record is None or not actor.may_read_desk(desk):
        raise NotFound(missing or _("该记录不存在或您无权查看。"))
    if write and desk is not None:
        check_write(actor, desk)
    return record


def load_term(session: Session, actor: Actor, term_id: int, *, write: bool = False) -> Term:
    return load(session, actor, Term, term_id, write=write, missing=_("该值班学期不存在或您无权查看。"))


def load_volunteer(session: Session, actor: Actor, volunteer_id: int, *, write: bool = False) -> Volunteer:
    return load(session, actor, Volunteer, volunteer_id, write=write, missing=_("该志愿者不存在或您无权查看。"))


def load_user(session: Session, actor: Actor, user_id: int, *, desk_id: int | None = None) -> User:
    """An account of a desk the actor reads (of ``desk_id`` when given)."""
    user = session.get(User, user_id)
    if user is None or not actor.may_read_desk(user.desk_id) or (desk_id is not None and user.desk_id != desk_id):
        raise NotFound(_("该账户不存在或您无权查看。"))
    return user


def open_term(term: Term) -> None:
    """Refuse changes to a closed term."""
    if term.status == "closed":
        raise ValidationError(field="term_id", message=_("学期“{name}”已结束，不能再修改。").format(name=term.name))


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class RosterRules:
    """The desk's roster settings (mediation.settings, edited by the administrator)."""

    training_minutes: int
    case_minutes: dict[str, int]
    grace_minutes: int
    early_minutes: int


def _int(value: Any, default: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return int(default)


def rules(session: Session, desk_id: int | None) -> RosterRules:
    hours = get_setting(session, "roster_training_hours", desk_id)
    case = get_setting(session, "roster_case_minutes", desk_id)
    default_case: dict[str, int] = DEFAULT_SETTINGS["roster_case_minutes"]
    case_minutes = {k: _int(case.get(k, v) if isinstance(case, dict) else v, v) for k, v in default_case.items()}
    try:
        training = max(0, round(float(hours) * 60))
    except (TypeError, ValueError):
        training = int(DEFAULT_SETTINGS["roster_training_hours"]) * 60
    return RosterRules(
        training_minutes=training,
        case_minutes=case_minutes,
        grace_minutes=_int(get_setting(session, "roster_late_grace_minutes", desk_id),
                           DEFAULT_SETTINGS["roster_late_grace_minutes"]),
        early_minutes=_int(get_setting(session, "roster_check_in_early_minutes", desk_id),
                           DEFAULT_SETTINGS["roster_check_in_early_minutes"]),
    )


# ---------------------------------------------------------------- period lock


def locked_period(session: Session, desk_id: int, day: dt.date) -> PeriodLock | None:
    """The lock covering ``day`` at the desk, if any."""
    return session.scalars(select(PeriodLock).where(
        PeriodLock.desk_id == desk_id, PeriodLock.starts_on <= day, PeriodLock.ends_on >= day)
        .order_by(PeriodLock.id).limit(1)).first()


def ensure_unlocked(session: Session, desk_id: int, day: dt.date, *, field: str = "day") -> None:
    """Refuse a change to the hours of a locked day."""
    lock = locked_period(session, desk_id, day)
    if lock is not None:
        raise ValidationError(field=field, message=_(
            "{day} 所在的时段（{start} 至 {end}）的工时已锁定，不能再修改。").format(
            day=day.isoformat(), start=lock.starts_on.isoformat(), end=lock.ends_on.isoformat()))


def delete_shift(session: Session, shift: DutyShift) -> list[int]:
    """Delete a shift that has not begun, with the swap requests about it (their ids, for the
    caller's audit row)."""
    ids = list(session.scalars(select(ShiftSwap.id).where(
        (ShiftSwap.shift_id == shift.id) | (ShiftSwap.colleague_shift_id == shift.id))))
    if ids:
        session.execute(delete(ShiftSwap).where(ShiftSwap.id.in_(ids)))
    session.delete(shift)
    session.flush()
    return ids
