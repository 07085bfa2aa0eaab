"""Engine and sessions: SQLite pragmas, PostgreSQL URLs, read and write transactions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mediation.errors import StorageError
from mediation.i18n import _

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the pragmas and transaction behaviour the app relies on.

    SQLite: foreign keys on, WAL, synchronous=FULL, a busy timeout, and write
    transactions opened with ``BEGIN IMMEDIATE`` so two writers never fail half-way
    on a lock upgrade.
    """
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, Any] = kwargs.pop("connect_args", {})
    if make_url(url).get_backend_name() == "sqlite":
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        connect_args.setdefault("check_same_thread", False)
    # Bound parameters carry names, ID numbers and phones: keep them out of error
    # messages and logs.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN itself (pysqlite's own
        # implicit transaction handling would defer it and break IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "memory" and mode != "wal":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("mediation_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class Database:
    """One database: its engine and the sessions opened on it."""

    def __init__(self, url: str, *, engine: Engine | None = None) -> None:
        self.url = normalise_url(url)
        self.engine = engine or make_engine(self.url)
        from mediation.statistics import summary

        summary.install()  # the statistics summary follows every write of this program
        self.notice = ""
        """Said to the person once at start (e.g. a newer schema this program still works on)."""
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(mediation_write=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; rolled back at the end."""
        session = self._reader()
        try:
            yield session
        except (OperationalError, DBAPIError) as exc:
            raise _storage_error(exc) from exc
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or rolled back whole."""
        session = self._writer()
        session.info["write"] = True
        try:
            yield session
            session.commit()
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            raise _storage_error(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every connection; on SQLite let ``PRAGMA optimize`` refresh drifted statistics first."""
        if self.engine.dialect.name == "sqlite":
            optimize_sqlite(self.engine)
        self.engine.dispose()


def optimize_sqlite(engine: Engine) -> None:
    """SQLite's advice before closing a database: ``PRAGMA optimize`` (with a bounded analysis).

    Usually a no-op; it re-analyzes the tables whose statistics drifted, so the planner
    keeps choosing the indexes after months of new cases. Never fails the close: a busy
    or read-only database is simply left as it is.
    """
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
            conn.exec_driver_sql("PRAGMA analysis_limit=400")
            conn.exec_driver_sql("PRAGMA optimize")
            conn.commit()
    except DBAPIError:
        log.debug("PRAGMA optimize skipped", exc_info=True)


def _storage_error(exc: Exception) -> StorageError:
    text = str(getattr(exc, "orig", exc)).lower()
    log.warning("database error: %s", type(exc).__name__)
    if "locked" in text or "busy" in text:
        return StorageError(_("数据库正被其他操作占用，请稍后再试。"))
    if "disk" in text and "full" in text:
        return StorageError(_("磁盘已满，数据未能保存。请清理磁盘后重试。"))
    if "could not connect" in text or "connection refused" in text or "timeout" in text:
        return StorageError(_("无法连接数据库，请检查网络或数据库设置。"))
    return StorageError(_("数据库出错，操作未完成：{detail}").format(detail=type(exc).__name__))


def require_write(session: Session) -> None:
    """Guard for services that write: they must run inside ``Database.write()``."""
    if not session.info.get("write"):
        raise RuntimeError("write service called outside Database.write()")
