"""Restoring a backup: check the candidate completely, then swap; put the old file back on failure.

Two steps. :func:`prepare` makes the candidate: the backup (decrypted if it is
encrypted) is copied to a temporary file beside the database, checked (SQLite
integrity, the mediation tables, a revision this program knows), upgraded if it is
older, and then checked completely — every table and column of this program's schema,
at least one desk and one active administrator, and every audit chain verified
(against the checkpoints in the backup's own metadata too). Nothing of the current
database has been touched yet. :meth:`Candidate.commit` then refuses a candidate whose
audit chain is broken unless explicitly told to accept it (and records that it was),
locks the current database (refusing while another program has it open), writes the
safety copy (under a temporary name, renamed when complete), moves the candidate into
place with ``os.replace``, removes the old ``-wal``/``-shm``, and records the restore:
a ``restore`` line in the anchor file (the chains as restored; checkpoints written
before, beyond them, were rolled back by this restore) and a row in the restored
database's audit trail. Should anything after the swap fail, the old database is put
back from the safety copy. The safety copy's path is in the result and in every error
after it was written.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from mediation import migrate
from mediation.audit_chain import Checkpoint
from mediation.db import Database, make_engine, normalise_url, sqlite_path
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.services.backup import crypto, files, meta
from mediation.services.backup.copy import pg_message, revision_of, sqlite_detail
from mediation.timeutil import file_stamp, utcnow

log = logging.getLogger(__name__)

# Tables every mediation database has had since the first revision.
CORE_TABLES = frozenset({"desk", "user_account", "mediation_case", "audit_log"})


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    safety_backup: Path | None
    """Copy of the database as it was before the restore (None if there was none)."""
    revision_restored: str
    """The Alembic revision the backup file had."""
    upgraded_to: str | None
    """Set when the backup was older and was upgraded after restoring."""
    audit_override: bool = False
    """The backup's audit chain was broken and the restore was told to go ahead anyway."""


def _check_header(path: Path) -> str:
    if not path.exists():
        raise StorageError(_("备份文件不存在：{path}").format(path=path))
    if not path.is_file():
        raise StorageError(_("“{path}”不是文件。").format(path=path))
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise StorageError(_("无法读取备份文件：{detail}").format(detail=exc.strerror or exc)) from exc
    kind = files.file_kind(path)
    if kind is None:
        raise StorageError(_("“{name}”不是 SQLite 数据库文件，不能用来恢复。").format(name=path.name))
    return kind


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
    revision = revision_of(conn)
    if revision is None:
        raise StorageError(_("该文件不是调解台的数据库（缺少数据库版本信息），不能用来恢复。"))
    if revision not in migrate.known_revisions():
        raise StorageError(_("该备份来自更新版本的程序（数据库版本 {rev}），本程序无法使用；"
                             "请先升级程序再恢复。").format(rev=revision))
    return revision


def check_backup_file(path: Path, passphrase: str | None = None) -> str:
    """Raise StorageError unless ``path`` is a backup this program can restore; returns its revision.

    A quick look before asking the user (the file is only read). An encrypted backup
    is only checked for its header here (its revision is in the metadata).
    """
    kind = _check_header(path)
    if kind == "encrypted":
        found = meta.read_metadata(path)
        if found is None:
            raise StorageError(_("加密备份文件的头部已损坏。"))
        return found.revision or "?"
    try:
        conn = files.read_only(path)
    except sqlite3.Error as exc:
        raise StorageError(_("无法打开备份文件：{detail}").format(detail=sqlite_detail(exc))) from exc
    try:
        return _check_contents(conn, deep=False)
    finally:
        conn.close()


