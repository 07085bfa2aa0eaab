"""Every list page, search and count is served by an index: the plans of the statements the services send.

Each check runs the real service call, records the statements it sent, and asks the
database for their plans:

* SQLite: the test database is given the statistics of the 1,000,000-case benchmark
  database (``tests/db/data/sqlite_stat1.json``, written into ``sqlite_stat1``), so the
  planner chooses as it does at that size. No statement scans a large table whole, no
  page is sorted unless it is a bounded set of ids, and each search and count uses the
  index it is meant to.
* PostgreSQL: statistics cannot be injected, so the database holds 10,000 demo cases,
  vacuumed and analyzed as after any bulk load, and the planner is also told that a
  sequential scan (and, for pages in an index's order, a sort) costs too much
  (``enable_seqscan``, ``enable_sort`` off): if the plan still scans a large table or
  sorts, no index can serve the statement.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from mediation import workflow
from mediation.db import Database
from mediation.migrate import upgrade
from mediation.services import caselist, cases, search
from mediation.services.caselist import SORT_KEYS, CaseQuery
from tests.conftest import backends
from tests.factories import dispute, person

STATS = json.loads((Path(__file__).parent / "data" / "sqlite_stat1.json").read_text(encoding="utf-8"))
BIG = ("mediation_case", "search_gram", "consultation", "consultation_gram", "party", "case_party", "case_event")
OPEN = tuple(sorted(workflow.OPEN_STAGES))
PG_CASES = 10_000


def _record(db: Database, call: Callable[[Any], Any]) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with db.read() as s:
            call(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return sent


def _plans(db: Database, call: Callable[[Any], Any], *, no_sort: bool,
           no_index_scan: bool = False) -> list[tuple[str, str]]:
    """(statement, plan text) of every SELECT ``call`` sent."""
    out: list[tuple[str, str]] = []
    statements = _record(db, call)
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            if no_sort:
                conn.exec_driver_sql("SET enable_sort = off")
            if no_index_scan:  # only bitmap scans left: can the GIN index serve it?
                conn.exec_driver_sql("SET enable_indexscan = off")
            for sql, params in statements:
                rows = conn.exec_driver_sql("EXPLAIN " + sql, params).all()
                out.append((sql, "\n".join(r[0] for r in rows)))
        else:
            for sql, params in statements:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
                out.append((sql, " | ".join(r[-1] for r in rows)))
        conn.rollback()
    return out


def _scans_a_big_table(dialect: str, plan: str, sql: str = "") -> bool:
    if dialect == "postgresql":
        return any(f"Seq Scan on {t}" in plan for t in BIG)
    return any(f"SCAN {t}" in plan and f"SCAN {t} USING" not in plan for t in BIG)


def _sorts(dialect: str, plan: str) -> bool:
    return ("Sort" in plan) if dialect == "postgresql" else ("TEMP B-TREE FOR ORDER BY" in plan)


class _Desk:
    """The people of the planned desk (as tests.conftest.Desk)."""

    def __init__(self, db: Database) -> None:
        from tests.conftest import Desk

        d = Desk(db)
        self.admin, self.officer, self.volunteer, self.desk_id = d.admin, d.officer, d.volunteer, d.desk_id
        self.number: str | None = None


def _populate(db: Database, *, cases_: int) -> _Desk:
    import datetime as dt

    from mediation import demo
    from mediation.services import search_index

    desk = _Desk(db)
    if cases_:
        with db.write() as s:
            demo.generate(s, cases=cases_, seed=3, parallel=False,
                          now=dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC))
        search_index.after_bulk_load(db)
    with db.write() as s:
        for i in range(3):
            ref = cases.register_case(s, desk.volunteer, dispute(facts=f"电动车撞坏自行车第{i}次。", parties=[
                person("applicant", "王小明", seq=100 + i, phone="13812345678"),
                person("respondent", "李四", seq=200 + i, phone="13900001111")]))
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        desk.number = cases.accept_case(s, desk.officer, ref.id).number
    return desk


@pytest.fixture(scope="module", params=backends())
def plan_db(request: pytest.FixtureRequest, sqlite_template: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, _Desk]]:
    """SQLite: a few cases and the 1,000,000-case statistics; PostgreSQL: 10,000 demo cases, vacuumed and analyzed."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("plans") / "plans.sqlite3"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        desk = _populate(db, cases_=0)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")  # creates sqlite_stat1
            conn.exec_driver_sql("DELETE FROM sqlite_stat1")
            for tbl, idx, stat in STATS["sqlite_stat1"]:
                conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (tbl, idx, stat))
            conn.commit()
        db.engine.dispose()  # statistics are read when a connection opens
    else:
        from tests.db.test_migrations import _fresh_pg_engine

        engine = _fresh_pg_engine("mediation_plans")
        upgrade(engine, backup=False)
        db = Database(engine.url.render_as_string(hide_password=False), engine=engine)
        desk = _populate(db, cases_=PG_CASES)
    yield db, desk
    db.dispose()


