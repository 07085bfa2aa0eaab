"""Backup with the SQLite online API; restore refuses wrong files and never half-replaces."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from mediation import migrate
from mediation.progress import Cancelled
from mediation.db import Database, make_engine
from mediation.errors import StorageError
from mediation.models import AuditLog, Case
from mediation.services import audit, backup, cases
from mediation.timeutil import clock_at
from tests.conftest import Desk
from tests.factories import dispute


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def _file_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def filled(sqlite_db: Database) -> tuple[Database, Desk]:
    desk = Desk(sqlite_db)
    with sqlite_db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    return sqlite_db, desk


def test_backup_is_consistent_while_another_writer_is_mid_transaction(filled, tmp_path) -> None:
    db, desk = filled
    started, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.write() as s:
            cases.register_case(s, desk.volunteer, dispute())
            s.flush()
            started.set()
            release.wait(10)

    t = threading.Thread(target=writer)
    t.start()
    try:
        assert started.wait(10)
        result = backup.backup(db, tmp_path / "copy.sqlite3")
    finally:
        release.set()
        t.join()
    assert result.revision == migrate.head_revision()
    conn = sqlite3.connect(result.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert _file_count(result.path) == 1  # the uncommitted case is not in the copy
    assert _count(db) == 2
    assert not list(tmp_path.glob(".copy.sqlite3.*.tmp"))


def test_stepwise_backup_finishes_on_one_snapshot_while_others_write(filled, tmp_path, monkeypatch) -> None:
    """With progress (the app's backup, which can be cancelled) the copy is made in steps;
    writes by others between the steps neither restart it nor get into it."""
    db, desk = filled
    monkeypatch.setattr(backup.copy, "BACKUP_STEP_PAGES", 2)
    steps: list[tuple[int, int]] = []

    def write_between(done: int, total: int) -> None:
        steps.append((done, total))
        if len(steps) > 500:
            raise AssertionError("the copy keeps restarting")
        with db.write() as s:
            cases.register_case(s, desk.volunteer, dispute())

    result = backup.backup(db, tmp_path / "copy.sqlite3", progress=write_between)
    assert [d for d, _t in steps] == sorted(d for d, _t in steps)  # never went backwards
    assert steps[-1][0] == steps[-1][1]
    assert _file_count(result.path) == 1  # the state when the copy began
    assert _count(db) == 1 + len(steps)
    conn = sqlite3.connect(result.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_cancelled_backup_leaves_no_file(filled, tmp_path) -> None:
    db, _desk = filled

    def cancel(_done: int, _total: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        backup.backup(db, tmp_path / "copy.sqlite3", progress=cancel)
    assert [p.name for p in tmp_path.iterdir() if "copy" in p.name] == []  # neither the file nor its .tmp


def test_backup_into_a_directory_names_the_file(filled, tmp_path) -> None:
    db, _desk = filled
    out = tmp_path / "backups"
    out.mkdir()
    result = backup.backup(db, out)
    assert result.path.parent == out and result.path.suffix == ".sqlite3"
    assert _file_count(result.path) == 1


def test_a_backup_is_named_by_the_desks_time_not_the_machines(filled, tmp_path) -> None:
    db, _desk = filled
    evening_utc = dt.datetime(2026, 12, 5, 20, 0, 5, tzinfo=dt.UTC)  # 04:00:05 in Beijing
    with clock_at(evening_utc):
        result = backup.backup(db, tmp_path)
    assert result.path.name == "mediation-20261206-040005.sqlite3"


def test_backup_of_postgresql_points_to_pg_dump() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/nothing")
    with pytest.raises(StorageError) as exc:
        backup.backup(db, "/tmp/never-written.sqlite3")
    assert "pg_dump" in str(exc.value)
    with pytest.raises(StorageError) as exc:
        backup.restore("postgresql://nobody@127.0.0.1:1/nothing", "/tmp/never-read.sqlite3")
    assert "pg_restore" in str(exc.value)
    db.dispose()


def test_restore_brings_back_the_backup_and_keeps_a_safety_copy(filled, tmp_path) -> None:
    db, desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute(facts="备份之后登记的纠纷。"))
    assert _count(db) == 2
    db.dispose()  # the desktop program is closed before a restore

    result = backup.restore(db.url, saved)
    assert result.safety_backup is not None and _file_count(result.safety_backup) == 2
    assert result.upgraded_to is None
    live = result.database
    for side in ("-wal", "-shm"):
        # Nothing of the old database may linger beside the restored one.
        assert not live.with_name(live.name + side).exists() or \
            live.with_name(live.name + side).stat().st_size == 0
    reopened = Database(db.url)
    try:
        assert _count(reopened) == 1
        with reopened.read() as s:
            assert audit.verify(s).ok
            assert s.scalar(select(AuditLog.action).order_by(AuditLog.id.desc()).limit(1)) == "backup.restore"
        with reopened.write() as s:  # and it is writable again
            cases.register_case(s, desk.volunteer, dispute())
        assert _count(reopened) == 2
    finally:
        reopened.dispose()


def _not_sqlite(path: Path, good: Path) -> None:
    path.write_text("登记台账\n这不是数据库\n", encoding="utf-8")


def _foreign_sqlite(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()


def _corrupt(path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    page = 4096
    for start in range(page * 2, len(data) - page, page * 3):
        data[start + 100:start + 600] = b"\xa5" * 500
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("make", "words"), [
    (_not_sqlite, "不是 SQLite 数据库"),
    (_foreign_sqlite, "不是调解台的数据库"),
    (_newer, "更新版本的程序"),
    (_corrupt, "损坏"),
])
def test_restore_refuses_wrong_files_and_leaves_the_database_alone(filled, tmp_path, make, words) -> None:
    db, _desk = filled
    good = backup.backup(db, tmp_path / "good.sqlite3").path
    bad = tmp_path / "bad.sqlite3"
    make(bad, good)
    db.dispose()
    before = db.engine.url.database
    assert before is not None
    live = Path(before)
    original = live.read_bytes()
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, bad)
    assert words in str(exc.value)
    assert live.read_bytes() == original
    assert not list(live.parent.glob("*.before-restore-*"))
    assert not list(live.parent.glob(".*.tmp"))


def test_each_refusal_has_its_own_message(filled, tmp_path) -> None:
    db, _desk = filled
    good = backup.backup(db, tmp_path / "good.sqlite3").path
    db.dispose()
    messages = set()
    for i, make in enumerate((_not_sqlite, _foreign_sqlite, _newer, _corrupt)):
        bad = tmp_path / f"bad{i}.sqlite3"
        make(bad, good)
        with pytest.raises(StorageError) as exc:
            backup.restore(db.url, bad)
        messages.add(str(exc.value))
    assert len(messages) == 4


def test_restore_refuses_while_the_database_is_open_elsewhere(filled, tmp_path) -> None:
    db, _desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    assert _count(db) == 1  # the pool now holds an open connection, as a running app would
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, saved)
    assert "正在被其他程序使用" in str(exc.value)
    db.dispose()
    assert backup.restore(db.url, saved).database.exists()


def test_restore_upgrades_an_older_backup(tmp_path) -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    base = script.get_base()
    head = migrate.head_revision()
    assert base != head  # the program has several revisions: a real upgrade is exercised
    old = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, revision=base, backup=False)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO desk (id, name, committee_name, number_prefix, active, created_at) "
            "VALUES (1, '旧调解点', '旧调解委员会', 'J警校调字', 1, '2025-03-01 08:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO user_account (id, username, display_name, role, desk_id, password_hash, phone,"
            " student_no, active, all_desks, failed_logins, created_at) VALUES "
            "(1, 'old_admin', '老管理员', 'admin', 1, 'x', '', '', 1, 0, 0, '2025-03-01 08:00:00')")
    engine.dispose()
    live = tmp_path / "live" / "mediation.sqlite3"
    result = backup.restore(f"sqlite:///{live}", old)
    assert result.safety_backup is None  # there was no database yet
    assert (result.revision_restored, result.upgraded_to) == (base, head)
    db = Database(f"sqlite:///{live}")
    try:
        assert migrate.current_revision(db.engine) == head
        with db.read() as s:
            from mediation.models import Desk as DeskRow

            assert s.scalar(select(DeskRow.number_prefix)) == "J警校调字"
    finally:
        db.dispose()
    conn = sqlite3.connect(old)
    try:  # the backup file itself is untouched
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == base
    finally:
        conn.close()


# ---------------------------------------------------------------- issue 11 item 9: the complete check


def _hollow_at_the_right_revision(path: Path, good: Path) -> None:
    """What broke a desk: every table there, at the program's revision, and no rows at all."""
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, backup=False)
    engine.dispose()


