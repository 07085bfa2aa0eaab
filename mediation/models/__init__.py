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
from mediation.models.desk import Desk, DeskRole, DutyShift, HolidayDay, SchemaCompat, Setting, User
from mediation.models.party import Party
from mediation.models.review import CaseReview, CaseReviewDraw
from mediation.models.reference import CaseSource, DisputeCategory, DisputeSubtype
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
from mediation.models.supervision import CaseFigure, CaseFigureDay, StatMapping, StatMonth, StatReport, StatStale
from mediation.models.search import CaseStageCount, ConsultationGram, SearchGram, SearchGramCount, SearchWalkGram

__all__ = [
    "Attachment",
    "AuditHead",
    "AuditLog",
    "Base",
    "Case",
    "CaseEvent",
    "CaseFigure",
    "CaseFigureDay",
    "CaseParty",
    "CaseReview",
    "CaseReviewDraw",
    "CaseSource",
    "CaseStageCount",
    "Certificate",
    "Consultation",
    "ConsultationGram",
    "Desk",
    "DeskRole",
    "DisputeCategory",
    "DisputeSubtype",
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
    "SchemaCompat",
    "SearchGram",
    "SearchGramCount",
    "SearchWalkGram",
    "SessionRecord",
    "Setting",
    "ShiftSlot",
    "ShiftSwap",
    "Signature",
    "StatMapping",
    "StatMonth",
    "StatReport",
    "StatStale",
    "Term",
    "TrainingRecord",
    "User",
    "Volunteer",
    "VolunteerStatusChange",
]