LIST_QUERIES = [
    CaseQuery(sort=sort, descending=desc) for sort in SORT_KEYS for desc in (True, False)
] + [
    CaseQuery(stages=OPEN, sort="deadline", descending=False),
    CaseQuery(stages=(workflow.MEDIATING,), sort="deadline", descending=False),
    CaseQuery(overdue=True, sort="deadline", descending=False),
    CaseQuery(categories=("合同", "消费"), sort="stage", descending=False),
    CaseQuery(mediator_id=2),
]


@pytest.mark.parametrize("query", LIST_QUERIES, ids=lambda q: f"{q.sort}-{'desc' if q.descending else 'asc'}"
                         f"{'-open' if q.stages == OPEN else ''}{'-stage' if q.stages and q.stages != OPEN else ''}"
                         f"{'-overdue' if q.overdue else ''}{'-cat' if q.categories else ''}"
                         f"{'-mine' if q.mediator_id else ''}")
def test_every_list_page_walks_an_index(plan_db, query):
    db, planned = plan_db
    if query.categories:  # the labels written above, as the desk's category ids (0007)
        from dataclasses import replace

        from mediation.services import reference

        with db.read() as s:
            ids = dict(reference.category_filter(s, planned.officer))
        query = replace(query, categories=tuple(i for label in query.categories for i in ids.get(label, ())))
        assert query.categories
    plans = _plans(db, lambda s: caselist.list_cases(s, planned.officer, query, limit=200), no_sort=True)
    assert plans
    for sql, plan in plans:
        assert not _scans_a_big_table(db.dialect, plan, sql), (sql, plan)
        assert not _sorts(db.dialect, plan), (sql, plan)


# (query, the plan the search must take, an index or table its page statement must use)
SEARCHES = [
    ("王", "posting", "search_gram"),
    ("张三", "posting", "search_gram"),
    ("王 电动车", "posting", "search_gram"),
    ("12", "walk", "ix_case_desk_registered"),
    ("警", "walk", "ix_case_desk_registered"),
    ("电动车", "few", "case_fts"),
    ("自行车第1次", "few", "case_fts"),
    ("NUMBER", "number", "number"),
    ("NUMBER-TYPED", "number", "number"),
]


def _term(term: str, desk: Any) -> str:
    if term == "NUMBER":
        return str(desk.number)
    if term == "NUMBER-TYPED":
        return str(desk.number).replace("（", "(").replace("）", ") ").replace("第00", "第 ")
    return term


