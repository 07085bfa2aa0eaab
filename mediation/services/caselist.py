"""The case list: filters, sort and keyset pages done by SQL, never in Python.

Every sort key pages by keyset ("seek") on ``(sort key…, id)``, served by one
``(desk_id, sort key…, id)`` index each (migration 0002), so the 500th page costs what
the first does. Sort keys that may be empty (``number`` before acceptance,
``deadline``) put the empty ones last in both directions: the list walks the rows
that have a value first, then the rows without one ordered by id, and the cursor
records which of the two parts it stopped in. Text goes through
:mod:`mediation.services.search` (FTS5 trigram / LIKE / pg_trgm / ILIKE).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    any_,
    Integer,
    Select,
    String,
    bindparam,
    false,
    func,
    literal_column,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from mediation import workflow
from mediation.models import Case, CaseParty, CaseStageCount, DisputeCategory, DisputeSubtype, Party, SearchGram, User
from mediation.permissions import Actor
from mediation.services import search as text_search
from mediation.timeutil import local_today, start_of_local_day
from mediation.validation import mask_id_number

SORT_KEYS = ("registered_at", "number", "deadline", "stage", "category")
MAX_LIMIT = 1000


@dataclass(frozen=True)
class CaseQuery:
    """What the list shows: every field optional; empty means no filter."""

    text: str = ""
    stages: tuple[str, ...] = ()
    tracks: tuple[str, ...] = ()
    categories: tuple[int, ...] = ()
    """Category ids (``reference.category_filter`` gives each label's ids)."""
    mediator_id: int | None = None
    """"My cases": cases where this user is the mediator."""
    overdue: bool = False
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    desk_id: int | None = None
    case_ids: tuple[int, ...] | None = None
    """Only these cases (the cases behind a figure of the statistics); None: no such filter,
    () : none at all. The other filters, the actor's desks, the sort and the pages apply as usual."""
    sort: str = "registered_at"
    descending: bool = True
    """Cases without a number or deadline come last whichever the direction."""


_CASE_ROW_FIELDS = ("id", "number", "registered_at", "parties", "category", "subcategory", "track", "stage",
                    "mediator", "deadline", "deadline_label", "version", "title")


class CaseRow:
    """One line of the case list (immutable).

    It wraps the database row as fetched: the registration time and the deadline are
    converted when they are read, so a 200-row page costs little more than the query
    itself (building 200 objects with 13 converted fields took twice the query's time).
    """

    __slots__ = ("_r",)
    _r: tuple[Any, ...]

    def __init__(self, id: int, number: str | None, registered_at: dt.datetime, parties: str,
                 category: str, subcategory: str, track: str | None, stage: str, mediator: str,
                 deadline: dt.date | None, deadline_label: str, version: int, title: str = "") -> None:
        object.__setattr__(self, "_r", (id, number, registered_at, parties, category, subcategory, track,
                                        stage, mediator, deadline, deadline_label, version, title))

    @classmethod
    def _of(cls, row: Any) -> CaseRow:
        obj = object.__new__(cls)
        object.__setattr__(obj, "_r", row)
        return obj

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("CaseRow is immutable")

    id = property(lambda self: self._r[0])
    number = property(lambda self: self._r[1])
    parties = property(lambda self: self._r[3])
    category = property(lambda self: self._r[4])
    subcategory = property(lambda self: self._r[5])
    track = property(lambda self: self._r[6])
    stage = property(lambda self: self._r[7])
    mediator = property(lambda self: self._r[8] or "")
    deadline_label = property(lambda self: self._r[10])
    version = property(lambda self: self._r[11])
    title = property(lambda self: self._r[12])

    @property
    def registered_at(self) -> dt.datetime:
        return _utc(self._r[2])

    @property
    def deadline(self) -> dt.date | None:
        return _date(self._r[9])

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in _CASE_ROW_FIELDS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CaseRow) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "CaseRow(" + ", ".join(f"{f}={v!r}" for f, v in zip(_CASE_ROW_FIELDS, self._values(), strict=True)) + ")"


@dataclass(frozen=True)
class Page:
    rows: list[CaseRow]
    cursor: tuple[Any, ...] | None
    """Pass back to get the next page; None when there is none. Opaque: it is only
    valid for the same sort key and direction."""

    @property
    def has_more(self) -> bool:
        return self.cursor is not None


