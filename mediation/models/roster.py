"""The volunteer roster: terms, volunteers, the weekly timetable, hours, handovers, swaps, certificates.

Every table carries ``desk_id`` (row-level security on a shared PostgreSQL database keys on
it). The dated shifts themselves are :class:`~mediation.models.desk.DutyShift` rows (one per
person and time), which the timetable fills from its weekly slots.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base
from mediation.timeutil import utcnow


class Term(Base):
    """A term of duty (值班学期): its dates and the staffing rules of its shifts."""

    __tablename__ = "roster_term"
    __table_args__ = (UniqueConstraint("desk_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    """2026年秋季学期."""
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    """The last day: the volunteers' accounts expire after it (desk time)."""
    min_students: Mapped[int] = mapped_column(Integer, default=2)
    """Students a shift needs at least (a slot may ask for more or fewer)."""
    min_officers: Mapped[int] = mapped_column(Integer, default=1)
    """Officers on call a shift needs at least."""
    max_weekly_minutes: Mapped[int] = mapped_column(Integer, default=480)
    """A student is not scheduled for more than this in one week."""
    status: Mapped[str] = mapped_column(String(10), default="open")
    """open | closed."""
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Volunteer(Base):
    """One student on one term's roster (imported from the school's list or added by hand)."""

    __tablename__ = "roster_volunteer"
    __table_args__ = (UniqueConstraint("term_id", "student_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("roster_term.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    """The student's personal account, once created."""
    name: Mapped[str] = mapped_column(String(50))
    student_no: Mapped[str] = mapped_column(String(30))
    class_name: Mapped[str] = mapped_column(String(60), default="")
    college: Mapped[str] = mapped_column(String(60), default="")
    sex: Mapped[str] = mapped_column(String(4), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    id_number: Mapped[str] = mapped_column(String(30), default="")
    """Optional (the service-record certificate prints it when known)."""
    joined_on: Mapped[dt.date | None]
    """When they joined the roster, if after the term began (their service starts then)."""
    status: Mapped[str] = mapped_column(String(12), default="training")
    """training 培训中 | active 在岗 | suspended 暂停 | expired 期满 | left 退出."""
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class VolunteerStatusChange(Base):
    """One change of a volunteer's status, with its reason (their record keeps every step)."""

    __tablename__ = "roster_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("roster_volunteer.id"), index=True)
    status_from: Mapped[str | None] = mapped_column(String(12))
    status_to: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class TrainingRecord(Base):
    """Training attended (岗前培训 and later sessions): counted as 培训 hours."""

    __tablename__ = "roster_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("roster_volunteer.id"), index=True)
    held_on: Mapped[dt.date]
    minutes: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ShiftSlot(Base):
    """A slot of the weekly timetable: a weekday and a time of day, and whom it needs."""

    __tablename__ = "roster_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("roster_term.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    """0 Monday … 6 Sunday."""
    start_minute: Mapped[int] = mapped_column(Integer)
    """Minutes after midnight (desk time)."""
    end_minute: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(30), default="")
    min_students: Mapped[int | None] = mapped_column(Integer)
    """None: the term's minimum."""
    min_officers: Mapped[int | None] = mapped_column(Integer)


class PeriodLock(Base):
    """Hours of these days are final: nothing dated inside may be added, approved or changed."""

    __tablename__ = "roster_period_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    note: Mapped[str] = mapped_column(String(200), default="")
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    locked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class HoursClaim(Base):
    """Hours added afterwards (a forgotten check-in, an outside training): a reason, and
    the adviser's confirmation before they count."""

    __tablename__ = "roster_hours_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    """duty | case | training."""
    worked_on: Mapped[dt.date]
    minutes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    """pending | confirmed | rejected."""
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, default="")


class Handover(Base):
    """交接班: what the volunteer leaving hands to the next one, and who acknowledged it."""

    __tablename__ = "roster_handover"
    __table_args__ = (Index("ix_roster_handover_desk_open", "desk_id", "acknowledged_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("duty_shift.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    items: Mapped[list[Any]] = mapped_column(default=list)
    """The due items filled in at check-out (kind, case, what, when)."""
    note: Mapped[str] = mapped_column(Text, default="")
    """What the volunteer adds (promises made to visitors …)."""
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[dt.datetime | None]


class ShiftSwap(Base):
    """A volunteer asks a colleague to take (or exchange) a shift; the colleague accepts;
    the adviser approves, and the shift changes hands."""

    __tablename__ = "roster_swap"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shift.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    colleague_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    colleague_shift_id: Mapped[int | None] = mapped_column(ForeignKey("duty_shift.id"))
    """The colleague's shift the requester takes in exchange (None: the colleague covers)."""
    note: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="asked")
    """asked | accepted | approved | declined | rejected | cancelled."""
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None]


class Certificate(Base):
    """What a student takes away: 志愿服务记录证明 (numbered) or 课外实践表现报告.

    Drafted with the figures of the overview; the adviser approves, which freezes the
    figures and gives the number; only then may it be printed.
    """

    __tablename__ = "roster_certificate"
    __table_args__ = (UniqueConstraint("desk_id", "kind", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("roster_volunteer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    """service_record | practice_report."""
    number: Mapped[str | None] = mapped_column(String(60))
    year: Mapped[int | None]
    seq: Mapped[int | None]
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The overview's figures for the student, frozen at approval."""
    content: Mapped[str] = mapped_column(Text, default="")
    """The content of the service (服务内容)."""
    evaluation: Mapped[str] = mapped_column(Text, default="")
    """The adviser's evaluation (课外实践表现报告)."""
    status: Mapped[str] = mapped_column(String(10), default="draft")
    """draft | approved."""
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    drafted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[dt.datetime | None]
    issued_on: Mapped[dt.date | None]
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 - SQLAlchemy declares it an instance attribute (ClassVar fails mypy)


__all__ = [
    "Certificate",
    "Handover",
    "HoursClaim",
    "PeriodLock",
    "ShiftSlot",
    "ShiftSwap",
    "Term",
    "TrainingRecord",
    "Volunteer",
    "VolunteerStatusChange",
]