@pytest.mark.parametrize("term,plan,index", SEARCHES)
def test_every_search_uses_its_index(plan_db, term, plan, index):
    db, planned = plan_db
    text_ = _term(term, planned)
    with db.read() as s:
        prepared = search.prepare(s, text_, frozenset({planned.desk_id}))
        assert prepared is not None
        got = prepared.plan
    if db.dialect == "postgresql" and index == "case_fts" and term == "电动车":
        # pg_trgm: a term in many cases is checked walking the list (the GIN index can
        # serve it too: checked below with the index scans switched off).
        plan = "walk"
    if db.dialect == "postgresql" and term == "王 电动车":
        plan = "few"  # with a 3+ term PostgreSQL plans the name's posting as a set
    assert got == plan, (term, got)
    # A posting or a walk gives the order itself (no sort allowed); a few ids or the one
    # numbered case are sorted, a bounded handful.
    plans = _plans(db, lambda s: caselist.search(s, planned.officer, text_, limit=50),
                   no_sort=plan in ("posting", "walk"))
    page = plans[-1]
    assert "mediation_case" in page[0]
    for sql, p in plans:
        assert not _scans_a_big_table(db.dialect, p, sql), (sql, p)
    if index == "number":
        index = "uq_mediation_case_number" if db.dialect == "postgresql" else "sqlite_autoindex_mediation_case_2"
    if index == "case_fts" and db.dialect == "sqlite":
        assert "VIRTUAL TABLE INDEX" in page[1] and "case_fts" in page[1], page
    elif index == "case_fts" and plan == "few":  # a rare term's cases taken from the GIN index
        assert "ix_case_search_trgm" in page[1], page
    elif index == "case_fts":
        forced = _plans(db, lambda s: caselist.search(s, planned.officer, text_, limit=50), no_sort=False,
                        no_index_scan=True)
        assert "ix_case_search_trgm" in forced[-1][1], forced[-1]
    elif index == "ix_case_desk_registered":  # a walk in the list's order, by either of its indexes
        assert "ix_case_desk_registered" in page[1] or "ix_case_registered_id" in page[1], page
    else:
        assert index in page[1], page
    if plan in ("posting", "walk"):
        assert not _sorts(db.dialect, page[1]), page


COUNTS = {
    "desk": (CaseQuery(), "case_stage_count"),
    "open stages": (CaseQuery(stages=OPEN), "case_stage_count"),
    "one stage": (CaseQuery(stages=(workflow.MEDIATING,)), "case_stage_count"),
    "overdue": (CaseQuery(overdue=True), ("ix_case_desk_stage_deadline", "ix_case_open_deadline")),
    # One short term: the count kept per desk and substring (0014), its primary key.
    "search 王": (CaseQuery(text="王"), "search_gram_count"),
    "search 12": (CaseQuery(text="12"), "search_gram_count"),
    # With a filter: along the name posting.
    "search 王, one stage": (CaseQuery(text="王", stages=(workflow.MEDIATING,)), "search_gram"),
    # Three characters: SQLite's FTS5 index alone (one desk holds every case); PostgreSQL's trigram index.
    "search 电动车": (CaseQuery(text="电动车"), ("case_fts", "ix_case_search_trgm")),
}


@pytest.mark.parametrize("name", list(COUNTS))
def test_every_count_uses_its_index(plan_db, name):
    db, planned = plan_db
    query, index = COUNTS[name]
    plans = _plans(db, lambda s: caselist.count_cases(s, planned.officer, query), no_sort=True)
    count = plans[-1]
    assert "count" in count[0].lower()
    assert any(i in count[1] for i in ((index,) if isinstance(index, str) else index)), count
    for sql, p in plans:
        assert not _scans_a_big_table(db.dialect, p, sql), (sql, p)


def test_a_search_by_id_number_uses_its_indexes(plan_db):
    db, planned = plan_db
    from tests.factories import make_id
    import datetime as dt

    full = make_id(dt.date(2003, 5, 17), 100)
    sent: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, em: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    for wanted, index in ((full, "ix_party_id_number"), (full[-6:], "ix_party_id_number_tail")):
        sent.clear()
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            with db.write() as s:
                rows = caselist.search_id_number(s, planned.volunteer, wanted)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert len(rows) == 1
        sql, params = next((q, p) for q, p in sent if "party" in q and "mediation_case" in q)
        with db.engine.connect() as conn:
            if db.dialect == "postgresql":
                conn.exec_driver_sql("SET enable_seqscan = off")
                plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
            else:
                plan = " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            conn.rollback()
        assert index in plan, plan
        assert not _scans_a_big_table(db.dialect, plan), plan


def test_statistics_are_the_large_databases(plan_db):
    db, _planned = plan_db
    if db.dialect != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's statistics cannot be injected")
    with db.read() as s:
        stat = s.execute(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_case_desk_registered'")).scalar()
    assert int(stat.split()[0]) >= 100_000
