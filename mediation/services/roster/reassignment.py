"""Reassignment: when a volunteer leaves, is suspended or their term ends, their open cases go
to colleagues, in bulk, each move in the case's timeline and the audit trail.

A volunteer's open cases are those they mediate (any open stage) and those they registered
that nobody has accepted or taken on yet (registered, no mediator). A move names the
colleague as the case's mediator, through the case's own "指派调解员" rule (the officer's or
administrator's permission, the case's desk, its stage).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from mediation import validation, workflow
from mediation.changes import Changes
from mediation.db import require_write
from mediation.errors import ValidationError
from mediation.i18n import _
from mediation.models import Case, User
from mediation.permissions import Actor, require
from mediation.services import cases
from mediation.services.roster import common
from mediation.timeutil import local_today
from mediation.validation import Collector

MAX_MOVES = 500


@dataclass(frozen=True)
class OpenCase:
    id: int
    number: str | None
    parties: str
    stage: str
    deadline: dt.date | None
    holder_id: int
    """The account the case is with (its mediator, or who registered it)."""
    holder_name: str
    why: str
    """mediator (they mediate it) | registered (they registered it; not yet accepted or taken on)."""

    @property
    def stage_label(self) -> str:
        return workflow.stage_label(self.stage)


def open_cases_of(session: Session, actor: Actor, user_ids: list[int] | set[int]) -> list[OpenCase]:
    """The open cases held by these accounts (module docstring), of the desks the actor reads."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    mediator = aliased(User)
    registrar = aliased(User)
    mine = and_(Case.mediator_id.in_(ids), Case.stage.in_(sorted(workflow.OPEN_STAGES)))
    registered = and_(Case.stage == workflow.REGISTERED, Case.mediator_id.is_(None),
                      Case.registered_by_id.in_(ids))
    q = (select(Case.id, Case.number, Case.party_names, Case.stage, Case.deadline, Case.mediator_id,
                Case.registered_by_id, mediator.display_name, registrar.display_name)
         .outerjoin(mediator, mediator.id == Case.mediator_id)
         .outerjoin(registrar, registrar.id == Case.registered_by_id)
         .where(or_(mine, registered)).order_by(Case.deadline.is_(None), Case.deadline, Case.id))
    desks = actor.readable_desks
    if desks is not None:
        q = q.where(Case.desk_id.in_(sorted(desks)))
    out = []
    for cid, number, parties, stage, deadline, med_id, reg_id, med_name, reg_name in session.execute(q):
        if med_id is not None and med_id in ids:
            out.append(OpenCase(cid, number, parties, stage, deadline, med_id, med_name or "", "mediator"))
        elif reg_id is not None:
            out.append(OpenCase(cid, number, parties, stage, deadline, reg_id, reg_name or "", "registered"))
    return out


def cases_to_reassign(session: Session, actor: Actor, volunteer_id: int) -> list[OpenCase]:
    """A volunteer's open cases (empty when they have no account)."""
    vol = common.load_volunteer(session, actor, volunteer_id)
    return open_cases_of(session, actor, [vol.user_id]) if vol.user_id is not None else []


@dataclass(frozen=True)
class Move:
    case_id: int
    to_user_id: int


def spread(case_ids: list[int], colleague_ids: list[int]) -> list[Move]:
    """Cases shared out in turn among colleagues (the bulk "to several colleagues")."""
    if not colleague_ids:
        return []
    return [Move(cid, colleague_ids[i % len(colleague_ids)]) for i, cid in enumerate(case_ids)]


@dataclass(frozen=True)
class Reassigned:
    moved: list[int]
    changes: Changes = field(default_factory=Changes)


def reassign(session: Session, actor: Actor, moves: list[Move], *, reason: str) -> Reassigned:
    """Give each case to its colleague, in one transaction: each case gets its timeline event
    (who had it, who has it now, why) and its own audit row."""
    require_write(session)
    require(actor, "case.assign")
    v = Collector()
    why = v.check("reason", validation.text, reason, required=True, max_len=500) or ""
    if not moves:
        v.add("moves", _("请选择要移交的案件。"))
    elif len(moves) > MAX_MOVES:
        v.add("moves", _("一次最多移交 {n} 件案件。").format(n=MAX_MOVES))
    if len({m.case_id for m in moves}) != len(moves):
        v.add("moves", _("同一案件只能移交给一位同事。"))
    v.raise_if_any()
    colleagues: dict[int, User] = {}
    for m in moves:
        if m.to_user_id not in colleagues:
            colleagues[m.to_user_id] = common.load_user(session, actor, m.to_user_id)
    today = local_today()
    moved = []
    for m in sorted(moves, key=lambda m: m.case_id):
        case = cases.open_for(session, actor, m.case_id, "assign")
        to = colleagues[m.to_user_id]
        if not to.active or to.desk_id != case.desk_id:
            raise ValidationError(field="to_user_id", message=_("“{name}”不是本案所在调解点的有效账户。").format(
                name=to.display_name))
        if to.valid_until is not None and to.valid_until < today:
            raise ValidationError(field="to_user_id", message=_("“{name}”的账户已到期。").format(name=to.display_name))
        if case.mediator_id == to.id:
            raise ValidationError(field="to_user_id", message=_("案件 {c} 已由“{name}”承办。").format(
                c=case.number or case.party_names, name=to.display_name))
        before = cases.snapshot(case)
        held_by = case.mediator_id or case.registered_by_id
        holder = session.get(User, held_by) if held_by else None
        case.mediator_id = to.id
        cases.record_event(session, case, actor, "reassigned",
                           _("移交：{from_}→{to}（{why}）").format(
                               from_=holder.display_name if holder else _("无"), to=to.display_name, why=why),
                           data={"from_user_id": held_by, "to_user_id": to.id, "reason": why})
        cases.finish(session, actor, case, "case.reassign", before, {"from_user_id": held_by, "reason": why})
        moved.append(case.id)
    return Reassigned(moved, Changes(case_ids=frozenset(moved), cases_list=True))
