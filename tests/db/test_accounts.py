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
