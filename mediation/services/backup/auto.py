"""Automatic backups: the first start of each day and at exit, checked, rotated, with a status.

The desktop program calls :func:`run` off the UI thread when it starts (once a day is
enough: a later start the same day does nothing) and when it exits. Each run writes a
checked backup (see ``copy.py``: ``PRAGMA integrity_check`` of the copy on the backup
medium, or every chunk read back when encrypted) named ``mediation-auto-<local
time>.sqlite3`` (``.mdbk`` encrypted) into the folder the administrator chose (a second
disk, a USB stick, a network share), then rotates the folder's automatic backups:

* the newest backup of each of the last 7 days (today and the 6 days before),
* the newest of each of the last 4 ISO weeks (this week and the 3 before),
* the newest of each of the last 12 months (this month and the 11 before),

and the newest backup of all, always; other automatic backups are deleted (files the
administrator put there by hand are never touched). The outcome goes to
``backup-status.json`` in the data directory, which the main window and the
administrator's today panel read: the last good backup, and a warning when it is older
than two days or the folder cannot be reached.

On PostgreSQL the database's owner backs up the server (``pg_dump``, see the README) and
records it with ``mediation db record-backup``; the desk shows that date instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediation import keys
from mediation.errors import MediationError, ValidationError
from mediation.i18n import _
from mediation.permissions import Actor, require
from mediation.services.backup import files
from mediation.services.backup.copy import BackupResult, backup
from mediation.timeutil import desk_tz, fmt_local, local, local_now, utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.db import Database

log = logging.getLogger(__name__)

PREFIX = "mediation-auto-"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
WARN_AFTER = dt.timedelta(days=2)
SERVER_BACKUP_SETTING = "server_backup"
"""PostgreSQL: when the owner last backed up the server (``mediation db record-backup``)."""
_NAME = re.compile(rf"^{PREFIX}(\d{{8}})-(\d{{6}})(?:-\d+)?(\.sqlite3|\.mdbk)$")


def status_file() -> Path:
    from mediation.config import data_dir

    return data_dir() / "backup-status.json"


@dataclass(frozen=True)
class BackupStatus:
    folder: str = ""
    """The configured folder ("" when none is set)."""
    last_ok_at: dt.datetime | None = None
    last_path: str = ""
    last_attempt_at: dt.datetime | None = None
    last_error: str = ""
    """The last attempt's failure ("" when it succeeded)."""
    server: bool = False
    """PostgreSQL: the date is the server backup the owner recorded."""
    reachable: bool = True

    def warning(self, now: dt.datetime | None = None) -> str:
        """Why the desk should worry ("" when all is well)."""
        now = now or utcnow()
        if self.server:
            if self.last_ok_at is None:
                return _("数据库管理员尚未登记过服务器备份（mediation db record-backup）。")
            if now - self.last_ok_at > WARN_AFTER:
                return _("服务器的最近一次备份是 {when}，已超过两天：请联系数据库管理员。").format(
                    when=fmt_local(self.last_ok_at))
            return ""
        if not self.folder:
            return _("尚未设置自动备份的文件夹：请管理员在“设置 → 备份”中选择（例如 U 盘或另一块硬盘）。")
        if not self.reachable:
            return _("自动备份的文件夹无法访问：{folder}（U 盘是否已插好？网络共享是否连通？）").format(folder=self.folder)
        if self.last_ok_at is None:
            return _("还没有成功的自动备份。") + (f"{self.last_error}" if self.last_error else "")
        if now - self.last_ok_at > WARN_AFTER:
            return _("最近一次成功的备份是 {when}，已超过两天。{error}").format(
                when=fmt_local(self.last_ok_at), error=self.last_error)
        return ""

    def summary(self) -> str:
        """One line for the status bar."""
        if self.last_ok_at is None:
            return _("尚无成功的备份")
        what = _("服务器备份") if self.server else _("最近备份")
        return _("{what}：{when}").format(what=what, when=fmt_local(self.last_ok_at))


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def read_status(path: Path | None = None) -> BackupStatus:
    """This PC's automatic backups: what the status file says, and whether the folder is there now."""
    from mediation.config import load_config

    try:
        folder = load_config().backup_folder
    except Exception:  # noqa: BLE001 - a broken config file is reported where it is read
        folder = ""
    raw: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads((path or status_file()).read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            raw = loaded
    return BackupStatus(folder=folder, last_ok_at=_parse_time(raw.get("last_ok_at")),
                        last_path=str(raw.get("last_path") or ""),
                        last_attempt_at=_parse_time(raw.get("last_attempt_at")),
                        last_error=str(raw.get("last_error") or ""),
                        reachable=bool(folder) and _reachable(Path(folder)))


def _write_status(status: BackupStatus, path: Path | None = None) -> None:
    target = path or status_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    body = {"folder": status.folder, "last_ok_at": status.last_ok_at.isoformat() if status.last_ok_at else None,
            "last_path": status.last_path,
            "last_attempt_at": status.last_attempt_at.isoformat() if status.last_attempt_at else None,
            "last_error": status.last_error}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)


