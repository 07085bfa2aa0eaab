"""The case list (services/caselist.py): keyset paging, jumps, cursors, and the plans of the SQL it sends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, select, update

from mediation import demo, workflow
from mediation.models import Case
from mediation.services import caselist, cases
from mediation.services.caselist import SORT_KEYS, CaseQuery
from tests.conftest import Desk
from tests.factories import dispute


def _register(db, actor, **kw) -> int:
    with db.write() as s:
        return cases.register_case(s, actor, dispute(**kw)).id




def _expected_order(rows: list[Any], sort: str, descending: bool) -> list[int]:
    def key(r: Any) -> tuple[Any, ...]:
        return {"registered_at": (r.registered_at,), "number": (r.year, r.seq),
                "deadline": (r.deadline,), "stage": (r.stage,), "category": (r.category_id,)}[sort]

    valued = [r for r in rows if key(r)[0] is not None]
    empty = [r for r in rows if key(r)[0] is None]
    valued.sort(key=lambda r: (*key(r), r.id), reverse=descending)
    empty.sort(key=lambda r: r.id, reverse=descending)
    return [r.id for r in valued + empty]


@pytest.fixture
def varied(db, desk):
    """60 generated cases with NULL numbers and deadlines, and ties in every sort key."""
    with db.write() as s:
        demo.generate(s, cases=60, seed=11, bulk_threshold=1, parallel=False,
                      now=dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC))
        some = s.scalars(select(Case.id).order_by(Case.id).limit(12)).all()
        same = dt.datetime(2026, 3, 3, 3, 3, 3, tzinfo=dt.UTC)
        s.execute(update(Case).where(Case.id.in_(some)).values(registered_at=same))
        s.execute(update(Case).where(Case.id.in_(some[:6])).values(deadline=dt.date(2026, 7, 1)))
    return desk


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_pages_equal_the_full_ordered_list(db, varied, sort):
    with db.read() as s:
        rows = s.execute(select(Case.id, Case.registered_at, Case.year, Case.seq, Case.deadline,
                                Case.stage, Case.category_id)).all()
        assert any(r.year is None for r in rows) and any(r.deadline is None for r in rows)
        for descending in (True, False):
            expected = _expected_order(rows, sort, descending)
            for limit in (1, 7, 13, 60, 200):
                seen: list[int] = []
                cursor = None
                for _page in range(200):
                    page = caselist.list_cases(s, varied.officer, CaseQuery(sort=sort, descending=descending),
                                               cursor=cursor, limit=limit)
                    assert len(page.rows) <= limit
                    seen += [r.id for r in page.rows]
                    cursor = page.cursor
                    if cursor is None:
                        break
                assert seen == expected, (sort, descending, limit)
            # A filtered list pages the same way.
            open_stages = (workflow.REGISTERED, workflow.CLOSED, workflow.ARCHIVED)
            want = [i for i in expected if next(r for r in rows if r.id == i).stage in open_stages]
            got: list[int] = []
            cursor = None
            while True:
                page = caselist.list_cases(s, varied.officer, CaseQuery(sort=sort, descending=descending,
                                                                       stages=open_stages),
                                           cursor=cursor, limit=4)
                got += [r.id for r in page.rows]
                cursor = page.cursor
                if cursor is None:
                    break
            assert got == want


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_skip_lands_where_paging_would(db, varied, sort):
    """A jump (``skip`` rows, from the start or after a cursor) returns the rows paging reaches there.

    Skips land inside the rows with a value, exactly at their end, and inside the rows
    without one (numbers and deadlines), with and without a text search.
    """
    with db.read() as s:
        rows = s.execute(select(Case.id, Case.registered_at, Case.year, Case.seq, Case.deadline,
                                Case.stage, Case.category_id)).all()
        for descending in (True, False):
            q = CaseQuery(sort=sort, descending=descending)
            expected = _expected_order(rows, sort, descending)
            valued = sum(1 for r in rows if {"number": r.year, "deadline": r.deadline}.get(sort, 1) is not None)
            first = caselist.list_cases(s, varied.officer, q, limit=5)
            for skip in sorted({0, 1, 3, valued - 6, valued - 5, valued - 1, valued, valued + 2, 58, 59, 60, 80}):
                page = caselist.list_cases(s, varied.officer, q, limit=7, skip=skip)
                assert [r.id for r in page.rows] == expected[skip:skip + 7], (sort, descending, skip)
                assert (page.cursor is None) == (skip + 7 >= len(expected))
                if page.cursor is not None:  # and paging goes on from there
                    following = caselist.list_cases(s, varied.officer, q, cursor=page.cursor, limit=3)
                    assert [r.id for r in following.rows] == expected[skip + 7:skip + 10]
                if skip >= 5:
                    after = caselist.list_cases(s, varied.officer, q, cursor=first.cursor, limit=7, skip=skip - 5)
                    assert [r.id for r in after.rows] == expected[skip:skip + 7], (sort, descending, skip)
        # A text search jumps the same way (its statement is built per call).
        q = CaseQuery(text="1", sort=sort)  # in most phone numbers: the LIKE fallback
        whole: list[int] = []
        cursor = None
        while True:
            page = caselist.list_cases(s, varied.officer, q, cursor=cursor, limit=9)
            whole += [r.id for r in page.rows]
            cursor = page.cursor
            if cursor is None:
                break
        assert len(whole) > 20
        for skip in (4, len(whole) // 2, len(whole) - 2):
            assert [r.id for r in caselist.list_cases(s, varied.officer, q, limit=4, skip=skip).rows] \
                == whole[skip:skip + 4]
        with pytest.raises(ValueError):
            caselist.list_cases(s, varied.officer, q, skip=-1)


def test_cursor_and_limit_are_checked(db, desk):
    for _i in range(3):
        _register(db, desk.volunteer)
    with db.read() as s:
        page = caselist.list_cases(s, desk.volunteer, CaseQuery(sort="number"), limit=1)
        assert page.cursor is not None
        with pytest.raises(ValueError):
            caselist.list_cases(s, desk.volunteer, CaseQuery(sort="stage"), cursor=page.cursor)
        with pytest.raises(ValueError):
            caselist.list_cases(s, desk.volunteer, CaseQuery(sort="number", descending=False),
                                cursor=page.cursor)
        with pytest.raises(ValueError):
            caselist.list_cases(s, desk.volunteer, CaseQuery(sort="nonsense"))
        with pytest.raises(ValueError):
            caselist.list_cases(s, desk.volunteer, CaseQuery(), limit=0)


def _page_plans(db, actor, sort: str, descending: bool) -> list[tuple[str, str]]:
    """Every page statement ``list_cases`` sends while paging the whole list one case at a
    time (captured from the engine as it sends them), with SQLite's plan for it run with
    its own parameters."""
    sent: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "ORDER BY" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with db.read() as s:
            cursor, ids = None, []
            while True:
                page = caselist.list_cases(s, actor, CaseQuery(sort=sort, descending=descending),
                                           cursor=cursor, limit=1)
                ids += [r.id for r in page.rows]
                cursor = page.cursor
                if cursor is None:
                    break
            captured = list(sent)
            assert len(ids) == 3 and len(captured) >= 3, (sort, descending, ids, captured)
            return [(sql, " | ".join(str(r[-1]) for r in s.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, params))) for sql, params in captured]
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


@pytest.fixture
def three_cases(sqlite_db):
    """A desk with three cases, one of them accepted (numbered), on SQLite."""
    desk = Desk(sqlite_db)
    ids = [_register(sqlite_db, desk.volunteer) for _i in range(3)]
    with sqlite_db.write() as s:
        cases.choose_track(s, desk.officer, ids[0], workflow.PEOPLE)
        cases.accept_case(s, desk.officer, ids[0])
    return desk


def test_every_sort_order_is_served_by_an_index(sqlite_db, three_cases):
    """SQLite plans each page statement the list really sends as a walk of the desk's index
    for that order: no sort of the whole desk, first pages and keyset continuations, both
    parts of a nullable key (the part without a number: see the next test)."""
    for sort in SORT_KEYS:
        for descending in (True, False):
            plans = _page_plans(sqlite_db, three_cases.officer, sort, descending)
            for sql, plan in plans:
                # The unnumbered part may use the unique (desk_id, year, seq) index: with year
                # and seq both empty its entries are in id order too.
                assert "ix_case_desk_" in plan or (
                    sort == "number" and "sqlite_autoindex_mediation_case_1 (desk_id=? AND year=? AND seq=?" in plan), (
                    sort, descending, sql, plan)
                assert "TEMP B-TREE" not in plan, (sort, descending, sql, plan)
            assert any(" > " in sql or " < " in sql for sql, _plan in plans), (sort, descending)  # a continuation


def test_cases_without_a_number_are_paged_without_a_sort(sqlite_db, three_cases):
    """Found by checking the SQL list_cases really sends (fixed in issue 13): the cases without
    a number are read from (desk_id, year, seq, id) with year and seq both empty, in id order."""
    for descending in (True, False):
        for sql, plan in _page_plans(sqlite_db, three_cases.officer, "number", descending):
            assert "TEMP B-TREE" not in plan, (descending, sql, plan)


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_only_the_cases_of_a_figure_paged_and_sorted_like_any_list(db, varied, sort):
    """``case_ids`` (the cases behind a figure): exactly those, counted, paged and sorted as
    the list does, with the other filters on top; another desk's ids stay invisible."""
    with db.read() as s:
        rows = s.scalars(select(Case).order_by(Case.id)).all()
        chosen = [r for r in rows[::3]]  # 20 of the 60
        q = CaseQuery(case_ids=tuple(r.id for r in chosen), sort=sort, descending=True)
        assert caselist.count_cases(s, varied.officer, q) == len(chosen) == 20
        seen, cursor = [], None
        while True:
            page = caselist.list_cases(s, varied.officer, q, cursor=cursor, limit=7)
            seen += [r.id for r in page.rows]
            if not page.has_more:
                break
            cursor = page.cursor
        assert seen == _expected_order(chosen, sort, True)
        # with a stage filter on top: the figure's cases in that stage only
        stage = chosen[0].stage
        both = CaseQuery(case_ids=q.case_ids, stages=(stage,))
        expected = sorted(r.id for r in chosen if r.stage == stage)
        assert sorted(r.id for r in caselist.list_cases(s, varied.officer, both).rows) == expected
        assert caselist.count_cases(s, varied.officer, both) == len(expected)
        # a figure with no case: an empty list, not the whole desk
        assert caselist.list_cases(s, varied.officer, CaseQuery(case_ids=())).rows == []
        assert caselist.count_cases(s, varied.officer, CaseQuery(case_ids=())) == 0


def test_a_figures_ids_of_another_desk_show_nothing(db, desk):
    import dataclasses

    from mediation.services import setup

    mine = _register(db, desk.volunteer)
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
    theirs = _register(db, dataclasses.replace(desk.volunteer, desk_id=other), desk_id=other)
    with db.read() as s:
        q = CaseQuery(case_ids=(mine, theirs))
        assert [r.id for r in caselist.list_cases(s, desk.volunteer, q).rows] == [mine]
        assert caselist.count_cases(s, desk.volunteer, q) == 1


def test_thousands_of_ids_in_one_parameter(db, varied):
    with db.read() as s:
        ids = s.scalars(select(Case.id)).all()
        many = tuple(ids) + tuple(range(10**6, 10**6 + 40_000))  # more than SQLite's parameters
        q = CaseQuery(case_ids=many)
        assert caselist.count_cases(s, varied.officer, q) == 60
        assert len(caselist.list_cases(s, varied.officer, q, limit=100).rows) == 60