@dataclass(frozen=True)
class _Sort:
    columns: tuple[Any, ...]
    nullable: bool
    """Rows whose first column is NULL form a second part, after all others."""
    id_column: Any = field(default_factory=lambda: Case.id)
    """The tie-breaker (the case id, or the same id read from a search posting)."""


# ``number`` sorts by (year, seq): the text would put 第1000号 before 第999号. Both are
# set together when a case is accepted, so year IS NULL marks the unnumbered cases.
_SORTS: dict[str, _Sort] = {
    "registered_at": _Sort((Case.registered_at,), False),
    "number": _Sort((Case.year, Case.seq), True),
    "deadline": _Sort((Case.deadline,), True),
    "stage": _Sort((Case.stage,), False),
    "category": _Sort((Case.category_id,), True),
}

# Cursor layout: (sort, descending, part, key values..., id); part 0 = rows with a
# value, 1 = rows without (NULL sort key).
_VALUED, _EMPTY = 0, 1


def _sort_spec(q: CaseQuery) -> _Sort:
    try:
        return _SORTS[q.sort]
    except KeyError:
        raise ValueError(f"unknown sort key {q.sort!r}") from None


def _desks(actor: Actor, q: CaseQuery) -> frozenset[int] | None:
    """The desks whose cases the list shows (None: every desk)."""
    if q.desk_id is not None:
        return frozenset({q.desk_id}) if actor.may_read_desk(q.desk_id) else frozenset()
    if not actor.reads_every_desk:
        return frozenset({actor.desk_id}) if actor.desk_id is not None else frozenset()
    return None


def _prepare_text(session: Session, actor: Actor, q: CaseQuery, *, count: bool = False,
                  count_all: bool = False) -> text_search.Prepared | None:
    """The search of ``q.text`` (once per call: it probes indexes); ``count_all``: for an
    exact count (every match is read, none is skipped by a limit)."""
    if not q.text.strip():
        return None
    return text_search.prepare(session, q.text, _desks(actor, q), ordered=count or q.sort == "registered_at",
                               count_all=count_all)


def _conditions(actor: Actor, q: CaseQuery, text_conds: Sequence[ColumnElement[bool]] = (),
                ) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if q.desk_id is not None:
        # Asking for a desk one may not see yields nothing rather than its cases.
        conds.append(Case.desk_id == q.desk_id if actor.may_read_desk(q.desk_id) else false())
    elif not actor.reads_every_desk:
        conds.append(Case.desk_id == actor.desk_id)
    if q.stages:
        conds.append(Case.stage.in_(q.stages))
    if q.tracks:
        conds.append(Case.track.in_(q.tracks))
    if q.categories:
        conds.append(Case.category_id.in_(q.categories))
    if q.mediator_id is not None:
        conds.append(Case.mediator_id == q.mediator_id)
    if q.overdue:
        conds.append(Case.deadline < local_today())
        conds.append(Case.stage.in_(sorted(workflow.OPEN_STAGES)))
    if q.registered_from is not None:
        conds.append(Case.registered_at >= start_of_local_day(q.registered_from))
    if q.registered_to is not None:
        conds.append(Case.registered_at < start_of_local_day(q.registered_to + dt.timedelta(days=1)))
    conds += text_conds
    return conds


_MEDIATOR = aliased(User, name="mediator")
# Built once: constructing the select (and the alias) per call costs more than the query.
# The two dates come as the driver gives them (SQLite: ISO text) and are converted in
# _to_row with the C ``fromisoformat``: a page is 200 rows, the generic type
# processing was a fifth of its time.
# The mediator's name, the category's and the sub-type's labels are scalar subqueries per
# row (by primary key) rather than joins: the page's rows then come straight off the index
# walk, in its order. With a join PostgreSQL could pick a hash join on a low row estimate
# and sort what the index had already ordered (the overdue list, 30,000 rows sorted at
# 1,000,000 cases; issue 13). Labels come from the desk's lists, so a rename shows at once.
_MEDIATOR_NAME = (select(_MEDIATOR.display_name).where(_MEDIATOR.id == Case.mediator_id)
                  .correlate(Case).scalar_subquery())
_CATEGORY_LABEL = func.coalesce(select(DisputeCategory.label).where(DisputeCategory.id == Case.category_id)
                                .correlate(Case).scalar_subquery(), "")
