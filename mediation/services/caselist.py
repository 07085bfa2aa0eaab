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
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, String, false, func, literal, select, tuple_, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from mediation import workflow
from mediation.models import Case, User
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
    categories: tuple[str, ...] = ()
    mediator_id: int | None = None
    """"My cases": cases where this user is the mediator."""
    overdue: bool = False
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    desk_id: int | None = None
    sort: str = "registered_at"
    descending: bool = True
    """Cases without a number or deadline come last whichever the direction."""


@dataclass(frozen=True)
class CaseRow:
    id: int
    number: str | None
    registered_at: dt.datetime
    parties: str
    category: str
    subcategory: str
    track: str | None
    stage: str
    mediator: str
    deadline: dt.date | None
    deadline_label: str
    version: int
    title: str = ""


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
    "category": _Sort((Case.category,), False),
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
        conds.append(Case.desk_id == q.desk_id if actor.sees_desk(q.desk_id) else false())
    elif not (actor.all_desks or actor.role == "admin"):
        conds.append(Case.desk_id == actor.desk_id)
    if q.stages:
        conds.append(Case.stage.in_(q.stages))
    if q.tracks:
        conds.append(Case.track.in_(q.tracks))
    if q.categories:
        conds.append(Case.category.in_(q.categories))
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
# processing was a fifth of its time.
_ROWS: Select[Any] = select(
    Case.id, Case.number, type_coerce(Case.registered_at, String), Case.party_names, Case.category,
    Case.subcategory, Case.track, Case.stage, _MEDIATOR.display_name, type_coerce(Case.deadline, String),
    Case.deadline_label, Case.version_id, Case.title, Case.year, Case.seq,
).outerjoin(_MEDIATOR, _MEDIATOR.id == Case.mediator_id)
_COUNT: Select[Any] = select(func.count()).select_from(Case)


def _row_columns() -> tuple[Select[Any], Any]:
    return _ROWS, _MEDIATOR


def _utc(value: Any) -> dt.datetime:
    """Stored naive UTC (SQLite: text) → aware UTC, as UTCDateTime returns it."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.timezone.utc)  # type: ignore[no-any-return]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value  # type: ignore[no-any-return]


_ROW_FIELDS = tuple(f.name for f in fields(CaseRow))


def _to_row(r: Any) -> CaseRow:
    # A frozen dataclass's __init__ sets each field through object.__setattr__: for a
    # 200-row page that was a quarter of the time. Filling __dict__ directly gives the
    # same (still frozen, equal, hashable) object several times faster.
    row = object.__new__(CaseRow)
    row.__dict__.update(zip(_ROW_FIELDS, (r[0], r[1], _utc(r[2]), r[3], r[4], r[5], r[6], r[7], r[8] or "",
                                          _date(r[9]), r[10], r[11], r[12])))
    return row


def _key_of(row: CaseRow, raw: Any, sort: str) -> tuple[Any, ...]:
    return {"registered_at": (row.registered_at,), "number": (raw[13], raw[14]),
            "deadline": (row.deadline,), "stage": (row.stage,), "category": (row.category,)}[sort]


def _decode(cursor: tuple[Any, ...] | None, q: CaseQuery, spec: _Sort) -> tuple[int, tuple[Any, ...], int | None]:
    if cursor is None:
        return _VALUED, (), None
    n = len(spec.columns)
    if (len(cursor) != 4 + n or cursor[0] != q.sort or cursor[1] != q.descending
            or cursor[2] not in (_VALUED, _EMPTY)):
        raise ValueError("cursor does not belong to this sort order; start again without one")
    return int(cursor[2]), tuple(cursor[3:3 + n]), int(cursor[3 + n])


def list_cases(session: Session, actor: Actor, query: CaseQuery, *,
               cursor: tuple[Any, ...] | None = None, limit: int = 200) -> Page:
    """One page of the list, ordered by (sort key, id) and continued after ``cursor``."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    spec = _sort_spec(query)
    part, last_key, last_id = _decode(cursor, query, spec)
    base = _ROWS.where(*_conditions(session, actor, query))
    conn = session.connection()  # Core rows: the ORM's result machinery is not needed here
    desc = query.descending
    rows: list[Any] = []
    row_parts: list[int] = []

    if part == _VALUED:
        stmt = base
        if spec.nullable:
            stmt = stmt.where(spec.columns[0].is_not(None))
        if last_id is not None:
            left = tuple_(*spec.columns, Case.id)
            right = tuple_(*(literal(v, type_=c.type) for v, c in zip(last_key, spec.columns)),
                           literal(last_id))
            stmt = stmt.where(left < right if desc else left > right)
        order = [c.desc() if desc else c.asc() for c in (*spec.columns, Case.id)]
        rows = list(conn.execute(stmt.order_by(*order).limit(limit + 1)).all())
        row_parts = [_VALUED] * len(rows)
        last_id = None  # the empty part, if reached below, starts from its beginning
    if spec.nullable and len(rows) <= limit:
        stmt = base.where(spec.columns[0].is_(None))
        if last_id is not None:
            stmt = stmt.where(Case.id < last_id if desc else Case.id > last_id)
        stmt = stmt.order_by(Case.id.desc() if desc else Case.id.asc())
        more = list(conn.execute(stmt.limit(limit + 1 - len(rows))).all())
        rows += more
        row_parts += [_EMPTY] * len(more)

    has_more = len(rows) > limit
    rows = rows[:limit]
    out = [_to_row(r) for r in rows]
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
