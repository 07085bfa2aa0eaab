"""Writing a backup: a consistent copy (SQLite online backup API), checked, then published.

The copy is taken from one read snapshot, so it is consistent while the desktop
program writes; it gets its metadata (the audit chains' checkpoints, see ``meta.py``),
passes ``PRAGMA integrity_check``, and only then is renamed to its final name. An
encrypted backup is made from a plain copy kept beside the database (never on the
backup medium), and read back once (every chunk's tag) before it is published.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mediation.audit_chain import Checkpoint
from mediation.db import Database, sqlite_path
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.permissions import Actor, require
from mediation.services.backup import crypto, files, meta
from mediation.timeutil import file_stamp

log = logging.getLogger(__name__)

BACKUP_STEP_PAGES = 4096
"""Pages copied per step when progress is reported (16 MB at SQLite's 4 KB pages)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    revision: str | None
    encrypted: bool = False
    checkpoints: tuple[Checkpoint, ...] = ()


def pg_message() -> str:
    return _("PostgreSQL 数据库由数据库管理员在服务器上用 pg_dump 备份、用 pg_restore 恢复"
             "（见 README 的“PostgreSQL 的备份”）；本程序的备份与恢复只用于内置的 SQLite 数据库。")


def sqlite_detail(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return _("数据库正被占用")
    if "disk" in text and ("full" in text or "i/o" in text):
        return _("磁盘已满或无法写入")
    if "readonly" in text or "permission" in text or "unable to open" in text:
        return _("没有写入权限")
    return type(exc).__name__


def revision_of(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _target(path: Path | str, source: Path, encrypted: bool) -> Path:
    target = Path(path).expanduser().absolute()
    suffix = files.ENCRYPTED_SUFFIX if encrypted else files.PLAIN_SUFFIX
    if target.exists() and target.is_dir():
        target = target / f"mediation-{file_stamp()}{suffix}"
    elif encrypted and target.suffix != files.ENCRYPTED_SUFFIX:
        target = target.with_name(target.name + files.ENCRYPTED_SUFFIX)
    if target.resolve() == source.resolve():
        raise StorageError(_("备份文件不能与当前数据库是同一个文件。"))
    if not target.parent.is_dir():
        raise StorageError(_("备份目录不存在：{path}").format(path=target.parent))
    return target


def _copy(source: Path, tmp: Path, progress: Callable[[int, int], None] | None) -> None:
    with files.connect(source) as src, files.connect(tmp) as dst:
        if progress is None:
            # One step under one read transaction: in WAL mode writers go on meanwhile,
            # and the copy is the database as of the moment the step began.
            src.backup(dst)
        else:
            # In steps, so it can be followed and cancelled. A read transaction held
            # across the steps pins one snapshot (WAL): writers go on meanwhile and
            # the copy neither restarts nor mixes states.
            def step(_status: int, remaining: int, total: int) -> None:
                progress(total - remaining, total)

            src.execute("BEGIN")
            try:
                src.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
                src.backup(dst, pages=BACKUP_STEP_PAGES, progress=step)
            finally:
                src.execute("COMMIT")


def backup(db: Database, path: Path | str, *, actor: Actor | None = None,
           progress: Callable[[int, int], None] | None = None, passphrase: str | None = None) -> BackupResult:
    """Write a consistent, checked copy of ``db`` to ``path`` (a file, or a folder to name it in).

    With ``passphrase`` the backup is encrypted (``.mdbk``, see ``crypto.py``). ``path``
    is never left half-written. With an ``actor`` the action is permission-checked and
    recorded in the audit log. ``progress(done, total)`` (pages) is called between
    steps and may raise :class:`mediation.progress.Cancelled`.
    """
    from mediation.services import anchors

    if actor is not None:
        require(actor, "backup.run")
    source = sqlite_path(db.url)
    if source is None:
        if db.dialect == "sqlite":
            raise StorageError(_("内存数据库无法备份。"))
        raise StorageError(pg_message())
    if not source.exists():
        raise StorageError(_("数据库文件不存在：{path}").format(path=source))
    encrypted = passphrase is not None
    target = _target(path, source, encrypted)
    files.clean_stale(target.parent)
    tmp = files.temporary_for(target, "backup")
    # An encrypted backup's plain copy stays beside the database, never on the medium.
    plain = (files.temporary_for(source.with_name(target.name + ".plain"), "backup")
             if encrypted else tmp)
    try:
        _copy(source, plain, progress)
        with files.connect(plain) as dst:
            dst.execute("PRAGMA journal_mode=DELETE")
            revision = revision_of(dst)
            body = meta.build(dst, database=anchors.location(db.url), revision=revision)
            meta.store(dst, body)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":  # pragma: no cover - would mean the live database is damaged
                raise StorageError(_("备份校验未通过（{detail}），请检查数据库。").format(detail=ok))
        if encrypted:
            assert passphrase is not None
            with open(tmp, "wb") as out:
                crypto.encrypt_file(plain, out, passphrase, body)
                out.flush()
                os.fsync(out.fileno())
            crypto.decrypt_file(tmp, None, passphrase)  # read back: every chunk's tag
        files.publish(tmp, target)
    except sqlite3.Error as exc:
        raise StorageError(_("备份失败：{detail}").format(detail=sqlite_detail(exc))) from exc
    except OSError as exc:
        raise StorageError(_("备份失败：无法写入 {path}（{detail}）").format(
            path=target.parent, detail=exc.strerror or exc)) from exc
    finally:
        files.remove(tmp)
        if plain != tmp:
            files.remove(plain)
    size = target.stat().st_size
    log.info("backup written (%d bytes, revision %s, encrypted %s)", size, revision, encrypted)
    checkpoints = meta.parse(body, encrypted=encrypted)
    if actor is not None:
        from mediation.services import audit

        with db.write() as session:
            audit.append(session, desk_id=None, user_id=actor.user_id, action="backup.run", entity="database",
                         after={"file": target.name, "size": size, "revision": revision, "encrypted": encrypted})
    return BackupResult(target, size, revision, encrypted, checkpoints.chains if checkpoints else ())


def check_copy(path: Path, passphrase: str | None = None) -> None:
    """Read a finished backup back: SQLite's integrity check, or every chunk's tag."""
    kind = files.file_kind(path)
    if kind == "encrypted":
        crypto.decrypt_file(path, None, passphrase)
        return
    if kind != "sqlite":
        raise StorageError(_("“{name}”不是备份文件。").format(name=path.name))
    with contextlib.closing(files.read_only(path)) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        raise StorageError(_("备份文件 {name} 未通过完整性检查。").format(name=path.name))