_SUBTYPE_LABEL = func.coalesce(select(DisputeSubtype.label).where(DisputeSubtype.id == Case.subcategory_id)
                               .correlate(Case).scalar_subquery(), "")
_ROWS: Select[*tuple[Any, ...]] = select(
    Case.id, Case.number, type_coerce(Case.registered_at, String), Case.party_names, _CATEGORY_LABEL,
    _SUBTYPE_LABEL, Case.track, Case.stage, _MEDIATOR_NAME, type_coerce(Case.deadline, String),
    Case.deadline_label, Case.version_id, Case.title, Case.year, Case.seq, Case.category_id,
)
_COUNT: Select[Any] = select(func.count()).select_from(Case)


def _row_columns() -> tuple[Select[Any], Any]:
    return _ROWS, _MEDIATOR


def _utc(value: Any) -> dt.datetime:
    """Stored naive UTC (SQLite: text) → aware UTC, as UTCDateTime returns it."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]  # the driver's datetime/date; no cast on this per-row path
    return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]  # the driver's datetime/date; no cast on this per-row path


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value  # type: ignore[no-any-return]  # the driver's datetime/date; no cast on this per-row path


def _key_of(row: CaseRow, raw: Any, sort: str) -> tuple[Any, ...]:
    return {"registered_at": (row.registered_at,), "number": (raw[13], raw[14]),
            "deadline": (row.deadline,), "stage": (row.stage,), "category": (raw[15],)}[sort]


def _decode(cursor: tuple[Any, ...] | None, q: CaseQuery, spec: _Sort) -> tuple[int, tuple[Any, ...], int | None]:
    if cursor is None:
        return _VALUED, (), None
    n = len(spec.columns)
    if (len(cursor) != 4 + n or cursor[0] != q.sort or cursor[1] != q.descending
            or cursor[2] not in (_VALUED, _EMPTY)):
        raise ValueError("cursor does not belong to this sort order; start again without one")
    return int(cursor[2]), tuple(cursor[3:3 + n]), int(cursor[3 + n])


# Statements for list pages without a text search, one per shape of query (which
# filters are set, the sort, the direction, the part, whether a cursor continues it),
# with the values as bound parameters. Executing the same statement object again
# skips SQLAlchemy's per-call statement building, cache-key generation and result
# adaptation (together more than the 200-row query itself).
_PAGE_STATEMENTS: dict[tuple[Any, ...], Select[Any]] = {}
_OPEN_STAGES = tuple(sorted(workflow.OPEN_STAGES))


def _page_statement(actor: Actor, q: CaseQuery, spec: _Sort, part: int, after: bool,
                    limit: int, *, skip: int = 0, count: bool = False,
                    prepared: text_search.Prepared | None = None,
                    dialect: str = "sqlite") -> tuple[Select[Any], dict[str, Any]]:
    """The cached statement for this shape of query; ``count`` counts the part instead.

    A text search adds its own shape (and values): ``prepared``.
    """
    params: dict[str, Any] = {"limit": limit, "skip": skip}
    shape: list[Any] = [q.sort, q.descending, part, after, "count" if count else skip > 0]
    shape += _filter_shape(actor, q, params, dialect)
    text_parts: tuple[Any, ...] | None = None
    if prepared is not None:
        posting = prepared.posting if q.sort == "registered_at" else None
        shape.append(("text", prepared.shape, posting is not None))
        params.update(prepared.params)
        text_parts = (prepared.conds, posting)
    key = tuple(shape)
    stmt = _PAGE_STATEMENTS.get(key)
    if stmt is None:
        if len(_PAGE_STATEMENTS) > 2000:  # searches make many shapes over a long day
            _PAGE_STATEMENTS.clear()
        stmt = _build_page_statement(key, spec, q.descending, part, after, text_parts)
        _PAGE_STATEMENTS[key] = stmt
    return stmt, params


def _filter_shape(actor: Actor, q: CaseQuery, params: dict[str, Any], dialect: str) -> list[Any]:
    """The list's filters as shape items (values into ``params``)."""
    shape: list[Any] = []
    if q.desk_id is not None:
        visible = actor.may_read_desk(q.desk_id)
        shape.append(("desk", visible))
        params["desk"] = q.desk_id
    elif not actor.reads_every_desk:
        shape.append(("desk", True))
        params["desk"] = actor.desk_id
    if q.stages and set(q.stages) == workflow.OPEN_STAGES:
        # The open stages as constants in the SQL: a partial index of the open cases
        # (0008) can only be chosen for a predicate the planner sees.
        shape.append("open")
    elif q.stages:
        shape.append("stages")
        params["stages"] = list(q.stages)
    for name, values in (("tracks", q.tracks), ("categories", q.categories)):
        if values:
            shape.append(name)
            params[name] = list(values)
    if q.mediator_id is not None:
        shape.append("mediator")
        params["mediator"] = q.mediator_id
    if q.overdue:
        shape.append("overdue")
        params["today"] = local_today()
    if q.registered_from is not None:
        shape.append("from")
        params["reg_from"] = start_of_local_day(q.registered_from)
    if q.registered_to is not None:
        shape.append("to")
        params["reg_to"] = start_of_local_day(q.registered_to + dt.timedelta(days=1))
    if q.case_ids is not None:
        # One parameter however many cases a figure has (SQLite allows some 32,000 per statement).
        shape.append(("ids", dialect))
        params["case_ids"] = list(q.case_ids) if dialect == "postgresql" else json.dumps(list(q.case_ids))
    return shape


