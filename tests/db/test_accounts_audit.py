"""Accounts (argon2, lockout, term end) and the hash-chained audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text, update

from mediation.errors import AuthError, PermissionDenied, ValidationError
from mediation.models import AuditLog, User
from mediation.services import accounts, audit, cases
from tests.factories import dispute


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
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=16)
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


def test_audit_chain_verifies_and_detects_edits_and_removals(db, desk):
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
        cases.register_case(s, desk.volunteer, dispute())
    with db.read() as s:
        result = audit.verify(s)
        assert result.ok and result.checked >= 6
        rows = s.execute(select(AuditLog.id, AuditLog.seq).where(AuditLog.desk_id == desk.desk_id)
                         .order_by(AuditLog.seq)).all()
    target, seq = rows[len(rows) // 2]
    # Someone edits a row directly in the database.
    with db.write() as s:
        s.execute(update(AuditLog).where(AuditLog.id == target).values(action="case.nothing"))
    with db.read() as s:
        bad = audit.verify(s)
    found = bad.first_problem()
    assert not bad.ok and found is not None
    assert found[0] == desk.desk_id and found[1].seq == seq and found[1].kind == "edited"
    assert f"第 {seq} 条记录" in found[1].message


def test_audit_detects_a_removed_row(db, desk):
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    with db.read() as s:
        ids = s.scalars(select(AuditLog.id).where(AuditLog.desk_id == desk.desk_id)
                        .order_by(AuditLog.seq)).all()
    with db.write() as s:
        s.execute(delete(AuditLog).where(AuditLog.id == ids[2]))
    with db.read() as s:
        bad = audit.verify(s)
    found = bad.first_problem()
    assert not bad.ok and found is not None and found[1].kind == "missing"
    assert found[1].message == "第 3 条记录缺失。"


def test_audit_detects_a_removed_last_row(db, desk):
    with db.read() as s:
        last = s.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    with db.write() as s:
        s.execute(delete(AuditLog).where(AuditLog.id == last))
    with db.read() as s:
        assert not audit.verify(s).ok


def test_audit_rows_hold_no_full_id_numbers(db, desk):
    from tests.factories import make_id

    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    full = make_id(dt.date(2003, 5, 17), 111)
    with db.read() as s:
        dumped = " ".join(str(r.after) + str(r.before) for r in s.scalars(select(AuditLog)))
    assert full not in dumped


def test_sqlite_pragmas(sqlite_db):
    with sqlite_db.read() as s:
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