def _complete(path: Path, own: meta.BackupMeta | None) -> tuple[list[str], list[str]]:
    """The candidate at the program's revision, completely: (refusals, audit failures)."""
    from mediation.models import Base, Desk, User
    from mediation.services import audit

    refusals: list[str] = []
    db = Database(f"sqlite:///{path}")
    try:
        present = inspect(db.engine)
        tables = set(present.get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name not in tables:
                refusals.append(_("缺少数据表 {t}").format(t=table.name))
                continue
            columns = {c["name"] for c in present.get_columns(table.name)}
            missing = [c.name for c in table.columns if c.name not in columns]
            if missing:
                refusals.append(_("数据表 {t} 缺少列 {cols}").format(t=table.name, cols="、".join(missing)))
        if refusals:
            return refusals, []
        with db.read() as s:
            if not s.scalar(select(func.count()).select_from(Desk)):
                refusals.append(_("其中没有任何调解点（是一个空的数据库）"))
            if not s.scalar(select(func.count()).select_from(User).where(User.role == "admin",
                                                                         User.active.is_(True))):
                refusals.append(_("其中没有可以登录的管理员账户"))
            if refusals:
                return refusals, []
            anchors = [cp for cp in own.chains] if own is not None and own.authentic else []
            result = audit.verify(s, anchors=[
                type(cp)(cp.desk_id, cp.genesis, cp.n, cp.head, cp.at, _("备份自身的元数据")) for cp in anchors])
        return [], result.failures()
    finally:
        db.dispose()


class Candidate:
    """A checked backup waiting beside the database to replace it (see the module docs)."""

    def __init__(self, target: Path, source: Path, tmp: Path, revision: str, upgraded_to: str | None,
                 audit_failures: list[str]) -> None:
        self.target = target
        self.source = source
        self.tmp = tmp
        self.revision = revision
        self.upgraded_to = upgraded_to
        self.audit_failures = audit_failures
        self.committed = False

    def database(self) -> Database:
        """The candidate opened (to log in against it when the current database is unusable)."""
        return Database(f"sqlite:///{self.tmp}")

    def discard(self) -> None:
        files.remove(self.tmp)

    def __enter__(self) -> Candidate:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.committed:
            self.discard()

    def commit(self, *, username: str | None, accept_broken_audit: bool = False) -> RestoreResult:
        """Swap the candidate in (see the module docs); ``username`` is who restored it."""
        if self.audit_failures and not accept_broken_audit:
            raise StorageError(_(
                "备份中的审计日志校验未通过，不能恢复：{first}（如确需恢复，请加 --accept-broken-audit，"
                "此事将记入审计日志）").format(first=self.audit_failures[0]))
        _finish_file(self.tmp)
        with files.connect(self.tmp) as conn:
            restored = meta.chains_of(conn)  # the chains as they will be once swapped in
        target = self.target
        lock: sqlite3.Connection | None = None
        safety: Path | None = None
        swapped = False
        try:
            if target.exists():
                lock = _take_exclusive(target)
                safety = _safety_copy(lock, target)
                log.info("safety backup before restore: %s", safety.name)
            os.replace(self.tmp, target)
            swapped = True
            # At once: the checkpoints written before, beyond these rows, were rolled back.
            _record_anchor(target, restored)
            if lock is not None:
                # Closing may tidy the old WAL by name: do it before anyone opens the new file.
                lock.close()
                lock = None
            for side in files.sidecars(target):
                with contextlib.suppress(FileNotFoundError):
                    side.unlink()
            files.fsync_dir(target.parent)
            _record_restore(target, self.source.name, self.revision, self.upgraded_to, username,
                            self.audit_failures if accept_broken_audit else [])
        except Exception as exc:
            if lock is not None:
                lock.close()
            if swapped and safety is not None:
                _put_back(safety, target)
                raise StorageError(_("恢复失败（{detail}），已放回原来的数据库。恢复前的数据库另存为：{path}").format(
                    detail=_detail(exc), path=safety)) from exc
            if swapped:
                raise StorageError(_("恢复失败：{detail}").format(detail=_detail(exc))) from exc
            raise StorageError(_("恢复失败，当前数据库未改动：{detail}{safety}").format(
                detail=_detail(exc),
                safety=_("（恢复前的数据库另存为：{path}）").format(path=safety) if safety else "")) from exc
        self.committed = True
        log.info("database restored from backup (revision %s, upgraded to %s)", self.revision, self.upgraded_to)
        return RestoreResult(target, safety, self.revision, self.upgraded_to,
                             bool(self.audit_failures and accept_broken_audit))


def _detail(exc: BaseException) -> str:
    if isinstance(exc, StorageError):
        return exc.message
    if isinstance(exc, sqlite3.Error):
        return sqlite_detail(exc)
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return type(exc).__name__


def prepare(db_url: str, path: Path | str, *, passphrase: str | None = None) -> Candidate:
    """Make and check the candidate for replacing the SQLite database at ``db_url`` (nothing swapped)."""
    url = normalise_url(db_url)
    if make_url(url).get_backend_name() != "sqlite":
        raise StorageError(pg_message())
    found = sqlite_path(url)
    if found is None:
        raise StorageError(_("内存数据库无法恢复。"))
    target = found.absolute()
    source = Path(path).expanduser().absolute()
    kind = _check_header(source)
    if source.resolve() == (target.resolve() if target.exists() else target):
        raise StorageError(_("备份文件就是当前数据库，无需恢复。"))
    target.parent.mkdir(parents=True, exist_ok=True)
    files.clean_stale(target.parent)
    tmp = files.temporary_for(target, "restore")
    files.remove(tmp)
    try:
        if kind == "encrypted":
            crypto.decrypt_file(source, tmp, passphrase)
        else:
            _copy_backup(source, tmp)
        with files.connect(tmp) as conn:
            revision = _check_contents(conn, deep=True)
            own = meta.read_sqlite(conn)
        upgraded_to: str | None = None
        head = migrate.head_revision()
        if revision != head:
            engine = make_engine(f"sqlite:///{tmp}")
            try:
                migrate.upgrade(engine, backup=False)
            finally:
                engine.dispose()
            upgraded_to = head
        refusals, audit_failures = _complete(tmp, own)
        if refusals:
            raise StorageError(_("该备份不完整，不能用来恢复（当前数据库未改动）：{what}。").format(
                what="；".join(refusals[:5]) + ("…" if len(refusals) > 5 else "")))
        with files.connect(tmp) as conn:
            meta.drop(conn)
    except sqlite3.Error as exc:
        files.remove(tmp)
        raise StorageError(_("恢复失败，当前数据库未改动：{detail}").format(detail=sqlite_detail(exc))) from exc
    except BaseException:
        files.remove(tmp)
        raise
    return Candidate(target, source, tmp, revision, upgraded_to, audit_failures)


def restore(db_url: str, path: Path | str, *, username: str | None = None, passphrase: str | None = None,
            accept_broken_audit: bool = False) -> RestoreResult:
    """:func:`prepare` and :meth:`Candidate.commit` in one go."""
    with prepare(db_url, path, passphrase=passphrase) as candidate:
        return candidate.commit(username=username, accept_broken_audit=accept_broken_audit)


def _finish_file(tmp: Path) -> None:
    """Fold the candidate's WAL in and make it a single file on disk."""
    with files.connect(tmp) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    files.fsync_file(tmp)


def _take_exclusive(path: Path) -> sqlite3.Connection | None:
    """Lock the current database so no other program is using it while it is replaced.

    In WAL mode every open connection (the desktop program's too) holds a shared
    lock, so an exclusive lock tells us nobody else has the file open. None: the
    current file is not a database any more (often the reason for restoring): there is
    no lock to take and nobody can be using it; it is still copied aside byte for byte.
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
        raise StorageError(_("无法打开当前数据库：{detail}").format(detail=sqlite_detail(exc))) from exc
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _safety_copy(conn: sqlite3.Connection | None, target: Path) -> Path:
    """Copy the current database (through the connection holding its lock) beside it:
    written under a temporary name and renamed when complete."""
    stamp = file_stamp()
    safety = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    n = 1
    while safety.exists():
        n += 1
        safety = target.with_name(f"{target.stem}.before-restore-{stamp}-{n}{target.suffix}")
    tmp = files.temporary_for(safety, "safety")
    try:
        if conn is None:
            shutil.copyfile(target, tmp)
        else:
            with files.connect(tmp) as dst:
                conn.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
        files.publish(tmp, safety)
    finally:
        files.remove(tmp)
    return safety


def _put_back(safety: Path, target: Path) -> None:
    tmp = files.temporary_for(target, "putback")
    try:
        shutil.copyfile(safety, tmp)
        files.publish(tmp, target)
        for side in files.sidecars(target):
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
        log.warning("restore failed after the swap; the previous database was put back")
    finally:
        files.remove(tmp)


def _copy_backup(source: Path, tmp: Path) -> None:
    """Copy the backup; if it comes with its own WAL (a copied live file), read through SQLite."""
    wal = source.with_name(source.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        with files.connect(source) as src, files.connect(tmp) as dst:
            src.backup(dst)
    else:
        shutil.copyfile(source, tmp)


def _record_anchor(target: Path, restored: list[Checkpoint]) -> None:
    from mediation.services import anchors

    now = utcnow().isoformat()
    anchors.record(anchors.location(f"sqlite:///{target}"),
                   [Checkpoint(c.desk_id, c.genesis, c.n, c.head, now) for c in restored], kind="restore")


def _record_restore(target: Path, name: str, revision: str, upgraded_to: str | None, username: str | None,
                    overridden: list[str]) -> None:
    """The restore in the restored database's audit trail and in the anchor file."""
    from mediation.models import Desk, User
    from mediation.services import audit

    db = Database(f"sqlite:///{target}")
    try:
        with db.read() as s:
            if not s.scalar(select(func.count()).select_from(Desk)):
                raise StorageError(_("恢复后的数据库无法读取"))
        with db.write() as s:
            user_id = s.scalar(select(User.id).where(User.username == username)) if username else None
            after: dict[str, object] = {"file": name, "revision": revision, "upgraded_to": upgraded_to,
                                        "by": username}
            if overridden:
                after["audit_override"] = True
                after["audit_failures"] = overridden[:5]
            audit.append(s, desk_id=None, user_id=user_id, action="backup.restore", entity="database",
                         after=after)
    finally:
        db.dispose()
