"""Parties: the people and organisations involved in disputes and consultations."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base
from mediation.timeutil import utcnow


class Party(Base):
    """A person or organisation of one desk. ``id_number`` is stored whole and shown masked."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    """The desk whose cases name this party (issue 11: a party belongs to one desk; the
    same person at two desks is two rows)."""
    kind: Mapped[str] = mapped_column(String(10), default="person")
    """person | org."""
    name: Mapped[str] = mapped_column(String(100), index=True)
    sex: Mapped[str] = mapped_column(String(4), default="")
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    birth_date: Mapped[dt.date | None]
    id_type: Mapped[str] = mapped_column(String(20), default="resident_id")
    """resident_id | passport | other | none."""
    id_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    phone: Mapped[str] = mapped_column(String(30), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    occupation: Mapped[str] = mapped_column(String(100), default="")
    """Occupation or employer; for students the school and class."""
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    """Organisations only."""
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
