"""Cases and everything recorded on them: parties, events, sessions, follow-ups, files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.models.base import Base
from mediation.timeutil import utcnow
from mediation.models.party import Party

OPEN_CASE_SQL = ("stage IN ('accepted', 'agreed', 'investigating', 'mediating', 'performing', 'registered',"
                 " 'terminated')")
"""The open stages (workflow.OPEN_STAGES) as the partial index of migration 0008 has them."""


class Case(Base):
    """A dispute brought to the desk, from registration to archive."""

    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("desk_id", "year", "seq", name="uq_case_desk_year_seq"),
        Index("ix_case_desk_stage_registered", "desk_id", "stage", "registered_at", "id"),
        Index("ix_case_registered_id", "registered_at", "id"),
        Index("ix_case_deadline", "deadline", "id"),
        Index("ix_case_mediator", "mediator_id", "stage"),
        # Keyset pagination of the case list: one index per sort order (0002).
        Index("ix_case_desk_registered", "desk_id", "registered_at", "id"),
        Index("ix_case_desk_number", "desk_id", "year", "seq", "id"),
        Index("ix_case_desk_deadline", "desk_id", "deadline", "id"),
        Index("ix_case_desk_stage", "desk_id", "stage", "id"),
        Index("ix_case_desk_category_id", "desk_id", "category_id", "id"),
        # Overdue counts, one stage by deadline, and the open cases by deadline (0008).
        Index("ix_case_desk_stage_deadline", "desk_id", "stage", "deadline", "id"),
        Index("ix_case_open_deadline", "desk_id", "deadline", "id", sqlite_where=text(OPEN_CASE_SQL),
              postgresql_where=text(OPEN_CASE_SQL)),
        # The roster's overview: cases a student registered or mediated in a period.
        Index("ix_case_registered_by", "registered_by_id", "registered_at"),
        Index("ix_case_mediator_registered", "mediator_id", "registered_at"),
        # The statistics count by these dates (0010); the two busiest hold every column their
        # figures read, so a period's table is read from the index alone.
        Index("ix_case_stat_accepted", "accepted_at", "track", "desk_id", "category_id", "subcategory_id",
              "source_id", "people_involved"),
        Index("ix_case_stat_agreed", "agreement_reached_at", "track", "desk_id", "category_id", "subcategory_id",
              "source_id", "agreement_kind", "agreement_amount", "performance_status", "prevented_escalation",
              "prevented_escalation_people", "prevented_petition", "prevented_petition_people"),
        Index("ix_case_terminated_at", "terminated_at"),
        Index("ix_case_closed_at", "closed_at"),
        Index("ix_case_judicial_decided_on", "judicial_decided_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    """Assigned at acceptance: （2026）X警校调字第012号."""
    year: Mapped[int | None]
    seq: Mapped[int | None]
    stage: Mapped[str] = mapped_column(String(20), default="registered")
    track: Mapped[str | None] = mapped_column(String(20))
    """people (人民调解) | police (治安调解) | refer (引导/移送)."""
    track_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_category.id"))
    subcategory_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_subtype.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("case_source.id"))
    """Reference items of the case's desk (``mediation.models.reference``): a rename of
    the item changes its label everywhere, never the case."""
    title: Mapped[str] = mapped_column(String(200), default="")
    party_names: Mapped[str] = mapped_column(String(500), default="")
    """Denormalised for the list and search: "张三、王五 / 李四" (applicants / respondents)."""
    party_phones: Mapped[str] = mapped_column(String(500), default="")
    """Denormalised for search by phone; never displayed or logged."""
    facts: Mapped[str] = mapped_column(Text, default="")
    claims: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None]
    """Money involved in the dispute (标的额)."""
    people_involved: Mapped[int] = mapped_column(Integer, default=0)
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    accepted_at: Mapped[dt.datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deadline: Mapped[dt.date | None]
    """Next deadline that applies in the current stage (working-day aware)."""
    deadline_label: Mapped[str] = mapped_column(String(60), default="")
    result: Mapped[str | None] = mapped_column(String(20))
    """success | terminated | referred | declined | withdrawn (set when it ends)."""
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    """Why declined / terminated / referred."""
    referred_to: Mapped[str] = mapped_column(String(100), default="")
    routes_suggested: Mapped[str] = mapped_column(Text, default="")
    police_exclusions_ack: Mapped[list[Any] | None]
    """Exclusion warnings the officer acknowledged when choosing the police track."""
    prevented_escalation: Mapped[bool] = mapped_column(Boolean, default=False)
    """防止民转刑: the desk judged that mediation kept it from becoming a crime."""
    prevented_escalation_people: Mapped[int] = mapped_column(Integer, default=0)
    prevented_petition: Mapped[bool] = mapped_column(Boolean, default=False)
    """防止群体性上访, with the number of people it concerned."""
    prevented_petition_people: Mapped[int] = mapped_column(Integer, default=0)
    police_method: Mapped[str | None] = mapped_column(String(10))
    """Police track: spot (当场调解) | general (一般调解)."""
    terminated_at: Mapped[dt.datetime | None]
    """When mediation was terminated (终止调解), the date 终止 is counted by."""
    judicial_applied_on: Mapped[dt.date | None]
    """司法确认: applied to the court on; the court; its ruling and the ruling's date."""
    judicial_court: Mapped[str] = mapped_column(String(100), default="")
    judicial_outcome: Mapped[str | None] = mapped_column(String(10))
    """confirmed | rejected (None: no ruling yet)."""
    judicial_decided_on: Mapped[dt.date | None]
    agreement_kind: Mapped[str | None] = mapped_column(String(10))
    """written | oral."""
    agreement_number: Mapped[str | None] = mapped_column(String(60))
    agreement_terms: Mapped[str] = mapped_column(Text, default="")
    agreement_amount: Mapped[Decimal | None]
    performance_manner: Mapped[str] = mapped_column(String(200), default="")
    performance_place: Mapped[str] = mapped_column(String(200), default="")
    performance_deadline: Mapped[dt.date | None]
    agreement_reached_at: Mapped[dt.datetime | None]
    agreement_signed_at: Mapped[dt.datetime | None]
    """Set when the signed agreement (or the oral agreement's registration) is recorded."""
    performance_status: Mapped[str | None] = mapped_column(String(20))
    """pending | performed | partly | breached."""
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    archived_at: Mapped[dt.datetime | None]
    retention_years: Mapped[int | None]
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    """The consultation this case was converted from, if any."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 - SQLAlchemy declares it an instance attribute (ClassVar fails mypy)

    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.position"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )


class CaseParty(Base):
    """A party's role on one case; agents and guardians point at whom they act for."""

    __tablename__ = "case_party"
    __table_args__ = (UniqueConstraint("case_id", "party_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    """applicant | respondent | third | agent | guardian."""
    party_type: Mapped[str | None] = mapped_column(String(20))
    """本校学生 / 外校学生 / 教职工 / 社会人员 (mediation.statistics.rules.PARTY_TYPES)."""
    represents_id: Mapped[int | None] = mapped_column(ForeignKey("case_party.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[Case] = relationship(back_populates="parties")
    party: Mapped[Party] = relationship()


class CaseEvent(Base):
    """One line of the case timeline: a stage change, an assignment, a note."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    stage_from: Mapped[str | None] = mapped_column(String(20))
    stage_to: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any] | None]

    case: Mapped[Case] = relationship(back_populates="events")


