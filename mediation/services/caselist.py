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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    false,
    func,
    literal,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from mediation import workflow
from mediation.models import Case, DisputeCategory, DisputeSubtype, User
from mediation.permissions import Actor
from mediation.services import search as text_search
from mediation.timeutil import local_today, start_of_local_day

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
    columns: tuple[InstrumentedAttribute[Any], ...]
    nullable: bool
    """Rows whose first column is NULL form a second part, after all others."""


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


def _conditions(session: Session, actor: Actor, q: CaseQuery) -> list[ColumnElement[bool]]:
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
    text_cond = text_search.condition(session, q.text) if q.text.strip() else None
    if text_cond is not None:
        conds.append(text_cond)
    return conds


_MEDIATOR = aliased(User, name="mediator")
# Built once: constructing the select (and the alias) per call costs more than the query.
# The two dates come as the driver gives them (SQLite: ISO text) and are converted in
# _to_row with the C ``fromisoformat``: a page is 200 rows, the generic type
# processing was a fifth of its time. Category and sub-type labels come from the desk's
# lists by primary key (a rename shows at once).
_ROWS: Select[*tuple[Any, ...]] = select(
    Case.id, Case.number, type_coerce(Case.registered_at, String), Case.party_names,
    func.coalesce(DisputeCategory.label, ""), func.coalesce(DisputeSubtype.label, ""), Case.track, Case.stage,
    _MEDIATOR.display_name, type_coerce(Case.deadline, String),
    Case.deadline_label, Case.version_id, Case.title, Case.year, Case.seq, Case.category_id,
).outerjoin(_MEDIATOR, _MEDIATOR.id == Case.mediator_id) \
    .outerjoin(DisputeCategory, DisputeCategory.id == Case.category_id) \
    .outerjoin(DisputeSubtype, DisputeSubtype.id == Case.subcategory_id)
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
                    limit: int, *, skip: int = 0, count: bool = False) -> tuple[Select[Any], dict[str, Any]]:
    """The cached statement for this shape of query; ``count`` counts the part instead."""
    params: dict[str, Any] = {"limit": limit, "skip": skip}
    shape: list[Any] = [q.sort, q.descending, part, after, "count" if count else skip > 0]
    if q.desk_id is not None:
        visible = actor.may_read_desk(q.desk_id)
        shape.append(("desk", visible))
        params["desk"] = q.desk_id
    elif not actor.reads_every_desk:
        shape.append(("desk", True))
        params["desk"] = actor.desk_id
    for name, values in (("stages", q.stages), ("tracks", q.tracks), ("categories", q.categories)):
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
    key = tuple(shape)
    stmt = _PAGE_STATEMENTS.get(key)
    if stmt is None:
        stmt = _build_page_statement(key, spec, q.descending, part, after)
        _PAGE_STATEMENTS[key] = stmt
    return stmt, params


def _build_page_statement(shape: tuple[Any, ...], spec: _Sort, desc: bool, part: int,
                          after: bool) -> Select[Any]:
    conds: list[ColumnElement[bool]] = []
    for item in shape[5:]:
        if isinstance(item, tuple):  # ("desk", visible)
            conds.append(Case.desk_id == bindparam("desk") if item[1] else false())
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
    key = [bindparam(f"k{i}", type_=c.type) for i, c in enumerate(spec.columns)]
    stmt, order = _part(_ROWS.where(*conds), spec, desc, part, key if after else None,
                        bindparam("kid", type_=Case.id.type))
    if shape[4] == "count":
        return _count_of(stmt)
    stmt = stmt.order_by(*order).limit(bindparam("limit", type_=Integer))
    return stmt.offset(bindparam("skip", type_=Integer)) if shape[4] else stmt


def _part(stmt: Select[Any], spec: _Sort, desc: bool, part: int, key: Sequence[Any] | None,
          kid: Any) -> tuple[Select[Any], list[Any]]:
    """``stmt`` limited to one part of the order (after ``key``/``kid`` if given), and that order."""
    if part == _VALUED:
        if spec.nullable:
            stmt = stmt.where(spec.columns[0].is_not(None))
        if key is not None:
            left = tuple_(*spec.columns, Case.id)
            right = tuple_(*key, kid)
            stmt = stmt.where(left < right if desc else left > right)
        return stmt, [c.desc() if desc else c.asc() for c in (*spec.columns, Case.id)]
    stmt = stmt.where(spec.columns[0].is_(None))
    if key is not None:
        stmt = stmt.where(Case.id < kid if desc else Case.id > kid)
    return stmt, [Case.id.desc() if desc else Case.id.asc()]


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
    text_cond = text_search.condition(session, query.text) if query.text.strip() else None

    def statement(part_: int, after: bool, n: int, offset: int, count: bool) -> tuple[Select[Any], dict[str, Any]]:
        if text_cond is None:
            stmt, params = _page_statement(actor, query, spec, part_, after, n, skip=offset, count=count)
            if after:
                params["kid"] = last_id
                if part_ == _VALUED:
                    params.update({f"k{i}": v for i, v in enumerate(last_key)})
            return stmt, params
        # A text search: its condition depends on the terms, so it is built each time.
        key = [literal(v, type_=c.type) for v, c in zip(last_key, spec.columns, strict=True)] if after else None
        stmt, order = _part(_ROWS.where(*_conditions(session, actor, query)), spec, desc, part_, key,
                            literal(last_id))
        if count:
            return _count_of(stmt), {}
        stmt = stmt.order_by(*order).limit(n)
        return (stmt.offset(offset) if offset else stmt), {}

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


def count_cases(session: Session, actor: Actor, query: CaseQuery) -> int:
    stmt = _COUNT.where(*_conditions(session, actor, query))
    return int(session.connection().execute(stmt).scalar() or 0)


def search(session: Session, actor: Actor, text: str, *, limit: int = 50,
           query: CaseQuery | None = None) -> list[CaseRow]:
    """Cases matching ``text`` in number, party names, phones or facts; newest first.

    ``query`` adds the list's filters and sort (its own ``text`` is replaced); for
    more than one page use :func:`list_cases` with ``CaseQuery(text=...)``.
    """
    q = replace(query or CaseQuery(), text=text)
    return list_cases(session, actor, q, limit=limit).rows
