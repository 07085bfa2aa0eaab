"""Accounts (services/accounts.py): argon2, lockout, term end, who creates them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mediation.errors import AuthError, PermissionDenied, ValidationError
from mediation.models import User
from mediation.services import accounts


def test_password_is_hashed_with_argon2(db, desk):
    with db.read() as s:
        h = s.scalar(select(User.password_hash).where(User.username == "volunteer"))
    assert h.startswith("$argon2") and "pass1234" not in h


def test_login_messages_differ_for_bad_password_lockout_and_expiry(db, desk):
    assert accounts.login(db, "volunteer", "pass1234").username == "volunteer"
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "wrong")
    assert exc.value.reason == "bad_password" and "还可尝试 4 次" in exc.value.message
    for _i in range(3):
        with pytest.raises(AuthError):
            accounts.login(db, "volunteer", "wrong")
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "wrong")
    assert exc.value.reason == "locked"
    # Even the right password is refused while locked.
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "pass1234")
    assert exc.value.reason == "locked" and "分钟后再试" in exc.value.message
    # The administrator unlocks; the term has ended yesterday → expired.
    with db.write() as s:
        accounts.set_user_active(s, desk.admin, desk.volunteer.user_id, active=True, unlock=True,
                                 valid_until=dt.date.today() - dt.timedelta(days=2))
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "pass1234")
    assert exc.value.reason == "expired" and "到期" in exc.value.message


def test_lock_expires_after_fifteen_minutes(db, desk):
    with db.write() as s:
        for _i in range(5):
            r = accounts.authenticate(s, "officer", "nope")
        assert r.error is not None and r.error.reason == "locked"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    with db.write() as s:
        assert accounts.authenticate(s, "officer", "pass1234", now=later).actor is not None


def test_unknown_user_gets_the_wrong_password_message(db, desk):
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "nobody", "whatever1")
    assert exc.value.reason == "bad_password"


def test_only_admin_creates_accounts_and_passwords_are_checked(db, desk):
    with db.write() as s, pytest.raises(PermissionDenied):
        accounts.create_user(s, desk.officer, username="x1", display_name="某", role="volunteer",
                             password="abc12345", desk_id=desk.desk_id)
    with db.write() as s, pytest.raises(ValidationError) as exc:
        accounts.create_user(s, desk.admin, username="volunteer", display_name="", role="boss",
                             password="short", desk_id=desk.desk_id)
    assert {"display_name", "role", "password"} <= set(exc.value.errors)


def test_name_and_role_are_edited_audited_and_the_last_administrator_stays(db, desk) -> None:  # type: ignore[no-untyped-def]
    from mediation.errors import Conflict
    from mediation.models import AuditLog
    from mediation.permissions import Actor
    from mediation.services import accounts

    with db.write() as s:
        accounts.update_user(s, desk.admin, desk.volunteer.user_id, display_name=" 李同学（组长） ", role="adviser")
        second = accounts.create_user(s, desk.admin, username="admin2", display_name="管理员乙", role="admin",
                                      password="admin2026x", desk_id=desk.desk_id)
    with db.read() as s:
        info = {u.username: u for u in accounts.list_users(s, desk.admin)}
        assert (info["volunteer"].display_name, info["volunteer"].role) == ("李同学（组长）", "adviser")
        row = s.scalars(select(AuditLog).where(AuditLog.action == "user.update")).all()[-1]
        assert row.before == {"display_name": "李同学", "role": "volunteer"}
        assert row.after == {"display_name": "李同学（组长）", "role": "adviser"}
    other = Actor(second, "admin2", "管理员乙", "admin", desk.desk_id)
    with db.write() as s:  # the second administrator may demote the first while both exist...
        accounts.update_user(s, other, desk.admin.user_id, display_name="管理员甲", role="officer")
    with pytest.raises(Conflict, match="唯一的管理员"), db.write() as s:  # ...but not the last one
        accounts.update_user(s, Actor(desk.admin.user_id, "admin", "管理员甲", "admin", desk.desk_id), second,
                             display_name="管理员乙", role="volunteer")
    with pytest.raises(Conflict, match="自己的角色"), db.write() as s:
        accounts.update_user(s, other, second, display_name="管理员乙", role="officer")