class InvestigationRecord(Base):
    """调查记录: a statement taken, evidence gathered, or a site visit."""

    __tablename__ = "investigation_record"
    __table_args__ = (Index("ix_investigation_record_investigator", "investigator_id", "held_at"),)  # the roster's overview: records per person

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[dt.datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    """Who was questioned or what was examined."""
    content: Mapped[str] = mapped_column(Text)
    investigator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SessionRecord(Base):
    """调解记录: one mediation session."""

    __tablename__ = "session_record"
    __table_args__ = (Index("ix_session_record_mediator", "mediator_id", "held_at"), Index("ix_session_record_recorder", "recorder_id", "held_at"),)  # the roster's overview: records per person

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    held_at: Mapped[dt.datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text)
    """What each side said."""
    result: Mapped[str] = mapped_column(String(20), default="continued")
    """continued | agreed | failed."""
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorder_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FollowUp(Base):
    """回访记录: a visit or call checking that the agreement is performed."""

    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_user", "user_id", "visited_at"),)  # the roster's overview: records per person

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    visited_at: Mapped[dt.datetime]
    method: Mapped[str] = mapped_column(String(20), default="phone")
    """phone | visit | online."""
    reason: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(Text)
    performance_status: Mapped[str] = mapped_column(String(20), default="pending")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A file put on the case (evidence, a signed scan), stored with its SHA-256."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    description: Mapped[str] = mapped_column(String(200), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class NumberSequence(Base):
    """Last number given per desk, year and kind (case / agreement): gapless, locked on use."""

    __tablename__ = "number_sequence"

    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
