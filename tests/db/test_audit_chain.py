"""The keyed, per-desk audit chains and the checkpoints kept outside the database (issue 11 items 7–8).

The attack tests play someone who can write the database file (a SQL client, a copied
file) but not read the key file: they truncate, wipe and forge the log, recomputing the
hashes with plain SHA-256 or with a key of their own, and fix the head so that the
database agrees with itself. Before issue 11, ``audit verify`` called each of these
intact; now each fails against the anchors and says what happened.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from mediation import keys
from mediation.audit_chain import payload
from mediation.db import Database
from mediation.errors import StorageError
from mediation.models import AuditHead, AuditLog
from mediation.permissions import Actor
from mediation.services import anchors, audit, backup, cases, deadlines, setup
from tests.conftest import Desk
from tests.factories import agreed_case, dispute, document_on


def _chain(s: Any, desk_id: int | None) -> list[AuditLog]:
    cond = AuditLog.desk_id.is_(None) if desk_id is None else AuditLog.desk_id == desk_id
    return list(s.scalars(select(AuditLog).where(cond).order_by(AuditLog.seq)))


def _verify(db: Database) -> audit.VerifyResult:
    with db.read() as s:
        return audit.verify_anchored(s, db.url, folders=[])


def _fix_head(s: Any, desk_id: int | None) -> None:
    """What a careful attacker does after changing rows: make the head agree with them."""
    rows = _chain(s, desk_id)
    chain = 0 if desk_id is None else desk_id
    s.execute(update(AuditHead).where(AuditHead.chain == chain).values(
        count=len(rows), last_hash=rows[-1].hash if rows else "0" * 64,
        genesis=rows[0].hash if rows else None))


def _rechain(s: Any, desk_id: int | None, start_seq: int, digest: Any) -> None:
    """Recompute every hash from ``start_seq`` on with ``digest(row, prev_hash)``."""
    rows = _chain(s, desk_id)
    prev = rows[start_seq - 2].hash if start_seq > 1 else "0" * 64
    for row in rows[start_seq - 1:]:
        row.prev_hash = prev
        row.hash = digest(row, prev)
        prev = row.hash
    s.flush()
    _fix_head(s, desk_id)


def _sha256(row: AuditLog, prev: str) -> str:
    return hashlib.sha256(payload(desk_id=row.desk_id, seq=row.seq, at=row.at, user_id=row.user_id,
                                  action=row.action, entity=row.entity, entity_id=row.entity_id,
                                  case_id=row.case_id, before=row.before, after=row.after, prev_hash=prev,
                                  key_id=row.key_id)).hexdigest()


def _guessed_key(key: bytes) -> Any:
    def digest(row: AuditLog, prev: str) -> str:
        data = payload(desk_id=row.desk_id, seq=row.seq, at=row.at, user_id=row.user_id, action=row.action,
                       entity=row.entity, entity_id=row.entity_id, case_id=row.case_id, before=row.before,
                       after=row.after, prev_hash=prev, key_id=row.key_id)
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return digest


@pytest.fixture
def busy(db: Database, desk: Desk) -> tuple[Database, Desk]:
    with db.write() as s:
        for _ in range(3):
            cases.register_case(s, desk.volunteer, dispute())
    return db, desk


def _root(db: Database, desk: Desk) -> Actor:
    """The installation's administrator (no desk of their own)."""
    from mediation.services import accounts

    with db.write() as s:
        uid = accounts.create_user(s, desk.admin, username="root", display_name="安装管理员", role="admin",
                                   password="root12345", desk_id=None)
    return Actor(uid, "root", "安装管理员", "admin", None)