def _ids_condition(dialect: str) -> ColumnElement[bool]:
    """``case.id`` among the ids bound as ``case_ids`` (an array on PostgreSQL, JSON text on SQLite)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return Case.id == any_(bindparam("case_ids", type_=ARRAY(Integer)))
    listed: Select[Any] = select(literal_column("value")).select_from(func.json_each(bindparam("case_ids", type_=String)))
    return Case.id.in_(listed.scalar_subquery())


def _filter_conditions(shape: Sequence[Any]) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    for item in shape:
        if isinstance(item, tuple):
            if item[0] == "desk":  # ("desk", visible)
                conds.append(Case.desk_id == bindparam("desk") if item[1] else false())
        elif item == "open":
            conds.append(Case.stage.in_(_OPEN_STAGES))
        elif item in ("stages", "tracks", "categories"):
            column = {"stages": Case.stage, "tracks": Case.track, "categories": Case.category_id}[item]
            conds.append(column.in_(bindparam(item, expanding=True)))
        elif item == "mediator":
            conds.append(Case.mediator_id == bindparam("mediator"))
        elif item == "overdue":
            conds.append(Case.deadline < bindparam("today", type_=Case.deadline.type))
            conds.append(Case.stage.in_(_OPEN_STAGES))
        elif item == "from":
            conds.append(Case.registered_at >= bindparam("reg_from", type_=Case.registered_at.type))
        elif item == "to":
            conds.append(Case.registered_at < bindparam("reg_to", type_=Case.registered_at.type))
    for item in shape:
        if isinstance(item, tuple) and item[0] == "ids":  # ("ids", dialect)
            conds.append(_ids_condition(item[1]))
    return conds


def _build_page_statement(shape: tuple[Any, ...], spec: _Sort, desc: bool, part: int, after: bool,
                          text_parts: tuple[Any, ...] | None) -> Select[Any]:
    conds = _filter_conditions(shape[5:])
    base = _ROWS
    if text_parts is not None:
        text_conds, posting = text_parts
        if posting is not None:
            # Driven by the posting of a name term: its key gives the default order.
            base = _ROWS.join(_POSTING, and_(_POSTING.c.case_id == Case.id, _POSTING.c.gram == posting.gram,
                                             _POSTING.c.desk_id == posting.desk))
            conds += posting.rest
            spec = _POSTING_SORT
        else:
            conds += text_conds
    key = [bindparam(f"k{i}", type_=c.type) for i, c in enumerate(spec.columns)]
    stmt, order = _part(base.where(*conds), spec, desc, part, key if after else None,
                        bindparam("kid", type_=Case.id.type))
    if shape[4] == "count":
        return _count_of(stmt)
    stmt = stmt.order_by(*order).limit(bindparam("limit", type_=Integer))
    return stmt.offset(bindparam("skip", type_=Integer)) if shape[4] else stmt


def _part(stmt: Select[Any], spec: _Sort, desc: bool, part: int, key: Sequence[Any] | None,
          kid: Any) -> tuple[Select[Any], list[Any]]:
    """``stmt`` limited to one part of the order (after ``key``/``kid`` if given), and that order."""
    id_col = spec.id_column
    if part == _VALUED:
        if spec.nullable:
            stmt = stmt.where(spec.columns[0].is_not(None))
        if key is not None:
            left = tuple_(*spec.columns, id_col)
            right = tuple_(*key, kid)
            stmt = stmt.where(left < right if desc else left > right)
        return stmt, [c.desc() if desc else c.asc() for c in (*spec.columns, id_col)]
    # Every key column empty: for the number, year and seq are set together (at
    # acceptance), and saying so lets (desk_id, year, seq, id) give the id order itself.
    stmt = stmt.where(*(c.is_(None) for c in spec.columns))
    if key is not None:
        stmt = stmt.where(id_col < kid if desc else id_col > kid)
    return stmt, [id_col.desc() if desc else id_col.asc()]


_POSTING = SearchGram.__table__
# The default order read from a name term's posting: (registered_at, case_id) of search_gram.
_POSTING_SORT = _Sort((_POSTING.c.registered_at,), False, _POSTING.c.case_id)


def _count_of(stmt: Select[Any]) -> Select[Any]:
    return select(func.count()).select_from(stmt.subquery())


def list_cases(session: Session, actor: Actor, query: CaseQuery, *,
               cursor: tuple[Any, ...] | None = None, limit: int = 200, skip: int = 0) -> Page:
    """One page of the list, ordered by (sort key, id) and continued after ``cursor``.

    ``skip`` passes over that many rows first (after ``cursor`` if given): a jump far
    down the list, where the database steps over the rows in between and none of them
    is read into Python. Continue from the returned cursor as usual.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    if skip < 0:
        raise ValueError("skip must not be negative")
    spec = _sort_spec(query)
    part, last_key, last_id = _decode(cursor, query, spec)
    conn = session.connection()  # Core rows: the ORM's result machinery is not needed here
    desc = query.descending
    rows: list[Any] = []
    row_parts: list[int] = []
    prepared = _prepare_text(session, actor, query)

    def statement(part_: int, after: bool, n: int, offset: int, count: bool) -> tuple[Select[Any], dict[str, Any]]:
        stmt, params = _page_statement(actor, query, spec, part_, after, n, skip=offset, count=count,
                                       prepared=prepared, dialect=conn.dialect.name)
        if after:
            params["kid"] = last_id
            if part_ == _VALUED:
                params.update({f"k{i}": v for i, v in enumerate(last_key)})
        return stmt, params

    def fetch(part_: int, after: bool, n: int, offset: int) -> list[Any]:
        stmt, params = statement(part_, after, n, offset, False)
        return list(conn.execute(stmt, params).all())

    def count(part_: int, after: bool) -> int:
        stmt, params = statement(part_, after, 1, 0, True)
        return int(conn.execute(stmt, params).scalar() or 0)

    if part == _VALUED:
        rows = fetch(_VALUED, last_id is not None, limit + 1, skip)
        if spec.nullable and skip and not rows:
            # Skipped past the rows with a value: the rest of the skip goes into the others.
            skip = max(0, skip - count(_VALUED, last_id is not None))
        else:
            skip = 0
        row_parts = [_VALUED] * len(rows)
        last_id = None  # the empty part, if reached below, starts from its beginning
    if spec.nullable and len(rows) <= limit:
        more = fetch(_EMPTY, last_id is not None, limit + 1 - len(rows), skip)
        rows += more
        row_parts += [_EMPTY] * len(more)

    has_more = len(rows) > limit
    rows = rows[:limit]
    out = list(map(CaseRow._of, rows))
    next_cursor: tuple[Any, ...] | None = None
    if has_more and rows:
        next_cursor = (query.sort, desc, row_parts[len(rows) - 1], *_key_of(out[-1], rows[-1], query.sort),
                       out[-1].id)
    return Page(out, next_cursor)


