"""Accounts: create, log in (argon2, lockout, term end), change passwords."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import passwords
from mediation.db import require_write
from mediation.errors import (
    AuthError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from mediation.i18n import _
from mediation.models import Desk, User
from mediation.permissions import ADMIN, ROLES, Actor, require
from mediation.services import access, audit
from mediation.timeutil import local_date, utcnow
from mediation.validation import Collector
import contextlib

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
# Tests set MEDIATION_FAST_HASH=1 to use a cheap argon2 setting; never in production.
_hasher = (PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
           if os.environ.get("MEDIATION_FAST_HASH") == "1" else PasswordHasher())
# Verified against when the username is unknown so both paths take the same time.
_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash to verify against for unknown user names (same timing as a real user);
    made on first use so importing the module costs nothing."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password-0")
    return _dummy_hash


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str, *, field: str = "password", username: str = "") -> None:
    """The password policy (:mod:`mediation.passwords`), applied wherever a password is set."""
    passwords.check(password, username=username, field=field)


def actor_for(user: User) -> Actor:
    return Actor(user_id=user.id, username=user.username, display_name=user.display_name,
                 role=user.role, desk_id=user.desk_id, all_desks=user.all_desks)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    desk_id: int | None
    active: bool
    valid_until: dt.date | None
    locked: bool
    last_login_at: dt.datetime | None = None
    must_change_password: bool = False
    """An administrator reset the password: the next login chooses a new one."""


def _info(u: User, now: dt.datetime) -> UserInfo:
    return UserInfo(u.id, u.username, u.display_name, u.role, u.desk_id, u.active,
                    u.valid_until, bool(u.locked_until and u.locked_until > now),
                    u.last_login_at, u.must_change_password)


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def create_user(
    session: Session,
    actor: Actor | None,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    desk_id: int | None,
    valid_until: dt.date | None = None,
    all_desks: bool = False,
    first_of_desk: bool = False,
    must_change_password: bool = False,
) -> int:
    """Create a personal account. ``actor`` may be None only for the very first (admin)
    user, or (``first_of_desk``) for the first administrator of a desk without accounts
    (see :mod:`mediation.services.desks`).

    ``must_change_password``: the password is a one-time one handed out on paper (the roster's
    account sheet): the first login must choose a new one."""
    require_write(session)
    if actor is None:
        if first_of_desk:
            staffed = session.scalar(select(func.count()).select_from(User).where(User.desk_id == desk_id))
            if desk_id is None or staffed or all_desks:
                raise AuthError(_("该调解点已有账户，请由管理员创建新账户。"), "unknown")
        elif count_users(session) > 0:
            raise AuthError(_("已有账户，请由管理员创建新账户。"), "unknown")
        if role != ADMIN:
            raise ValidationError(field="role", message=_("第一个账户必须是管理员。"))
    else:
        require(actor, "user.manage")
    v = Collector()
    username = username.strip()
    if not username or len(username) > 50 or any(c.isspace() for c in username):
        v.add("username", _("用户名不能为空、不能含空格，且不超过 50 个字符。"))
    if not display_name.strip():
        v.add("display_name", _("请填写姓名。"))
    if role not in ROLES:
        v.add("role", _("未知角色：{role}").format(role=role))
    try:
        check_password_strength(password, username=username)
    except ValidationError as exc:
        v.merge(exc)
    if desk_id is not None and session.get(Desk, desk_id) is None:
        v.add("desk_id", _("所选调解点不存在。"))
    v.raise_if_any()
    if actor is not None:
        # A desk's administrator creates accounts of their own desk only; accounts of no
        # desk (the installation's administrators, roll-up accounts) and accounts that
        # read every desk only the installation's administrator creates.
        if desk_id is None or all_desks:
            if not actor.writes_every_desk:
                raise PermissionDenied(_("只有全局管理员才能创建不属于某个调解点或可查看所有调解点的账户。"))
        else:
            access.check_write(actor, desk_id, Desk, _("您只能为本调解点创建账户。"))
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationError(field="username", message=_("用户名“{name}”已被使用。").format(name=username))
    user = User(username=username, display_name=display_name.strip(), role=role,
                desk_id=desk_id, password_hash=hash_password(password),
                valid_until=valid_until, all_desks=all_desks,
                password_changed_at=utcnow(), must_change_password=must_change_password)
    session.add(user)
    session.flush()
    audit.append(session, desk_id=desk_id, user_id=actor.user_id if actor else user.id, action="user.create",
                 entity="user", entity_id=user.id,
                 after={"username": username, "role": role, "desk_id": desk_id,
                        "valid_until": valid_until, "must_change": must_change_password})
    return user.id


@dataclass(frozen=True)
class LoginResult:
    actor: Actor | None
    error: AuthError | None


def authenticate(session: Session, username: str, password: str, *,
                 now: dt.datetime | None = None) -> LoginResult:
    """Check a login. Failures are counted in this transaction, so the caller commits
    and then raises ``result.error`` (see :func:`login`).

    A wrong password and an unknown user name get the same message, and the password is
    checked first (the same argon2 work either way): whether an account exists, and
    whether it is locked, expired or deactivated, is told only to someone who typed its
    password (issue 11). Five wrong passwords in a row lock the account for 15 minutes.
    """
    require_write(session)
    now = now or utcnow()
    wrong = AuthError(_("用户名或密码不正确。"), "bad_password")
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_dummy(), password)
        return LoginResult(None, wrong)
    correct: bool
    try:
        correct = _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        correct = False
    locked = user.locked_until is not None and user.locked_until > now
    if not correct:
        if not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                audit.append(session, desk_id=user.desk_id, user_id=user.id, action="user.locked", entity="user",
                             entity_id=user.id)
        return LoginResult(None, wrong)
    # The right password: now the account's state may be said.
    if not user.active:
        return LoginResult(None, AuthError(_("该账户已停用，请联系管理员。"), "disabled"))
    if user.valid_until is not None and local_date(now) > user.valid_until:
        return LoginResult(None, AuthError(
            _("该账户已于 {date} 到期（值班学期已结束），请联系管理员。").format(
                date=user.valid_until.isoformat()), "expired"))
    if locked:
        assert user.locked_until is not None
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return LoginResult(None, AuthError(
            _("密码连续输错 {n} 次，账户已锁定，请 {m} 分钟后再试（或请管理员解除锁定）。").format(
                n=MAX_FAILURES, m=minutes), "locked"))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    audit.append(session, desk_id=user.desk_id, user_id=user.id, action="user.login", entity="user", entity_id=user.id)
    return LoginResult(actor_for(user), None)


def login(db: Database, username: str, password: str) -> Actor:
    """Log in or raise AuthError; failure counting is committed either way."""
    with db.write() as session:
        result = authenticate(session, username, password)
    if result.error is not None:
        raise result.error
    assert result.actor is not None
    return result.actor


def verify_password(session: Session, user_id: int, password: str, *,
                    now: dt.datetime | None = None) -> bool:
    """For the lock screen: is this the user's password? (No lockout bookkeeping.)

    A deactivated, expired or locked account does not unlock the screen: with the right
    password AuthError says why (as the login would); a wrong password is just False."""
    user = session.get(User, user_id)
    if user is None:
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    now = now or utcnow()
    if not user.active:
        raise AuthError(_("该账户已停用，请联系管理员。"), "disabled")
    if user.valid_until is not None and local_date(now) > user.valid_until:
        raise AuthError(_("该账户已于 {date} 到期（值班学期已结束），请联系管理员。").format(
            date=user.valid_until.isoformat()), "expired")
    if user.locked_until is not None and user.locked_until > now:
        raise AuthError(_("账户已锁定，请稍后再试或请管理员解除锁定。"), "locked")
    return True


def change_password(session: Session, actor: Actor, *, old: str, new: str) -> None:
    require_write(session)
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound(_("账户不存在。"))
    try:
        _hasher.verify(user.password_hash, old)
    except (VerificationError, InvalidHashError):
        raise ValidationError(field="old_password", message=_("原密码不正确。")) from None
    check_password_strength(new, field="new_password", username=user.username)
    if new == old:
        raise ValidationError(field="new_password", message=_("新密码不能与原密码相同。"))
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    audit.append(session, desk_id=user.desk_id, user_id=actor.user_id, action="user.password", entity="user",
                 entity_id=user.id)


def password_change_required(session: Session, actor: Actor) -> bool:
    """Must the logged-in person choose a new password before they may work (after an
    administrator's reset)? Asked of one's own account only."""
    return bool(session.scalar(select(User.must_change_password).where(User.id == actor.user_id)))


def set_user_active(session: Session, actor: Actor, user_id: int, *, active: bool,
                    valid_until: dt.date | None = None, unlock: bool = False,
                    no_end_date: bool = False) -> None:
    """Enable/disable an account; ``valid_until`` sets its last day, ``no_end_date`` makes it
    long-term again (officers, advisers), ``unlock`` lifts a lockout."""
    require_write(session)
    require(actor, "user.manage")
    user = access.writable(session, actor, User, user_id, denied=_("您只能管理本调解点的账户。"))
    if user.id == actor.user_id and not active:
        raise Conflict(_("不能停用自己的账户。"))
    before = {"active": user.active, "valid_until": user.valid_until}
    user.active = active
    if no_end_date:
        user.valid_until = None
    elif valid_until is not None:
        user.valid_until = valid_until
    if unlock:
        user.locked_until = None
        user.failed_logins = 0
    audit.append(session, desk_id=user.desk_id, user_id=actor.user_id, action="user.update", entity="user",
                 entity_id=user.id, before=before,
                 after={"active": user.active, "valid_until": user.valid_until, "unlock": unlock})


def reset_password(session: Session, actor: Actor, user_id: int, new: str, *,
                   activate: bool = False) -> None:
    """An administrator sets a new password for someone who forgot theirs; it also lifts
    a lockout, and ``activate`` re-enables a deactivated account. The administrator knows
    this password: the account must choose its own at the next login."""
    require_write(session)
    require(actor, "user.manage")
    user = access.writable(session, actor, User, user_id, denied=_("您只能管理本调解点的账户。"))
    check_password_strength(new, field="new_password", username=user.username)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.locked_until = None
    user.failed_logins = 0
    user.must_change_password = user.id != actor.user_id
    if activate:
        user.active = True
    audit.append(session, desk_id=user.desk_id, user_id=actor.user_id, action="user.password_reset", entity="user",
                 entity_id=user.id, after={"activate": activate, "must_change": user.must_change_password})


def update_user(session: Session, actor: Actor, user_id: int, *, display_name: str, role: str) -> None:
    """An administrator corrects an account's name or changes its role."""
    require_write(session)
    require(actor, "user.manage")
    # An installation-wide account (no desk) is changed only by those who change every desk.
    user = access.writable(session, actor, User, user_id, denied=_("您只能修改本调解点的账户。"))
    v = Collector()
    name = display_name.strip()
    if not name:
        v.add("display_name", _("请填写姓名。"))
    elif len(name) > 50:
        v.add("display_name", _("姓名不能超过 50 个字符。"))
    if role not in ROLES:
        v.add("role", _("未知角色：{role}").format(role=role))
    v.raise_if_any()
    if user.id == actor.user_id and role != user.role:
        raise Conflict(_("不能更改自己的角色，请由另一位管理员操作。"))
    if user.role == ADMIN and role != ADMIN and user.active:
        others = session.scalar(select(func.count()).select_from(User).where(
            User.role == ADMIN, User.active.is_(True), User.id != user.id)) or 0
        if not others:
            raise Conflict(_("这是唯一的管理员账户，不能改为其他角色。"))
    before = {"display_name": user.display_name, "role": user.role}
    if before == {"display_name": name, "role": role}:
        return
    user.display_name = name
    user.role = role
    session.flush()
    audit.append(session, desk_id=user.desk_id, user_id=actor.user_id, action="user.update", entity="user", entity_id=user.id,
                 before=before, after={"display_name": name, "role": role})


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    now = utcnow()
    q = select(User).order_by(User.role, User.display_name)
    desks = actor.readable_desks
    if desks is not None:
        q = q.where(User.desk_id.in_(sorted(desks)))
    return [_info(u, now) for u in session.scalars(q)]


from mediation.db import Database  # noqa: E402  (type only; avoids a cycle at import)
