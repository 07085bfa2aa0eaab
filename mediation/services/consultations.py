"""Legal consultations (法律咨询): quick log, list, edit, counted in statistics, convertible to a case."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation
from mediation.db import require_write
from mediation.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    WorkflowError,
)
from mediation.i18n import _
from mediation.models import Case, Consultation, DisputeCategory, User
from mediation.permissions import Actor, require
from mediation.services import audit, cases, reference
from mediation.services.parties import PartyInput
from mediation.timeutil import start_of_local_day, utcnow
from mediation.validation import Collector

MAX_LIST = 500


@dataclass
class ConsultationInput:
    topic: str
    answer: str
    person_name: str = ""
    phone: str = ""
    question: str = ""
    category: str = ""
    """A label of the desk's category list (as the form offers it)."""
    minutes: int = 10
    asked_at: dt.datetime | None = None


@dataclass(frozen=True)
class ConsultationView:
    id: int
    asked_at: dt.datetime
    person_name: str
    phone_masked: str
    topic: str
    category: str
    question: str
    answer: str
    minutes: int
    answered_by: str
    converted_case_id: int | None
    answered_by_id: int | None = None
    converted_case_number: str | None = None
    version: int = 0
    """Changes each time it is edited (the edit form checks it)."""


def _view(c: Consultation, answered_by: str, category: str, case_number: str | None = None) -> ConsultationView:
    return ConsultationView(c.id, c.asked_at, c.person_name, validation.mask_phone(c.phone), c.topic,
                            category, c.question, c.answer, c.minutes, answered_by,
                            c.converted_case_id, c.answered_by_id, case_number, _version(c))


def _version(c: Consultation) -> int:
    """A stamp of the row as it is (consultations have no version column of their own)."""
    state = json.dumps([c.topic, c.answer, c.question, c.person_name, c.phone, c.category_id, c.minutes,
                        c.asked_at.isoformat() if c.asked_at else None, c.converted_case_id],
                       ensure_ascii=False)
    return int.from_bytes(hashlib.sha256(state.encode("utf-8")).digest()[:4], "big") & 0x7FFFFFFF


def _clean(session: Session, desk_id: int, data: ConsultationInput, *, keep_phone: str | None = None,
           current_category: int | None = None) -> dict[str, object]:
    v = Collector()
    topic = v.check("topic", validation.text, data.topic, required=True, max_len=200)
    answer = v.check("answer", validation.text, data.answer, required=True, max_len=10000)
    question = v.check("question", validation.text, data.question, max_len=10000)
    name = v.check("person_name", validation.person_name, data.person_name, required=False)
    phone = keep_phone if keep_phone is not None else v.check("phone", validation.phone, data.phone,
                                                              required=False)
    if not 0 <= data.minutes <= 600:
        v.add("minutes", _("用时应在 0 到 600 分钟之间。"))
    ids = reference.classify(session, desk_id, category=(data.category or "").strip(), subcategory="",
                             source="", current=reference.Classification(category_id=current_category), v=v)
    asked_at = data.asked_at or utcnow()
    v.check("asked_at", validation.past_moment, asked_at)
    v.raise_if_any()
    return {"asked_at": asked_at, "person_name": name or "", "phone": phone or "", "topic": topic or "",
            "category_id": ids.category_id, "question": question or "", "answer": answer or "",
            "minutes": data.minutes}


def log_consultation(session: Session, actor: Actor, data: ConsultationInput) -> int:
    require_write(session)
    require(actor, "consultation.log")
    if actor.desk_id is None:
        raise ValidationError(field="desk_id", message=_("您的账户未分配调解点，不能登记咨询。"))
    fields = _clean(session, actor.desk_id, data)
    c = Consultation(desk_id=actor.desk_id, answered_by_id=actor.user_id, **fields)
    session.add(c)
    session.flush()
    audit.append(session, desk_id=c.desk_id, user_id=actor.user_id, action="consultation.log",
                 entity="consultation", entity_id=c.id,
                 after={"topic": c.topic, "category_id": c.category_id, "minutes": c.minutes,
                                        "person_name": c.person_name})
    return c.id


def _load(session: Session, actor: Actor, consultation_id: int) -> Consultation:
    c = session.get(Consultation, consultation_id)
    if c is None or not actor.may_read_desk(c.desk_id):
        raise NotFound(_("咨询记录不存在。"))
    return c


