"""The desk's reference lists: dispute categories, their sub-types, and sources.

Each item has a stable id that cases (and consultations) refer to; renaming an item
changes only its label, so statistics and reports keep their rows. An item is never
deleted, only retired (``active`` false): cases that use it keep it, new ones cannot
choose it. Each desk has its own lists (seeded from the defaults when it is created).
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base

LABEL_LENGTH = 30


class DisputeCategory(Base):
    """纠纷类别 (the MoJ statistics categories, editable)."""

    __tablename__ = "dispute_category"
    __table_args__ = (UniqueConstraint("desk_id", "label", name="uq_dispute_category_desk_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DisputeSubtype(Base):
    """具体类型: a campus desk's sub-type of a category (租房, 网购/消费 …)."""

    __tablename__ = "dispute_subtype"
    __table_args__ = (UniqueConstraint("category_id", "label", name="uq_dispute_subtype_category_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_category.id"), index=True)
    """The category it refines (None only for a value imported without its category)."""
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseSource(Base):
    """纠纷来源 (当事人申请, 派出所移交 …)."""

    __tablename__ = "case_source"
    __table_args__ = (UniqueConstraint("desk_id", "label", name="uq_case_source_desk_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"), index=True)
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
