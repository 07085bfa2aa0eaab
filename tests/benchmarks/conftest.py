"""Benchmark fixtures: a generated database (SQLite or PostgreSQL) kept between runs, and raw anchors.

Size: ``MEDIATION_BENCH_CASES`` (default 100,000; 1,000,000 is the city-scale run of
issue 13). Database:

* SQLite (default): a file in ``MEDIATION_BENCH_DIR`` (default
  ``$TMPDIR/mediation-bench``), ``bench-g<generator>-<cases>.sqlite3``.
* PostgreSQL: ``MEDIATION_BENCH_PG_URL`` names a server (any database on it, e.g. the
  ``MEDIATION_TEST_PG_URL`` that ``scripts/pg_temp.sh start --production --dir DIR``
  prints); the benchmark database ``mediation_bench_g<generator>_<cases>`` is created
  on it. Measured as the connecting role (the owner) unless
  ``MEDIATION_BENCH_PG_MEASURE_URL`` gives another login, or ``MEDIATION_BENCH_PG_AS=desk``:
  as the desk's own login role under row-level security (``bench_desk``, mapped to the
  desk by ``rls.grant_desk`` like ``mediation db grant-desk``; it owns no table, so every
  policy applies), the program and the raw replay alike.

The database is built once (1,000,000 cases: about 7 minutes on SQLite, 15 on
PostgreSQL here) and kept; a database built by an older program is upgraded in place
(Alembic, timed and noted), so "before" and "after" figures can come from the very
same rows. Every figure is taken twice in the same run: through the program's own
function, and as ``raw``, the very statements that function sent (recorded from the
engine) replayed on a bare driver connection (stdlib ``sqlite3`` / ``psycopg``). Each is
the median of ``MEDIATION_BENCH_ROUNDS`` (default 20) warm runs. The summary at the end
prints each pair with its ratio and target and writes them to ``bench-results*.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from mediation.db import Database, make_engine, normalise_url
from mediation.migrate import current_revision, head_revision, upgrade
from mediation.permissions import Actor
from tests.benchmarks.results import RESULTS

CASES = int(os.environ.get("MEDIATION_BENCH_CASES", "100000"))
ROUNDS = int(os.environ.get("MEDIATION_BENCH_ROUNDS", "20"))
PG_URL = os.environ.get("MEDIATION_BENCH_PG_URL", "")
PG_MEASURE_URL = os.environ.get("MEDIATION_BENCH_PG_MEASURE_URL", "")
PG_AS = os.environ.get("MEDIATION_BENCH_PG_AS", "owner")
"""``owner`` (the database owner: no row-level security) or ``desk`` (the desk's role)."""
DESK_ROLE = "bench_desk"
BENCH_DIR = Path(os.environ.get("MEDIATION_BENCH_DIR", "") or Path(tempfile.gettempdir()) / "mediation-bench")
GENERATOR_VERSION = "5"  # 4 on the features branch (reference ids)
NOW = dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
DESK_NAME = "基准测试大学警校联调中心"


@dataclass
class BenchDB:
    path: Path
    """SQLite: the database file; PostgreSQL: where the results file is written."""
    db: Database
    officer: Actor
    volunteer: Actor
    build_seconds: float | None
    url: str = ""
    """The URL the program measures on (SQLAlchemy form)."""
    notes: list[str] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        return self.db.dialect


def _populate(db: Database) -> tuple[float, list[str]]:
    from mediation import demo
    from mediation.services import accounts, setup

    with db.write() as s:
        admin = setup.initialise(s, desk_name=DESK_NAME, number_prefix="B警校调字",
                                 admin_username="admin", admin_display_name="管理员",
                                 admin_password="Harbor-Maple-2718")
        for i, (role, name) in enumerate([("officer", "王警官"), ("officer", "刘警官"), ("volunteer", "李同学"),
                                          ("volunteer", "赵同学"), ("volunteer", "孙同学"),
                                          ("adviser", "周老师")]):
            accounts.create_user(s, admin, username=f"{role}{i}", display_name=name, role=role,
                                 password="Qiushi-Lake-42", desk_id=admin.desk_id)
    started = time.perf_counter()
    summary = demo.generate(db, cases=CASES, seed=2026, now=NOW)
    seconds = time.perf_counter() - started
    notes = [f"demo.generate({CASES}) {seconds:.1f} s ({summary.mode}, {summary.audit_rows} audit rows)"]
    maintain = _maintenance()
    if maintain is not None:  # the program's own statistics step after a bulk load
        started = time.perf_counter()
        maintain(db)
        notes.append(f"statistics after the load: {time.perf_counter() - started:.1f} s")
    return seconds, notes


def _maintenance() -> Callable[[Database], Any] | None:
    """The program's "after a bulk load" step, if this version of it has one."""
    try:
        from mediation.services import maintenance  # type: ignore[attr-defined]
    except ImportError:
        return None
    return maintenance.after_bulk_load  # type: ignore[no-any-return]


def _build_sqlite(path: Path) -> tuple[float, list[str]]:
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine, backup=False)
    engine.dispose()
    db = Database(f"sqlite:///{tmp}")
    seconds, notes = _populate(db)
    with db.engine.connect() as conn:
        conn.commit()  # the checkpoint cannot run inside a transaction
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    tmp.replace(path)
    return seconds, notes


