"""Several desks on one database: add a desk, rename it, join a shared database as a desk.

Who may do what (issue 11, issue 12 item 14's desk part):

- a new desk is added by the installation's administrator (:attr:`Actor.writes_every_desk`)
  or by the database owner without a login (``mediation desk add`` with the owner's
  credentials: on PostgreSQL a role that owns the tables, not a desk role; on SQLite
  whoever holds the file — who could read all of it anyway);
- a desk's name, committee name and case-number prefix are changed by its own
  administrator (or the installation's); audited; cases already numbered keep their
  numbers, the new prefix is used from the next number on;
- a desk PC joining a shared database as its desk (the set-up wizard, connected with the
  desk role the owner granted) creates that desk's first administrator, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import validation
from mediation.db import require_write
from mediation.errors import PermissionDenied, ValidationError
from mediation.i18n import _
from mediation.models import Case, Desk, User
from mediation.permissions import ADMIN, Actor, require
from mediation.services import access, accounts, audit
from mediation.services.setup import DeskInfo, create_desk
from mediation.validation import Collector

PREFIX_CHARS = "（）()第号 "


def connection_may_administer(session: Session) -> bool:
    """Whether this connection holds the database owner's credentials: SQLite (the file),
    or a PostgreSQL role that owns the tables and is not a desk role."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return True
    from mediation import rls

    return rls.is_owner(conn) and rls.connection_desk(conn) is None


def connection_desk(session: Session) -> int | None:
    """The desk this connection stands for (a PostgreSQL desk role), else None."""
    from mediation import rls

    found = rls.connection_desk(session.connection())
    return found[0] if found is not None else None


def _info(d: Desk) -> DeskInfo:
    return DeskInfo(d.id, d.name, d.committee_name, d.number_prefix)


def list_desks(session: Session, actor: Actor | None = None) -> list[DeskInfo]:
    """Every desk (names are no secret); for an actor, the desks they read."""
    rows = session.scalars(select(Desk).order_by(Desk.id)).all()
    return [_info(d) for d in rows if actor is None or actor.may_read_desk(d.id)]


@dataclass(frozen=True)
class NewAdmin:
    username: str
    display_name: str
    password: str


def add_desk(session: Session, actor: Actor | None, *, name: str, number_prefix: str,
             committee_name: str = "", admin: NewAdmin | None = None) -> int:
    """A new desk (and its first administrator, if given); returns its id.

    ``actor`` None: the database owner (checked on the connection)."""
    require_write(session)
    if actor is None:
        if not connection_may_administer(session):
            raise PermissionDenied(_("只有数据库所有者（用所有者的账号连接）或全局管理员（--as）可以添加调解点。"))
    elif not actor.writes_every_desk:
        raise PermissionDenied(_("只有全局管理员可以添加调解点；调解点管理员只管理本调解点。"))
    v = Collector()
    desk_id: int | None = None
    try:
        desk_id = create_desk(session, actor, name=name, number_prefix=number_prefix,
                              committee_name=committee_name)
    except ValidationError as exc:
        v.merge(exc)
    if admin is not None and desk_id is None:
        # The desk was refused: say what is wrong with the administrator's fields too,
        # without creating anyone.
        try:
            accounts.check_password_strength(admin.password, username=admin.username)
        except ValidationError as exc:
            v.merge(exc)
    elif admin is not None:
        try:
            _first_admin(session, actor, desk_id, admin)
        except ValidationError as exc:
            v.merge(exc)
    v.raise_if_any()
    assert desk_id is not None
    return desk_id


def _first_admin(session: Session, actor: Actor | None, desk_id: int | None, admin: NewAdmin) -> int:
    """The desk's own administrator (never one of the whole installation)."""
    return accounts.create_user(session, actor if actor is not None and actor.writes_every_desk else None,
                                username=admin.username, display_name=admin.display_name, role=ADMIN,
                                password=admin.password, desk_id=desk_id, first_of_desk=actor is None)


