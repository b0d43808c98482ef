"""What staff write about learners and what they did: private notes and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.base import Base, UTCDateTime, utcnow
from companion.models.people import Learner, StaffUser


class Note(Base):
    """A private note on a learner: read by the structure's CIPs and direction only."""

    __tablename__ = "note"
    __table_args__ = (Index("ix_note_learner_created", "learner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the note was corrected (rectification); the audit log says by whom.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[StaffUser | None] = relationship()
    learner: Mapped[Learner] = relationship()


class FollowMark(Base):
    """A CIP marked an item of "À suivre" as seen: who, when, and what they saw.

    ``key`` names the situation (an assignment past its due date, a step where people are
    stuck, a locked PIN…); ``seen`` lists the tokens of the people in it at that moment
    (a learner id, with the date of their last wrong answer or of their lock where that
    matters). The item comes back as soon as it holds a token that was not seen.
    """

    __tablename__ = "follow_mark"
    __table_args__ = (UniqueConstraint("structure_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    seen: Mapped[str] = mapped_column(Text(), default="")
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    seen_by: Mapped[StaffUser | None] = relationship()


class AuditAction(enum.StrEnum):
    VIEWED_LEARNER = "viewed_learner"
    CREATED_LEARNER = "created_learner"
    EDITED_LEARNER = "edited_learner"
    WROTE_NOTE = "wrote_note"
    RESET_PIN = "reset_pin"
    UNLOCKED = "unlocked"
    ARCHIVED = "archived"
    ASSIGNED = "assigned"
    EXPORTED = "exported"
    ATTESTATION = "attestation"
    STAFF_CHANGED = "staff_changed"
    KIOSK_REVOKED = "kiosk_revoked"
    SETTINGS_CHANGED = "settings_changed"
    EXPORTED_LEARNER = "exported_learner"  # a learner's own data (right of access)
    ERASED = "erased"  # a learner's named data erased (on request or after retention)
    TWO_STEP_ENABLED = "two_step_enabled"  # a staff member turned on two-step verification
    TWO_STEP_DISABLED = "two_step_disabled"
    TWO_STEP_RESET = "two_step_reset"  # the direction cleared a member's (lost phone)
    # Staff accounts people own (services/staff_links.py): nobody types another's password.
    STAFF_INVITED = "staff_invited"  # a new account and its one-time invitation link
    PASSWORD_LINK = "password_link"  # noqa: S105 - the direction (or admin) gave a new one-time link
    PASSWORD_SET = "password_set"  # noqa: S105 - the person chose their password through a link
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - in "Mon compte", with the current one
    RESET_REQUESTED = "reset_requested"  # "Mot de passe oublié ?": a link sent by e-mail
    # Mistakes undone.
    ASSIGNMENT_EDITED = "assignment_edited"
    ASSIGNMENT_CANCELLED = "assignment_cancelled"
    NOTE_EDITED = "note_edited"
    NOTE_DELETED = "note_deleted"
    TEAM_CHANGED = "team_changed"  # created, renamed, merged or deleted (detail says which)
    UNARCHIVED = "unarchived"
    # Sessions (services/sessions.py) and what is opened (#13).
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"  # "Se déconnecter partout", in Mon compte
    LEARNER_SIGNED_OUT = "learner_signed_out"  # a CIP signed a learner's phones out
    VIEWED_NOTES = "viewed_notes"  # the page of a learner's private notes
    VIEWED_ATTESTATION = "viewed_attestation"  # the attestation page (before any download)
    KIOSK_OPENED = "kiosk_opened"  # this browser became a kiosk


class AuditEvent(Base):
    """Who did what to which learner, and when; readable by the structure's direction."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_structure_created", "structure_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int | None] = mapped_column(ForeignKey("structure.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    action: Mapped[AuditAction] = mapped_column(
        Enum(AuditAction, native_enum=False, length=24, validate_strings=True)
    )
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("learner.id", ondelete="SET NULL"))
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[StaffUser | None] = relationship()
    learner: Mapped[Learner | None] = relationship()
