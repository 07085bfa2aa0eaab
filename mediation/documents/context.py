"""Build a form's :class:`DocumentContext` from a case in the database.

The case gives the facts of record (parties, numbers, sessions, follow-ups); a document
version's ``content`` (the text a volunteer drafted: terms, facts as worded in the
agreement, performance …) is laid over it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mediation import workflow
from mediation.documents import case_file
from mediation.documents import model as m
from mediation.models import (
    Case,
    CaseParty,
    CaseSource,
    Desk,
    DisputeCategory,
    DisputeSubtype,
    FollowUp,
    SessionRecord,
    User,
)
from mediation.settings import get_setting
from mediation.timeutil import age_on, local, local_date, local_today
from mediation.validation import mask_id_number

# Keys a version's content may carry (everything else in the context comes from the case).
CONTENT_KEYS = (
    "facts", "claims", "disputed_matters", "responsibilities", "terms", "amounts",
    "performance_manner", "performance_place", "performance_deadline", "copies",
    "document_date", "incident_time", "incident_place", "recorder", "witness",
    "presiding_officer", "termination_reason", "termination_routes", "court", "party_ids",
    "session_place", "session_time", "retention_period", "archivist",
)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _datetime(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _lines(text: str) -> list[str]:
    """Numbered terms typed one per line; leading "1." / "一、" numbering is dropped."""
    import re

    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(\d+[.、．)]|[一二三四五六七八九十]+、|\(\d+\)|（\d+）)\s*", "", line).strip()
        if line:
            out.append(line)
    return out


def _label(session: Session, model: type[DisputeCategory | DisputeSubtype | CaseSource],
           item_id: int | None) -> str:
    """The label of a reference item (a category, sub-type or source of the desk)."""
    if item_id is None:
        return ""
    return session.scalar(select(model.label).where(model.id == item_id)) or ""


def _party(link: CaseParty, names_by_link: dict[int, str], today: dt.date, full_ids: bool = True) -> m.Party:
    role = m.PartyRole(link.role)
    p = link.party
    kind = m.PartyKind.PERSON if p.kind == "person" else m.PartyKind.ORGANISATION
    # A person's document number, masked for a reader who may not see it (issue 11 item 4);
    # an organisation's unified code is no personal data.
    number = p.id_number if (full_ids or p.kind != "person") else mask_id_number(p.id_number)
    id_number = number if (p.kind != "person" or p.id_type == "resident_id") else ""
    missing = ""
    if p.kind == "person" and p.id_type == "passport" and p.id_number:
        missing = f"护照号码{number}"
    elif p.kind == "person" and p.id_type == "other" and p.id_number:
        missing = f"证件号码{number}"
    return m.Party(
        name=p.name, role=role, kind=kind, sex=p.sex, ethnicity=p.ethnicity,
        birth_date=p.birth_date,
        age=age_on(p.birth_date, today) if p.birth_date else None,
        occupation=p.occupation, address=p.address, phone=p.phone, id_number=id_number,
        id_missing_reason=missing, legal_representative=p.legal_representative,
        represents=names_by_link.get(link.represents_id or 0, ""),
    )


def build_context(session: Session, case_id: int, content: dict[str, Any] | None = None, *,
                  document_date: dt.date | None = None, full_ids: bool = True,
                  form: str | None = None) -> m.DocumentContext:
    """The context for any form of ``case_id``, with ``content`` overriding the case's text;
    ``full_ids`` False: persons' ID numbers masked (a draft shown to someone without
    ``party.view_id``).

    ``form``: the case file's cover (``case_file_cover``) also gets its table of contents,
    page total, 立卷人 and 立卷日期 (see :mod:`mediation.documents.case_file`).
    """
    c = content or {}
    case = session.execute(
        select(Case).where(Case.id == case_id)
        .options(selectinload(Case.parties).selectinload(CaseParty.party))
    ).scalar_one()
    desk = session.get(Desk, case.desk_id)
    assert desk is not None
    user_ids = {case.mediator_id, case.accepted_by_id, case.registered_by_id}
    sessions = session.scalars(select(SessionRecord).where(SessionRecord.case_id == case.id)
                               .order_by(SessionRecord.held_at, SessionRecord.id)).all()
    follow_ups = session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)
                                 .order_by(FollowUp.visited_at, FollowUp.id)).all()
    user_ids |= {s.recorder_id for s in sessions} | {s.mediator_id for s in sessions}
    user_ids |= {f.user_id for f in follow_ups}
    names = {uid: name for uid, name in session.execute(
        select(User.id, User.display_name).where(User.id.in_({u for u in user_ids if u})))}
    today = local_today()
    names_by_link = {link.id: link.party.name for link in case.parties}
    all_parties = [_party(link, names_by_link, today, full_ids) for link in case.parties]
    chosen = c.get("party_ids")
    if chosen:
        wanted = set(chosen)
        doc_parties = [_party(link, names_by_link, today, full_ids) for link in case.parties
                       if link.party_id in wanted]
    else:
        doc_parties = list(all_parties)

    terms = c.get("terms")
    if terms is None:
        terms = _lines(case.agreement_terms)
    amounts_raw = c.get("amounts")
    amounts: list[m.Amount] = []
    if amounts_raw is not None:
        for a in amounts_raw:
            try:
                amounts.append(m.Amount(label=str(a.get("label", "")), value=Decimal(str(a["value"]))))
            except (KeyError, InvalidOperation):
                continue
    elif case.agreement_amount is not None:
        amounts.append(m.Amount(label="履行金额", value=case.agreement_amount))

    mediator = names.get(case.mediator_id or 0, "")
    sessions_ctx = [
        m.SessionRecord(
            started_at=local(s.held_at).replace(tzinfo=None), place=s.place,
            mediators=[names.get(s.mediator_id or 0, "")] if s.mediator_id else [],
            recorder=names.get(s.recorder_id or 0, ""),
            attendees=[a for a in s.attendees.replace("，", "、").replace(",", "、").split("、") if a.strip()],
            statements=[m.Statement(speaker="调解情况", text=s.content)],
            summary=s.content, result=workflow.SESSION_RESULTS.get(s.result, s.result))
        for s in sessions
    ]
    follow_ctx = [
        m.FollowUpRecord(
            date=local_date(f.visited_at), visitor=names.get(f.user_id or 0, ""),
            visited="、".join(p.name for p in all_parties if p.is_principal),
            method=workflow.FOLLOW_UP_METHODS.get(f.method, f.method), reason=f.reason,
            performance=workflow.PERFORMANCE.get(f.performance_status, f.performance_status),
            result=f.result)
        for f in follow_ups
    ]
    police_unit = get_setting(session, "police_unit", case.desk_id) or ""
    category = _label(session, DisputeCategory, case.category_id)
    subcategory = _label(session, DisputeSubtype, case.subcategory_id)
    agreement_day = local_date(case.agreement_reached_at) if case.agreement_reached_at else None
    effective = local_date(case.agreement_signed_at) if case.agreement_signed_at else None
    routes = c.get("termination_routes")
    if routes is None:
        routes = _lines(case.routes_suggested)
    first_session = sessions[0] if sessions else None
    retention = c.get("retention_period") or (f"{case.retention_years}年" if case.retention_years else "")
    toc: list[m.TocItem] = []
    file_pages: int | None = None
    if form == case_file.COVER_FORM:
        toc, file_pages = case_file.contents(case_file.gather(session, case.id))
    filed_on = (local_date(case.archived_at) if case.archived_at
                else _date(c.get("document_date")) or document_date or today)
    return m.DocumentContext(
        desk_name=desk.name, committee_name=desk.committee_name or desk.name,
        police_unit=police_unit or desk.name,
        case_number=case.number or "", agreement_number=case.agreement_number or case.number or "",
        track=case.track if case.track in ("people", "police") else "people",
        category=category, source=_label(session, CaseSource, case.source_id),
        dispute_title=case.title or f"{subcategory or category}纠纷",
        registered_on=local_date(case.registered_at),
        accepted_on=local_date(case.accepted_at) if case.accepted_at else None,
        agreement_date=_date(c.get("document_date")) or agreement_day,
        effective_date=effective,
        closed_on=local_date(case.closed_at) if case.closed_at else None,
        document_date=document_date or _date(c.get("document_date")) or today,
        parties=doc_parties, case_parties=all_parties,
        mediator=mediator,
        recorder=str(c.get("recorder") or (names.get(first_session.recorder_id or 0, "") if first_session else "")),
        registrar=names.get(case.registered_by_id or 0, ""),
        presiding_officer=str(c.get("presiding_officer") or names.get(case.accepted_by_id or 0, "")),
        witness=str(c.get("witness") or ""),
        facts=str(c.get("facts") if c.get("facts") is not None else case.facts),
        claims=str(c.get("claims") if c.get("claims") is not None else case.claims),
        disputed_matters=str(c.get("disputed_matters") or ""),
        responsibilities=str(c.get("responsibilities") or ""),
        incident_time=_datetime(c.get("incident_time")),
        incident_place=str(c.get("incident_place") or ""),
        terms=[str(t) for t in terms],
        amounts=amounts,
        performance_manner=str(c.get("performance_manner") if c.get("performance_manner") is not None
                               else case.performance_manner),
        performance_place=str(c.get("performance_place") if c.get("performance_place") is not None
                              else case.performance_place),
        performance_deadline=(_date(c.get("performance_deadline")) if "performance_deadline" in c
                              else case.performance_deadline),
        performance_status=workflow.PERFORMANCE.get(case.performance_status or "", ""),
        copies=int(c["copies"]) if c.get("copies") not in (None, "") else None,
        session_place=str(c.get("session_place") or (first_session.place if first_session else "")),
        session_time=_datetime(c.get("session_time")) or (
            local(first_session.held_at).replace(tzinfo=None) if first_session else None),
        session_records=sessions_ctx, follow_ups=follow_ctx,
        termination_reason=str(c.get("termination_reason") or case.outcome_reason
                               if case.result in ("terminated", "withdrawn") else c.get("termination_reason") or ""),
        termination_routes=[str(r) for r in routes],
        termination_date=local_date(case.closed_at) if case.closed_at and case.result == "terminated" else None,
        referral_to=case.referred_to, referral_reason=case.outcome_reason if case.result == "referred" else "",
        court=str(c.get("court") or ""),
        outcome=workflow.RESULTS.get(case.result or "", ""),
        retention_period=retention,
        toc=toc, file_pages=file_pages, archivist=str(c.get("archivist") or ""),
        archived_on=filed_on if form == case_file.COVER_FORM else (
            local_date(case.archived_at) if case.archived_at else None),
    )
