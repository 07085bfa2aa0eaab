"""Documents drafted on a case, their versions, reviews and signatures.

A version is editable while a draft; once final its PDF bytes are frozen with their
SHA-256 and a short verification code, and it can only be superseded by a new version.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediation.models.base import Base
from mediation.timeutil import utcnow


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(40))
    """Template identifier, e.g. people_agreement."""
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    """draft | submitted | returned | approved | final (of the current version)."""
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 - SQLAlchemy declares it an instance attribute (ClassVar fails mypy)

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentVersion.number"
    )


class DocumentVersion(Base):
    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    """draft | submitted | returned | approved | final | superseded."""
    content: Mapped[dict[str, Any]] = mapped_column()
    """The editable part (facts, terms, performance …) over the case's own data."""
    reason: Mapped[str] = mapped_column(Text, default="")
    """Why this version supersedes a final one."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[dt.datetime | None]
    finalized_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finalized_at: Mapped[dt.datetime | None]
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    """Frozen bytes of the final PDF."""
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    verification_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    signed_on_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    scan_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    audit_anchor: Mapped[dict[str, Any] | None]
    """The case desk's audit chain when the version was made final (rows, head hash): one
    of the checkpoints ``mediation audit verify`` compares the chain with."""

    document: Mapped[Document] = relationship(back_populates="versions")


class DocumentReview(Base):
    """An officer's approval or return, with the content they saw (for later diffs)."""

    __tablename__ = "document_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    version_id_reviewed: Mapped[int] = mapped_column(ForeignKey("document_version.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decision: Mapped[str] = mapped_column(String(20))
    """approved | returned | viewed."""
    comment: Mapped[str] = mapped_column(Text, default="")
    seen_text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Signature(Base):
    """A signature captured on screen (PNG) for one signer of a document version."""

    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id", ondelete="CASCADE"), index=True)
    signer_role: Mapped[str] = mapped_column(String(20))
    """applicant | respondent | third | agent | guardian | mediator | recorder | officer | witness."""
    signer_name: Mapped[str] = mapped_column(String(100))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id"))
    image_png: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    captured_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    captured_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentTemplate(Base):
    """An administrator's DOCX replacing a form's built-in DOCX layout (the desk's own wording).

    One row per upload; the active one (at most one per desk and form, ``desk_id`` NULL for
    every desk) is used for DOCX output; replaced or reset rows stay, inactive, as history.
    The PDF keeps the built-in layout: it is the frozen, verifiable original.
    """

    __tablename__ = "document_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(40), index=True)
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("desk.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None]
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