def _pg_admin() -> Any:
    return create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")


def _pg_bench_url(base: str) -> str:
    name = f"mediation_bench_g{GENERATOR_VERSION}_{CASES}"
    return make_url(normalise_url(base)).set(database=name).render_as_string(hide_password=False)


def _build_pg(url: str) -> tuple[float | None, list[str]]:
    """Create and fill the benchmark database unless a complete one is there already."""
    name = make_url(url).database
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            found = conn.execute(text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"),
                {"n": name}).first()
            if found is not None and found[0] == "complete":
                return None, []
            if found is not None:  # an interrupted build
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    engine = make_engine(url)
    upgrade(engine, backup=False)
    engine.dispose()
    db = Database(url)
    try:
        seconds, notes = _populate(db)
    finally:
        db.dispose()
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS 'complete'"))
    finally:
        admin.dispose()
    return seconds, notes


def _upgrade_in_place(url: str, notes: list[str]) -> None:
    engine = make_engine(url)
    try:
        before = current_revision(engine)
        if before != head_revision():
            started = time.perf_counter()
            upgrade(engine, backup=False)
            notes.append(f"upgraded {before} → {head_revision()} in place: {time.perf_counter() - started:.1f} s")
    finally:
        engine.dispose()


def _desk_role_url(url: str) -> str:
    """The desk's own login role on the benchmark database (created and mapped if need be)."""
    from mediation import rls

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            desk_id = conn.execute(text("SELECT id FROM desk WHERE name = :n"), {"n": DESK_NAME}).scalar_one()
            rls.grant_desk(conn, DESK_ROLE, desk_id=int(desk_id))
    finally:
        engine.dispose()
    return make_url(url).set(username=DESK_ROLE, password=None).render_as_string(hide_password=False)


def _load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on Linux
        return "?"


