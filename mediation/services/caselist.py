"""The case list: filters, sort and keyset pages done by SQL, never in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from mediation import workflow
from mediation.models import Case, User
from mediation.permissions import Actor
from mediation.timeutil import local_today, start_of_local_day

SORT_KEYS = ("registered_at", "number", "deadline", "stage", "category")


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


@dataclass(frozen=True)
class Page:
    rows: list[CaseRow]
    cursor: tuple[Any, ...] | None
    """Pass back to get the next page; None when there is none."""

    @property
    def has_more(self) -> bool:
        return self.cursor is not None


def _filtered(actor: Actor, q: CaseQuery, cols: Select[Any]) -> Select[Any]:
    stmt = cols
    if q.desk_id is not None:
        stmt = stmt.where(Case.desk_id == q.desk_id)
    elif not (actor.all_desks or actor.role == "admin"):
        stmt = stmt.where(Case.desk_id == actor.desk_id)
    if q.stages:
        stmt = stmt.where(Case.stage.in_(q.stages))
    if q.tracks:
        stmt = stmt.where(Case.track.in_(q.tracks))
    if q.categories:
        stmt = stmt.where(Case.category.in_(q.categories))
    if q.mediator_id is not None:
        stmt = stmt.where(Case.mediator_id == q.mediator_id)
    if q.overdue:
        stmt = stmt.where(Case.deadline < local_today(), Case.stage.in_(workflow.OPEN_STAGES))
    if q.registered_from is not None:
        stmt = stmt.where(Case.registered_at >= start_of_local_day(q.registered_from))
    if q.registered_to is not None:
        stmt = stmt.where(Case.registered_at < start_of_local_day(q.registered_to + dt.timedelta(days=1)))
    text = q.text.strip()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(or_(Case.number.like(like), Case.party_names.like(like),
                              Case.party_phones.like(like), Case.title.like(like),
                              Case.facts.like(like)))
    return stmt


def _sort_column(q: CaseQuery) -> Any:
    if q.sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {q.sort!r}")
    return {"registered_at": Case.registered_at, "number": func.coalesce(Case.number, ""),
            "deadline": func.coalesce(Case.deadline, dt.date(9999, 12, 31)),
            "stage": Case.stage, "category": Case.category}[q.sort]


def list_cases(session: Session, actor: Actor, query: CaseQuery, *,
               cursor: tuple[Any, ...] | None = None, limit: int = 200) -> Page:
    """One page of the list, ordered by (sort key, id) and continued after ``cursor``."""
    mediator = aliased(User)
    key = _sort_column(query)
    stmt = _filtered(actor, query, select(
        Case.id, Case.number, Case.registered_at, Case.party_names, Case.category,
        Case.subcategory, Case.track, Case.stage, mediator.display_name, Case.deadline,
        Case.deadline_label, Case.version_id, key.label("sort_key"),
    ).outerjoin(mediator, mediator.id == Case.mediator_id))
    if cursor is not None:
        last_key, last_id = cursor
        if query.descending:
            stmt = stmt.where(tuple_(key, Case.id) < tuple_(last_key, last_id))
        else:
            stmt = stmt.where(tuple_(key, Case.id) > tuple_(last_key, last_id))
    order = (key.desc(), Case.id.desc()) if query.descending else (key.asc(), Case.id.asc())
    rows = session.execute(stmt.order_by(*order).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out = [CaseRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8] or "", r[9], r[10], r[11])
           for r in rows]
    next_cursor = (rows[-1][12], rows[-1][0]) if more and rows else None
    return Page(out, next_cursor)


def count_cases(session: Session, actor: Actor, query: CaseQuery) -> int:
    stmt = _filtered(actor, query, select(func.count()).select_from(Case))
    return int(session.scalar(stmt) or 0)


def search(session: Session, actor: Actor, text: str, *, limit: int = 50) -> list[CaseRow]:
    """Cases matching ``text`` in number, party names, phones or facts; newest first."""
    return list_cases(session, actor, CaseQuery(text=text), limit=limit).rows


_unused = and_  # kept for filters the optimised version adds
