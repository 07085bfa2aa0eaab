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
    assert h.startswith("$argon2") and "Qiushi-Lake-42" not in h


def test_a_wrong_password_and_an_unknown_user_get_the_same_message(db, desk):
    """Issue 11 item 6: nothing tells whether an account exists (no tries left either)."""
    with pytest.raises(AuthError) as unknown:
        accounts.login(db, "nobody", "whatever1")
    with pytest.raises(AuthError) as wrong:
        accounts.login(db, "volunteer", "whatever1")
    assert (unknown.value.reason, unknown.value.message) == (wrong.value.reason, wrong.value.message)
    assert wrong.value.reason == "bad_password" and "还可尝试" not in wrong.value.message


def test_an_accounts_state_is_told_only_after_its_right_password(db, desk):
    assert accounts.login(db, "volunteer", "Qiushi-Lake-42").username == "volunteer"
    messages = set()
    for _i in range(5):  # the fifth locks the account, and says nothing different
        with pytest.raises(AuthError) as exc:
            accounts.login(db, "volunteer", "wrong")
        messages.add((exc.value.reason, exc.value.message))
    assert messages == {("bad_password", "用户名或密码不正确。")}
    with pytest.raises(AuthError) as exc:  # locked: a wrong password still says only "wrong"
        accounts.login(db, "volunteer", "still-wrong")
    assert exc.value.reason == "bad_password"
    # The right password is refused while locked, and now the person learns why.
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "Qiushi-Lake-42")
    assert exc.value.reason == "locked" and "分钟后再试" in exc.value.message
    # The administrator unlocks; the term ended two days ago → expired, told only to the password.
    with db.write() as s:
        accounts.set_user_active(s, desk.admin, desk.volunteer.user_id, active=True, unlock=True,
                                 valid_until=dt.date.today() - dt.timedelta(days=2))
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "wrong")
    assert exc.value.reason == "bad_password"
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "Qiushi-Lake-42")
    assert exc.value.reason == "expired" and "到期" in exc.value.message
    with db.write() as s:
        accounts.set_user_active(s, desk.admin, desk.volunteer.user_id, active=False, no_end_date=True)
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "wrong")
    assert exc.value.reason == "bad_password"
    with pytest.raises(AuthError) as exc:
        accounts.login(db, "volunteer", "Qiushi-Lake-42")
    assert exc.value.reason == "disabled" and "停用" in exc.value.message


def test_the_lock_screen_refuses_deactivated_and_expired_accounts(db, desk):
    """Issue 11 item 5: verify_password (the lock screen) is no way around a deactivation."""
    uid = desk.volunteer.user_id
    with db.read() as s:
        assert accounts.verify_password(s, uid, "Qiushi-Lake-42") is True
        assert accounts.verify_password(s, uid, "wrong") is False
    with db.write() as s:
        accounts.set_user_active(s, desk.admin, uid, active=True,
                                 valid_until=dt.date.today() - dt.timedelta(days=1))
    with db.read() as s, pytest.raises(AuthError) as exc:
        accounts.verify_password(s, uid, "Qiushi-Lake-42")
    assert exc.value.reason == "expired"
    with db.read() as s:
        assert accounts.verify_password(s, uid, "wrong") is False
    with db.write() as s:
        accounts.set_user_active(s, desk.admin, uid, active=False, no_end_date=True)
    with db.read() as s, pytest.raises(AuthError) as exc:
        accounts.verify_password(s, uid, "Qiushi-Lake-42")
    assert exc.value.reason == "disabled"


def test_lock_expires_after_fifteen_minutes(db, desk):
    with db.write() as s:
        for _i in range(5):
            r = accounts.authenticate(s, "officer", "nope")
        assert r.error is not None and r.error.reason == "bad_password"
        assert s.scalar(select(User.locked_until).where(User.username == "officer")) is not None
    with db.write() as s:
        r = accounts.authenticate(s, "officer", "Qiushi-Lake-42")
        assert r.error is not None and r.error.reason == "locked"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)
    with db.write() as s:
        assert accounts.authenticate(s, "officer", "Qiushi-Lake-42", now=later).actor is not None


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
                                      password="Harbor-Gate-4411", desk_id=desk.desk_id)
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