@pytest.fixture(scope="session")
def bench_db() -> Iterator[BenchDB]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    # The kept database's audit chains are keyed: its key is kept beside it (the test run's
    # own key file is a temporary one, gone after the run, and the next run could not write).
    key_file = BENCH_DIR / "keys.json"
    os.environ["MEDIATION_KEY_FILE"] = str(key_file)
    if PG_URL:
        url = _pg_bench_url(PG_URL)
        build_seconds, notes = _build_pg(url)
        path = BENCH_DIR / f"bench-pg-g{GENERATOR_VERSION}-{CASES}"
        _upgrade_in_place(url, notes)
        measure_url = _pg_bench_url(PG_MEASURE_URL) if PG_MEASURE_URL else url
        if PG_AS == "desk":
            measure_url = _desk_role_url(url)
        elif PG_AS != "owner":
            raise ValueError(f"MEDIATION_BENCH_PG_AS={PG_AS!r}: owner or desk")
    else:
        path = BENCH_DIR / f"bench-g{GENERATOR_VERSION}-{CASES}.sqlite3"
        build_seconds = None
        if path.exists() and not key_file.exists():  # built with a key since lost: writes would fail
            notes.append(f"{path.name}: its audit key is gone, rebuilt")
            for old_file in BENCH_DIR.glob(path.name + "*"):
                old_file.unlink()
        if not path.exists():
            build_seconds, notes = _build_sqlite(path)
        url = measure_url = f"sqlite:///{path}"
        _upgrade_in_place(url, notes)
    db = Database(measure_url)
    from mediation.models import User
    from mediation.services.accounts import actor_for

    with db.read() as s:
        users = {u.username: actor_for(u) for u in s.scalars(select(User))}
        if db.dialect == "postgresql":
            version = s.execute(text("SHOW server_version")).scalar()
            settings = {k: s.execute(text(f"SHOW {k}")).scalar() for k in
                        ("shared_buffers", "fsync", "synchronous_commit", "effective_cache_size", "jit")}
            role = s.execute(text("SELECT current_user")).scalar()
            RESULTS.meta["role"] = f"{role} ({PG_AS})"
            notes.append(f"PostgreSQL {version}, as {role}: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    notes.append(f"load average at start: {_load_average()}")
    RESULTS.meta.update(path=str(path), cases=CASES, build_seconds=build_seconds, notes=notes,
                        dialect=db.dialect, rounds=ROUNDS, revision=head_revision())
    yield BenchDB(path, db, users["officer0"], users["volunteer2"], build_seconds, measure_url, notes)
    db.dispose()


# ---------------------------------------------------------------- recording and replaying SQL


class Recorder:
    """The statements one call sent, to replay them on a bare driver connection."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.statements: list[tuple[str, Any]] = []

    def record(self, fn: Callable[[], Any]) -> Any:
        def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                   executemany: bool) -> None:
            if not statement.startswith(("BEGIN", "PRAGMA")):
                self.statements.append((statement, parameters))

        event.listen(self.db.engine, "before_cursor_execute", listen)
        try:
            return fn()
        finally:
            event.remove(self.db.engine, "before_cursor_execute", listen)


class RawConnection:
    """A bare driver connection to the benchmark database: stdlib sqlite3 or psycopg."""

    def __init__(self, bench: BenchDB | Path) -> None:
        """``bench``: the benchmark database, or a SQLite file (a copy kept beside it)."""
        self.dialect = "sqlite" if isinstance(bench, Path) else bench.dialect
        if self.dialect == "sqlite":
            path = bench if isinstance(bench, Path) else bench.path
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
            self.conn: Any = conn
        else:
            import psycopg

            # Not isinstance(bench, BenchDB): this module is imported twice (as pytest's
            # conftest and by the tests' own imports), so the fixture's class is not this one.
            assert not isinstance(bench, Path), "PostgreSQL: pass the BenchDB"
            u = make_url(bench.url)
            self.conn = psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                                        dbname=u.database, autocommit=True)

    def execute(self, sql: str, params: Any = None) -> Any:
        return self.conn.execute(sql, params) if params is not None else self.conn.execute(sql)

    def close(self) -> None:
        self.conn.close()


def raw_connection(bench: BenchDB | Path) -> RawConnection:
    return RawConnection(bench)


def replay(conn: RawConnection, statements: list[tuple[str, Any]]) -> None:
    """The recorded reads, run and fetched in full as the program did, in one transaction."""
    conn.execute("BEGIN")
    try:
        for sql, params in statements:
            cur = conn.execute(sql, params)
            if cur.description is not None:
                cur.fetchall()
    finally:
        conn.execute("ROLLBACK")


# ---------------------------------------------------------------- results summary


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not RESULTS.medians:
        return
    tr = terminalreporter
    dialect = RESULTS.meta.get("dialect", "sqlite")
    anchor = "raw sqlite3" if dialect == "sqlite" else "raw psycopg"
    tr.section(f"mediation core benchmarks, {dialect}, {RESULTS.meta.get('cases')} cases "
               f"(median ms of {RESULTS.meta.get('rounds')} runs: program vs {anchor})")
    rows = []
    for group in sorted({g for g, _i in RESULTS.medians}):
        api = RESULTS.medians.get((group, "api"))
        raw = RESULTS.medians.get((group, "raw"))
        target_ms, max_ratio = RESULTS.targets[group]
        ratio = api / raw if api is not None and raw else None
        ok = api is not None and api <= target_ms and (max_ratio is None or ratio is None or ratio <= max_ratio)
        rows.append({"group": group, "api_ms": api, "raw_ms": raw, "ratio": ratio, "target_ms": target_ms,
                     "max_ratio": max_ratio, "ok": ok, "extra": RESULTS.extra.get(group)})
        ratio_s = f"{ratio:5.2f}x" if ratio is not None else "   - "
        raw_s = f"{raw:8.2f}" if raw is not None else "       -"
        limit = f"<= {target_ms:g} ms" + (f", <= {max_ratio:g}x raw" if max_ratio else "")
        extra = f"  [{RESULTS.extra[group]}]" if group in RESULTS.extra else ""
        tr.write_line(f"{group:44s} {api or 0:8.2f} {raw_s} {ratio_s}  {limit:24s} {'ok' if ok else 'MISSED'}{extra}")
    RESULTS.meta.setdefault("notes", []).append(f"load average at the end: {_load_average()}")
    for note in RESULTS.meta.get("notes", []):
        tr.write_line(f"note: {note}")
    base = Path(RESULTS.meta.get("path", tempfile.gettempdir()))
    as_desk = "-desk" if str(RESULTS.meta.get("role", "")).endswith("(desk)") else ""
    out = base.with_name(f"bench-results-{dialect}{as_desk}-{RESULTS.meta.get('cases')}.json")
    out.write_text(json.dumps({
        "date": dt.datetime.now().isoformat(timespec="minutes"), "machine": platform.platform(),
        "cpus": os.cpu_count(), "sqlite": sqlite3.sqlite_version, **RESULTS.meta, "results": rows,
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    tr.write_line(f"written: {out}")