def _core_tables_only(path: Path, good: Path) -> None:
    """The four tables the old check looked for and the stamp, nothing else."""
    conn = sqlite3.connect(path)
    for table in ("desk", "user_account", "mediation_case", "audit_log"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (migrate.head_revision(),))
    conn.commit()
    conn.close()


def _no_administrator(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE user_account SET active = 0 WHERE role = 'admin'")
    conn.commit()
    conn.close()


def _column_dropped(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE mediation_case DROP COLUMN deadline_label")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(("make", "words"), [
    (_hollow_at_the_right_revision, "没有任何调解点"),
    (_core_tables_only, "缺少数据表"),
    (_no_administrator, "没有可以登录的管理员账户"),
    (_column_dropped, "缺少列 deadline_label"),
])
def test_restore_of_a_hollow_or_incomplete_database_is_refused_before_anything_is_swapped(
        filled, tmp_path, make, words) -> None:
    db, _desk = filled
    good = backup.backup(db, tmp_path / "good.sqlite3").path
    bad = tmp_path / "hollow.sqlite3"
    make(bad, good)
    assert backup.check_backup_file(bad)  # the quick look alone lets it through, as before
    db.dispose()
    live = Path(db.engine.url.database or "")
    original = live.read_bytes()
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, bad)
    assert words in exc.value.message and "当前数据库未改动" in exc.value.message
    assert live.read_bytes() == original
    assert not list(live.parent.glob("*.before-restore-*")) and not list(live.parent.glob(".*.tmp"))
    assert _count(Database(db.url)) == 1  # every command still works