def _only_desk_and_stages(q: CaseQuery) -> bool:
    return not (q.text.strip() or q.tracks or q.categories or q.mediator_id is not None or q.overdue
                or q.registered_from is not None or q.registered_to is not None or q.case_ids is not None)


def _only_text(q: CaseQuery) -> bool:
    """A search with no other filter than the desk."""
    return bool(q.text.strip()) and _only_desk_and_stages(replace(q, text="")) and not q.stages


def _stage_count(desks: bool, stages: bool) -> Select[Any]:
    stmt = select(func.coalesce(func.sum(CaseStageCount.n), 0))
    if desks:
        stmt = stmt.where(CaseStageCount.desk_id.in_(bindparam("desks", expanding=True)))
    if stages:
        stmt = stmt.where(CaseStageCount.stage.in_(bindparam("stages", expanding=True)))
    return stmt


_STAGE_COUNTS = {(d, st): _stage_count(d, st) for d in (False, True) for st in (False, True)}


def count_cases(session: Session, actor: Actor, query: CaseQuery) -> int:
    """How many cases ``query`` finds (exact).

    A desk's cases, or those in some stages: from the counts kept per desk and stage
    (migration 0008), a few rows. A search driven by a name term's posting: counted
    along the posting. A search with no other filter, of one short term or (SQLite, over
    every case of the database) of three-character terms: from the counts kept per
    substring or the FTS5 index alone (``search.count_from_index``). Anything else:
    ``count(*)`` with the list's own conditions (overdue cases through
    ``(desk_id, stage, deadline)``).
    """
    conn = session.connection()
    if _only_desk_and_stages(query):
        desks = _desks(actor, query)
        stmt = _STAGE_COUNTS[(desks is not None, bool(query.stages))]
        return int(conn.execute(stmt, {"desks": sorted(desks or ()), "stages": list(query.stages)}).scalar() or 0)
    kept = _kept_count(session, actor, query)
    if kept is not None:
        return kept
    stmt, params = _count_statement(session, actor, query, {}, capped=False)
    return int(conn.execute(stmt, params).scalar() or 0)


