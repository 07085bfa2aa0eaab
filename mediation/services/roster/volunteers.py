"""Volunteers of a term: add by hand (the Excel import shares the checks), edit, their status
with its reason, and their training hours."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediation import validation, volunteering
from mediation.db import require_write
from mediation.errors import Conflict, ValidationError
from mediation.i18n import _
from mediation.models import Term, TrainingRecord, User, Volunteer, VolunteerStatusChange
from mediation.permissions import Actor, require
from mediation.services import audit
from mediation.services.roster import common
from mediation.timeutil import local_today, utcnow
from mediation.validation import Collector

_STUDENT_NO = re.compile(r"[0-9A-Za-z_-]{1,30}")
MAX_TRAINING_MINUTES = 24 * 60


@dataclass
class VolunteerInput:
    """A volunteer as the school's list gives them (or as typed)."""

    name: str
    student_no: str
    class_name: str = ""
    college: str = ""
    sex: str = ""
    phone: str = ""
    id_number: str = ""
    joined_on: dt.date | None = None


def student_no(value: str | None, *, field: str = "student_no") -> str:
    """A student number: letters, digits, ``-`` and ``_`` (full-width forms folded)."""
    s = unicodedata.normalize("NFKC", value or "").strip()
    if not s:
        raise ValidationError(field=field, message=_("请填写学号。"))
    if not _STUDENT_NO.fullmatch(s):
        raise ValidationError(field=field, message=_("学号只能由字母、数字、“-”和“_”组成，最多 30 位。"))
    return s


def clean_volunteer(data: VolunteerInput, v: Collector, *, term: Term | None = None) -> dict[str, Any]:
    """Every field of ``data`` checked (errors into ``v``, by field name); the clean values."""
    out: dict[str, Any] = {
        "name": v.check("name", validation.person_name, data.name),
        "student_no": v.check("student_no", student_no, data.student_no),
        "class_name": v.check("class_name", validation.text, data.class_name, max_len=60) or "",
        "college": v.check("college", validation.text, data.college, max_len=60) or "",
        "phone": (v.check("phone", validation.phone, data.phone) or "") if (data.phone or "").strip() else "",
        "id_number": ((v.check("id_number", validation.resident_id, data.id_number) or "")
                      if (data.id_number or "").strip() else ""),
        "joined_on": data.joined_on,
    }
    sex = (data.sex or "").strip()
    if sex and sex not in ("男", "女"):
        v.add("sex", _("性别请填写“男”或“女”。"))
    out["sex"] = sex
    if out["id_number"] and not sex:
        out["sex"] = validation.sex_from_resident_id(out["id_number"])
    if term is not None and data.joined_on is not None and not term.starts_on <= data.joined_on <= term.ends_on:
        v.add("joined_on", _("加入日期应在学期之内（{start} 至 {end}）。").format(
            start=term.starts_on.isoformat(), end=term.ends_on.isoformat()))
    return out


def audit_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """What an audit row keeps of a volunteer: no phone or ID number (personal data, masked)."""
    return {**fields, "phone": validation.mask_phone(fields.get("phone")),
            "id_number": validation.mask_id_number(fields.get("id_number"))}


def taken_student_nos(session: Session, term_id: int) -> set[str]:
    return set(session.scalars(select(Volunteer.student_no).where(Volunteer.term_id == term_id)))


def add_volunteer(session: Session, actor: Actor, term_id: int, data: VolunteerInput) -> int:
    """Add one volunteer to a term by hand (status 培训中)."""
    require_write(session)
    require(actor, "roster.manage")
    term = common.load_term(session, actor, term_id, write=True)
    common.open_term(term)
    v = Collector()
    fields = clean_volunteer(data, v, term=term)
    v.raise_if_any()
    if fields["student_no"] in taken_student_nos(session, term.id):
        raise ValidationError(field="student_no", message=_("学号 {no} 已在本学期名单中。").format(
            no=fields["student_no"]))
    vol = Volunteer(desk_id=term.desk_id, term_id=term.id, status=volunteering.TRAINING,
                    status_changed_at=utcnow(), **fields)
    session.add(vol)
    session.flush()
    session.add(VolunteerStatusChange(desk_id=vol.desk_id, volunteer_id=vol.id, status_from=None,
                                      status_to=volunteering.TRAINING, reason=_("加入值班名单"),
                                      by_id=actor.user_id))
    session.flush()
    audit.append(session, desk_id=vol.desk_id, user_id=actor.user_id, action="roster.volunteer_add", entity="roster_volunteer",
                 entity_id=vol.id, after={"term_id": term.id, **audit_fields(fields)})
    return vol.id