def test_a_swap_that_fails_puts_the_old_database_back_and_names_the_safety_copy(filled, tmp_path,
                                                                                 monkeypatch) -> None:
    from mediation.services.backup import restoring as restore_module

    db, desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    db.dispose()

    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(restore_module, "_record_restore", broken)
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, saved, username="admin")
    safety = sorted(Path(db.engine.url.database or "").parent.glob("*.before-restore-*"))
    assert len(safety) == 1
    assert "已放回原来的数据库" in exc.value.message and str(safety[0]) in exc.value.message
    assert _count(Database(db.url)) == 2  # the old database, whole


def test_the_command_line_always_prints_the_safety_copy(filled, tmp_path, capsys, monkeypatch) -> None:
    from mediation import cli
    from mediation.services.backup import restoring as restore_module

    db, _desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    db.dispose()
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("admin1234\n"))
    assert cli.main(["--db", db.url, "restore", str(saved), "--yes", "--as", "admin", "--as-password-stdin"]) == 0
    out = capsys.readouterr().out
    safety = sorted(Path(db.engine.url.database or "").parent.glob("*.before-restore-*"))
    assert len(safety) == 1 and str(safety[0]) in out
    first = safety[0]

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(restore_module, "_record_restore", full)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("admin1234\n"))
    assert cli.main(["--db", db.url, "restore", str(saved), "--yes", "--as", "admin", "--as-password-stdin"]) == 1
    err = capsys.readouterr().err
    second = set(Path(db.engine.url.database or "").parent.glob("*.before-restore-*")) - {first}
    assert len(second) == 1 and str(second.pop()) in err and err.count("\n") == 1


# ---------------------------------------------------------------- issue 11 item 7: a broken chain


def _break_chain(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_log SET action = 'case.nothing' WHERE seq = 2 AND desk_id IS NOT NULL")
    conn.commit()
    conn.close()


def test_restore_refuses_a_backup_whose_audit_chain_is_broken_unless_told_and_records_it(filled, tmp_path) -> None:
    db, _desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    _break_chain(saved)
    db.dispose()
    live = Path(db.engine.url.database or "")
    original = live.read_bytes()
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, saved, username="admin")
    assert "审计日志校验未通过" in exc.value.message and "第 2 条记录" in exc.value.message
    assert "--accept-broken-audit" in exc.value.message
    assert live.read_bytes() == original

    result = backup.restore(db.url, saved, username="admin", accept_broken_audit=True)
    assert result.audit_override
    with Database(db.url).read() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "backup.restore")).one()
        assert row.after is not None and row.after["audit_override"] is True
        assert any("第 2 条记录" in f for f in row.after["audit_failures"])
        assert row.user_id is not None


def test_restore_checks_the_chain_against_the_backups_own_checkpoints(filled, tmp_path) -> None:
    db, _desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    conn = sqlite3.connect(saved)  # the last rows cut off, head fixed: consistent in itself
    conn.execute("DELETE FROM audit_log WHERE desk_id IS NOT NULL AND seq = (SELECT MAX(seq) FROM audit_log "
                 "WHERE desk_id IS NOT NULL)")
    conn.execute("UPDATE audit_head SET count = count - 1, last_hash = (SELECT hash FROM audit_log a WHERE "
                 "a.desk_id = audit_head.desk_id AND a.seq = audit_head.count - 1) WHERE desk_id IS NOT NULL")
    conn.commit()
    conn.close()
    db.dispose()
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, saved, username="admin")
    assert "备份自身的元数据" in exc.value.message and "缺失" in exc.value.message


def test_after_a_restore_the_rolled_back_checkpoints_no_longer_count(filled, tmp_path) -> None:
    db, desk = filled
    saved = backup.backup(db, tmp_path / "saved.sqlite3").path
    with db.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    db.dispose()
    backup.restore(db.url, saved, username="admin")
    with Database(db.url).read() as s:
        result = audit.verify_anchored(s, db.url, folders=[])
    assert result.ok, result.failures()
    assert any(a.status == "superseded" for c in result.chains for a in c.anchors)


# ---------------------------------------------------------------- issue 11 item 15: encrypted backups


