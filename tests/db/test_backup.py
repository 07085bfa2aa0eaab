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
    monkeypatch.setattr(backup, "BACKUP_STEP_PAGES", 2)
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
