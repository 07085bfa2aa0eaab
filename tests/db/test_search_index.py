"""The search tables of 0008 stay right: random edits, then searches equal a plain substring scan.

The property (issue 13): whatever is inserted, edited, moved between desks or deleted,
and however a search is answered (a posting in list order, a few ids, a walk checking
each row), the cases found are exactly those a plain scan of the rows finds. Plus: the
tables the triggers keep equal a rebuild from scratch (``mediation db reindex``), after
the migration's fill, a bulk demo and random edits; the counts per desk and stage equal
``count(*)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, text, update

from mediation import demo, workflow
from mediation.db import Database
from mediation.models import Case, CaseStageCount
from mediation.permissions import Actor
from mediation.services import caselist, search, search_index, setup
from mediation.services.caselist import CaseQuery

NAME_CHARS = "王张三李欧阳䶮𠮷aB·"
PHONE_CHARS = "0123-"
NUMBER_JUNK = "第号（）X警12王"
TERM_CHARS = NAME_CHARS + PHONE_CHARS + NUMBER_JUNK + "、/xb"
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
STAGES = (workflow.REGISTERED, workflow.MEDIATING, workflow.CLOSED)

names = st.lists(st.text(NAME_CHARS, min_size=1, max_size=4), min_size=1, max_size=3)
party_names = st.builds(lambda a, b: "、".join(a) + (" / " + "、".join(b) if b else ""),
                        names, st.one_of(st.just([]), names))
party_phones = st.lists(st.text(PHONE_CHARS, min_size=2, max_size=6), max_size=2).map(" ".join)
numbers = st.one_of(
    st.none(),
    st.builds(lambda y, n: f"（{y}）X警校调字第{n:03d}号", st.sampled_from([2025, 2026]), st.integers(1, 40)),
    st.text(NUMBER_JUNK, min_size=1, max_size=5))
moments = st.integers(0, 20).map(lambda m: BASE + dt.timedelta(minutes=m))  # ties happen
facts = st.text(NAME_CHARS + "电动车押金", max_size=8)

operation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 1), party_names, party_phones, numbers, moments, facts),
    st.tuples(st.just("names"), st.integers(0, 30), party_names),
    st.tuples(st.just("phones"), st.integers(0, 30), party_phones),
    st.tuples(st.just("number"), st.integers(0, 30), numbers),
    st.tuples(st.just("moved"), st.integers(0, 30), st.integers(0, 1)),
    st.tuples(st.just("registered"), st.integers(0, 30), moments),
    st.tuples(st.just("stage"), st.integers(0, 30), st.sampled_from(STAGES)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
)
short_term = st.text(TERM_CHARS, min_size=1, max_size=2).filter(lambda t: not t.isspace())
long_term = st.text(NAME_CHARS + "电动车押金、/ ", min_size=3, max_size=4).filter(lambda t: t.strip() == t and " " not in t)
queries = st.lists(st.lists(st.one_of(short_term, short_term, long_term), min_size=1, max_size=2).map(" ".join),
                   min_size=1, max_size=6)


def _fold(s: str) -> str:
    return search.ascii_lower(s)


def _matches(row: Any, term: str) -> bool:
    """The plain scan: what a term means, written without any index."""
    if len(term) >= 3:
        if search.numbering.is_case_number(term):
            return bool(row.number == term)
        cols = (row.number or "", row.title, row.party_names, row.party_phones, row.facts, row.claims)
        return any(_fold(term) in _fold(c) for c in cols)
    return any(_fold(term) in _fold(c) for c in (row.party_names, row.party_phones, row.number or ""))


def _expected(rows: list[Any], query: str, desks: set[int] | None) -> list[int]:
    words = search.terms(query)
    hit = [r for r in rows if (desks is None or r.desk_id in desks) and all(_matches(r, w) for w in words)]
    hit.sort(key=lambda r: (r.registered_at, r.id), reverse=True)
    return [r.id for r in hit]


def _listed(db: Database, actor: Actor, query: CaseQuery, limit: int) -> list[int]:
    out: list[int] = []
    cursor = None
    with db.read() as s:
        while True:
            page = caselist.list_cases(s, actor, query, cursor=cursor, limit=limit)
            out += [r.id for r in page.rows]
            cursor = page.cursor
            if cursor is None:
                return out


@pytest.fixture
def two_desks(db: Database, desk: Any) -> Iterator[tuple[Actor, Actor, list[int]]]:
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
    yield desk.volunteer, desk.admin, [desk.desk_id, other]


def _apply(db: Database, ops: list[tuple[Any, ...]], desks: list[int]) -> None:
    with db.write() as s:
        s.execute(delete(Case).where(Case.desk_id.in_(desks)))
        ids: list[int] = []
        for op in ops:
            kind = op[0]
            if kind == "insert":
                _k, d, pn, ph, num, at, fa = op
                if num is not None and s.scalar(select(Case.id).where(Case.number == num)):
                    num = None  # numbers are unique
                new = s.execute(insert(Case).values(
                    desk_id=desks[d], party_names=pn, party_phones=ph, number=num, registered_at=at, facts=fa,
                    title="纠纷", stage=workflow.REGISTERED).returning(Case.id)).scalar_one()
                ids.append(new)
                continue
            if not ids:
                continue
            target = ids[op[1] % len(ids)]
            if kind == "delete":
                s.execute(delete(Case).where(Case.id == target))
                ids.remove(target)
                continue
            column = {"names": "party_names", "phones": "party_phones", "number": "number",
                      "registered": "registered_at", "stage": "stage"}.get(kind)
            value = desks[op[2]] if kind == "moved" else op[2]
            if kind == "number" and value is not None and s.scalar(select(Case.id).where(Case.number == value)):
                continue  # numbers are unique
            s.execute(update(Case).where(Case.id == target).values({column or "desk_id": value}))


@pytest.mark.parametrize("caps", ["default", "tiny"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=30), qs=queries)
def test_random_edits_then_searches_equal_a_plain_scan(db, two_desks, monkeypatch, caps, ops, qs):
    """Postings, walk grams and FTS after any edits: the same cases as scanning every row."""
    if caps == "tiny":  # every other way of answering: postings for all, walks, candidate sets
        monkeypatch.setattr(search, "PROBE_CAP", 1)
        monkeypatch.setattr(search, "MEMBERSHIP_CAP", 2)
        monkeypatch.setattr(search, "PG_WALK_PROBE", 0)  # PostgreSQL: walk for every 3+ term
    volunteer, admin, desks = two_desks
    _apply(db, ops, desks)
    with db.read() as s:
        rows = s.execute(select(Case.id, Case.desk_id, Case.registered_at, Case.number, Case.title,
                                Case.party_names, Case.party_phones, Case.facts, Case.claims)).all()
    for q in qs:
        mine = _expected(rows, q, {desks[0]})
        assert _listed(db, volunteer, CaseQuery(text=q), 2) == mine, q
        assert _listed(db, volunteer, CaseQuery(text=q, descending=False), 3) == mine[::-1], q
        assert sorted(_listed(db, volunteer, CaseQuery(text=q, sort="number"), 2)) == sorted(mine), q
        every = _expected(rows, q, None)
        assert _listed(db, admin, CaseQuery(text=q), 4) == every, q
        with db.read() as s:
            assert caselist.count_cases(s, volunteer, CaseQuery(text=q)) == len(mine), q
            assert caselist.count_cases(s, admin, CaseQuery(text=q)) == len(every), q
            words = search.terms(q)
            if len(words) == 1 and len(words[0]) < 3:  # answered by the counts kept (0014)
                assert search.count_from_index(s, q, frozenset({desks[0]})) == len(mine), q
                assert search.count_from_index(s, q, None) == len(every), q
    _assert_tables_equal_a_rebuild(db)


def _snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.read() as s:
        return {t: sorted(tuple(r) for r in s.execute(text(f"SELECT * FROM {t}")).all())
                for t in ("search_gram", "consultation_gram", "search_walk_gram", "case_stage_count",
                          "search_gram_count")}


def _assert_tables_equal_a_rebuild(db: Database) -> None:
    kept = _snapshot(db)
    with db.write() as s:
        search_index.reindex(s.connection())
    rebuilt = _snapshot(db)
    # Walk grams are only ever added (a superset is safe); the rest must be equal.
    assert set(rebuilt["search_walk_gram"]) <= set(kept["search_walk_gram"])
    for table in ("search_gram", "consultation_gram"):
        assert kept[table] == rebuilt[table], table
    # Counts of stages a desk no longer has may be kept as zero rows.
    assert [r for r in kept["case_stage_count"] if r[2]] == [r for r in rebuilt["case_stage_count"] if r[2]]
    # The short search counts (0014): the triggers' running counts equal a recount (zeros may stay).
    assert [r for r in kept["search_gram_count"] if r[2]] == [r for r in rebuilt["search_gram_count"] if r[2]]
    assert all(r[2] >= 0 for r in kept["search_gram_count"])


def test_bulk_demo_fills_what_the_triggers_would(db, desk):
    """The demo's bulk load (triggers off, one fill at the end) leaves what the services leave."""
    with db.write() as s:
        demo.generate(s, cases=80, seed=5, bulk_threshold=1, parallel=False,
                      now=dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC))
    with db.read() as s:
        assert s.scalar(select(CaseStageCount.n).where(CaseStageCount.stage == workflow.ARCHIVED)) > 0
        assert s.execute(text("SELECT count(*) FROM search_gram")).scalar() > 80
        assert s.execute(text("SELECT count(*) FROM consultation_gram")).scalar() > 0
    _assert_tables_equal_a_rebuild(db)
    # …and the triggers are back: a new case is indexed at once.
    with db.write() as s:
        cid = s.execute(insert(Case).values(desk_id=desk.desk_id, party_names="䶮䶮", party_phones="",
                                            stage=workflow.REGISTERED).returning(Case.id)).scalar_one()
    with db.read() as s:
        assert [r.id for r in caselist.search(s, desk.volunteer, "䶮䶮")] == [cid]
    _assert_tables_equal_a_rebuild(db)


def test_stage_counts_follow_every_change(db, desk):
    with db.write() as s:
        demo.generate(s, cases=30, seed=9, bulk_threshold=1000, parallel=False,
                      now=dt.datetime(2026, 6, 1, 4, 0, tzinfo=dt.UTC))  # through the services
    with db.read() as s:
        kept = {r.stage: r.n for r in s.execute(select(CaseStageCount)).scalars()}
        real = dict(s.execute(text("SELECT stage, count(*) FROM mediation_case GROUP BY stage")).all())
        assert {k: v for k, v in kept.items() if v} == real
        assert caselist.count_cases(s, desk.officer, CaseQuery()) == 30
        open_ = sum(v for k, v in real.items() if k in workflow.OPEN_STAGES)
        assert caselist.count_cases(s, desk.officer, CaseQuery(stages=tuple(workflow.OPEN_STAGES))) == open_
