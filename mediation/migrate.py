"""Bring a database to the newest schema, backing up a SQLite file first."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from mediation import assets
from mediation.db import sqlite_path
from mediation.errors import StorageError
from mediation.i18n import _
from mediation.migrations import HEAD
from mediation.timeutil import file_stamp

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

    from mediation.db import Database

log = logging.getLogger(__name__)
MIGRATIONS_DIR = assets.migrations_dir()


def alembic_config(url: str | None = None) -> AlembicConfig:
    # Alembic is imported only when it is needed: a database already at HEAD (every
    # start but the first after an update) never loads it.
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, heads
    return heads[0]


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stored_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, read with one plain query (no Alembic);
    None when there is no stamp yet (or it cannot be read: the full check decides)."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


def backup_sqlite_file(path: Path, label: str) -> Path:
    """Copy a live SQLite file with the online backup API (WAL-safe).

    Written under a temporary name and renamed when complete (and flushed to disk):
    a process killed half-way leaves no file that looks like a backup (issue 11 item 11).
    """
    from mediation.services.backup import files

    stamp = file_stamp()
    target = path.with_name(f"{path.stem}.before-{label}-{stamp}{path.suffix}")
    tmp = files.temporary_for(target, "upgrade")
    try:
        src = sqlite3.connect(str(path))
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        files.publish(tmp, target)
    finally:
        files.remove(tmp)
    return target


def upgrade(engine: Engine, *, revision: str = "head", backup: bool = True) -> Path | None:
    """Upgrade ``engine``'s database; returns the backup written, if any.

    Refuses a database stamped with a revision this program does not know (it was
    written by a newer version). On PostgreSQL only the database owner may upgrade
    (a shared database: desk PCs never do, see :func:`check_schema`), and the row-level
    security policies of :mod:`mediation.rls` are re-applied in the same transaction.
    """
    if revision == "head" and _stored_revision(engine) == HEAD:
        return None  # the usual start: nothing to do, and Alembic not even imported
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise StorageError(
            _("数据库版本（{rev}）比本程序新，请先升级程序。").format(rev=current)
        )
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    if engine.dialect.name == "postgresql":
        from mediation import rls

        with engine.connect() as conn:
            if not rls.is_owner(conn):
                raise StorageError(_("共享数据库只能由数据库所有者升级：请数据库管理员用所有者的账号运行 "
                                     "mediation db upgrade。"))
    backup_path: Path | None = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if backup and path is not None and path.exists() and has_tables(engine):
        backup_path = backup_sqlite_file(path, f"upgrade-{current or 'unversioned'}")
        log.info("backup written before upgrade: %s", backup_path.name)
    _run_alembic(engine, "upgrade", revision, apply_rls=target == head_revision())
    return backup_path


def downgrade(engine: Engine, revision: str) -> None:
    _run_alembic(engine, "downgrade", revision, apply_rls=False)


def _run_alembic(engine: Engine, direction: str, revision: str, *, apply_rls: bool) -> None:
    """One Alembic run in one transaction. SQLite: with foreign keys off while tables are
    rebuilt (batch mode copies a table, drops and renames it), then checked before the
    commit, as SQLite's documentation prescribes for such changes."""
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction (else a no-op)
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                getattr(command, direction)(cfg, revision)
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise StorageError(_("数据库升级后有 {n} 条记录的关联不完整，升级已撤销。").format(
                            n=len(broken)))
                if apply_rls and conn.dialect.name == "postgresql":
                    from mediation import rls

                    rls.apply(conn)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def check_schema(engine: Engine) -> str:
    """On a shared (PostgreSQL) database the program never changes the schema: the owner
    upgrades it. Is this program the right one for it?

    Returns "" when the schema is this program's, a notice when the schema is newer but
    declares itself safe for this program (expand-then-contract, :class:`SchemaCompat`);
    raises StorageError saying what to do otherwise: update the program, or ask the
    database owner to run ``mediation db upgrade``.
    """
    current = _stored_revision(engine)
    if current == HEAD:
        return ""
    if current is None:
        raise StorageError(_("数据库尚未建立或版本无法读取。请数据库管理员用数据库所有者的账号运行 "
                             "mediation db upgrade。"))
    if current in known_revisions():
        raise StorageError(_("数据库版本（{rev}）比本程序旧。共享数据库由数据库管理员升级："
                             "请他用数据库所有者的账号运行 "
                             "mediation db upgrade（本程序需要版本 {head}）。").format(rev=current, head=HEAD))
    try:
        with engine.connect() as conn:
            oldest = conn.execute(text("SELECT oldest_program FROM schema_compat WHERE revision = :r"),
                                  {"r": current}).scalar()
    except DBAPIError:
        oldest = None
    if oldest is not None and str(oldest) in known_revisions():
        return _("数据库已由新版本的程序升级（{rev}），本程序仍可使用；请尽快更新本程序。").format(rev=current)
    raise StorageError(_("本程序版本较旧，不能使用这个数据库（数据库版本 {rev}）。请先更新本程序。").format(
        rev=current))


def open_database(url: str | None = None, *, upgrade_schema: bool = True) -> Database:
    """Open (creating if needed) and upgrade the configured database."""
    from mediation.config import load_config
    from mediation.db import Database

    db = Database(url or load_config().resolved_database_url())
    path = sqlite_path(db.url)
    if path is not None:
        from mediation.services.backup import files

        files.clean_stale(path.parent)  # temporaries of a restore or upgrade that was killed
    if db.dialect == "postgresql":
        # A shared database: upgraded by its owner, never by a desk PC at start.
        db.notice = check_schema(db.engine)
        if db.notice:
            log.warning("schema newer than the program: %s", _stored_revision(db.engine))
    elif upgrade_schema:
        upgrade(db.engine, backup=True)
    return db