def server_status(session: Session) -> BackupStatus:
    """PostgreSQL: the server backup the database's owner recorded last."""
    from mediation.settings import get_setting

    value = get_setting(session, SERVER_BACKUP_SETTING)
    at = _parse_time(value.get("at")) if isinstance(value, dict) else None
    note = str(value.get("note") or "") if isinstance(value, dict) else ""
    return BackupStatus(last_ok_at=at, last_path=note, server=True)


def status(session: Session) -> BackupStatus:
    """What the main window and the today panel show for this database."""
    if session.get_bind().dialect.name == "postgresql":
        return server_status(session)
    return read_status()


def _reachable(folder: Path) -> bool:
    return folder.is_dir() and os.access(folder, os.W_OK)


# ---------------------------------------------------------------- the backups of a folder


def _when(name: str) -> dt.datetime | None:
    m = _NAME.match(name)
    if m is None:
        return None
    try:
        naive = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=desk_tz())


def automatic_backups(folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The folder's automatic backups (by name), oldest first."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [(when, p) for p in entries if (when := _when(p.name)) is not None and p.is_file()]
    return sorted(found)


def to_keep(backups: list[tuple[dt.datetime, Path]], today: dt.date) -> set[Path]:
    """The rotation (see the module docs): which of ``backups`` stay."""
    keep: set[Path] = set()
    if not backups:
        return keep
    newest: dict[tuple[str, Any], tuple[dt.datetime, Path]] = {}
    days = {today - dt.timedelta(days=i) for i in range(KEEP_DAILY)}
    this_week = today - dt.timedelta(days=today.weekday())
    weeks = {(this_week - dt.timedelta(weeks=i)).isocalendar()[:2] for i in range(KEEP_WEEKLY)}
    months: set[tuple[int, int]] = set()
    y, m = today.year, today.month
    for _month in range(KEEP_MONTHLY):
        months.add((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    for when, path in backups:
        day = when.date()
        for key in (("day", day) if day in days else None,
                    ("week", day.isocalendar()[:2]) if day.isocalendar()[:2] in weeks else None,
                    ("month", (day.year, day.month)) if (day.year, day.month) in months else None):
            if key is not None and (key not in newest or when >= newest[key][0]):
                newest[key] = (when, path)
    keep = {path for _when, path in newest.values()}
    keep.add(backups[-1][1])  # the newest of all, whatever the dates say
    return keep


def rotate(folder: Path, today: dt.date) -> list[Path]:
    """Delete the automatic backups the rotation does not keep; returns them."""
    backups = automatic_backups(folder)
    keep = to_keep(backups, today)
    removed = []
    for _when, path in backups:
        if path not in keep:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    if removed:
        log.info("automatic backups rotated: %d removed, %d kept", len(removed), len(keep))
    return removed


def done_today(folder: Path) -> bool:
    today = local_now().date()
    return any(when.date() == today for when, _path in automatic_backups(folder))


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class AutoResult:
    status: BackupStatus
    written: BackupResult | None = None
    """None: nothing to do (not configured, already done today, PostgreSQL) or it failed."""
    removed: tuple[Path, ...] = ()


def run(db: Database, *, reason: str) -> AutoResult:
    """The automatic backup at ``reason`` "start" (only if none was made today) or "exit".

    Never raises for an expected failure (folder unreachable, disk full): the failure is
    in the status it returns and writes, for the main window to show.
    """
    from mediation.config import load_config

    if db.dialect != "sqlite":
        with db.read() as s:
            return AutoResult(server_status(s))
    cfg = load_config()
    current = read_status()
    if not cfg.backup_folder:
        return AutoResult(current)
    folder = Path(cfg.backup_folder).expanduser()
    now = utcnow()
    if not _reachable(folder):
        failed = replace(current, last_attempt_at=now, reachable=False,
                         last_error=_("文件夹无法访问：{folder}").format(folder=folder))
        _write_status(failed)
        log.warning("automatic backup: folder unreachable")
        return AutoResult(failed)
    if reason == "start" and done_today(folder):
        return AutoResult(current)
    files.clean_stale(folder)
    passphrase: str | None = None
    if cfg.backup_encrypt:
        kf = keys.load()
        passphrase = kf.backup_passphrase if kf is not None and kf.backup_passphrase else None
        if passphrase is None:
            failed = replace(current, last_attempt_at=now, last_error=_("已设置加密备份，但本机没有备份口令。"))
            _write_status(failed)
            return AutoResult(failed)
    suffix = files.ENCRYPTED_SUFFIX if passphrase else files.PLAIN_SUFFIX
    stamp = local(now).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{PREFIX}{stamp}-{n}{suffix}"
    try:
        written = backup(db, target, passphrase=passphrase)
    except MediationError as exc:
        failed = replace(current, last_attempt_at=now, last_error=exc.message, reachable=_reachable(folder))
        _write_status(failed)
        log.warning("automatic backup failed: %s", type(exc).__name__)
        return AutoResult(failed)
    removed = rotate(folder, local(now).date())
    ok = BackupStatus(folder=str(folder), last_ok_at=now, last_path=str(written.path), last_attempt_at=now,
                      last_error="", reachable=True)
    _write_status(ok)
    with db.write() as s:
        from mediation.services import audit

        audit.append(s, desk_id=None, user_id=None, action="backup.auto", entity="database",
                     after={"file": written.path.name, "size": written.size, "reason": reason,
                            "encrypted": written.encrypted, "rotated_out": len(removed)})
    return AutoResult(ok, written, tuple(removed))


# ---------------------------------------------------------------- settings


def configure(session: Session, actor: Actor, *, folder: str, encrypt: bool) -> BackupStatus:
    """The administrator chooses the folder (and whether to encrypt); checked, saved to this
    PC's config file, and recorded in the audit trail."""
    from mediation.config import load_config, save_config

    require(actor, "backup.run")
    path = Path(folder.strip()).expanduser() if folder.strip() else None
    if path is not None:
        if not path.is_absolute():
            raise ValidationError(field="backup_folder", message=_("请选择完整的文件夹路径。"))
        if not _reachable(path):
            raise ValidationError(field="backup_folder", message=_("该文件夹不存在或不能写入：{p}").format(p=path))
    if encrypt:
        kf = keys.load()
        if kf is None or not kf.backup_passphrase:
            raise ValidationError(field="backup_encrypt", message=_("请先生成备份口令，再开启加密。"))
    cfg = load_config()
    before = {"folder": cfg.backup_folder, "encrypt": cfg.backup_encrypt}
    from mediation.services import audit

    audit.append(session, desk_id=None, user_id=actor.user_id, action="backup.settings", entity="database",
                 before=before, after={"folder": str(path) if path else "", "encrypt": encrypt})
    session.flush()
    save_config(replace(cfg, backup_folder=str(path) if path else "", backup_encrypt=encrypt))
    return read_status()


def new_passphrase(session: Session, actor: Actor) -> str:
    """A new backup passphrase for this desk (kept in the key file, printed on the recovery
    sheet). Backups made before keep the passphrase they were made with."""
    from mediation.services import audit

    require(actor, "backup.run")
    audit.append(session, desk_id=None, user_id=actor.user_id, action="backup.passphrase", entity="database",
                 after={"changed": True})
    session.flush()
    passphrase = keys.generate_passphrase()
    keys.set_backup_passphrase(passphrase)
    return passphrase


def record_server_backup(session: Session, actor: Actor | None, *, at: dt.datetime, note: str = "") -> None:
    """PostgreSQL: the owner notes a server backup (``mediation db record-backup``) for the desks to see."""
    from mediation.services import reference

    if at.tzinfo is None:
        raise ValidationError(field="at", message=_("时间须带时区。"))
    if at > utcnow() + dt.timedelta(minutes=5):
        raise ValidationError(field="at", message=_("时间不能晚于现在。"))
    reference.set_setting(session, actor, SERVER_BACKUP_SETTING,
                          {"at": at.astimezone(dt.UTC).isoformat(), "note": note.strip()[:200]})
