"""SQLAlchemy 2 typed models, one file per idea."""

from companion.models.base import Base, utcnow
from companion.models.followup import AuditAction, AuditEvent, FollowMark, Note
from companion.models.kiosk import Kiosk
from companion.models.learning import Assignment, Progress, ProgressEvent, StepStatus
from companion.models.people import Learner, Role, StaffUser
from companion.models.structure import Structure, StructureKind, Team

__all__ = [
    "Assignment",
    "AuditAction",
    "AuditEvent",
    "Base",
    "FollowMark",
    "Kiosk",
    "Learner",
    "Note",
    "Progress",
    "ProgressEvent",
    "Role",
    "StaffUser",
    "StepStatus",
    "Structure",
    "StructureKind",
    "Team",
    "utcnow",
]
