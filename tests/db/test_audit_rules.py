"""The audit service as a desk relies on it (issue 17): what a row holds and how it is
keyed, one chain per desk, checkpoints after commits only, and what verify reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.engine import make_url

from mediation import audit_chain, keys, rls
from mediation.audit_chain import GENESIS, ROTATE_ACTION
from mediation.db import Database
from mediation.errors import PermissionDenied, StorageError
from mediation.models import AuditHead, AuditLog
from mediation.models import Desk as DeskRow
from mediation.permissions import Actor
from mediation.services import anchors, audit, cases
from mediation.timeutil import clock_at, utcnow
from tests.conftest import Desk
from tests.desks import own_desk, second_desk
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


# ---------------------------------------------------------------- issue 17: what the mutation run found unpinned


def _keep_key_file() -> tuple[Any, bytes]:
    path = keys.key_file_path()
    return path, path.read_bytes()


def _give_back(path: Any, saved: bytes) -> None:
    """The key file as it was, readable by its owner only (a file written anew would not be)."""
    path.write_bytes(saved)
    path.chmod(0o600)


def test_without_the_chains_key_the_message_names_that_key_and_the_key_file(db: Database, desk: Desk) -> None:
    # The administrator has to find the key on the recovery sheet by its id, and the file it goes into.
    with db.read() as s:
        head = s.get(AuditHead, desk.desk_id)
        assert head is not None and head.key_id is not None
        chain_key = head.key_id
    path, saved = _keep_key_file()
    try:
        path.unlink()
        with pytest.raises(StorageError) as exc, db.write() as s:
            audit.append(s, desk_id=desk.desk_id, user_id=None, action="t.lost", entity="t")
        assert f"编号 {chain_key}" in exc.value.message
        assert f"密钥文件：{path}" in exc.value.message
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "t.lost")) == 0
    finally:
        _give_back(path, saved)


def _one_row_chain(db: Database) -> None:
    """A database whose only chain (the one of no desk) holds exactly one row."""
    with db.write() as s:
        audit.append(s, desk_id=None, user_id=None, action="t.only", entity="t")


def test_verify_reports_progress_after_every_batch(db: Database, desk: Desk) -> None:
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    seen: list[tuple[int, int]] = []
    with db.read() as s:
        total = len(_rows(s, desk.desk_id))
        result = audit.verify(s, desk_ids=[desk.desk_id], batch=2, progress=lambda d, of: seen.append((d, of)))
    assert total > 4 and result.ok and result.checked == total
    # The bar moves two rows at a time (the batch), not once at the end.
    assert seen == [(0, total)] + [(d, total) for d in range(2, total, 2)] + [(total, total)]


def test_verify_of_a_chain_of_one_row_reports_one_of_one(db: Database) -> None:
    _one_row_chain(db)
    seen: list[tuple[int, int]] = []
    with db.read() as s:
        result = audit.verify(s, progress=lambda d, of: seen.append((d, of)))
    assert result.ok and [c.desk_id for c in result.chains] == [None]
    assert seen == [(0, 1), (1, 1)]


def test_verify_anchored_for_one_desk_checks_that_desk_against_its_anchors(db: Database, desk: Desk) -> None:
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
        audit.append(s, desk_id=None, user_id=None, action="t.x", entity="t")
    seen: list[tuple[int, int]] = []
    with db.read() as s:
        total = len(_rows(s, desk.desk_id))
        result = audit.verify_anchored(s, db.url, desk_ids=[desk.desk_id], folders=[], batch=2,
                                       progress=lambda d, of: seen.append((d, of)))
    assert result.ok and [c.desk_id for c in result.chains] == [desk.desk_id]
    anchored = result.chains[0].anchors
    assert anchored and {a.checkpoint.desk_id for a in anchored} == {desk.desk_id}
    assert {a.status for a in anchored} == {"passed"}
    assert seen == [(0, total)] + [(d, total) for d in range(2, total, 2)] + [(total, total)]
    assert result.sources == [f"锚点文件 {anchors.anchor_file()}"]


def _truncate_with_head(s: Any, desk_id: int, keep: int) -> None:
    """What a restore leaves (or an attacker who also fixes the head): the first ``keep`` rows."""
    s.execute(delete(AuditLog).where(AuditLog.desk_id == desk_id, AuditLog.seq > keep))
    rows = _rows(s, desk_id)
    s.execute(update(AuditHead).where(AuditHead.chain == desk_id).values(count=len(rows), last_hash=rows[-1].hash))


def test_a_restore_supersedes_later_checkpoints_which_otherwise_name_the_truncated_desk(
        db: Database, desk: Desk) -> None:
    with db.read() as s:
        saved = audit.checkpoint_for(s, desk.desk_id)
    assert saved is not None
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    with db.write() as s:
        _truncate_with_head(s, desk.desk_id, saved.n)
    with db.read() as s:
        cut = audit.verify_anchored(s, db.url, folders=[])
    assert not cut.ok
    failed = [a for c in cut.chains for a in c.anchors if a.status == "failed"]
    assert failed and cut.failures() == [f"调解点 {desk.desk_id}：{a.message}" for a in failed]
    # The same rows, after a restore of the backup taken at ``saved`` was recorded: the later
    # checkpoints were rolled back by it and no longer count against the chain.
    anchors.record(anchors.location(db.url), [audit_chain.Checkpoint(
        desk.desk_id, saved.genesis, saved.n, saved.head, utcnow().isoformat())], kind="restore")
    with db.read() as s:
        restored = audit.verify_anchored(s, db.url, folders=[])
        one = audit.verify_anchored(s, db.url, desk_ids=[desk.desk_id], folders=[])
    for result in (restored, one):
        assert result.ok, result.failures()
        statuses = {a.status for c in result.chains if c.desk_id == desk.desk_id for a in c.anchors}
        assert "superseded" in statuses and "failed" not in statuses


def test_checkpoints_record_when_they_were_taken_and_where_from(db: Database, desk: Desk) -> None:
    moment = dt.datetime(2026, 12, 6, 12, 0, tzinfo=SHANGHAI)
    with db.read() as s, clock_at(moment):
        named = audit.checkpoints(s, source="备份 2026-12-06")
        plain = audit.checkpoints(s)
    assert named and len(named) == len(plain)
    assert {cp.at for cp in named + plain} == {"2026-12-06T04:00:00+00:00"}
    assert {cp.source for cp in named} == {"备份 2026-12-06"} and {cp.source for cp in plain} == {""}


def test_a_chain_of_one_row_has_a_checkpoint(db: Database) -> None:
    _one_row_chain(db)
    with db.read() as s:
        cps = audit.checkpoints(s)
        digest = _rows(s, None)[0].hash
    assert [(cp.desk_id, cp.n, cp.head, cp.genesis) for cp in cps] == [(None, 1, digest, digest)]


def test_a_chain_whose_head_or_rows_were_deleted_is_still_verified(db: Database, desk: Desk) -> None:
    with db.write() as s:
        audit.append(s, desk_id=None, user_id=None, action="t.x", entity="t")
    # The desk's head deleted, its rows left: the chain is still checked (and found wanting).
    with db.write() as s:
        s.execute(delete(AuditHead).where(AuditHead.chain == desk.desk_id))
    with db.read() as s:
        assert desk.desk_id in audit.chains_in(s)
        headless = audit.verify(s)
    assert desk.desk_id in [c.desk_id for c in headless.chains] and not headless.ok
    # The rows of the no-desk chain deleted, its head left: that chain is reported wiped.
    with db.write() as s:
        s.execute(delete(AuditLog).where(AuditLog.desk_id.is_(None)))
    with db.read() as s:
        assert None in audit.chains_in(s)
        wiped = audit.verify(s)
    broken = [c for c in wiped.chains if c.desk_id is None]
    assert len(broken) == 1 and broken[0].problems


def test_chains_are_listed_by_desk_number_not_by_storage_order(db: Database) -> None:
    # Desks 16 and 1 (no chain of no desk here): a set of them iterates 16 first.
    with db.write() as s:
        s.add_all([DeskRow(id=16, name="第十六联调中心", number_prefix="Z警校调字"),
                   DeskRow(id=1, name="第一联调中心", number_prefix="X警校调字")])
        s.flush()
        audit.append(s, desk_id=16, user_id=None, action="t.x", entity="t")
        audit.append(s, desk_id=1, user_id=None, action="t.x", entity="t")
    with db.read() as s:
        found = audit.chains_in(s)
        result = audit.verify(s)
    assert list({16, 1}) == [16, 1]
    assert found == [1, 16] and [c.desk_id for c in result.chains] == [1, 16]


def test_a_chain_stored_in_another_order_still_verifies_by_its_numbers(db: Database, desk: Desk) -> None:
    # The chain is its numbers, not the ids its rows were stored under: copied back in
    # reverse (a hand repair, an import), it is the same chain.
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    with db.write() as s:
        rows = _rows(s, desk.desk_id)
        copies = [{c.key: getattr(r, c.key) for c in AuditLog.__table__.columns if c.key != "id"} for r in rows]
        s.execute(delete(AuditLog).where(AuditLog.desk_id == desk.desk_id))
        for values in reversed(copies):
            s.add(AuditLog(**values))
        s.flush()
    with db.read() as s:
        ids = s.scalars(select(AuditLog.id).where(AuditLog.desk_id == desk.desk_id).order_by(AuditLog.seq)).all()
        assert list(ids) == sorted(ids, reverse=True)
        whole = audit.verify(s, desk_ids=[desk.desk_id])
        small = audit.verify(s, desk_ids=[desk.desk_id], batch=2)
    assert whole.ok and small.ok and whole.checked == small.checked == len(copies)


def test_verify_uses_the_key_file_it_is_given_and_says_when_this_pc_has_none(db: Database, desk: Desk,
                                                                             tmp_path: Any) -> None:
    # A key file brought from elsewhere (here: one that never held this chain's key).
    other = keys.ensure(tmp_path / "other-keys.json")
    with db.read() as s:
        assert audit.verify(s).ok
        with_other = audit.verify(s, desk_ids=[desk.desk_id], key_file=other)
    found = with_other.first_problem()
    assert found is not None and (found[0], found[1].seq, found[1].kind) == (desk.desk_id, 1, "key_unknown")
    # No key file on this PC at all: every chain is reported unprovable, nothing crashes.
    path, saved = _keep_key_file()
    try:
        path.unlink()
        with db.read() as s:
            bare = audit.verify(s, desk_ids=[desk.desk_id])
        found = bare.first_problem()
        assert found is not None and (found[1].seq, found[1].kind) == (1, "key_unknown")
    finally:
        _give_back(path, saved)


def test_only_an_administrator_rotates_the_key(db: Database, desk: Desk) -> None:
    path, saved = _keep_key_file()
    try:
        kf = keys.load()
        assert kf is not None
        with db.read() as s:
            before = [(cp.desk_id, cp.n, cp.head) for cp in audit.checkpoints(s)]
        with pytest.raises(PermissionDenied), db.write() as s:
            audit.rotate_key(s, desk.officer)
        # Refused before anything was touched: no rotation row, the key file as it was.
        with db.read() as s:
            assert [(cp.desk_id, cp.n, cp.head) for cp in audit.checkpoints(s)] == before
        after = keys.load()
        assert after is not None and (after.current, after.audit_keys) == (kf.current, kf.audit_keys)
    finally:
        _give_back(path, saved)


def test_the_installation_rotates_from_the_command_line_and_the_new_key_is_current(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    _one_row_chain(db)
    path, saved = _keep_key_file()
    try:
        old = keys.load()
        assert old is not None
        with caplog.at_level(logging.INFO, logger="mediation.services.audit"), db.write() as s:
            new_id = audit.rotate_key(s, None)
        now = keys.load()
        assert now is not None and now.current == new_id != old.current
        with db.read() as s:
            rows = _rows(s, None)
            assert [(r.seq, r.action, r.entity, r.user_id, r.key_id) for r in rows] == [
                (1, "t.only", "t", None, old.current), (2, ROTATE_ACTION, "audit_key", None, old.current)]
            assert rows[1].after == {"old_key_id": old.current, "new_key_id": new_id}
            assert audit.verify(s).ok
        assert f"audit key rotated (new key id {new_id})" in caplog.messages
        # A chain started after the rotation is keyed with the new key.
        with db.write() as s:
            s.add(DeskRow(id=7, name="第七联调中心", number_prefix="Q警校调字"))
            s.flush()
            first = audit.append(s, desk_id=7, user_id=None, action="t.new", entity="t")
        with db.read() as s:
            assert s.get(AuditLog, first).key_id == new_id  # type: ignore[union-attr]
    finally:
        _give_back(path, saved)


def test_a_desk_administrator_rotates_their_own_desk_and_no_other(db: Database, desk: Desk) -> None:
    path, saved = _keep_key_file()
    try:
        own = own_desk(db, desk)
        other = second_desk(db, desk.admin)
        with db.read() as s:
            other_before = audit.checkpoint_for(s, other.desk_id)
            none_before = audit.checkpoint_for(s, None)
        with db.write() as s:
            audit.rotate_key(s, own.admin)
        with db.read() as s:
            assert _rows(s, own.desk_id)[-1].action == ROTATE_ACTION
            other_now = audit.checkpoint_for(s, other.desk_id)
            assert other_before is not None and other_now is not None
            assert (other_now.n, other_now.head) == (other_before.n, other_before.head)
            none_now = audit.checkpoint_for(s, None)
            assert (none_now and (none_now.n, none_now.head)) == (none_before and (none_before.n, none_before.head))
    finally:
        _give_back(path, saved)


def test_desks_and_checkpoints_are_listed_in_desk_order_after_a_desk_was_renamed(db: Database, desk: Desk) -> None:
    # On PostgreSQL an updated row moves in the table: listings must not follow storage order.
    other = second_desk(db, desk.admin)
    with db.write() as s:
        s.execute(update(DeskRow).where(DeskRow.id == desk.desk_id).values(name="测试大学警校联调中心（新）"))
        audit.append(s, desk_id=desk.desk_id, user_id=None, action="t.x", entity="t")
    with db.read() as s:
        assert audit.readable_chains(s, desk.admin) == [None, desk.desk_id, other.desk_id]
        listed = [cp.desk_id for cp in audit.checkpoints(s)]
    assert listed == sorted(listed, key=lambda d: d or 0) and desk.desk_id in listed and other.desk_id in listed


def test_a_desk_pc_on_postgresql_verifies_its_own_chain_and_the_shared_one_only(db: Database, desk: Desk) -> None:
    # Row-level security (mediation.rls): a desk role sees its desk's rows and the shared
    # chain's; a roll-up role sees every desk's. What is verified follows what is seen.
    if db.engine.dialect.name != "postgresql":
        pytest.skip("desk roles are PostgreSQL's")
    other = second_desk(db, desk.admin)
    with db.write() as s:
        cases.register_case(s, other.volunteer, dispute())
        cases.register_case(s, desk.volunteer, dispute())
        audit.append(s, desk_id=None, user_id=None, action="t.x", entity="t")
    suffix = uuid.uuid4().hex[:8]
    desk_role, rollup_role = f"audit_desk_{suffix}", f"audit_rollup_{suffix}"
    with db.engine.begin() as conn:
        rls.grant_desk(conn, desk_role, desk_id=desk.desk_id)
        rls.grant_desk(conn, rollup_role, desk_id=None, rollup=True)
    base = make_url(db.url)
    at_desk = Database(base.set(username=desk_role, password=None).render_as_string(hide_password=False))
    rollup = Database(base.set(username=rollup_role, password=None).render_as_string(hide_password=False))
    try:
        with at_desk.read() as s:
            assert audit.connection_chains(s) == [None, desk.desk_id]
            # The installation's administrator at this desk's PC: this desk's and the shared chain.
            assert audit.readable_chains(s, desk.admin) == [None, desk.desk_id]
            assert audit.readable_chains(s, desk.officer) == [desk.desk_id]
            seen = audit.verify_anchored(s, at_desk.url, folders=[])
        assert seen.ok, seen.failures()
        assert [c.desk_id for c in seen.chains] == [None, desk.desk_id]
        with rollup.read() as s:
            assert audit.connection_chains(s) is None
            assert audit.readable_chains(s, desk.admin) == [None, desk.desk_id, other.desk_id]
            every = audit.verify_anchored(s, rollup.url, folders=[])
        assert every.ok and [c.desk_id for c in every.chains] == [None, desk.desk_id, other.desk_id]
    finally:
        at_desk.dispose()
        rollup.dispose()
        with db.engine.begin() as conn:
            for role in (desk_role, rollup_role):
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')


def test_many_rows_in_one_transaction_lock_each_chains_head_once(db: Database, desk: Desk) -> None:
    # An import writes thousands of rows in one transaction: each chain's head is read (and
    # locked, FOR UPDATE on PostgreSQL) once, and created only for a chain that has none.
    sent: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        if "audit_head" in statement and words[0] in ("SELECT", "INSERT"):
            sent.append(words[0])

    with db.write() as s:
        s.add(DeskRow(id=41, name="第四十一联调中心", number_prefix="W警校调字"))
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with db.write() as s:
            for n in range(3):
                audit.append(s, desk_id=desk.desk_id, user_id=None, action=f"t.{n}", entity="t")
        existing, sent[:] = list(sent), []
        with db.write() as s:
            for n in range(3):
                audit.append(s, desk_id=41, user_id=None, action=f"t.{n}", entity="t")
        new_chain, sent[:] = list(sent), []
        with db.write() as s:
            audit.append(s, desk_id=desk.desk_id, user_id=None, action="t.again", entity="t")
        next_transaction = list(sent)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert existing == ["SELECT"]
    assert new_chain == ["SELECT", "INSERT", "SELECT"]
    assert next_transaction == ["SELECT"]
    with db.read() as s:
        assert audit.verify(s).ok
        assert [(r.seq, r.action) for r in _rows(s, 41)] == [(1, "t.0"), (2, "t.1"), (3, "t.2")]


def test_a_row_appended_after_reading_the_heads_follows_another_pcs_row(db: Database, desk: Desk) -> None:
    # A transaction that read the chains' heads first (as a key rotation does) and appends
    # only after another desk PC appended to the same chain must chain onto that PC's row,
    # not onto the head it read before: otherwise two rows share a number and verify calls
    # the trail forged. (SQLite writers never interleave: PostgreSQL only.)
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers")
    other_pc = Database(db.url)
    try:
        with db.write() as s:
            # The heads stay in this session (held here, as any caller may hold what it read).
            held = list(s.scalars(select(AuditHead)))
            read_first = {h.chain: h.count for h in held}
            with other_pc.write() as t:
                audit.append(t, desk_id=desk.desk_id, user_id=None, action="t.other_pc", entity="t")
            audit.append(s, desk_id=desk.desk_id, user_id=None, action="t.this_pc", entity="t")
            assert held
    finally:
        other_pc.dispose()
    n = read_first[desk.desk_id]
    with db.read() as s:
        rows = _rows(s, desk.desk_id)
        assert [(r.seq, r.action) for r in rows[-2:]] == [(n + 1, "t.other_pc"), (n + 2, "t.this_pc")]
        assert rows[-1].prev_hash == rows[-2].hash
        result = audit.verify(s)
    assert result.ok, result.failures()
