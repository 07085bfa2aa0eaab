"""The hash-chained audit trail (services/audit.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update

from mediation.models import AuditLog
from mediation.services import audit, cases
from tests.factories import dispute


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