def _kept_count(session: Session, actor: Actor, query: CaseQuery) -> int | None:
    """A search with no other filter that kept counts or the FTS5 index answer alone (else None)."""
    if not _only_text(query):
        return None
    return text_search.count_from_index(session, query.text, _desks(actor, query))


def _count_statement(session: Session, actor: Actor, query: CaseQuery, params: dict[str, Any], *,
                     capped: bool) -> tuple[Select[Any], dict[str, Any]]:
    """The count statement of ``query`` (built once per shape) and its parameters."""
    prepared = _prepare_text(session, actor, query, count=True, count_all=not capped)
    shape = tuple(_filter_shape(actor, query, params, session.get_bind().dialect.name))
    if prepared is not None:
        params.update(prepared.params)
    key = ("capped" if capped else "count", shape, prepared.shape if prepared is not None else None)
    stmt = _COUNT_STATEMENTS.get(key)
    if stmt is None:
        if len(_COUNT_STATEMENTS) > 2000:
            _COUNT_STATEMENTS.clear()
        stmt = _COUNT_STATEMENTS[key] = _build_count(shape, prepared, capped=capped)
    return stmt, params


_COUNT_STATEMENTS: dict[tuple[Any, ...], Select[Any]] = {}


COUNT_CAP = 1000
"""A list count that is not kept (a search, "my cases", dates…) is first counted up to
this many (:func:`count_cases_capped`): a search found in a tenth of a million cases
counts 100,000 rows for its exact figure, up to a second; its first thousand take
milliseconds."""
_CAP = bindparam("count_cap", type_=Integer)


@dataclass(frozen=True)
class CaseCount:
    """How many cases a query finds: exactly ``n``, or (``exact`` False) more than ``n``."""

    n: int
    exact: bool


def count_cases_capped(session: Session, actor: Actor, query: CaseQuery, *, cap: int = COUNT_CAP) -> CaseCount:
    """How many cases ``query`` finds, counted no further than ``cap``.

    What the list shows at once (its exact count, :func:`count_cases`, may follow later
    off the UI thread). Counts kept per desk and stage, and a search the kept counts or
    the FTS5 index answer alone, are exact whatever their size; any other query reads at
    most ``cap`` + 1 matching rows: ``CaseCount(cap, exact=False)``
    then means "more than ``cap``".
    """
    if cap < 0:
        raise ValueError("cap must not be negative")
    if _only_desk_and_stages(query):
        return CaseCount(count_cases(session, actor, query), True)
    kept = _kept_count(session, actor, query)
    if kept is not None:  # exact at once
        return CaseCount(kept, True)
    stmt, params = _count_statement(session, actor, query, {"count_cap": cap + 1}, capped=True)
    n = int(session.connection().execute(stmt, params).scalar() or 0)
    return CaseCount(cap, False) if n > cap else CaseCount(n, True)


