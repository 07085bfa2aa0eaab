"""First start: name the desk, create the administrator, seed the holiday calendar."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import validation
from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Desk, User
from mediation.permissions import ADMIN, Actor, require
from mediation.services import accounts, audit, deadlines, reference
from mediation.validation import Collector


@dataclass(frozen=True)
class DeskInfo:
    id: int
    name: str
    committee_name: str
    number_prefix: str


def is_initialised(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(User)))


def list_desks(session: Session) -> list[DeskInfo]:
    return [DeskInfo(d.id, d.name, d.committee_name, d.number_prefix)
            for d in session.scalars(select(Desk).order_by(Desk.id))]


def create_desk(session: Session, actor: Actor | None, *, name: str, number_prefix: str,
                committee_name: str = "") -> int:
    require_write(session)
    if actor is not None:
        require(actor, "settings.manage")
    v = Collector()
    name = v.check("desk_name", validation.text, name, required=True, max_len=100) or ""
    prefix = v.check("number_prefix", validation.text, number_prefix, required=True, max_len=30) or ""
    committee = v.check("committee_name", validation.text, committee_name, max_len=100) or ""
    if prefix and any(c in prefix for c in "（）()第号 "):
        v.add("number_prefix", _("编号前缀只填中间部分，例如“X警校调字”，不要包含括号、“第”或“号”。"))
    v.raise_if_any()
    if session.scalar(select(Desk.id).where(Desk.number_prefix == prefix)) is not None:
        raise ValidationError(field="number_prefix", message=_("编号前缀“{p}”已被其他调解点使用。").format(p=prefix))
    desk = Desk(name=name, number_prefix=prefix, committee_name=committee or name)
    session.add(desk)
    session.flush()
    reference.seed_desk(session, desk.id)
    audit.append(session, desk_id=desk.id, user_id=actor.user_id if actor else None, action="desk.create",
                 entity="desk", entity_id=desk.id,
                 after={"name": name, "number_prefix": prefix, "committee_name": desk.committee_name})
    return desk.id


def initialise(session: Session, *, desk_name: str, number_prefix: str, admin_username: str,
               admin_display_name: str, admin_password: str, committee_name: str = "") -> Actor:
    """Create the first desk and its administrator; returns the administrator as Actor."""
    require_write(session)
    if is_initialised(session):
        raise ValidationError(field="setup", message=_("系统已经初始化过。"))
    v = Collector()
    desk_id = None
    try:
        desk_id = create_desk(session, None, name=desk_name, number_prefix=number_prefix,
                              committee_name=committee_name)
    except ValidationError as exc:
        v.merge(exc)
    try:
        user_id = accounts.create_user(session, None, username=admin_username,
                                       display_name=admin_display_name, role=ADMIN,
                                       password=admin_password, desk_id=desk_id)
    except ValidationError as exc:
        v.merge(exc)
    v.raise_if_any()
    deadlines.seed_calendar(session)
    user = session.get(User, user_id)
    assert user is not None
    return accounts.actor_for(user)
