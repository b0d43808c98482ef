"""Assignments and progress: what a learner was asked to do and what they did.

Progress is keyed on the module's and step's stable content ids, never on row ids or step
positions, so editing a module never loses a learner's progress.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.base import Base, UTCDateTime, utcnow
from companion.models.people import Learner, StaffUser


class StepStatus(enum.StrEnum):
    PASSED = "passed"  # réussi
    HELPED = "helped"  # vu avec aide (answer shown after the third try)
    SEEN = "seen"  # vu (explanations, confidence)


class Assignment(Base):
    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(String(64))
    # Exactly one of learner_id / team_id is set.
    learner_id: Mapped[int | None] = mapped_column(
        ForeignKey("learner.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None] = mapped_column(Date())
    message: Mapped[str] = mapped_column(String(280), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    assigned_by: Mapped[StaffUser | None] = relationship()


class Progress(Base):
    """One row per learner × module × step: the current state of that step."""

    __tablename__ = "progress"
    __table_args__ = (
        UniqueConstraint("learner_id", "module_id", "step_id"),
        # Every read by learner (and module) starts with these two columns; the three after
        # them let the CIP home's aggregate (progress.structure_overview: the steps done and
        # the last activity of 300 learners × 6 modules) be answered from the index alone,
        # without reading the 30,000 rows (80 → 36 ms on SQLite, docs/performance.md).
        Index("ix_progress_overview", "learner_id", "module_id", "step_id", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[StepStatus | None] = mapped_column(
        Enum(StepStatus, native_enum=False, length=8, validate_strings=True)
    )
    tries: Mapped[int] = mapped_column(default=0)
    time_spent_seconds: Mapped[int] = mapped_column(default=0)
    # The chosen value for a confidence step ("yes" / "some" / "not_yet").
    value: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    learner: Mapped[Learner] = relationship()


class ProgressEvent(Base):
    """Every answer a learner submitted, once: the timeline and the idempotency key."""

    __tablename__ = "progress_event"
    __table_args__ = (Index("ix_progress_event_learner_created", "learner_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[str] = mapped_column(String(64))
    # Generated with the answer form: a double tap or a retry is recorded once.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    correct: Mapped[bool | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RetryProgress(Base):
    """A step answered again after the module was finished ("Refaire"): practice that never
    changes the first result (Progress); kept by round so the CIP sees both."""

    __tablename__ = "retry_progress"
    __table_args__ = (
        UniqueConstraint("learner_id", "module_id", "round", "step_id"),
        Index("ix_retry_progress_learner_module", "learner_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column()  # 1 for the first "Refaire", then 2…
    step_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[StepStatus | None] = mapped_column(
        Enum(StepStatus, native_enum=False, length=8, validate_strings=True)
    )
    tries: Mapped[int] = mapped_column(default=0)
    # The chosen value of a confidence step, as in Progress (the entry check taken again
    # reads it: services/entry_check.py).
    value: Mapped[str | None] = mapped_column(String(16))
    # The last answer's key: a double tap or a retry of the same form counts once.
    last_key: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