def update_desk(session: Session, actor: Actor, desk_id: int, *, name: str | None = None,
                committee_name: str | None = None, number_prefix: str | None = None) -> DeskInfo:
    """Change a desk's name, committee name or case-number prefix (its administrator).

    Cases already numbered keep their numbers; the next case accepted is numbered with
    the new prefix (the year's sequence goes on). A prefix another desk uses, or used on
    a case number, is refused."""
    require_write(session)
    require(actor, "settings.manage")
    desk = access.writable(session, actor, Desk, desk_id, denied=_("您只能修改本调解点的名称和编号前缀。"))
    v = Collector()
    changes: dict[str, str] = {}
    if name is not None:
        changes["name"] = v.check("desk_name", validation.text, name, required=True, max_len=100) or ""
    if committee_name is not None:
        changes["committee_name"] = v.check("committee_name", validation.text, committee_name,
                                            required=True, max_len=100) or ""
    if number_prefix is not None:
        prefix = v.check("number_prefix", validation.text, number_prefix, required=True, max_len=30) or ""
        if prefix and any(c in prefix for c in PREFIX_CHARS):
            v.add("number_prefix", _("编号前缀只填中间部分，例如“X警校调字”，不要包含括号、“第”或“号”。"))
        elif prefix and prefix != desk.number_prefix:
            taken = session.scalar(select(Desk.id).where(Desk.number_prefix == prefix, Desk.id != desk.id))
            used = session.scalar(select(Case.id).where(Case.desk_id != desk.id, Case.number.like(f"%）{prefix}第%"))
                                  .limit(1))
            if taken is not None or used is not None:
                v.add("number_prefix", _("编号前缀“{p}”已被其他调解点使用。").format(p=prefix))
        changes["number_prefix"] = prefix
    v.raise_if_any()
    before = {k: getattr(desk, k) for k in changes}
    after = {k: val for k, val in changes.items() if before[k] != val}
    if after:
        for key, value in after.items():
            setattr(desk, key, value)
        session.flush()
        audit.append(session, desk_id=desk.id, user_id=actor.user_id, action="desk.update", entity="desk", entity_id=desk.id,
                     before={k: before[k] for k in after}, after=after)
    return _info(desk)


def desks_without_admin(session: Session) -> list[DeskInfo]:
    """Desks (visible to this connection) that have no account yet: ready to be joined."""
    staffed = select(User.desk_id).where(User.desk_id.is_not(None)).distinct()
    q = select(Desk).where(Desk.id.not_in(staffed)).order_by(Desk.id)
    mine = connection_desk(session)
    if mine is not None:  # a desk role sees only its own desk's accounts: offer only that desk
        q = q.where(Desk.id == mine)
    return [_info(d) for d in session.scalars(q)]


def join_desk(session: Session, desk_id: int, admin: NewAdmin) -> Actor:
    """Join a shared database as ``desk_id``: create the desk's first administrator.

    Allowed once, for a desk with no account yet, and — on a PostgreSQL desk role — only
    for the desk that role stands for (row-level security would refuse another anyway)."""
    require_write(session)
    desk = session.get(Desk, desk_id)
    if desk is None:
        raise access.missing(Desk)
    mine = connection_desk(session)
    if mine is not None and mine != desk_id:
        raise PermissionDenied(_("这台电脑的数据库账号属于另一个调解点，不能加入“{d}”。").format(d=desk.name))
    staffed = session.scalar(select(func.count()).select_from(User).where(User.desk_id == desk_id)) or 0
    if staffed:
        raise PermissionDenied(_("调解点“{d}”已有账户，请由它的管理员为您创建账户。").format(d=desk.name))
    user_id = _first_admin(session, None, desk_id, admin)
    user = session.get(User, user_id)
    assert user is not None
    return accounts.actor_for(user)