def update_volunteer(session: Session, actor: Actor, volunteer_id: int, data: VolunteerInput) -> None:
    """Correct a volunteer's particulars (their account's name and phone follow)."""
    require_write(session)
    require(actor, "roster.manage")
    vol = common.load_volunteer(session, actor, volunteer_id, write=True)
    term = session.get(Term, vol.term_id)
    assert term is not None
    common.open_term(term)
    v = Collector()
    fields = clean_volunteer(data, v, term=term)
    v.raise_if_any()
    if fields["student_no"] != vol.student_no and fields["student_no"] in taken_student_nos(session, term.id):
        raise ValidationError(field="student_no", message=_("学号 {no} 已在本学期名单中。").format(
            no=fields["student_no"]))
    before = {k: getattr(vol, k) for k in fields}
    for k, value in fields.items():
        setattr(vol, k, value)
    if vol.user_id is not None:
        user = session.get(User, vol.user_id)
        if user is not None:
            user.display_name, user.phone, user.student_no = vol.name, vol.phone, vol.student_no
    session.flush()
    audit.append(session, desk_id=vol.desk_id, user_id=actor.user_id, action="roster.volunteer_update", entity="roster_volunteer",
                 entity_id=vol.id, before=audit_fields(before), after=audit_fields(fields))


def change_status(session: Session, vol: Volunteer, actor: Actor, status: str, reason: str) -> str | None:
    """Record a status change on ``vol`` (no checks, no audit: the caller's service does both);
    the status it had."""
    before = vol.status
    vol.status = status
    vol.status_reason = reason
    vol.status_changed_at = utcnow()
    session.add(VolunteerStatusChange(desk_id=vol.desk_id, volunteer_id=vol.id, status_from=before,
                                      status_to=status, reason=reason, by_id=actor.user_id))
    return before


def set_status(session: Session, actor: Actor, volunteer_id: int, status: str, *, reason: str = "") -> None:
    """培训中 / 在岗 / 暂停 / 期满 / 退出, with a reason (required for 暂停 and 退出).

    A volunteer who leaves or is suspended keeps their account until the administrator
    deactivates it, and their cases until they are reassigned (see ``reassignment``):
    their history stays theirs.
    """
    require_write(session)
    require(actor, "roster.manage")
    vol = common.load_volunteer(session, actor, volunteer_id, write=True)
    v = Collector()
    if status not in volunteering.STATUSES:
        v.add("status", _("未知的状态：{s}").format(s=status))
    why = v.check("reason", validation.text, reason, required=status in volunteering.REASON_REQUIRED,
                  max_len=500) or ""
    v.raise_if_any()
    if status == vol.status:
        raise Conflict(_("{name} 已是“{status}”状态。").format(name=vol.name,
                                                          status=volunteering.status_label(status)))
    before = change_status(session, vol, actor, status, why)
    session.flush()
    audit.append(session, desk_id=vol.desk_id, user_id=actor.user_id, action="roster.volunteer_status", entity="roster_volunteer",
                 entity_id=vol.id, before={"status": before}, after={"status": status, "reason": why})


def training_minutes(session: Session, volunteer_ids: list[int]) -> dict[int, int]:
    """Training recorded per volunteer, in minutes."""
    if not volunteer_ids:
        return {}
    rows = session.execute(select(TrainingRecord.volunteer_id, func.sum(TrainingRecord.minutes))
                           .where(TrainingRecord.volunteer_id.in_(volunteer_ids))
                           .group_by(TrainingRecord.volunteer_id)).all()
    return {vid: int(total or 0) for vid, total in rows}


def record_training(session: Session, actor: Actor, volunteer_id: int, *, held_on: dt.date, minutes: int,
                    topic: str = "") -> int:
    """Training attended. When the pre-duty training (the desk's required hours) is complete,
    a volunteer still 培训中 becomes 在岗."""
    require_write(session)
    require(actor, "roster.manage")
    vol = common.load_volunteer(session, actor, volunteer_id, write=True)
    v = Collector()
    if not 0 < minutes <= MAX_TRAINING_MINUTES:
        v.add("minutes", _("培训时长应在 1 分钟到 24 小时之间。"))
    v.check("held_on", validation.past_or_today, held_on)
    what = v.check("topic", validation.text, topic, max_len=200) or ""
    v.raise_if_any()
    common.ensure_unlocked(session, vol.desk_id, held_on, field="held_on")
    record = TrainingRecord(desk_id=vol.desk_id, volunteer_id=vol.id, held_on=held_on, minutes=minutes,
                            topic=what, recorded_by_id=actor.user_id)
    session.add(record)
    session.flush()
    total = training_minutes(session, [vol.id]).get(vol.id, 0)
    required = common.rules(session, vol.desk_id).training_minutes
    became = None
    if vol.status == volunteering.TRAINING and total >= required:
        change_status(session, vol, actor, volunteering.ACTIVE,
                      _("岗前培训已满 {h} 小时").format(h=volunteering.hours_text(total)))
        became = volunteering.ACTIVE
        session.flush()
    audit.append(session, desk_id=vol.desk_id, user_id=actor.user_id, action="roster.training", entity="roster_volunteer",
                 entity_id=vol.id, after={"held_on": held_on, "minutes": minutes, "topic": what,
                                          "total_minutes": total, "status": became})
    return record.id


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class VolunteerView:
    id: int
    term_id: int
    name: str
    student_no: str
    class_name: str
    college: str
    sex: str
    phone_masked: str
    status: str
    status_reason: str
    training_minutes: int
    trained: bool
    """The pre-duty training is complete."""
    user_id: int | None
    username: str | None
    valid_until: dt.date | None
    joined_on: dt.date | None

    @property
    def status_label(self) -> str:
        return volunteering.status_label(self.status)


