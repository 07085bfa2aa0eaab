"""Automatic backups (issue 11 item 15): each day's first start and exit, rotation, status, encryption."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mediation import keys
from mediation.config import Config, save_config
from mediation.db import Database
from mediation.errors import ValidationError
from mediation.models import AuditLog
from mediation.services import backup
from mediation.services.backup import auto
from mediation.services.backup.copy import BackupResult
from mediation.timeutil import clock_at, desk_tz
from tests.conftest import PG_URL, Desk


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=desk_tz())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "usb"
    path.mkdir()
    save_config(Config(backup_folder=str(path)))
    return path


def test_rotation_over_400_days_keeps_7_daily_4_weekly_12_monthly(sqlite_db: Database, folder: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock walks 400 days; each day the program starts twice and exits once."""
    Desk(sqlite_db)
    made: list[Path] = []

    def fake_backup(db: Database, path: Path | str, **kwargs: Any) -> BackupResult:
        # The copy itself is tested below and in test_backup.py; here a small file stands in.
        target = Path(path)
        target.write_bytes(b"SQLite format 3\x00")
        made.append(target)
        return BackupResult(target, 16, None)

    monkeypatch.setattr(auto, "backup", fake_backup)
    first = dt.date(2025, 11, 3)
    for n in range(400):
        day = first + dt.timedelta(days=n)
        with clock_at(_at(day, 8)):
            assert auto.run(sqlite_db, reason="start").written is not None
        with clock_at(_at(day, 12)):
            assert auto.run(sqlite_db, reason="start").written is None  # once a day is enough
        with clock_at(_at(day, 18)):
            assert auto.run(sqlite_db, reason="exit").written is not None
        kept = auto.automatic_backups(folder)
        assert len(kept) <= auto.KEEP_DAILY + auto.KEEP_WEEKLY + auto.KEEP_MONTHLY, day
        assert kept[-1][1] == made[-1]  # the one just made is never rotated out
    assert len(made) == 800
    today = first + dt.timedelta(days=399)
    kept_days = [when.date() for when, _path in auto.automatic_backups(folder)]
    assert len(kept_days) == len(set(kept_days))  # one backup per day at most: the day's last
    assert all(when.hour == 18 for when, _path in auto.automatic_backups(folder))
    # The last 7 days, every one of them.
    assert {today - dt.timedelta(days=i) for i in range(7)} <= set(kept_days)
    # Each of the last 4 weeks and 12 months has its newest backup (its last day, as the
    # program ran every day); nothing older than those 12 months survives.
    week_start = today - dt.timedelta(days=today.weekday())
    for i in range(4):
        last_of_week = min(week_start - dt.timedelta(weeks=i) + dt.timedelta(days=6), today)
        assert last_of_week in kept_days, last_of_week
    month = dt.date(today.year, today.month, 1)
    for _ in range(12):
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        last_of_month = min(nxt - dt.timedelta(days=1), today)
        assert last_of_month in kept_days, last_of_month
        month = dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    assert min(kept_days) > month  # the 13th month back is gone
    # Exactly those: the rotation keeps nothing else.
    expected = set(kept_days)
    assert len(expected) <= 7 + 3 + 11


