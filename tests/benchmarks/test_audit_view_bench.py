"""The audit viewer's first page on a log of several million rows (issue 15 item 5), beside raw sqlite3.

Run: ``.venv/bin/python -m pytest tests/benchmarks/test_audit_view_bench.py -p no:cacheprovider
--benchmark-only --timeout=0`` (``MEDIATION_BENCH_AUDIT_ROWS``, default 3,000,000; building the
database takes several minutes the first time). The database is built once
and kept in ``$TMPDIR/mediation-bench/``: two desks with their accounts and 2,000 demo cases made by
the program, then the audit log filled to the row count by plain ``INSERT``s (two desk chains and
the chain of no desk, nine people, the program's actions in their usual mix, three years of
moments with nights and weekends). Those bulk rows are shaped like real ones but their hashes
are not a valid chain: the viewer reads rows, it does not verify them (``audit verify`` has its
own figure in BENCHMARKS.md).

Each figure twice: through ``audit_view.list_entries`` (200 rows, flags computed), and ``raw``,
the very statements it sent replayed on a bare ``sqlite3`` connection.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mediation.db import Database, make_engine
from mediation.migrate import head_revision, upgrade
from mediation.permissions import Actor
from mediation.services import audit_view
from mediation.services.audit_view import AuditQuery
from tests.benchmarks.conftest import Recorder, raw_connection, replay
from tests.benchmarks.results import RESULTS, keep

ROWS = int(os.environ.get("MEDIATION_BENCH_AUDIT_ROWS", "3000000"))
GENERATOR_VERSION = "1"
START = dt.datetime(2023, 11, 1, tzinfo=dt.UTC)
SPAN_S = 3 * 365 * 86400
ACTIONS = [("case.update", "case", 30), ("case.session", "case", 12), ("case.register", "case", 8),
           ("case.accept", "case", 6), ("case.follow_up", "case", 6), ("document.update", "document", 12),
           ("document.render", "document", 6), ("document.finalize", "document", 3), ("party.view_id", "party", 2),
           ("user.login", "user", 12), ("shift.check_in", "duty_shift", 2), ("data.export", "database", 0.02)]


@dataclass
class AuditBench:
    path: Path
    db: Database
    officer: Actor
    admin: Actor
    volunteer_id: int
    case_id: int


def _build(path: Path) -> float:
    from mediation import demo
    from mediation.services import accounts, setup

    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    upgrade(engine, backup=False)
    engine.dispose()
    db = Database(f"sqlite:///{tmp}")
    with db.write() as s:
        admin = setup.initialise(s, desk_name="基准测试大学警校联调中心", number_prefix="B警校调字",
                                 admin_username="admin", admin_display_name="管理员",
                                 admin_password="admin1234")
        other = setup.create_desk(s, admin, name="另一所大学警校联调中心", number_prefix="C警校调字")
        for i, (role, name, desk) in enumerate([("officer", "王警官", admin.desk_id), ("volunteer", "李同学", admin.desk_id),
                                                ("volunteer", "赵同学", admin.desk_id), ("adviser", "周老师", admin.desk_id),
                                                ("officer", "刘警官", other), ("volunteer", "孙同学", other),
                                                ("volunteer", "钱同学", other)]):
            accounts.create_user(s, admin, username=f"{role}{i}", display_name=name, role=role,
                                 password="pass1234", desk_id=desk)
    demo.generate(db, cases=2000, seed=2026, now=dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC))
    db.dispose()
    started = time.perf_counter()
    conn = sqlite3.connect(str(tmp), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    users = conn.execute("SELECT id, desk_id FROM user_account").fetchall()
    cases = conn.execute("SELECT id, desk_id FROM mediation_case").fetchall()
    seqs = dict(conn.execute("SELECT COALESCE(desk_id, 0), MAX(seq) FROM audit_log GROUP BY desk_id").fetchall())
    have = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    rng = random.Random(15)
    weights = [w for *_x, w in ACTIONS]
    desks = sorted({d for _u, d in users if d is not None})
    by_desk_users = {d: [u for u, ud in users if ud == d] for d in desks}
    by_desk_cases = {d: [c for c, cd in cases if cd == d] or [c for c, _cd in cases] for d in desks}
    # Bulk load: the log's indexes are dropped and made again afterwards (the same definitions).
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'"
                           " AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("BEGIN")
    batch: list[tuple[Any, ...]] = []
    moments = sorted(rng.random() for _ in range(ROWS - have))
    for frac in moments:
        at = START + dt.timedelta(seconds=frac * SPAN_S)
        hour = (at.hour + 8) % 24
        if rng.random() < 0.85 and not 8 <= hour < 20:  # most work by day
            at -= dt.timedelta(hours=12)
        roll = rng.random()
        desk = None if roll < 0.01 else (desks[0] if roll < 0.7 else desks[-1])
        action, entity, _w = rng.choices(ACTIONS, weights)[0]
        user = rng.choice(by_desk_users[desk if desk is not None else desks[0]])
        case_id = rng.choice(by_desk_cases[desk if desk is not None else desks[0]]) if entity in ("case", "document") else None
        key = desk or 0
        seqs[key] = seqs.get(key, 0) + 1
        before = '{"title":"旧标题"}' if action == "case.update" else None
        after = '{"title":"新标题","facts":"双方因押金退还发生纠纷。"}' if action == "case.update" else '{"n":1}'
        batch.append((at.replace(tzinfo=None).isoformat(sep=" "), user if desk is not None else None, action, entity,
                      case_id or rng.randrange(1, 5000), case_id, before, after, "0" * 64, "f" * 64, desk, seqs[key],
                      "bench0000000000"))
        if len(batch) == 50_000:
            conn.executemany("INSERT INTO audit_log (at, user_id, action, entity, entity_id, case_id, before, after,"
                             " prev_hash, hash, desk_id, seq, key_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            batch = []
    if batch:
        conn.executemany("INSERT INTO audit_log (at, user_id, action, entity, entity_id, case_id, before, after,"
                         " prev_hash, hash, desk_id, seq, key_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
    conn.execute("COMMIT")
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.replace(path)
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def audit_bench() -> Iterator[AuditBench]:
    folder = Path(tempfile.gettempdir()) / "mediation-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"audit-{head_revision()}-g{GENERATOR_VERSION}-{ROWS}.sqlite3"
    if not path.exists():
        seconds = _build(path)
        RESULTS.meta.setdefault("notes", []).append(f"audit log of {ROWS} rows filled in {seconds:.0f} s")
    db = Database(f"sqlite:///{path}")
    from mediation.models import AuditLog, Case, User
    from mediation.services.accounts import actor_for

    with db.read() as s:
        users = {u.username: actor_for(u) for u in s.scalars(select(User))}
        case_id = s.scalar(select(Case.id).where(Case.desk_id == users["officer0"].desk_id).order_by(Case.id))
        total = s.execute(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)).scalar()
    assert case_id is not None and total is not None
    RESULTS.meta.setdefault("audit_rows", total)
    RESULTS.meta.setdefault("path", str(path))  # bench-results.json goes beside it
    yield AuditBench(path, db, users["officer0"], users["admin"], users["volunteer1"].user_id, case_id)
    db.dispose()


def _run(benchmark: Any, bench: AuditBench, impl: str, call: Any) -> Any:
    if impl == "api":
        def once() -> Any:
            with bench.db.read() as s:
                return call(s)
        return benchmark(once)
    recorder = Recorder(bench.db)
    with bench.db.read() as s:
        recorder.record(lambda: call(s))
    conn = raw_connection(bench.path)
    try:
        benchmark(replay, conn, recorder.statements)
    finally:
        conn.close()
    return None


PAGES: dict[str, tuple[str, AuditQuery, int]] = {
    "audit p1 officer's desk": ("officer", AuditQuery(), 1),
    "audit p1 every desk (administrator)": ("admin", AuditQuery(), 1),
    "audit p100 officer's desk": ("officer", AuditQuery(), 100),
    "audit p1 one person": ("officer", AuditQuery(user_id=-1), 1),
    "audit p1 one case": ("officer", AuditQuery(case_id=-1), 1),
    "audit p1 action case.update": ("officer", AuditQuery(action="case.update"), 1),
    "audit p1 a month two years back": ("officer", AuditQuery(since=dt.date(2024, 11, 1), until=dt.date(2024, 11, 30)), 1),
    "audit p1 flag bulk exports": ("officer", AuditQuery(flag=audit_view.BULK_EXPORT), 1),
    "audit p1 flag full-ID views": ("officer", AuditQuery(flag=audit_view.ID_VIEW), 1),
    "audit p1 flag outside duty hours": ("officer", AuditQuery(flag=audit_view.OFF_HOURS), 1),
    "audit p1 flag after archive": ("officer", AuditQuery(flag=audit_view.AFTER_ARCHIVE), 1),
}


@pytest.mark.parametrize("impl", ["api", "raw"])
@pytest.mark.parametrize("name", list(PAGES))
def test_audit_page(benchmark: Any, audit_bench: AuditBench, name: str, impl: str) -> None:
    who, query, page = PAGES[name]
    actor = audit_bench.officer if who == "officer" else audit_bench.admin
    if query.user_id == -1:
        query = AuditQuery(user_id=audit_bench.volunteer_id)
    if query.case_id == -1:
        query = AuditQuery(case_id=audit_bench.case_id)
    cursor = None
    with audit_bench.db.read() as s:
        for _i in range(page - 1):
            cursor = audit_view.list_entries(s, actor, query, cursor=cursor).cursor
            assert cursor is not None
    benchmark.group = name
    result = _run(benchmark, audit_bench, impl, lambda s: audit_view.list_entries(s, actor, query, cursor=cursor))
    if result is not None:
        assert result.entries or query.flag
    keep(name, impl, benchmark, target_ms=50)