def update_consultation(session: Session, actor: Actor, consultation_id: int, data: ConsultationInput, *,
                        keep_phone: bool = False, expected_version: int | None = None) -> int:
    """Correct a consultation; ``keep_phone``: the phone was shown masked and left as it was.

    Returns the new version stamp."""
    require_write(session)
    require(actor, "consultation.log")
    c = _load(session, actor, consultation_id)
    if not actor.may_write_desk(c.desk_id):
        raise PermissionDenied(_("您只能修改本调解点的咨询记录。"))
    if expected_version is not None and _version(c) != expected_version:
        raise Conflict(_("该咨询记录已被其他人修改，请重新打开后再保存。"))
    fields = _clean(session, c.desk_id, data, keep_phone=c.phone if keep_phone else None,
                    current_category=c.category_id)
    if data.asked_at is None:
        fields.pop("asked_at")  # the form left the time as it was
    before = {k: getattr(c, k) for k in fields}
    for k, value in fields.items():
        setattr(c, k, value)
    changed = {k: v for k, v in fields.items() if before[k] != v}
    if not changed:
        return _version(c)
    session.flush()
    # Phone numbers never go into the audit trail in clear (only that it changed).
    shown = {k: ("***" if k == "phone" else v) for k, v in changed.items()}
    audit.append(session, desk_id=c.desk_id, user_id=actor.user_id, action="consultation.update",
                 entity="consultation",
                 entity_id=c.id, case_id=c.converted_case_id,
                 before={k: ("***" if k == "phone" else before[k]) for k in changed}, after=shown)
    return _version(c)


@dataclass(frozen=True)
class ConsultationQuery:
    """The consultations list's filters (empty: no filter)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    answered_by_id: int | None = None
    topic: str = ""
    """Words in the topic or the question."""


def list_consultations(session: Session, actor: Actor, query: ConsultationQuery | None = None, *,
                       limit: int = 200) -> list[ConsultationView]:
    """The desk's consultations, newest first, filtered by date, who answered, and topic."""
    require(actor, "case.view")
    q = query or ConsultationQuery()
    stmt = (select(Consultation, User.display_name, DisputeCategory.label, Case.number)
            .outerjoin(User, User.id == Consultation.answered_by_id)
            .outerjoin(DisputeCategory, DisputeCategory.id == Consultation.category_id)
            .outerjoin(Case, Case.id == Consultation.converted_case_id))
    desks = actor.readable_desks
    if desks is not None:
        stmt = stmt.where(Consultation.desk_id.in_(desks))
    if q.date_from is not None:
        stmt = stmt.where(Consultation.asked_at >= start_of_local_day(q.date_from))
    if q.date_to is not None:
        stmt = stmt.where(Consultation.asked_at < start_of_local_day(q.date_to + dt.timedelta(days=1)))
    if q.answered_by_id is not None:
        stmt = stmt.where(Consultation.answered_by_id == q.answered_by_id)
    words = q.topic.strip()
    if words:
        like = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Consultation.topic.like(like, escape="\\") | Consultation.question.like(like, escape="\\"))
    rows = session.execute(stmt.order_by(Consultation.asked_at.desc(), Consultation.id.desc())
                           .limit(min(limit, MAX_LIST))).all()
    return [_view(c, n or "", label or "", number) for c, n, label, number in rows]


def answerers(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Who answered consultations on the actor's desks (for the list's filter)."""
    stmt = (select(User.id, User.display_name).join(Consultation, Consultation.answered_by_id == User.id)
            .distinct().order_by(User.display_name))
    desks = actor.readable_desks
    if desks is not None:
        stmt = stmt.where(Consultation.desk_id.in_(desks))
    return [(i, n) for i, n in session.execute(stmt)]


def get_consultation(session: Session, actor: Actor, consultation_id: int) -> ConsultationView:
    c = _load(session, actor, consultation_id)
    u = session.get(User, c.answered_by_id) if c.answered_by_id else None
    number = session.scalar(select(Case.number).where(Case.id == c.converted_case_id)) \
        if c.converted_case_id else None
    return _view(c, u.display_name if u else "", reference.label_of(session, DisputeCategory, c.category_id),
                 number)


def convert_to_case(session: Session, actor: Actor, consultation_id: int,
                    data: cases.CaseInput) -> cases.CaseRef:
    """Register a dispute from a consultation; the two stay linked."""
    require_write(session)
    c = _load(session, actor, consultation_id)
    if c.converted_case_id is not None:
        raise WorkflowError(_("该咨询已经转为案件。"))
    data.consultation_id = c.id
    ref = cases.register_case(session, actor, data)
    c.converted_case_id = ref.id
    session.flush()
    audit.append(session, desk_id=c.desk_id, user_id=actor.user_id, action="consultation.convert", entity="consultation",
                 entity_id=c.id, case_id=ref.id, after={"case_id": ref.id})
    return ref


def prefill_case(session: Session, actor: Actor, consultation_id: int) -> cases.CaseInput:
    """An intake form pre-filled from the consultation (the asker as applicant)."""
    c = _load(session, actor, consultation_id)
    parties = [PartyInput(role="applicant", name=c.person_name, phone=c.phone)] if c.person_name else []
    return cases.CaseInput(parties=parties, facts=c.question or c.topic,
                           category=reference.label_of(session, DisputeCategory, c.category_id),
                           source="当事人申请", title=c.topic, consultation_id=c.id)
