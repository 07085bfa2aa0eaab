"""The audit trail: one keyed hash chain per desk (and one for events of no desk).

Each row carries its desk (``desk_id``; NULL for events of no desk, such as a backup or
the shared holiday calendar), its position ``seq`` in that desk's chain (1, 2, 3 …),
the hash of the previous row of the chain and its own hash: HMAC-SHA256 under the key
``key_id`` names, kept outside the database (:mod:`mediation.keys`). See
:mod:`mediation.services.audit` for the format and the anchors kept outside.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mediation.models.base import Base
from mediation.timeutil import utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_chain", "desk_id", "seq"),
        # The audit viewer pages by (at, id), newest first, within a filter (0011).
        Index("ix_audit_log_desk_at", "desk_id", "at", "id"),
        Index("ix_audit_log_user_at", "user_id", "at", "id"),
        Index("ix_audit_log_case_at", "case_id", "at", "id"),
        Index("ix_audit_log_action_at", "action", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    """The desk whose chain the row is in; NULL: the chain of events of no desk."""
    seq: Mapped[int] = mapped_column(Integer)
    """Position in its chain, from 1."""
    key_id: Mapped[str] = mapped_column(String(16))
    """Which audit key (:func:`mediation.keys.key_id`) made ``hash``."""


class AuditHead(Base):
    """The tip of one chain; locking it serialises appends to that chain on PostgreSQL."""

    __tablename__ = "audit_head"

    chain: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    """The desk id, or 0 for the chain of events of no desk."""
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    genesis: Mapped[str | None] = mapped_column(String(64))
    """Hash of the chain's first row: names the chain in anchors kept outside."""
    key_id: Mapped[str | None] = mapped_column(String(16))
    """The key the next row is made with (changed only by a key rotation row)."""