def _build_count(shape: tuple[Any, ...], prepared: text_search.Prepared | None, *,
                 capped: bool = False) -> Select[Any]:
    """``count(*)`` of the query's rows; ``capped``: of its first ``count_cap`` rows only."""
    if prepared is not None and prepared.posting is not None:
        p = prepared.posting
        stmt = select(_POSTING.c.case_id if capped else func.count()).select_from(_POSTING).where(
            _POSTING.c.gram == p.gram, _POSTING.c.desk_id == p.desk)
        # The posting holds the desk: anything else needs the case row.
        rest = _filter_conditions([item for item in shape if not (isinstance(item, tuple) and item[0] == "desk")])
        rest += p.rest
        if rest:
            stmt = stmt.join(Case, Case.id == _POSTING.c.case_id).where(*rest)
    elif capped:
        stmt = select(Case.id)
        drive = text_search.fts_join(prepared) if prepared is not None else None
        if drive is not None:  # the term's FTS5 candidates first, each checked on its row
            stmt = stmt.select_from(drive[0]).where(drive[1])
        stmt = stmt.where(*_filter_conditions(shape), *(prepared.conds if prepared is not None else ()))
    else:
        return _COUNT.where(*_filter_conditions(shape), *(prepared.conds if prepared is not None else ()))
    return select(func.count()).select_from(stmt.limit(_CAP).subquery()) if capped else stmt


def search(session: Session, actor: Actor, text: str, *, limit: int = 50,
           query: CaseQuery | None = None) -> list[CaseRow]:
    """Cases matching ``text`` in number, party names, phones or facts; newest first.

    ``query`` adds the list's filters and sort (its own ``text`` is replaced); for
    more than one page use :func:`list_cases` with ``CaseQuery(text=...)``.
    """
    q = replace(query or CaseQuery(), text=text)
    return list_cases(session, actor, q, limit=limit).rows


# ---------------------------------------------------------------- search by ID number

ID_TAIL = 6
"""Searching by the end of an ID number takes this many characters (issue 12, item 15)."""
_ID_FULL = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}")
_ID_TAIL = re.compile(r"[0-9]{5}[0-9X]")


def id_number_tail_expr(dialect: str) -> Any:
    """The last six characters of ``party.id_number``, written as the index of 0008 has it."""
    if dialect == "postgresql":
        return func.right(Party.id_number, literal_column(str(ID_TAIL)))
    return func.substr(Party.id_number, literal_column(f"-{ID_TAIL}"))


def search_id_number(session: Session, actor: Actor, text: str, *, limit: int = 50) -> list[CaseRow]:
    """Cases with a party whose ID number is ``text`` (whole, or its last six characters); newest first.

    Its own search, apart from the text search (ID numbers are in none of its indexes):
    it needs ``case.search_id``, keeps to the desks the actor reads, shows nothing of the
    ID numbers beyond what the list shows, and is audited (the number masked, what was
    found). A write session: the audit row is committed with it.
    """
    from mediation.db import require_write
    from mediation.errors import ValidationError
    from mediation.i18n import _
    from mediation.permissions import require
    from mediation.services import audit
    from mediation.services.numbering import fold_width

    require_write(session)
    require(actor, "case.search_id")
    wanted = re.sub(r"\s", "", fold_width(text)).upper()
    if _ID_FULL.fullmatch(wanted):
        kind, match = "full", Party.id_number == wanted
    elif _ID_TAIL.fullmatch(wanted):
        kind = "tail"
        match = id_number_tail_expr(session.get_bind().dialect.name) == wanted
    else:
        raise ValidationError(field="id_number", message=_(
            "请输入完整的身份证号码（18 位），或其最后 {n} 位。").format(n=ID_TAIL))
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    parties = select(CaseParty.case_id).join(Party, Party.id == CaseParty.party_id).where(match)
    conds = [Case.id.in_(parties)]
    desks = actor.readable_desks
    if desks is not None:
        conds.append(Case.desk_id.in_(sorted(desks)))
    rows = session.connection().execute(
        _ROWS.where(*conds).order_by(Case.registered_at.desc(), Case.id.desc()).limit(limit)).all()
    out = list(map(CaseRow._of, rows))
    audit.append(session, desk_id=actor.desk_id, user_id=actor.user_id, action="case.search_id_number", entity="party",
                 after={"id_number": mask_id_number(wanted), "kind": kind, "found": len(out),
                        "case_ids": [r.id for r in out]})
    return out
