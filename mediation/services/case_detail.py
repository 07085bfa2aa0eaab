"""What a case window shows: the case, its parties, records and timeline, and the
actions the person may take now."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mediation import permissions, validation, workflow
from mediation.errors import NotFound
from mediation.i18n import _
from mediation.models import (
    Attachment,
    Case,
    CaseParty,
    CaseSource,
    Desk,
    DisputeCategory,
    DisputeSubtype,
    FollowUp,
    InvestigationRecord,
    SessionRecord,
    User,
)
from mediation.permissions import Actor, require
from mediation.services import cases
from mediation.timeutil import local_date


@dataclass(frozen=True)
class PartyView:
    link_id: int
    party_id: int
    role: str
    role_label: str
    kind: str
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date | None
    id_type: str
    id_number_masked: str
    phone_masked: str
    phone: str
    address: str
    occupation: str
    legal_representative: str
    represents_link_id: int | None
    party_type: str = ""
    """本校学生 / 外校学生 … (statistics.rules.PARTY_TYPES); empty: not stated."""


@dataclass(frozen=True)
class EventView:
    id: int
    at: dt.datetime
    user: str
    kind: str
    summary: str
    stage_from: str | None
    stage_to: str | None


@dataclass(frozen=True)
class SessionView:
    id: int
    held_at: dt.datetime
    place: str
    attendees: str
    content: str
    result: str
    mediator: str
    recorder: str


@dataclass(frozen=True)
class InvestigationView:
    id: int
    held_at: dt.datetime
    place: str
    subject: str
    content: str
    investigator: str


@dataclass(frozen=True)
class FollowUpView:
    id: int
    visited_at: dt.datetime
    method: str
    reason: str
    result: str
    performance_status: str
    user: str


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    size: int
    sha256: str
    mime_type: str
    description: str
    added_at: dt.datetime
    added_by: str


@dataclass(frozen=True)
class ActionView:
    """One button of the case window: an action the person may take now, or why not."""

    action: str
    label: str
    allowed: bool
    message: str
    """Why it is not allowed now: what is missing and, when the person's role may not do
    it, who may and whom to ask. Empty when allowed."""
    kind: str = workflow.TRANSITION
    """transition (moves the case on: the window's first row) | record (adds to the case)."""
    missing: tuple[str, ...] = ()
    """What the case lacks for it (the guard's words)."""
    who: str = ""
    """Who may do it, when the person may not ("督导民警或管理员")."""


@dataclass(frozen=True)
class CaseDetail:
    id: int
    version: int
    desk_id: int
    desk_name: str
    number: str | None
    stage: str
    track: str | None
    category: str
    subcategory: str
    source: str
    title: str
    facts: str
    claims: str
    amount: Decimal | None
    registered_at: dt.datetime
    registered_by: str
    accepted_at: dt.datetime | None
    mediator_id: int | None
    mediator: str
    deadline: dt.date | None
    deadline_label: str
    result: str | None
    outcome_reason: str
    referred_to: str
    routes_suggested: str
    prevented_escalation: bool
    agreement_kind: str | None
    agreement_number: str | None
    agreement_terms: str
    agreement_amount: Decimal | None
    performance_manner: str
    performance_place: str
    performance_deadline: dt.date | None
    agreement_reached_at: dt.datetime | None
    agreement_signed_at: dt.datetime | None
    performance_status: str | None
    closed_at: dt.datetime | None
    archived_at: dt.datetime | None
    judicial_confirmation_deadline: dt.date | None
    parties: list[PartyView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    sessions: list[SessionView] = field(default_factory=list)
    investigations: list[InvestigationView] = field(default_factory=list)
    follow_ups: list[FollowUpView] = field(default_factory=list)
    attachments: list[AttachmentView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {uid: name for uid, name in session.execute(
        select(User.id, User.display_name).where(User.id.in_(wanted)))}


_DIALOG_INPUT: dict[str, dict[str, Any]] = {
    "decline": {"reason": "-"},
    "withdraw": {"reason": "-"},
    "terminate": {"reason": "-"},
    "reopen": {"reason": "-"},
    "refer": {"reason": "-", "referred_to": "-"},
    "agree": {"agreement_kind": workflow.ORAL, "agreement_terms": "-"},
}
"""Input that an action's dialog collects, assumed present when deciding whether its
button is enabled (the service checks the real input when the dialog saves)."""


def get_case(session: Session, actor: Actor, case_id: int) -> CaseDetail:
    """Everything shown on the case view, with ID numbers and phones masked."""
    require(actor, "case.view")
    # The case with its desk's name and its three labels in one statement (issue 13: each
    # round trip is a fraction of a millisecond of the ten a case may take to open).
    row = session.execute(
        select(Case, Desk.name, DisputeCategory.label, DisputeSubtype.label, CaseSource.label)
        .join(Desk, Desk.id == Case.desk_id)
        .outerjoin(DisputeCategory, DisputeCategory.id == Case.category_id)
        .outerjoin(DisputeSubtype, DisputeSubtype.id == Case.subcategory_id)
        .outerjoin(CaseSource, CaseSource.id == Case.source_id)
        .where(Case.id == case_id)
        .options(selectinload(Case.parties).selectinload(CaseParty.party), selectinload(Case.events))
    ).one_or_none()
    if row is None or not actor.may_read_desk(row[0].desk_id):
        raise NotFound(_("案件不存在或您无权查看。"))
    case, desk_name, category_label, subtype_label, source_label = row
    sessions = session.scalars(select(SessionRecord).where(SessionRecord.case_id == case.id)
                               .order_by(SessionRecord.held_at, SessionRecord.id)).all()
    invs = session.scalars(select(InvestigationRecord).where(InvestigationRecord.case_id == case.id)
                           .order_by(InvestigationRecord.held_at, InvestigationRecord.id)).all()
    fus = session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)
                          .order_by(FollowUp.visited_at, FollowUp.id)).all()
    atts = session.execute(
        select(Attachment.id, Attachment.filename, Attachment.size, Attachment.sha256,
               Attachment.mime_type, Attachment.description, Attachment.added_at,
               Attachment.added_by_id).where(Attachment.case_id == case.id).order_by(Attachment.id)
    ).all()
    user_ids: set[int | None] = {case.mediator_id, case.registered_by_id}
    user_ids |= {e.user_id for e in case.events}
    user_ids |= {s.mediator_id for s in sessions} | {s.recorder_id for s in sessions}
    user_ids |= {i.investigator_id for i in invs} | {f.user_id for f in fus} | {a[7] for a in atts}
    names = _names(session, user_ids)
    see_phone = actor.can("party.view_id")
    parties = [
        PartyView(
            link_id=link.id, party_id=link.party.id, role=link.role, role_label=_(workflow.PARTY_ROLES[link.role]),
            kind=link.party.kind, name=link.party.name, sex=link.party.sex, ethnicity=link.party.ethnicity,
            birth_date=link.party.birth_date, id_type=link.party.id_type,
            id_number_masked=validation.mask_id_number(link.party.id_number),
            phone_masked=validation.mask_phone(link.party.phone),
            phone=link.party.phone if see_phone else validation.mask_phone(link.party.phone),
            address=link.party.address, occupation=link.party.occupation,
            legal_representative=link.party.legal_representative, represents_link_id=link.represents_id,
            party_type=link.party_type or "")
        for link in case.parties
    ]
    facts = cases.facts_for(session, case, sessions=len(sessions), follow_ups=len(fus),
                            category=category_label or "")
    jc_deadline = None
    if case.track == workflow.PEOPLE and case.agreement_kind == workflow.WRITTEN and case.agreement_signed_at:
        jc_deadline = local_date(case.agreement_signed_at) + dt.timedelta(days=30)
    return CaseDetail(
        id=case.id, version=case.version_id, desk_id=case.desk_id, desk_name=desk_name or "",
        number=case.number, stage=case.stage, track=case.track,
        category=category_label or "", subcategory=subtype_label or "",
        source=source_label or "", title=case.title, facts=case.facts,
        claims=case.claims, amount=case.amount, registered_at=case.registered_at,
        registered_by=names.get(case.registered_by_id or 0, ""), accepted_at=case.accepted_at,
        mediator_id=case.mediator_id, mediator=names.get(case.mediator_id or 0, ""),
        deadline=case.deadline, deadline_label=case.deadline_label, result=case.result,
        outcome_reason=case.outcome_reason, referred_to=case.referred_to,
        routes_suggested=case.routes_suggested, prevented_escalation=case.prevented_escalation,
        agreement_kind=case.agreement_kind, agreement_number=case.agreement_number,
        agreement_terms=case.agreement_terms, agreement_amount=case.agreement_amount,
        performance_manner=case.performance_manner, performance_place=case.performance_place,
        performance_deadline=case.performance_deadline,
        agreement_reached_at=case.agreement_reached_at, agreement_signed_at=case.agreement_signed_at,
        performance_status=case.performance_status, closed_at=case.closed_at,
        archived_at=case.archived_at, judicial_confirmation_deadline=jc_deadline,
        parties=parties,
        events=[EventView(e.id, e.at, names.get(e.user_id or 0, ""), e.kind, e.summary,
                          e.stage_from, e.stage_to) for e in case.events],
        sessions=[SessionView(s.id, s.held_at, s.place, s.attendees, s.content, s.result,
                              names.get(s.mediator_id or 0, ""), names.get(s.recorder_id or 0, ""))
                  for s in sessions],
        investigations=[InvestigationView(i.id, i.held_at, i.place, i.subject, i.content,
                                          names.get(i.investigator_id or 0, "")) for i in invs],
        follow_ups=[FollowUpView(f.id, f.visited_at, f.method, f.reason, f.result,
                                 f.performance_status, names.get(f.user_id or 0, "")) for f in fus],
        attachments=[AttachmentView(a[0], a[1], a[2], a[3], a[4], a[5], a[6], names.get(a[7] or 0, ""))
                     for a in atts],
        actions=actions_now(actor, facts),
    )


def actions_now(actor: Actor, facts: workflow.CaseFacts) -> list[ActionView]:
    """Every action the case's stage offers, in order, each allowed or saying why not."""
    out = []
    for rule in workflow.offered(facts):
        permitted = actor.can(rule.permission)
        if rule.hidden_unless_permitted and not permitted:
            continue
        # The dialog behind these buttons asks for the reason, destination or terms
        # itself; judge the button on everything else.
        assumed = _DIALOG_INPUT.get(rule.action)
        chk = workflow.check(rule.action, dataclasses.replace(facts, **assumed) if assumed else facts)
        who = "" if permitted else permissions.who_may(rule.permission)
        if permitted:
            message = chk.message
        elif chk.allowed:  # ready, but not for this role
            message = _("“{action}”须由{who}办理，请联系本调解点的{who}。").format(action=_(rule.label), who=who)
        else:  # what is missing, and who does it (issue 12 item 19)
            message = chk.message + _("“{action}”须由{who}办理，请联系本调解点的{who}。").format(
                action=_(rule.label), who=who)
        out.append(ActionView(rule.action, _(rule.label), chk.allowed and permitted, message,
                              kind=rule.kind, missing=tuple(chk.missing), who=who))
    return out
