"""ORM models (SQLAlchemy 2.x, typed)."""

from mediation.models.audit import AuditHead, AuditLog
from mediation.models.base import Base
from mediation.models.case import (
    Attachment,
    Case,
    CaseEvent,
    CaseParty,
    FollowUp,
    InvestigationRecord,
    NumberSequence,
    SessionRecord,
)
from mediation.models.consultation import Consultation
from mediation.models.document import Document, DocumentReview, DocumentTemplate, DocumentVersion, Signature
from mediation.models.desk import Desk, DutyShift, HolidayDay, Setting, User
from mediation.models.party import Party
from mediation.models.review import CaseReview, CaseReviewDraw

__all__ = [
    "Attachment",
    "AuditHead",
    "AuditLog",
    "Base",
    "Case",
    "CaseEvent",
    "CaseParty",
    "CaseReview",
    "CaseReviewDraw",
    "Consultation",
    "Desk",
    "Document",
    "DocumentReview",
    "DocumentTemplate",
    "DocumentVersion",
    "DutyShift",
    "FollowUp",
    "HolidayDay",
    "InvestigationRecord",
    "NumberSequence",
    "Party",
    "SessionRecord",
    "Setting",
    "Signature",
    "User",
]