def test_an_encrypted_backup_round_trip(filled, tmp_path) -> None:
    from mediation.services.backup import crypto, files

    db, _desk = filled
    result = backup.backup(db, tmp_path, passphrase="MQ3KX-7TRVA-LD9PE")
    assert result.encrypted and result.path.suffix == ".mdbk" and files.looks_like_backup(result.path)
    raw = result.path.read_bytes()
    assert raw.startswith(b"MEDIATION-BACKUP\n") and b"SQLite format 3" not in raw
    assert "测试大学".encode() not in raw and b"admin" not in raw[200:]  # nothing readable without it
    meta = backup.read_metadata(result.path)
    assert meta is not None and meta.encrypted and meta.authentic and meta.chains
    # No plain copy was left anywhere: not beside the backup, not beside the database.
    assert not list(tmp_path.glob(".*")) and not list(Path(db.engine.url.database or "").parent.glob(".*"))
    db.dispose()
    with pytest.raises(crypto.NeedsPassphrase):
        backup.restore(db.url, result.path, username="admin")
    with pytest.raises(crypto.WrongPassphrase) as exc:
        backup.restore(db.url, result.path, username="admin", passphrase="guess")
    assert "口令不正确" in exc.value.message
    restored = backup.restore(db.url, result.path, username="admin", passphrase=" MQ3KX-7TRVA-LD9PE ")
    assert restored.safety_backup is not None and _count(Database(db.url)) == 1


def test_an_encrypted_backup_cut_short_or_altered_is_refused(filled, tmp_path) -> None:
    from mediation.services.backup import crypto

    db, _desk = filled
    monkey_chunk = crypto.CHUNK
    try:
        crypto.CHUNK = 4096  # several chunks even for a small database
        path = backup.backup(db, tmp_path / "b.mdbk", passphrase="pass-phrase").path
    finally:
        crypto.CHUNK = monkey_chunk
    raw = path.read_bytes()
    db.dispose()
    cut = tmp_path / "cut.mdbk"
    cut.write_bytes(raw[:len(raw) - (4096 + 16)])  # the last chunk dropped exactly
    with pytest.raises(StorageError) as exc:
        backup.restore(db.url, cut, username="admin", passphrase="pass-phrase")
    assert "损坏或不完整" in exc.value.message
    flipped = tmp_path / "flip.mdbk"
    data = bytearray(raw)
    data[-100] ^= 1
    flipped.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        backup.restore(db.url, flipped, username="admin", passphrase="pass-phrase")


def test_restore_on_the_command_line_asks_for_the_passphrase(filled, tmp_path, capsys, monkeypatch) -> None:
    from mediation import cli, keys

    db, _desk = filled
    saved = keys.key_file_path().read_bytes()
    try:
        keys.set_backup_passphrase("ABCDE-FGHJK")
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("admin1234\n"))
        assert cli.main(["--db", db.url, "backup", str(tmp_path), "--encrypt", "--as", "admin",
                         "--as-password-stdin"]) == 0
        made = next(tmp_path.glob("*.mdbk"))
        db.dispose()
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("admin1234\nwrong\n"))
        assert cli.main(["--db", db.url, "restore", str(made), "--yes", "--as", "admin", "--as-password-stdin",
                         "--passphrase-stdin"]) == 1
        assert "口令不正确" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("admin1234\nABCDE-FGHJK\n"))
        assert cli.main(["--db", db.url, "restore", str(made), "--yes", "--as", "admin", "--as-password-stdin",
                         "--passphrase-stdin"]) == 0
    finally:
        keys.key_file_path().write_bytes(saved)


def test_two_restores_in_a_row_leave_no_false_alarm(filled, tmp_path) -> None:
    """Timeline A is rolled back to backup 1; timeline B grows past where A ended and is
    rolled back to backup 2: A's checkpoints between the two are not B's rows."""
    db, desk = filled
    first = backup.backup(db, tmp_path / "b1.sqlite3").path
    with db.write() as s:
        for _ in range(2):
            cases.register_case(s, desk.volunteer, dispute())  # timeline A, later rolled back
    db.dispose()
    backup.restore(db.url, first, username="admin")
    again = Database(db.url)
    with again.write() as s:
        for _ in range(5):
            cases.register_case(s, desk.volunteer, dispute())  # timeline B, longer than A
    second = backup.backup(again, tmp_path / "b2.sqlite3").path
    with again.write() as s:
        cases.register_case(s, desk.volunteer, dispute())
    again.dispose()
    backup.restore(db.url, second, username="admin")
    with Database(db.url).read() as s:
        result = audit.verify_anchored(s, db.url, folders=[tmp_path])
    assert result.ok, result.failures()
    statuses = {a.status for c in result.chains for a in c.anchors}
    assert statuses >= {"passed", "superseded"}
