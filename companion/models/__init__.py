"""SQLAlchemy 2 typed models, one file per idea."""

from companion.models.base import Base, utcnow
from companion.models.diagnostic import (
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticSharing,
    DiagnosticStatus,
    PlanAction,
    PlanStatus,
)
from companion.models.entry_check import EntryCheckResult, EntryCheckSkip
from companion.models.followup import AuditAction, AuditEvent, FollowMark, Note
from companion.models.kiosk import Kiosk
from companion.models.learning import (
    Assignment,
    Progress,
    ProgressEvent,
    RetryProgress,
    StepStatus,
)
from companion.models.people import Learner, LinkPurpose, Role, StaffLink, StaffUser
from companion.models.structure import Structure, StructureKind, Team

__all__ = [
    "Assignment",
    "AuditAction",
    "AuditEvent",
    "Base",
    "Diagnostic",
    "DiagnosticAnswer",
    "DiagnosticSharing",
    "DiagnosticStatus",
    "EntryCheckResult",
    "EntryCheckSkip",
    "FollowMark",
    "Kiosk",
    "Learner",
    "LinkPurpose",
    "Note",
    "PlanAction",
    "PlanStatus",
    "Progress",
    "ProgressEvent",
    "RetryProgress",
    "Role",
    "StaffLink",
    "StaffUser",
    "StepStatus",
    "Structure",
    "StructureKind",
    "Team",
    "utcnow",
]
