"""Legal consultations (法律咨询): counted in statistics, convertible into a case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base
from mediation.timeutil import utcnow


class Consultation(Base):
    __tablename__ = "consultation"
    __table_args__ = (
        # A desk's consultations newest first: searched beside the cases (0008).
        Index("ix_consultation_desk_asked", "desk_id", "asked_at", "id"),
        Index("ix_consultation_answered_by", "answered_by_id", "asked_at"),  # the roster's overview
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    asked_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    person_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    topic: Mapped[str] = mapped_column(String(200))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_category.id"))
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    converted_case_id: Mapped[int | None] = mapped_column(Integer)
    """The case it became (no FK: ``mediation_case.consultation_id`` is the enforced link)."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
