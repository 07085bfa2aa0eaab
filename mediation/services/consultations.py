"""Legal consultations (法律咨询): quick log, counted in statistics, convertible to a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediation import validation
from mediation.db import require_write
from mediation.errors import NotFound, ValidationError, WorkflowError
from mediation.i18n import _
from mediation.models import Consultation, User
from mediation.permissions import Actor, require
from mediation.services import audit, cases, reference
from mediation.services.parties import PartyInput
from mediation.timeutil import utcnow
from mediation.validation import Collector


@dataclass
class ConsultationInput:
    topic: str
    answer: str
    person_name: str = ""
    phone: str = ""
    question: str = ""
    category: str = ""
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


def _view(c: Consultation, answered_by: str) -> ConsultationView:
    return ConsultationView(c.id, c.asked_at, c.person_name, validation.mask_phone(c.phone), c.topic,
                            c.category, c.question, c.answer, c.minutes, answered_by,
                            c.converted_case_id)


def log_consultation(session: Session, actor: Actor, data: ConsultationInput) -> int:
    require_write(session)
    require(actor, "consultation.log")
    if actor.desk_id is None:
        raise ValidationError(field="desk_id", message=_("您的账户未分配调解点，不能登记咨询。"))
    v = Collector()
    topic = v.check("topic", validation.text, data.topic, required=True, max_len=200)
    answer = v.check("answer", validation.text, data.answer, required=True, max_len=10000)
    question = v.check("question", validation.text, data.question, max_len=10000)
    name = v.check("person_name", validation.person_name, data.person_name, required=False)
    phone = v.check("phone", validation.phone, data.phone, required=False)
    if not 0 <= data.minutes <= 600:
        v.add("minutes", _("用时应在 0 到 600 分钟之间。"))
    if data.category and not reference.is_known_category(session, data.category):
        v.add("category", _("未知的纠纷类别“{c}”，请从列表中选择。").format(c=data.category))
    asked_at = data.asked_at or utcnow()
    v.check("asked_at", validation.past_moment, asked_at)
    v.raise_if_any()
    c = Consultation(desk_id=actor.desk_id, asked_at=asked_at, person_name=name or "", phone=phone or "",
                     topic=topic or "", category=data.category, question=question or "",
                     answer=answer or "", minutes=data.minutes, answered_by_id=actor.user_id)
    session.add(c)
    session.flush()
    audit.append(session, desk_id=c.desk_id, user_id=actor.user_id, action="consultation.log", entity="consultation",
                 entity_id=c.id, after={"topic": c.topic, "category": c.category, "minutes": c.minutes,
                                        "person_name": c.person_name})
    return c.id


def list_consultations(session: Session, actor: Actor, *, limit: int = 200) -> list[ConsultationView]:
    rows = session.execute(
        select(Consultation, User.display_name).outerjoin(User, User.id == Consultation.answered_by_id)
        .where(Consultation.desk_id == actor.desk_id)
        .order_by(Consultation.asked_at.desc(), Consultation.id.desc()).limit(limit)).all()
    return [_view(c, n or "") for c, n in rows]


def get_consultation(session: Session, actor: Actor, consultation_id: int) -> ConsultationView:
    c = session.get(Consultation, consultation_id)
    if c is None or not actor.may_read_desk(c.desk_id):
        raise NotFound(_("咨询记录不存在。"))
    u = session.get(User, c.answered_by_id) if c.answered_by_id else None
    return _view(c, u.display_name if u else "")


def convert_to_case(session: Session, actor: Actor, consultation_id: int,
                    data: cases.CaseInput) -> cases.CaseRef:
    """Register a dispute from a consultation; the two stay linked."""
    require_write(session)
    c = session.get(Consultation, consultation_id)
    if c is None or not actor.may_read_desk(c.desk_id):
        raise NotFound(_("咨询记录不存在。"))
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
    c = session.get(Consultation, consultation_id)
    if c is None or not actor.may_read_desk(c.desk_id):
        raise NotFound(_("咨询记录不存在。"))
    parties = [PartyInput(role="applicant", name=c.person_name, phone=c.phone)] if c.person_name else []
    return cases.CaseInput(parties=parties, facts=c.question or c.topic, category=c.category,
                           source="当事人申请", title=c.topic, consultation_id=c.id)
