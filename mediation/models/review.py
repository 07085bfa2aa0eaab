"""抽卷评查 (case-file review): a recorded random draw of closed cases, and one review per case drawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base
from mediation.timeutil import utcnow


class CaseReviewDraw(Base):
    """One draw: N closed cases of a period picked at random, with the seed and the population
    it was drawn from, so the same draw can be made again and compared."""

    __tablename__ = "case_review_draw"
    __table_args__ = (Index("ix_case_review_draw_desk", "desk_id", "period_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    period_from: Mapped[dt.date]
    period_to: Mapped[dt.date]
    """Inclusive: cases closed (desk time) on these days."""
    requested: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(String(40))
    """Decimal text of the seed given to ``random.Random``."""
    population: Mapped[list[Any]] = mapped_column()
    """Ids of every case the draw chose from, ascending."""
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    drawn_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseReview(Base):
    """The review of one case drawn: the checklist (pre-filled, confirmed by the officer) and findings."""

    __tablename__ = "case_review"
    __table_args__ = (
        UniqueConstraint("draw_id", "case_id"),
        Index("ix_case_review_desk_reviewed", "desk_id", "reviewed_at"),
        Index("ix_case_review_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desk.id"))
    draw_id: Mapped[int] = mapped_column(ForeignKey("case_review_draw.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"))
    position: Mapped[int] = mapped_column(Integer)
    """Order in the draw (1 = drawn first)."""
    status: Mapped[str] = mapped_column(String(20), default="pending")
    """pending | reviewed."""
    checklist: Mapped[dict[str, Any] | None] = mapped_column()
    """Item → {"met": bool, "suggested": bool | None, "note": str}, as confirmed."""
    findings: Mapped[list[Any] | None] = mapped_column()
    """[{"kind": item or "other", "text": str}]: what the reviewer found wanting."""
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[dt.datetime | None]
