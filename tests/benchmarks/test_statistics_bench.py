"""The statistics tables on 100,000 cases, each beside raw sqlite3 running the same statements.

Run: ``scripts/bench_statistics.sh`` (add ``-k "not direct"`` to skip the direct
computation, ``--pg DIR`` for PostgreSQL). Targets (issue 15): every table for one month
≤ 20 ms, for the whole history ≤ 100 ms; each export ≤ 1 s. ``raw`` replays the very SQL
the table sent (recorded from the engine) on a bare ``sqlite3`` connection: the
difference is the folding of the groups onto the rows in Python, the mapping and, for
the police and quality tables, the working-day arithmetic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mediation import statistics
from mediation.statistics import Period
from mediation.statistics.export import to_pdf, to_xlsx
from mediation.statistics.tables import direct
from mediation.timeutil import clock_at
from tests.benchmarks.conftest import NOW, BenchDB
from tests.benchmarks.results import keep
from tests.benchmarks.test_core_bench import _run

IMPLS = ("api", "raw")
TABLES = ("people", "police", "campus", "quality")
PERIODS = {
    "month": (Period.parse("2026-10"), 20),
    "history": (Period.between(dt.date(2000, 1, 1), dt.date(2026, 11, 1)), 100),
}


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("span", list(PERIODS))
@pytest.mark.parametrize("table", TABLES)
def test_table(benchmark: Any, bench_db: BenchDB, table: str, span: str, impl: str) -> None:
    period, target = PERIODS[span]
    name = f"statistics {table} {span}"
    benchmark.group = name
    with clock_at(NOW):
        result = _run(benchmark, bench_db, impl, lambda s: statistics.table(s, bench_db.officer, table, period))
    if result is not None:
        first = result.columns[0].code
        assert any(r.values.get(first) for r in result.blocks[0].rows)  # the data is there
    keep(name, impl, benchmark, target_ms=target)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("span", list(PERIODS))
@pytest.mark.parametrize("table", TABLES)
def test_table_direct(benchmark: Any, bench_db: BenchDB, table: str, span: str, impl: str) -> None:
    """The same table computed from the cases themselves (what every table did before the
    summary of revision 0012; kept as the tests' oracle), beside its own raw statements."""
    period, target = PERIODS[span]
    name = f"statistics {table} {span} (direct)"
    benchmark.group = name

    def call(s: Any) -> Any:
        with direct():
            return statistics.table(s, bench_db.officer, table, period)

    with clock_at(NOW):
        _run(benchmark, bench_db, impl, call)
    keep(name, impl, benchmark, target_ms=target)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_export(benchmark: Any, bench_db: BenchDB, fmt: str) -> None:
    with bench_db.db.read() as s, clock_at(NOW):
        result = statistics.table(s, bench_db.officer, "people", Period.parse("2026-10"))
    name = f"statistics export people {fmt}"
    benchmark.group = name
    data = benchmark(to_xlsx if fmt == "xlsx" else to_pdf, result)
    assert len(data) > 1000
    keep(name, "api", benchmark, target_ms=1000)
