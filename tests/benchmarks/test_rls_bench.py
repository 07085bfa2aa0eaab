"""What row-level security costs on the case list, counts and search (issue 11 item 3).

Two desks of ``MEDIATION_BENCH_RLS_CASES`` generated cases each (default 3,000) in a fresh
PostgreSQL database (``MEDIATION_TEST_PG_URL``'s server). The same officer of desk A runs
the same queries through the program twice: connected as the database owner (no
row-level security: only the program's own ``desk_id`` filter) and as desk A's role (the
program's filter plus the policies). Run: ``MEDIATION_TEST_PG_URL=… scripts/bench_core.sh
tests/benchmarks/test_rls_bench.py``; figures in BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from mediation import rls, workflow
from mediation.db import Database, normalise_url
from mediation.migrate import upgrade
from mediation.permissions import Actor
from mediation.services import accounts, caselist, desks, setup
from mediation.services.caselist import CaseQuery

PG_URL = os.environ.get("MEDIATION_TEST_PG_URL", "")
CASES = int(os.environ.get("MEDIATION_BENCH_RLS_CASES", "3000"))
NOW = dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
IMPLS = ("owner", "desk role")

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (MEDIATION_TEST_PG_URL)")


@dataclass
class RlsBench:
    dbs: dict[str, Database]
    officer: Actor
    total_a: int


@pytest.fixture(scope="module")
def rls_bench() -> Iterator[RlsBench]:
    suffix = uuid.uuid4().hex[:8]
    name, role = f"mediation_rls_bench_{suffix}", f"bench_desk_{suffix}"
    server = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner_url = make_url(normalise_url(PG_URL)).set(database=name)
    owner = Database(owner_url.render_as_string(hide_password=False))
    upgrade(owner.engine, backup=False)
    with owner.write() as s:
        admin = setup.initialise(s, desk_name="甲大学警校联调中心", number_prefix="甲警校调字", admin_username="admin",
                                 admin_display_name="管理员", admin_password="Harbor-Maple-2718")
        desk_b = desks.add_desk(s, admin, name="乙大学警校联调中心", number_prefix="乙警校调字")
        officer_id = accounts.create_user(s, admin, username="officer_a", display_name="王警官", role="officer",
                                          password="Qiushi-Lake-42", desk_id=admin.desk_id)
    from mediation import demo

    assert admin.desk_id is not None
    for desk_id, seed in ((admin.desk_id, 1), (desk_b, 2)):
        demo.generate(owner, cases=CASES, seed=seed, desk_id=desk_id, admin=admin, now=NOW)
    with owner.engine.begin() as conn:
        rls.grant_desk(conn, role, desk_id=admin.desk_id)
        conn.exec_driver_sql("ANALYZE")
    desk = Database(owner_url.set(username=role, password=None).render_as_string(hide_password=False))
    officer = Actor(officer_id, "officer_a", "王警官", "officer", admin.desk_id)
    with owner.read() as s:
        total_a = caselist.count_cases(s, officer, CaseQuery())
    try:
        yield RlsBench({"owner": owner, "desk role": desk}, officer, total_a)
    finally:
        owner.dispose()
        desk.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        server.dispose()


QUERIES: dict[str, Any] = {
    "rls list p1 registered desc": lambda s, a: caselist.list_cases(s, a, CaseQuery(), limit=200).rows,
    "rls list p1 open, deadline asc": lambda s, a: caselist.list_cases(
        s, a, CaseQuery(stages=tuple(sorted(workflow.OPEN_STAGES)), sort="deadline", descending=False),
        limit=200).rows,
    "rls count desk": lambda s, a: caselist.count_cases(s, a, CaseQuery()),
    "rls search 押金 (2 characters)": lambda s, a: caselist.search(s, a, "押金", limit=50),
    "rls search a name (3 characters)": lambda s, a: caselist.search(s, a, "王小明", limit=50),
}


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("name", list(QUERIES))
def test_rls_cost(benchmark: Any, rls_bench: RlsBench, name: str, impl: str) -> None:
    db = rls_bench.dbs[impl]
    query = QUERIES[name]
    benchmark.group = name

    def run() -> Any:
        with db.read() as s:
            return query(s, rls_bench.officer)

    result = benchmark(run)
    with rls_bench.dbs["owner"].read() as s:
        assert result == query(s, rls_bench.officer)  # the same answer either way
    if name == "rls count desk":
        assert result == rls_bench.total_a