def list_volunteers(session: Session, actor: Actor, term_id: int) -> list[VolunteerView]:
    """A term's volunteers, by student number."""
    term = common.load_term(session, actor, term_id)
    rows = session.execute(select(Volunteer, User.username, User.valid_until)
                           .outerjoin(User, User.id == Volunteer.user_id)
                           .where(Volunteer.term_id == term.id).order_by(Volunteer.student_no)).all()
    trained = training_minutes(session, [vol.id for vol, _u, _v in rows])
    required = common.rules(session, term.desk_id).training_minutes
    return [VolunteerView(vol.id, vol.term_id, vol.name, vol.student_no, vol.class_name, vol.college, vol.sex,
                          validation.mask_phone(vol.phone), vol.status, vol.status_reason,
                          trained.get(vol.id, 0), trained.get(vol.id, 0) >= required, vol.user_id, username,
                          valid_until, vol.joined_on)
            for vol, username, valid_until in rows]


@dataclass(frozen=True)
class StatusStep:
    at: dt.datetime
    status_from: str | None
    status_to: str
    reason: str
    by: str


@dataclass(frozen=True)
class TrainingView:
    id: int
    held_on: dt.date
    minutes: int
    topic: str


@dataclass(frozen=True)
class VolunteerRecord:
    """One volunteer's record: particulars, status history, training."""

    volunteer: VolunteerView
    history: list[StatusStep]
    training: list[TrainingView]


def volunteer_record(session: Session, actor: Actor, volunteer_id: int) -> VolunteerRecord:
    vol = common.load_volunteer(session, actor, volunteer_id)
    view = next(v for v in list_volunteers(session, actor, vol.term_id) if v.id == vol.id)
    steps = session.execute(select(VolunteerStatusChange, User.display_name)
                            .outerjoin(User, User.id == VolunteerStatusChange.by_id)
                            .where(VolunteerStatusChange.volunteer_id == vol.id)
                            .order_by(VolunteerStatusChange.id)).all()
    training = session.scalars(select(TrainingRecord).where(TrainingRecord.volunteer_id == vol.id)
                               .order_by(TrainingRecord.held_on, TrainingRecord.id)).all()
    return VolunteerRecord(
        view,
        [StatusStep(s.at, s.status_from, s.status_to, s.reason, name or "") for s, name in steps],
        [TrainingView(t.id, t.held_on, t.minutes, t.topic) for t in training])


def volunteers_of_users(session: Session, desk_id: int, user_ids: list[int], on: dt.date | None = None
                        ) -> dict[int, Volunteer]:
    """The volunteer record of each account on ``on`` (the term that includes that day; else
    the latest term the account is on)."""
    if not user_ids:
        return {}
    day = on or local_today()
    rows = session.execute(select(Volunteer, Term).join(Term, Term.id == Volunteer.term_id)
                           .where(Volunteer.desk_id == desk_id, Volunteer.user_id.in_(user_ids))
                           .order_by(Term.starts_on)).all()
    out: dict[int, Volunteer] = {}
    for vol, term in rows:  # by start: the last term begun by ``day`` wins, else the first to come
        assert vol.user_id is not None
        if vol.user_id not in out or term.starts_on <= day:
            out[vol.user_id] = vol
    return out


def volunteer_input(session: Session, actor: Actor, volunteer_id: int) -> VolunteerInput:
    """A volunteer's particulars as stored, for the administrator to correct them (phone and
    ID number in full: only the administrator sees them)."""
    require(actor, "roster.manage")
    vol = common.load_volunteer(session, actor, volunteer_id, write=True)
    return VolunteerInput(vol.name, vol.student_no, vol.class_name, vol.college, vol.sex, vol.phone, vol.id_number,
                          vol.joined_on)
