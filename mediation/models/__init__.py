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
from mediation.models.roster import (
    Certificate,
    Handover,
    HoursClaim,
    PeriodLock,
    ShiftSlot,
    ShiftSwap,
    Term,
    TrainingRecord,
    Volunteer,
    VolunteerStatusChange,
)

__all__ = [
    "Attachment",
    "AuditHead",
    "AuditLog",
    "Base",
    "Case",
    "CaseEvent",
    "CaseParty",
    "Certificate",
    "Consultation",
    "Desk",
    "Document",
    "DocumentReview",
    "DocumentTemplate",
    "DocumentVersion",
    "DutyShift",
    "FollowUp",
    "Handover",
    "HolidayDay",
    "HoursClaim",
    "InvestigationRecord",
    "NumberSequence",
    "Party",
    "PeriodLock",
    "SessionRecord",
    "Setting",
    "ShiftSlot",
    "ShiftSwap",
    "Signature",
    "Term",
    "TrainingRecord",
    "User",
    "Volunteer",
    "VolunteerStatusChange",
]
