"""An officer's queue of cases: what waits for the decisions only an officer makes.

New cases waiting for acceptance (or first for a track), cases ready to close, ended
mediations to confirm (终止调解 → 结案), and overdue cases — each with the action the case
window should open at. Who sees which group follows the permissions of those actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import workflow
from mediation.models import Case
from mediation.permissions import Actor
from mediation.services import caselist, cases

TO_ACCEPT, TO_CLOSE, TERMINATED, OVERDUE = "to_accept", "to_close", "terminated", "overdue"
CANDIDATES = 200
"""Cases with settled performance checked for 结案 at most (the oldest first)."""
GROUPS = (TO_ACCEPT, TO_CLOSE, TERMINATED, OVERDUE)


@dataclass(frozen=True)
class QueueItem:
    case_id: int
    number: str | None
    parties: str
    stage: str
    action: str | None
    """The action the case window opens at (None: the window only, e.g. an overdue case)."""
    missing: tuple[str, ...] = ()
    """What the action still lacks (shown; the window explains it again)."""


@dataclass(frozen=True)
class CaseQueue:
    groups: dict[str, list[QueueItem]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _rows(session: Session, actor: Actor, q: caselist.CaseQuery, limit: int) -> list[caselist.CaseRow]:
    return caselist.list_cases(session, actor, q, limit=limit).rows


def officer_queue(session: Session, actor: Actor, *, limit: int = 20) -> CaseQueue:
    """The cases waiting for ``actor``'s decisions, oldest first in each group."""
    groups: dict[str, list[QueueItem]] = {}
    counts: dict[str, int] = {}

    def put(group: str, rows: list[caselist.CaseRow], action_of: Callable[[Case], str] | str | None) -> None:
        items = []
        for r in rows:
            case = session.get(Case, r.id)
            assert case is not None
            action = action_of(case) if callable(action_of) else action_of
            missing: tuple[str, ...] = ()
            if action is not None:
                check = workflow.check(action, cases.facts_for(session, case))
                missing = tuple(check.missing)
            items.append(QueueItem(r.id, r.number, r.parties, r.stage, action, missing))
        groups[group] = items[:limit]
        counts[group] = len(items)

    if actor.can("case.accept") or actor.can("case.choose_track"):
        q = caselist.CaseQuery(stages=(workflow.REGISTERED,), descending=False)
        rows = _rows(session, actor, q, limit)
        put(TO_ACCEPT, rows, lambda c: "accept" if c.track else "choose_track")
        if len(rows) >= limit:
            counts[TO_ACCEPT] = caselist.count_cases(session, actor, q)
    if actor.can("case.close"):
        # Cases whose performance is settled are the candidates; the workflow's own guard
        # (signed agreement, follow-up …) decides which are ready.
        stmt = (select(Case).where(Case.stage.in_((workflow.AGREED, workflow.PERFORMING)),
                                   Case.performance_status.in_(("performed", "breached")))
                .order_by(Case.registered_at, Case.id).limit(CANDIDATES))
        if actor.readable_desks is not None:
            stmt = stmt.where(Case.desk_id.in_(actor.readable_desks))
        ready: list[QueueItem] = []
        for case in session.scalars(stmt):
            action = "close_agreed" if case.stage == workflow.AGREED else "close"
            if workflow.check(action, cases.facts_for(session, case)).allowed:
                ready.append(QueueItem(case.id, case.number, case.party_names, case.stage, action))
        groups[TO_CLOSE], counts[TO_CLOSE] = ready[:limit], len(ready)
        q = caselist.CaseQuery(stages=(workflow.TERMINATED,), descending=False)
        put(TERMINATED, _rows(session, actor, q, limit), "close_terminated")
    if actor.can("case.accept"):
        q = caselist.CaseQuery(overdue=True, sort="deadline", descending=False)
        put(OVERDUE, _rows(session, actor, q, limit), None)
        if counts[OVERDUE] >= limit:
            counts[OVERDUE] = caselist.count_cases(session, actor, q)
    return CaseQueue(groups, counts)
