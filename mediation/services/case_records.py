"""What happens on a case besides its moves: investigations, sessions, follow-ups,
attachments and notes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mediation import validation, workflow
from mediation.db import require_write
from mediation.errors import NotFound, ValidationError, WorkflowError
from mediation.i18n import _
from mediation.models import (
    Attachment,
    FollowUp,
    InvestigationRecord,
    SessionRecord,
)
from mediation.permissions import Actor, require
from mediation.services import audit, cases
from mediation.validation import Collector

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


@dataclass
class InvestigationInput:
    held_at: dt.datetime
    content: str
    place: str = ""
    subject: str = ""


def add_investigation(session: Session, actor: Actor, case_id: int, data: InvestigationInput) -> int:
    case = cases.open_for(session, actor, case_id, "investigation")
    v = Collector()
    content = v.check("content", validation.text, data.content, required=True, max_len=20000)
    place = v.check("place", validation.text, data.place, max_len=200)
    subject = v.check("subject", validation.text, data.subject, max_len=200)
    v.check("held_at", validation.past_moment, data.held_at)
    v.raise_if_any()
    rec = InvestigationRecord(case_id=case.id, held_at=data.held_at, content=content,
                              place=place or "", subject=subject or "",
                              investigator_id=actor.user_id)
    session.add(rec)
    if case.stage == workflow.ACCEPTED:
        cases.move(session, actor, case, "investigate", cases.facts_for(session, case), _("开始调查"))
    cases.record_event(session, case, actor, "investigation", _("调查记录：{s}").format(s=subject or place or ""))
    cases.after_change(session, case)
    cases.flush(session)
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="case.investigation", entity="investigation",
                 entity_id=rec.id, case_id=case.id,
                 after={"held_at": data.held_at, "place": place, "subject": subject, "content": content})
    return rec.id


@dataclass
class SessionInput:
    held_at: dt.datetime
    content: str
    place: str = ""
    attendees: str = ""
    result: str = "continued"
    """continued | agreed | failed."""
    recorder_id: int | None = None


def add_session_record(session: Session, actor: Actor, case_id: int, data: SessionInput) -> int:
    """Record a mediation session; the first one moves the case into 'mediating'."""
    case = cases.open_for(session, actor, case_id, "session")
    v = Collector()
    content = v.check("content", validation.text, data.content, required=True, max_len=20000)
    place = v.check("place", validation.text, data.place, max_len=200)
    attendees = v.check("attendees", validation.text, data.attendees, max_len=2000)
    if data.result not in workflow.SESSION_RESULTS:
        v.add("result", _("请选择本次调解结果。"))
    v.check("held_at", validation.past_moment, data.held_at)
    v.raise_if_any()
    workflow.ensure("session", cases.facts_for(session, case))  # a mediator is named
    rec = SessionRecord(case_id=case.id, held_at=data.held_at, content=content, place=place or "",
                        attendees=attendees or "", result=data.result,
                        mediator_id=case.mediator_id, recorder_id=data.recorder_id or actor.user_id)
    session.add(rec)
    session.flush()
    if case.stage != workflow.MEDIATING:
        cases.move(session, actor, case, "mediate", cases.facts_for(session, case), _("开始调解"))
    cases.record_event(session, case, actor, "session", _("调解记录（{r}）").format(r=_(workflow.SESSION_RESULTS[data.result])))
    cases.after_change(session, case)
    cases.flush(session)
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="case.session", entity="session_record",
                 entity_id=rec.id, case_id=case.id,
                 after={"held_at": data.held_at, "place": place, "attendees": attendees,
                        "content": content, "result": data.result})
    return rec.id


def add_attachment(session: Session, actor: Actor, case_id: int, *, filename: str, content: bytes,
                   mime_type: str = "application/octet-stream", description: str = "") -> int:
    require_write(session)
    require(actor, "case.attach")
    case = cases.load_case(session, actor, case_id, for_update=True)
    if case.stage == workflow.ARCHIVED:
        raise WorkflowError(_("已归档的案件不能再添加附件。"))
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise ValidationError(field="filename", message=_("文件名不能为空。"))
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(field="file", message=_("附件不能超过 50 MB。"))
    digest = hashlib.sha256(content).hexdigest()
    att = Attachment(case_id=case.id, filename=name[:255], mime_type=mime_type[:100],
                     size=len(content), sha256=digest, content=content,
                     description=description[:200], added_by_id=actor.user_id)
    session.add(att)
    cases.record_event(session, case, actor, "attachment", _("添加附件：{n}").format(n=name))
    cases.touch(case)
    cases.flush(session)
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="case.attach", entity="attachment",
                 entity_id=att.id, case_id=case.id,
                 after={"filename": name, "size": len(content), "sha256": digest})
    return att.id


def get_attachment(session: Session, actor: Actor, attachment_id: int) -> tuple[str, bytes, str]:
    att = session.get(Attachment, attachment_id)
    if att is None:
        raise NotFound(_("附件不存在。"))
    cases.load_case(session, actor, att.case_id)
    return att.filename, att.content, att.sha256


@dataclass
class FollowUpInput:
    visited_at: dt.datetime
    result: str
    performance_status: str
    """pending | performed | partly | breached."""
    method: str = "phone"
    reason: str = ""


def add_follow_up(session: Session, actor: Actor, case_id: int, data: FollowUpInput) -> int:
    """Record a follow-up visit; an agreed case moves on to performing/follow-up."""
    case = cases.open_for(session, actor, case_id, "follow_up")
    v = Collector()
    result = v.check("result", validation.text, data.result, required=True, max_len=5000)
    reason = v.check("reason", validation.text, data.reason, max_len=200)
    if data.performance_status not in workflow.PERFORMANCE:
        v.add("performance_status", _("请选择履行情况。"))
    elif (data.performance_status != "pending" and case.stage == workflow.AGREED
          and case.agreement_signed_at is None):
        v.add("performance_status", _("协议还没有登记签署，履行情况只能记为“待履行”；请先登记协议签署。"))
    if data.method not in workflow.FOLLOW_UP_METHODS:
        v.add("method", _("请选择回访方式。"))
    v.check("visited_at", validation.past_moment, data.visited_at)
    v.raise_if_any()
    before = cases.snapshot(case)
    rec = FollowUp(case_id=case.id, visited_at=data.visited_at, method=data.method,
                   reason=reason or "", result=result or "",
                   performance_status=data.performance_status, user_id=actor.user_id)
    session.add(rec)
    session.flush()
    case.performance_status = data.performance_status
    if case.stage == workflow.AGREED and case.agreement_signed_at is not None:
        cases.move(session, actor, case, "perform", cases.facts_for(session, case), _("进入履行/回访"))
    cases.record_event(session, case, actor, "follow_up", _("回访：{s}").format(
        s=_(workflow.PERFORMANCE[data.performance_status])))
    cases.finish(session, actor, case, "case.follow_up", before,
                 {"follow_up": {"id": rec.id, "visited_at": data.visited_at, "method": data.method,
                                "result": result, "performance_status": data.performance_status}})
    return rec.id


def add_note(session: Session, actor: Actor, case_id: int, note: str) -> None:
    require_write(session)
    require(actor, "case.edit")
    case = cases.load_case(session, actor, case_id, for_update=True)
    text = validation.text(note, field="note", required=True, max_len=5000)
    cases.record_event(session, case, actor, "note", text)
    cases.touch(case)
    cases.flush(session)
    audit.append(session, desk_id=case.desk_id, user_id=actor.user_id, action="case.note", entity="case",
                 entity_id=case.id, case_id=case.id, after={"note": text})