def test_every_desk_has_its_own_chain_and_events_of_no_desk_one_more(db: Database, desk: Desk) -> None:
    root = _root(db, desk)
    with db.write() as s:
        other = setup.create_desk(s, root, name="第二调解点", number_prefix="Y警校调字")
        from mediation.services import accounts

        other_admin_id = accounts.create_user(s, root, username="admin2", display_name="乙", role="admin",
                                              password="admin1234", desk_id=other)
        cases.register_case(s, desk.volunteer, dispute())
        deadlines.set_day(s, desk.admin, __import__("datetime").date(2031, 5, 6), kind="holiday", name="调休")
    other_admin = Actor(other_admin_id, "admin2", "乙", "admin", other)
    with db.write() as s:
        cases.register_case(s, other_admin, dispute())
    with db.read() as s:
        for desk_id in (desk.desk_id, other, None):
            rows = _chain(s, desk_id)
            assert [r.seq for r in rows] == list(range(1, len(rows) + 1)) and rows
            assert all(r.desk_id == desk_id for r in rows)
        assert {r.action for r in _chain(s, None)} >= {"calendar.set"}
        assert "case.register" in {r.action for r in _chain(s, other)}
        assert "case.register" in {r.action for r in _chain(s, desk.desk_id)}
        assert audit.verify(s).ok
        officer_chains = audit.readable_chains(s, desk.officer)
        assert officer_chains == [desk.desk_id]
        rollup = Actor(0, "rollup", "司法所", "officer", None, all_desks=True)
        assert audit.readable_chains(s, rollup) == [None, desk.desk_id, other]
        mine = audit.verify(s, desk_ids=officer_chains)
        assert [c.desk_id for c in mine.chains] == [desk.desk_id]


