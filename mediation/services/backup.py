"""Back up and restore the SQLite database file (PostgreSQL: pg_dump / pg_restore).

``backup`` copies the live database with SQLite's online backup API, so it is
consistent even while the desktop program is writing. ``restore`` checks a file
thoroughly before it replaces anything: it must be a SQLite database, a mediation
database (Alembic stamp and the core tables), and not newer than this program. The
current database is copied aside first (a safety backup), the replacement is
prepared (and upgraded if it is older) in a temporary file beside the database and
then moved into place with ``os.replace``; stale ``-wal``/``-shm`` files of the old
database are removed so they can never be applied to the restored one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from mediation import migrate
from mediation.db import Database, make_engine, normalise_url, sqlite_path
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.permissions import Actor, require
from mediation.timeutil import file_stamp

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every mediation database has had since the first revision.
CORE_TABLES = frozenset({"desk", "user_account", "mediation_case", "audit_log"})


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    revision: str | None


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    safety_backup: Path | None
    """Copy of the database as it was before the restore (None if there was none)."""
    revision_restored: str
    """The Alembic revision the backup file had."""
    upgraded_to: str | None
    """Set when the backup was older and was upgraded after restoring."""


def _pg_message() -> str:
    return _("PostgreSQL 数据库请用 pg_dump 备份、用 pg_restore 恢复（例如：pg_dump -Fc -f 备份.dump 数据库名）；"
             "本程序的备份与恢复只用于内置的 SQLite 数据库。")


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - not possible on every platform (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _connect(path: Path, *, timeout: float = 10.0) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


# ---------------------------------------------------------------- backup


BACKUP_STEP_PAGES = 4096
"""Pages copied per step when progress is reported (16 MB at SQLite's 4 KB pages)."""


def backup(db: Database, path: Path | str, *, actor: Actor | None = None,
           progress: Callable[[int, int], None] | None = None) -> BackupResult:
    """Write a consistent copy of ``db`` to ``path`` (SQLite online backup API).

    The copy is written to a temporary file beside ``path``, checked, and then moved
    into place, so ``path`` is never left half-written. With an ``actor`` the action
    is permission-checked and recorded in the audit log. ``progress(done, total)``
    (pages) is called between steps and may raise :class:`mediation.progress.Cancelled`.
    """
    if actor is not None:
        require(actor, "backup.run")
    source = sqlite_path(db.url)
    if source is None:
        if db.dialect == "sqlite":
            raise StorageError(_("内存数据库无法备份。"))
        raise StorageError(_pg_message())
    if not source.exists():
        raise StorageError(_("数据库文件不存在：{path}").format(path=source))
    target = Path(path).expanduser().absolute()
    if target.exists() and target.is_dir():
        target = target / f"mediation-{file_stamp()}.sqlite3"
    if target.resolve() == source.resolve():
        raise StorageError(_("备份文件不能与当前数据库是同一个文件。"))
    if not target.parent.is_dir():
        raise StorageError(_("备份目录不存在：{path}").format(path=target.parent))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with _connect(source) as src, _connect(tmp) as dst:
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
            dst.execute("PRAGMA journal_mode=DELETE")
            ok = dst.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":  # pragma: no cover - would mean the live database is damaged
                raise StorageError(_("备份校验未通过（{detail}），请检查数据库。").format(detail=ok))
            revision = _revision(dst)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as exc:
        raise StorageError(_("备份失败：{detail}").format(detail=_sqlite_detail(exc))) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    size = target.stat().st_size
    log.info("backup written (%d bytes, revision %s)", size, revision)
    if actor is not None:
        from mediation.services import audit

        with db.write() as session:
            audit.append(session, user_id=actor.user_id, action="backup.run", entity="database",
                         after={"file": target.name, "size": size, "revision": revision})
    return BackupResult(target, size, revision)


def _sqlite_detail(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return _("数据库正被占用")
    if "disk" in text and ("full" in text or "i/o" in text):
        return _("磁盘已满或无法写入")
    if "readonly" in text or "permission" in text or "unable to open" in text:
        return _("没有写入权限")
    return type(exc).__name__


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


# ---------------------------------------------------------------- restore


def check_backup_file(path: Path) -> str:
    """Raise StorageError unless ``path`` is a mediation SQLite database this program can open.

    Returns its Alembic revision. Reads the file only (a temporary copy is checked by
    :func:`restore`; this is for a quick look before asking the user).
    """
    _check_header(path)
    uri = f"file:{path.as_posix()}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise StorageError(_("无法打开备份文件：{detail}").format(detail=_sqlite_detail(exc))) from exc
    try:
        return _check_contents(conn, deep=False)
    finally:
        conn.close()


def _check_header(path: Path) -> None:
    if not path.exists():
        raise StorageError(_("备份文件不存在：{path}").format(path=path))
    if not path.is_file():
        raise StorageError(_("“{path}”不是文件。").format(path=path))
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StorageError(_("无法读取备份文件：{detail}").format(detail=exc.strerror or exc)) from exc
    if head != SQLITE_MAGIC:
        raise StorageError(_("“{name}”不是 SQLite 数据库文件，不能用来恢复。").format(name=path.name))


def _check_contents(conn: sqlite3.Connection, *, deep: bool) -> str:
    try:
        if deep:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise StorageError(_("备份文件已损坏（完整性检查未通过），不能用来恢复。"))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise StorageError(_("备份文件已损坏或不是 SQLite 数据库，不能用来恢复。")) from exc
    if "alembic_version" not in tables or not tables >= CORE_TABLES:
        raise StorageError(_("该文件不是调解台的数据库（缺少案件、账户或版本信息表），不能用来恢复。"))
    revision = _revision(conn)
    if revision is None:
        raise StorageError(_("该文件不是调解台的数据库（缺少数据库版本信息），不能用来恢复。"))
    if revision not in migrate.known_revisions():
        raise StorageError(_("该备份来自更新版本的程序（数据库版本 {rev}），本程序无法使用；"
                             "请先升级程序再恢复。").format(rev=revision))
    return revision


def _take_exclusive(path: Path) -> sqlite3.Connection:
    """Lock the current database so no other program is using it while it is replaced.

    In WAL mode every open connection (the desktop program's too) holds a shared
    lock, so an exclusive lock tells us nobody else has the file open.
    """
    conn = sqlite3.connect(str(path), timeout=1.0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        # Fold the WAL into the file: nothing of the old database may linger in it.
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy is not None and busy[0]:
            raise sqlite3.OperationalError("database is locked")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise StorageError(_("数据库正在被其他程序使用（例如调解台桌面程序），请先关闭后再恢复。")) from exc
        raise StorageError(_("无法打开当前数据库：{detail}").format(detail=_sqlite_detail(exc))) from exc
    return conn


def restore(db_url: str, path: Path | str) -> RestoreResult:
    """Replace the SQLite database at ``db_url`` with the backup at ``path``.

    Order: check the file's header; copy it to a temporary file beside the database;
    check the copy (integrity, mediation tables, revision not newer than ours); lock
    the current database (refusing if another program has it open) and write a
    safety backup of it; upgrade the copy if it is older; move the copy into place;
    remove the old ``-wal``/``-shm``. Any failure before the move leaves
    the current database untouched.
    """
    url = normalise_url(db_url)
    if make_url(url).get_backend_name() != "sqlite":
        raise StorageError(_pg_message())
    target = sqlite_path(url)
    if target is None:
        raise StorageError(_("内存数据库无法恢复。"))
    source = Path(path).expanduser().absolute()
    _check_header(source)
    target = target.absolute()
    if source.resolve() == (target.resolve() if target.exists() else target):
        raise StorageError(_("备份文件就是当前数据库，无需恢复。"))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restore-{os.getpid()}.tmp")
    for p in [tmp, *_sidecars(tmp)]:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    lock: sqlite3.Connection | None = None
    safety: Path | None = None
    try:
        _copy_backup(source, tmp)
        with _connect(tmp) as conn:
            revision = _check_contents(conn, deep=True)
        head = migrate.head_revision()
        upgraded_to: str | None = None
        if target.exists():
            lock = _take_exclusive(target)
            safety = _safety_copy(lock, target)
            log.info("safety backup before restore: %s", safety.name)
        if revision != head:
            engine = make_engine(f"sqlite:///{tmp}")
            try:
                migrate.upgrade(engine, backup=False)
            finally:
                engine.dispose()
            upgraded_to = head
        with _connect(tmp) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        if lock is not None:
            # Closing may tidy the old WAL by name: do it before anyone opens the new file.
            lock.close()
            lock = None
        for side in _sidecars(target):
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
        _fsync_dir(target.parent)
    except sqlite3.Error as exc:
        raise StorageError(_("恢复失败：{detail}").format(detail=_sqlite_detail(exc))) from exc
    finally:
        if lock is not None:
            lock.close()
        for p in [tmp, *_sidecars(tmp)]:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
    _record_restore(target, source.name, revision, upgraded_to)
    log.info("database restored from backup (revision %s, upgraded to %s)", revision, upgraded_to)
    return RestoreResult(target, safety, revision, upgraded_to)


def _safety_copy(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the current database (through the connection holding its lock) beside it."""
    stamp = file_stamp()
    safety = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    n = 1
    while safety.exists():
        n += 1
        safety = target.with_name(f"{target.stem}.before-restore-{stamp}-{n}{target.suffix}")
    with _connect(safety) as dst:
        conn.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    return safety


def _copy_backup(source: Path, tmp: Path) -> None:
    """Copy the backup; if it comes with its own WAL (a copied live file), read through SQLite."""
    wal = source.with_name(source.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        with _connect(source) as src, _connect(tmp) as dst:
            src.backup(dst)
    else:
        shutil.copyfile(source, tmp)


def _record_restore(target: Path, name: str, revision: str, upgraded_to: str | None) -> None:
    """Note the restore in the restored database's own audit trail."""
    from mediation.services import audit

    db = Database(f"sqlite:///{target}")
    try:
        with db.write() as session:
            audit.append(session, user_id=None, action="backup.restore", entity="database",
                         after={"file": name, "revision": revision, "upgraded_to": upgraded_to})
    finally:
        db.dispose()