def test_a_day_with_the_real_copy(sqlite_db: Database, folder: Path) -> None:
    Desk(sqlite_db)
    day = dt.date(2026, 12, 7)
    with clock_at(_at(day, 8)):
        started = auto.run(sqlite_db, reason="start")
    assert started.written is not None and started.written.path.parent == folder
    assert started.written.path.name.startswith("mediation-auto-20261207-080000")
    conn = sqlite3.connect(f"file:{started.written.path}?mode=ro&immutable=1", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with clock_at(_at(day, 9)):
        assert auto.run(sqlite_db, reason="start").written is None
        status = auto.read_status()
        assert status.last_ok_at is not None and not status.warning()
        assert "2026-12-07 08:00" in status.summary()
    with clock_at(_at(day, 17)):
        ended = auto.run(sqlite_db, reason="exit")
    assert ended.written is not None
    assert ended.removed == (started.written.path,)  # a day keeps its newest backup
    with sqlite_db.read() as s:
        reasons = [r.after["reason"] for r in s.scalars(select(AuditLog).where(AuditLog.action == "backup.auto"))
                   if r.after]
    assert reasons == ["start", "exit"]
    # An automatic backup restores like any other.
    sqlite_db.dispose()
    assert backup.restore(sqlite_db.url, ended.written.path, username="admin").safety_backup is not None


def test_the_status_warns_after_two_days_and_when_the_folder_is_gone(sqlite_db: Database, folder: Path) -> None:
    Desk(sqlite_db)
    with clock_at(_at(dt.date(2026, 12, 1), 8)):
        assert auto.run(sqlite_db, reason="start").written is not None
    with clock_at(_at(dt.date(2026, 12, 2), 20)):
        assert auto.read_status().warning() == ""
    with clock_at(_at(dt.date(2026, 12, 4), 9)):
        warning = auto.read_status().warning()
        assert "已超过两天" in warning and "2026-12-01 08:00" in warning
    folder.rename(folder.with_name("unplugged"))
    with clock_at(_at(dt.date(2026, 12, 4), 9)):
        result = auto.run(sqlite_db, reason="start")
        assert result.written is None and not result.status.reachable
        assert "无法访问" in result.status.warning()
        assert auto.read_status().last_ok_at == _at(dt.date(2026, 12, 1), 8)  # the last good one stays known


def test_no_folder_set_is_a_warning_too(sqlite_db: Database) -> None:
    assert auto.run(sqlite_db, reason="start").written is None
    assert "尚未设置自动备份的文件夹" in auto.read_status().warning()


def test_encrypted_automatic_backups(sqlite_db: Database, folder: Path) -> None:
    desk = Desk(sqlite_db)
    saved = keys.key_file_path().read_bytes()
    try:
        with sqlite_db.write() as s:
            passphrase = auto.new_passphrase(s, desk.admin)
        with sqlite_db.write() as s:
            auto.configure(s, desk.admin, folder=str(folder), encrypt=True)
        result = auto.run(sqlite_db, reason="exit")
        assert result.written is not None and result.written.encrypted
        assert result.written.path.suffix == ".mdbk"
        backup.check_copy(result.written.path, passphrase)
    finally:
        keys.key_file_path().write_bytes(saved)


def test_the_administrator_chooses_the_folder_checked_and_audited(sqlite_db: Database, tmp_path: Path) -> None:
    desk = Desk(sqlite_db)
    with pytest.raises(ValidationError) as exc, sqlite_db.write() as s:
        auto.configure(s, desk.admin, folder=str(tmp_path / "nowhere"), encrypt=False)
    assert exc.value.field == "backup_folder"
    saved = keys.key_file_path().read_bytes()
    try:
        keys.set_backup_passphrase("")
        with pytest.raises(ValidationError) as exc, sqlite_db.write() as s:
            auto.configure(s, desk.admin, folder=str(tmp_path), encrypt=True)
        assert exc.value.field == "backup_encrypt"
    finally:
        keys.key_file_path().write_bytes(saved)
    from mediation.errors import PermissionDenied

    with pytest.raises(PermissionDenied), sqlite_db.write() as s:
        auto.configure(s, desk.volunteer, folder=str(tmp_path), encrypt=False)
    with sqlite_db.write() as s:
        auto.configure(s, desk.admin, folder=str(tmp_path), encrypt=False)
    assert auto.read_status().folder == str(tmp_path)
    with sqlite_db.read() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "backup.settings")).one()
        assert row.after == {"folder": str(tmp_path), "encrypt": False}


def test_a_server_backup_recorded_by_the_owner_is_what_the_desk_shows(db: Database, desk: Desk) -> None:
    when = dt.datetime(2026, 12, 6, 2, 0, tzinfo=desk_tz())
    with db.write() as s:
        auto.record_server_backup(s, None, at=when, note="mediation-20261206.dump")
    with db.read() as s:
        status = auto.server_status(s)
    assert status.server and status.last_ok_at == when and status.last_path == "mediation-20261206.dump"
    with clock_at(when + dt.timedelta(days=1)):
        assert status.warning() == ""
    with clock_at(when + dt.timedelta(days=3)):
        assert "请联系数据库管理员" in status.warning()


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL")
def test_record_backup_on_the_command_line(db: Database, desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    from mediation import cli

    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    assert cli.main(["--db", db.url, "db", "record-backup", "--at", "2026-12-06T02:00:00+08:00",
                     "--note", "nightly"]) == 0
    with db.read() as s:
        status = auto.status(s)
    assert status.server and status.last_path == "nightly"