def test_rows_are_keyed_by_a_key_outside_the_database(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    kf = keys.load()
    assert kf is not None
    with db.read() as s:
        rows = _chain(s, desk.desk_id)
        assert {r.key_id for r in rows} == {kf.current}
        # The hash is not SHA-256 of the row: without the key it cannot be recomputed.
        assert all(_sha256(r, r.prev_hash) != r.hash for r in rows)
        assert all(_guessed_key(kf.key(kf.current) or b"")(r, r.prev_hash) == r.hash for r in rows)
    text = keys.key_file_path().read_text(encoding="utf-8")
    assert kf.current in text
    assert (keys.key_file_path().stat().st_mode & 0o077) == 0  # readable by its owner only


def test_a_checkpoint_goes_to_the_anchor_file_after_every_commit(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    loc = anchors.location(db.url)
    lines = [json.loads(line) for line in anchors.anchor_file().read_text(encoding="utf-8").splitlines()
             if loc in line]
    with db.read() as s:
        head = s.get(AuditHead, desk.desk_id)
        assert head is not None
        last = [line for line in lines if line["desk"] == desk.desk_id][-1]
        assert (last["n"], last["head"], last["genesis"]) == (head.count, head.last_hash, head.genesis)
        assert audit.checkpoint_text(s, desk.desk_id) == f"audit:{desk.desk_id}:{head.count}:{head.genesis[:16]}:{head.last_hash}"
    result = _verify(db)
    assert result.ok and all(any(a.status == "passed" for a in c.anchors) for c in result.chains)


def test_a_rolled_back_transaction_leaves_no_checkpoint(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    before = anchors.anchor_file().read_text(encoding="utf-8")
    with pytest.raises(RuntimeError), db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
        raise RuntimeError("the user cancelled")
    assert anchors.anchor_file().read_text(encoding="utf-8") == before
    assert _verify(db).ok


# ---------------------------------------------------------------- attacks


def test_attack_truncating_the_tail_with_the_head_is_caught_by_the_anchors(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    with db.write() as s:
        rows = _chain(s, desk.desk_id)
        n = len(rows)
        s.execute(delete(AuditLog).where(AuditLog.id.in_([r.id for r in rows[-2:]])))
        _fix_head(s, desk.desk_id)
    with db.read() as s:
        assert audit.verify(s).ok  # the database agrees with itself: only an anchor can tell
    result = _verify(db)
    assert not result.ok
    assert any(f"第 {n - 1} 条记录缺失" in f and "锚点文件" in f for f in result.failures()), result.failures()


def test_attack_deleting_the_tail_but_not_the_head_names_the_missing_row(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    with db.write() as s:
        rows = _chain(s, desk.desk_id)
        s.execute(delete(AuditLog).where(AuditLog.id == rows[-1].id))
    with db.read() as s:
        found = audit.verify(s).first_problem()
    assert found is not None and found[1].message.startswith(f"第 {len(rows)} 条记录缺失")


def test_attack_editing_the_head_is_named_as_such(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    with db.write() as s:
        s.execute(update(AuditHead).where(AuditHead.chain == desk.desk_id).values(last_hash="f" * 64))
    with db.read() as s:
        found = audit.verify(s).first_problem()
    assert found is not None and found[1].kind == "head" and "链头（audit_head）被修改" in found[1].message


def test_attack_wiping_both_tables_is_caught(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    with db.write() as s:
        s.execute(delete(AuditLog))
        s.execute(delete(AuditHead))
    with db.read() as s:
        assert audit.verify(s).ok  # nothing left to contradict itself
    result = _verify(db)
    assert not result.ok
    assert any("整条链被清空" in f for f in result.failures())
    # The desk goes on working: a new chain starts — and is seen to be a replacement.
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    result = _verify(db)
    assert not result.ok and any("整条链被替换" in f for f in result.failures())


@pytest.mark.parametrize("forge", ["sha256", "guessed_key", "own_key_id"])
def test_attack_forging_rows_with_recomputed_hashes_is_caught(busy: tuple[Database, Desk], forge: str) -> None:
    db, desk = busy
    guess = secrets.token_bytes(32)
    with db.write() as s:
        rows = _chain(s, desk.desk_id)
        target = rows[2]
        target.after = {**(target.after or {}), "facts": "从未发生过的事"}
        if forge == "own_key_id":
            for r in rows[2:]:
                r.key_id = keys.key_id(guess)
        s.flush()
        _rechain(s, desk.desk_id, target.seq, _sha256 if forge == "sha256" else _guessed_key(guess))
    with db.read() as s:
        found = audit.verify(s).first_problem()
    assert found is not None and found[1].seq == target.seq
    if forge == "own_key_id":
        assert found[1].kind == "key_unknown" and "不在本机的密钥文件中" in found[1].message
    else:
        assert found[1].kind == "edited" and f"第 {target.seq} 条记录的内容与其校验值不符" in found[1].message
    result = _verify(db)
    assert not result.ok
    # The last checkpoint no longer matches the rewritten chain either.
    assert any("链被改写" in f for f in result.failures())


def test_attack_appending_a_forged_row_is_caught(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    guess = secrets.token_bytes(32)
    with db.write() as s:
        head = s.get(AuditHead, desk.desk_id)
        assert head is not None
        last = _chain(s, desk.desk_id)[-1]
        forged = AuditLog(desk_id=desk.desk_id, seq=head.count + 1, at=last.at, user_id=last.user_id,
                          action="case.note", entity="case", entity_id=last.entity_id, case_id=last.case_id,
                          before=None, after={"note": "伪造"}, prev_hash=head.last_hash, hash="", key_id=last.key_id)
        forged.hash = _guessed_key(guess)(forged, head.last_hash)
        s.add(forged)
        s.flush()
        _fix_head(s, desk.desk_id)
    with db.read() as s:
        found = audit.verify(s).first_problem()
    assert found is not None and found[1].kind == "edited" and found[1].seq == head.count


def test_attack_on_the_anchor_file_itself_is_caught(busy: tuple[Database, Desk]) -> None:
    db, _desk = busy
    path = anchors.anchor_file()
    loc = anchors.location(db.url)
    lines = path.read_text(encoding="utf-8").splitlines()
    idx = max(i for i, line in enumerate(lines) if loc in line)
    body = json.loads(lines[idx])
    body["n"] += 5  # claims rows that never were: a line cannot be forged without the key
    lines[idx] = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _verify(db)
    assert not result.ok and any(f"锚点文件第 {idx + 1} 行" in f for f in result.failures())


def test_the_cli_says_which_anchor_passed_and_fails_on_truncation(busy: tuple[Database, Desk],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from mediation import cli

    db, desk = busy
    assert cli.main(["--db", db.url, "audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"调解点 {desk.desk_id}：共" in out and "锚点文件（第" in out and "通过" in out
    with db.write() as s:
        rows = _chain(s, desk.desk_id)
        s.execute(delete(AuditLog).where(AuditLog.id == rows[-1].id))
        _fix_head(s, desk.desk_id)
    assert cli.main(["--db", db.url, "audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert f"第 {len(rows)} 条记录缺失" in captured.err and "未通过" in captured.out


# ---------------------------------------------------------------- other anchors


def test_a_final_document_carries_a_checkpoint_that_catches_truncation(db: Database, desk: Desk) -> None:
    from mediation.models import DocumentVersion

    with db.write() as s:
        case_id = agreed_case(s, desk)
    doc_id = document_on(db, desk, case_id, status="final")
    with db.read() as s:
        version = s.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc_id,
                                                          DocumentVersion.status == "final")).one()
        anchor = version.audit_anchor
        assert anchor is not None and anchor["desk"] == desk.desk_id
        rows = _chain(s, desk.desk_id)
        assert rows[anchor["n"] - 1].hash == anchor["head"]
        finalize = [r for r in rows if r.action == "document.finalize"]
        assert len(finalize) == 1 and finalize[0].seq > anchor["n"]  # the anchor is the chain before it
    anchors.anchor_file().unlink()  # the file of this PC is gone too
    with db.write() as s:
        keep = anchor["n"] - 2
        s.execute(delete(AuditLog).where(AuditLog.desk_id == desk.desk_id, AuditLog.seq > keep))
        _fix_head(s, desk.desk_id)
    result = _verify(db)
    assert not result.ok
    assert any(f"第 {keep + 1} 条记录缺失" in f and "定稿文书" in f for f in result.failures()), result.failures()


def test_a_backups_metadata_is_an_anchor(sqlite_db: Database, tmp_path: Path) -> None:
    db, desk = sqlite_db, Desk(sqlite_db)
    folder = tmp_path / "usb"
    folder.mkdir()
    result = backup.backup(db, folder)
    assert result.checkpoints and {c.desk_id for c in result.checkpoints} == {desk.desk_id, None}
    anchors.anchor_file().unlink()
    with db.write() as s:
        s.execute(delete(AuditLog).where(AuditLog.desk_id == desk.desk_id))
        s.execute(delete(AuditHead).where(AuditHead.chain == desk.desk_id))
    with db.read() as s:
        found = audit.verify_anchored(s, db.url, folders=[folder])
    assert not found.ok and any("整条链被清空" in f and result.path.name in f for f in found.failures())


# ---------------------------------------------------------------- the key


def test_without_the_key_nothing_is_written_and_the_sheet_brings_it_back(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    kf = keys.load()
    assert kf is not None
    key = kf.key(kf.current)
    assert key is not None
    printed = keys.key_text(key)
    path = keys.key_file_path()
    saved = path.read_bytes()
    try:
        path.unlink()
        with pytest.raises(StorageError) as exc, db.write() as s:
            cases.register_case(s, desk.volunteer, dispute())
        assert "审计密钥" in exc.value.message and "mediation keys import" in exc.value.message
        assert "从未写入" not in exc.value.message
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "case.register")) == 3
            result = audit.verify(s, key_file=keys.load())
            assert not result.ok  # the new file has a new key, not the chain's
        path.unlink()
        # Typed back from the recovery sheet (spaces, lower case and a 0 for an O forgiven):
        keys.import_key_text(printed.lower().replace("-", " "))
        with db.write() as s:
            cases.register_case(s, desk.volunteer, dispute())
        assert _verify(db).ok
    finally:
        path.write_bytes(saved)


def test_a_mistyped_key_is_refused() -> None:
    printed = keys.key_text(secrets.token_bytes(32))
    i = len(printed) - 10  # a character of the key itself (the last one also carries padding bits)
    wrong = printed[:i] + ("A" if printed[i] != "A" else "B") + printed[i + 1:]
    from mediation.errors import ValidationError

    with pytest.raises(ValidationError):
        keys.parse_key_text(wrong)


def test_rotating_the_key_leaves_a_record_and_old_rows_still_verify(busy: tuple[Database, Desk]) -> None:
    db, desk = busy
    path = keys.key_file_path()
    saved = path.read_bytes()
    try:
        old = keys.load()
        assert old is not None
        root = _root(db, desk)
        with db.write() as s:
            new_id = audit.rotate_key(s, root)
        with db.write() as s:
            cases.register_case(s, desk.volunteer, dispute())
        with db.read() as s:
            rows = _chain(s, desk.desk_id)
            rotation = [r for r in rows if r.action == "audit.key_rotate"]
            assert len(rotation) == 1 and rotation[0].key_id == old.current
            assert rotation[0].after == {"old_key_id": old.current, "new_key_id": new_id}
            assert rows[-1].key_id == new_id
        assert _verify(db).ok
        # A row after the rotation made with the old key again is a forgery.
        with db.write() as s:
            last = _chain(s, desk.desk_id)[-1]
            last.key_id = old.current
            s.flush()
            _rechain(s, desk.desk_id, last.seq, _guessed_key(old.key(old.current) or b""))
        with db.read() as s:
            found = audit.verify(s).first_problem()
        assert found is not None and found[1].kind == "key_switch"
    finally:
        path.write_bytes(saved)
