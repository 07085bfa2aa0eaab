"""The audit service as a desk relies on it (issue 17): what a row holds and how it is
keyed, one chain per desk, checkpoints after commits only, and what verify reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from mediation import keys
from mediation.audit_chain import GENESIS, ROTATE_ACTION
from mediation.db import Database
from mediation.models import AuditHead, AuditLog
from mediation.permissions import Actor
from mediation.services import anchors, audit, cases
from mediation.timeutil import clock_at
from tests.conftest import Desk
from tests.factories import dispute

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _rows(s: Any, desk_id: int | None) -> list[AuditLog]:
    cond = AuditLog.desk_id.is_(None) if desk_id is None else AuditLog.desk_id == desk_id
    return list(s.scalars(select(AuditLog).where(cond).order_by(AuditLog.seq)))


def test_values_are_recorded_as_json_a_reader_can_compare() -> None:
    assert audit.jsonable({
        "amount": Decimal("2500.50"), "on": dt.date(2026, 3, 9),
        "at": dt.datetime(2026, 3, 9, 14, 30, tzinfo=dt.UTC), 3: ("a", Decimal("1")),
        "tags": {"x"}, "nested": {"n": [dt.date(2026, 1, 2)]}, "plain": 7, "none": None,
    }) == {
        "amount": "2500.50", "on": "2026-03-09", "at": "2026-03-09T14:30:00+00:00", "3": ["a", "1"],
        "tags": ["x"], "nested": {"n": ["2026-01-02"]}, "plain": 7, "none": None,
    }


def test_an_appended_row_is_maced_in_the_frozen_format_at_beijing_noon(db: Database, desk: Desk) -> None:
    moment = dt.datetime(2026, 12, 6, 12, 0, 0, 123456, tzinfo=SHANGHAI)
    with db.write() as s, clock_at(moment):
        before = s.get(AuditHead, desk.desk_id)
        assert before is not None
        prev, seq = before.last_hash, before.count + 1
        row_id = audit.append(s, desk_id=desk.desk_id, user_id=desk.officer.user_id, action="case.update",
                              entity="case", entity_id=42, case_id=None,
                              before={"amount": Decimal("2500.00")}, after={"note": "双方同意", "on": dt.date(2026, 12, 6)})
    kf = keys.load()
    assert kf is not None
    key = kf.key(kf.current)
    assert key is not None
    expected_payload = (
        f'["mediation-audit/1",{desk.desk_id},{seq},"2026-12-06T04:00:00.123456+00:00",{desk.officer.user_id},'
        f'"case.update","case",42,null,{{"amount":"2500.00"}},{{"note":"双方同意","on":"2026-12-06"}},'
        f'"{prev}","{kf.current}"]'
    ).encode()
    with db.read() as s:
        row = s.get(AuditLog, row_id)
        assert row is not None
        assert (row.desk_id, row.seq, row.prev_hash, row.key_id) == (desk.desk_id, seq, prev, kf.current)
        assert row.hash == hmac.new(key, expected_payload, hashlib.sha256).hexdigest()
        assert row.before == {"amount": "2500.00"} and row.after == {"note": "双方同意", "on": "2026-12-06"}
        head = s.get(AuditHead, desk.desk_id)
        assert head is not None and (head.count, head.last_hash, head.key_id) == (seq, row.hash, kf.current)


def test_each_desk_and_no_desk_chain_counts_from_one(db: Database, desk: Desk) -> None:
    with db.write() as s:
        first = audit.append(s, desk_id=None, user_id=None, action="t.one", entity="t")
        second = audit.append(s, desk_id=None, user_id=None, action="t.two", entity="t")
    with db.read() as s:
        rows = _rows(s, None)
        mine = [r for r in rows if r.id in (first, second)]
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
        assert mine[1].prev_hash == mine[0].hash and mine[1].seq == mine[0].seq + 1
        head = s.get(AuditHead, audit.NO_DESK)
        assert head is not None and head.desk_id is None and head.count == len(rows)
        assert head.genesis == rows[0].hash and rows[0].prev_hash == GENESIS
        desk_head = s.get(AuditHead, desk.desk_id)
        assert desk_head is not None and desk_head.genesis == _rows(s, desk.desk_id)[0].hash


def test_checkpoints_state_every_chain_and_one_line_for_paper(db: Database, desk: Desk) -> None:
    with db.read() as s:
        every = audit.checkpoints(s)
        assert [cp.desk_id for cp in every] == sorted((cp.desk_id for cp in every), key=lambda d: d or 0)
        mine = audit.checkpoint_for(s, desk.desk_id)
        rows = _rows(s, desk.desk_id)
        assert mine is not None and (mine.n, mine.head, mine.genesis) == (len(rows), rows[-1].hash, rows[0].hash)
        assert [cp.desk_id for cp in audit.checkpoints(s, [desk.desk_id])] == [desk.desk_id]
        assert audit.checkpoint_text(s, desk.desk_id) == f"audit:{desk.desk_id}:{len(rows)}:{rows[0].hash[:16]}:{rows[-1].hash}"
        assert audit.checkpoint_for(s, 9999) is None and audit.checkpoint_text(s, 9999) == ""


def _anchor_lines(db: Database) -> list[dict[str, Any]]:
    path = anchors.anchor_file()
    if not path.exists():
        return []
    loc = anchors.location(db.url)
    return [b for b in (json.loads(x) for x in path.read_text("utf-8").splitlines()) if b.get("db") == loc]


def test_a_commit_anchors_exactly_the_chains_it_wrote(db: Database, desk: Desk) -> None:
    start = len(_anchor_lines(db))
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    lines = _anchor_lines(db)[start:]
    with db.read() as s:
        cp = audit.checkpoint_for(s, desk.desk_id)
    assert cp is not None
    assert [(b["desk"], b["n"], b["head"]) for b in lines] == [(desk.desk_id, cp.n, cp.head)]
    # A transaction that writes no audit row, or is rolled back, anchors nothing.
    with db.read() as s:
        s.scalars(select(AuditLog)).all()
    try:
        with db.write() as s:
            audit.append(s, desk_id=desk.desk_id, user_id=None, action="t.lost", entity="t")
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert len(_anchor_lines(db)) == start + 1
    with db.read() as s:
        after = audit.checkpoint_for(s, desk.desk_id)
        assert after is not None and (after.n, after.head) == (cp.n, cp.head)


def test_verify_in_small_batches_reports_progress_and_the_same_result(db: Database, desk: Desk) -> None:
    with db.write() as s:
        for _ in range(2):
            cases.register_case(s, desk.volunteer, dispute())
    seen: list[tuple[int, int]] = []
    with db.read() as s:
        whole = audit.verify(s)
        total = sum(h.count for h in s.scalars(select(AuditHead)))
        small = audit.verify(s, batch=2, progress=lambda done, of: seen.append((done, of)))
    assert whole.ok and small.ok and whole.checked == small.checked == total
    assert [c.desk_id for c in small.chains] == [c.desk_id for c in whole.chains]
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert all(of == total for _, of in seen) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert whole.first_problem() is None and whole.failures() == []


def test_verify_names_the_chain_and_row_that_was_edited(db: Database, desk: Desk) -> None:
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
        target = _rows(s, desk.desk_id)[1]
        s.execute(update(AuditLog).where(AuditLog.id == target.id).values(user_id=None))
    with db.read() as s:
        result = audit.verify(s)
        only_no_desk = audit.verify(s, desk_ids=[None])
    assert not result.ok and result.checked < sum(c.rows for c in result.chains)
    found = result.first_problem()
    assert found is not None and found[0] == desk.desk_id and (found[1].seq, found[1].kind) == (2, "edited")
    assert result.failures() == [f"调解点 {desk.desk_id}：{found[1].message}"]
    assert only_no_desk.ok and [c.desk_id for c in only_no_desk.chains] == [None]


def test_chains_are_listed_no_desk_first_then_by_desk(db: Database, desk: Desk) -> None:
    with db.write() as s:
        audit.append(s, desk_id=None, user_id=None, action="t.x", entity="t")
    with db.read() as s:
        found = audit.chains_in(s)
    assert found[0] is None and desk.desk_id in found
    assert found[1:] == sorted(found[1:])  # type: ignore[type-var]


def test_a_desk_officer_verifies_their_own_desk_only(db: Database, desk: Desk) -> None:
    with db.read() as s:
        assert audit.readable_chains(s, desk.officer) == [desk.desk_id]
        everyone = Actor(0, "rollup", "司法所", "officer", None, all_desks=True)
        assert audit.readable_chains(s, everyone)[0] is None


def test_rotating_the_key_writes_one_row_per_chain_with_the_old_key(db: Database, desk: Desk) -> None:
    # The key file is shared by the whole run: give it back as it was (as test_audit_chain does).
    path = keys.key_file_path()
    saved = path.read_bytes()
    try:
        _rotate_per_desk_and_for_the_installation(db, desk)
    finally:
        path.write_bytes(saved)


def _rotate_per_desk_and_for_the_installation(db: Database, desk: Desk) -> None:
    with db.write() as s:
        audit.append(s, desk_id=None, user_id=None, action="t.x", entity="t")
    old = keys.load()
    assert old is not None
    # A desk's own administrator (not the installation's) rotates their desk's chain only.
    desk_admin = Actor(desk.admin.user_id, "admin", "管理员甲", "admin", desk.desk_id)
    assert not desk_admin.writes_every_desk
    with db.write() as s:
        new_id = audit.rotate_key(s, desk_admin)
    with db.read() as s:
        mine = _rows(s, desk.desk_id)[-1]
        assert (mine.action, mine.key_id, mine.user_id) == (ROTATE_ACTION, old.current, desk.admin.user_id)
        assert mine.after == {"old_key_id": old.current, "new_key_id": new_id}
        head = s.get(AuditHead, desk.desk_id)
        assert head is not None and head.key_id == new_id
        assert _rows(s, None)[-1].action == "t.x"
    with db.write() as s:
        row_id = audit.append(s, desk_id=desk.desk_id, user_id=None, action="t.after", entity="t")
    with db.read() as s:
        assert s.get(AuditLog, row_id).key_id == new_id  # type: ignore[union-attr]
        assert audit.verify(s).ok
    # The installation's administrator rotates every chain, the one of no desk included.
    assert desk.admin.writes_every_desk
    with db.write() as s:
        newer = audit.rotate_key(s, desk.admin)
    with db.read() as s:
        for chain in (None, desk.desk_id):
            last = _rows(s, chain)[-1]
            assert last.action == ROTATE_ACTION and last.after["new_key_id"] == newer  # type: ignore[index]
        assert _rows(s, None)[-1].after["old_key_id"] == old.current  # type: ignore[index]
        assert _rows(s, desk.desk_id)[-1].after["old_key_id"] == new_id  # type: ignore[index]
        assert audit.verify(s).ok
