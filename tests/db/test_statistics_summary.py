"""The statistics summary (revision 0012) gives exactly the figures of the direct computation.

The direct computation (``tables.direct()``: the GROUP BY over the cases that the tables
ran before the summary existed) is the oracle: on a generated desk of a few thousand
demo cases every figure of every table, for months, a quarter, a year, ranges that start
and end inside a month and the whole history, must be the same through the summary —
after the bulk load, after changes through the services (refreshed in the same
transaction), and after a change written by another program (raw SQL: only the triggers
know; the read adds the difference without writing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, text

from mediation import demo, statistics
from mediation.db import Database
from mediation.models import Case, StatMonth, StatStale
from mediation.statistics import Period, summary
from mediation.statistics.tables import TABLES, compute, direct
from mediation.timeutil import clock_at
from tests.conftest import Desk

NOW = dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
PERIODS = [
    Period.parse("2026-10"), Period.parse("2026-02"), Period.parse("2025-12"), Period.parse("2026-Q3"),
    Period.parse("2025"), Period.between(dt.date(2025, 3, 17), dt.date(2025, 6, 9)),
    Period.between(dt.date(2026, 10, 5), dt.date(2026, 10, 20)),
    Period.between(dt.date(2024, 11, 15), dt.date(2026, 2, 10)), Period.between(dt.date(2025, 1, 1), dt.date(2026, 1, 31)),
    Period.between(dt.date(2000, 1, 1), dt.date(2026, 11, 1)),
]


def _all_figures(db: Database, desk: Desk, *, oracle: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with db.read() as s, clock_at(NOW):
        for code in TABLES:
            for p in PERIODS:
                if oracle:
                    with direct():
                        r = compute(s, code, None, p)
                else:
                    r = statistics.table(s, desk.officer, code, p)
                out[f"{code} {p.code}"] = (r.to_data(), [x.check for x in r.problems])
    return out


def _charts(db: Database, desk: Desk, *, oracle: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with db.read() as s, clock_at(NOW):
        for p in PERIODS[:6]:
            if oracle:
                with direct():
                    c = statistics.charts(s, desk.officer, p)
            else:
                c = statistics.charts(s, desk.officer, p)
            out[p.code] = ([(m.month.code, m.accepted, m.last_year) for m in c.months], c.types, c.funnel, c.heat,
                           sorted((x.label, x.count, tuple(sorted(x.key.split(",")))) for x in c.sources))
    return out


def _assert_same(db: Database, desk: Desk) -> None:
    got = _all_figures(db, desk, oracle=False)
    want = _all_figures(db, desk, oracle=True)
    for key in want:
        assert got[key] == want[key], key
    assert _charts(db, desk, oracle=False) == _charts(db, desk, oracle=True)
    assert any(v for row in want["people 2025"][0]["blocks"][0]["rows"].values() for v in row.values())


@pytest.fixture
def filled(db: Database) -> Desk:
    desk = Desk(db)
    demo.generate(db, cases=2500, seed=15, now=NOW, bulk_threshold=1000, parallel=False)
    return desk


def test_summary_equals_direct_after_bulk_load_and_changes(db: Database, filled: Desk) -> None:
    with db.read() as s:
        assert summary.usable(s)
        assert s.scalar(select(func.count()).select_from(StatStale)) == 0
        assert (s.scalar(select(func.count()).select_from(StatMonth)) or 0) > 0
    _assert_same(db, filled)

    # an older program (or psql) changes cases behind the program's back: only the triggers see it
    with db.engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text(
            "SELECT id FROM mediation_case WHERE agreement_reached_at IS NOT NULL ORDER BY id LIMIT 40"))]
        conn.execute(text("UPDATE mediation_case SET performance_status = 'breached', agreement_kind = 'oral'"
                          " WHERE id IN (" + ",".join(map(str, ids[:20])) + ")"))
        conn.execute(text("UPDATE mediation_case SET agreement_reached_at = NULL, terminated_at = closed_at"
                          " WHERE id IN (" + ",".join(map(str, ids[20:])) + ")"))
        conn.execute(text("DELETE FROM case_party WHERE case_id IN (" + ",".join(map(str, ids[:5])) + ")"))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(StatStale)) == 40
    _assert_same(db, filled)  # the reads add the difference of the stale cases

    # the program's next write refreshes them, in its own transaction
    with db.write() as s:
        c = s.get(Case, ids[0])
        assert c is not None
        c.people_involved = (c.people_involved or 0) + 3
        s.flush()
        assert s.scalar(select(func.count()).select_from(StatStale)) == 0
    _assert_same(db, filled)

    # a terminated case reopened (as the workflow's reopen will do: its end cleared, the figures
    # count by the case's current state): one 终止 fewer in its month, in the same transaction
    from mediation.timeutil import local_date

    with db.read() as s:
        reopened_id, ended = s.execute(select(Case.id, Case.terminated_at).where(
            Case.terminated_at.is_not(None), Case.track == "people").order_by(Case.id).limit(1)).one()
        assert ended is not None
        month = Period.month(local_date(ended).year, local_date(ended).month)
        terminated_before = int(compute(s, "people", None, month).value("total", "terminated", "本期") or 0)
    with db.write() as s:
        c = s.get(Case, reopened_id)
        assert c is not None
        c.terminated_at = c.closed_at = c.result = None
        c.stage = "mediating"
        s.flush()
        assert compute(s, "people", None, month).value("total", "terminated", "本期") == terminated_before - 1
    with db.read() as s, direct():
        assert compute(s, "people", None, month).value("total", "terminated", "本期") == terminated_before - 1
    _assert_same(db, filled)

    # a rebuild from scratch gives the same sums as the incremental path
    with db.read() as s:
        before = sorted(tuple(r) for r in s.execute(select(StatMonth.desk_id, StatMonth.month, StatMonth.measure,
                                                             StatMonth.track, StatMonth.category_id,
                                                             StatMonth.subcategory_id, StatMonth.source_id,
                                                             StatMonth.extra, StatMonth.value)))
    with db.write() as s:
        summary.rebuild(s)
    with db.read() as s:
        after = sorted(tuple(r) for r in s.execute(select(StatMonth.desk_id, StatMonth.month, StatMonth.measure,
                                                            StatMonth.track, StatMonth.category_id,
                                                            StatMonth.subcategory_id, StatMonth.source_id,
                                                            StatMonth.extra, StatMonth.value)))
    assert before == after


def test_case_trigger_columns_match_the_revision() -> None:
    import importlib

    rev = importlib.import_module("mediation.migrations.versions.0012_stats_summary")
    assert set(rev.CASE_COLUMNS) == set(summary.CASE_TRIGGER_COLUMNS)


def test_reindex_command_rebuilds_the_summary(sqlite_db: Database, capsys: Any, monkeypatch: Any) -> None:
    import io
    import sys

    from mediation import cli
    from mediation.models import AuditLog

    desk = Desk(sqlite_db)
    demo.generate(sqlite_db, cases=60, seed=4, now=NOW)

    def rows() -> list[Any]:
        with sqlite_db.read() as s:
            return sorted(tuple(r) for r in s.execute(text("SELECT * FROM stat_month")).all())

    before = rows()
    assert before
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM stat_month"))
    assert rows() == []
    monkeypatch.setattr(sys, "stdin", io.StringIO("Harbor-Maple-2718\n"))
    assert cli.main(["--db", sqlite_db.url, "db", "reindex", "--as", "admin", "--as-password-stdin"]) == 0
    assert "已重建统计汇总：60 件案件" in capsys.readouterr().out
    assert rows() == before
    with sqlite_db.read() as s:
        assert s.scalar(select(AuditLog.action).order_by(AuditLog.id.desc()).limit(1)) == "db.reindex"
    _ = desk


def test_an_edited_holiday_calendar_recounts_the_working_days(sqlite_db: Database) -> None:
    """An administrator makes working days holidays: every case's working days may change, so
    all are marked stale and refreshed by the flush; the quality table still equals the direct one."""
    from mediation.services import deadlines
    from mediation.settings import get_setting

    desk = Desk(sqlite_db)
    demo.generate(sqlite_db, cases=300, seed=9, now=NOW)
    period = Period.parse("2026")
    with sqlite_db.read() as s, clock_at(NOW):
        before = compute(s, "quality", None, period).value("avg_days", "now")
    with sqlite_db.write() as s:
        for day in range(5, 30):  # three weeks of October 2026 made days off
            when = dt.date(2026, 10, day)
            if when.weekday() < 5:
                deadlines.set_day(s, desk.admin, when, "holiday", "测试停工")
        s.flush()
        assert s.scalar(select(func.count()).select_from(StatStale)) == 0
        assert get_setting(s, summary.BASIS_KEY) == summary.basis(s)
    with sqlite_db.read() as s, clock_at(NOW):
        assert summary.usable(s)
        after = compute(s, "quality", None, period)
        with direct():
            want = compute(s, "quality", None, period)
    assert after.to_data() == want.to_data()
    assert after.value("avg_days", "now") != before  # the figure did move with the calendar
