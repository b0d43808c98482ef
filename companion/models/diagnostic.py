"""A structure's digital diagnostic: who answered what, the action plan, territorial opt-ins.

The grid itself (axes, questions, actions) is content (companion/catalogue/diagnostic.py):
rows keep only its stable ids, and the grid id and version the diagnostic was opened with.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Date, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.models.base import Base, UTCDateTime, utcnow
from companion.models.people import StaffUser
from companion.models.structure import Structure


class DiagnosticStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PlanStatus(enum.StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"


class Diagnostic(Base):
    """One round of the diagnostic in a structure (usually one a year)."""

    __tablename__ = "diagnostic"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), index=True
    )
    grid_id: Mapped[str] = mapped_column(String(64))
    grid_version: Mapped[int] = mapped_column()
    year: Mapped[int] = mapped_column()
    label: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[DiagnosticStatus] = mapped_column(
        Enum(DiagnosticStatus, native_enum=False, length=8, validate_strings=True),
        default=DiagnosticStatus.OPEN,
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the team agreed at the meeting where the results were discussed.
    meeting_note: Mapped[str] = mapped_column(Text(), default="")

    structure: Mapped[Structure] = relationship()
    opened_by: Mapped[StaffUser | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == DiagnosticStatus.OPEN


class DiagnosticAnswer(Base):
    """One staff member's answer to one question. ``value`` None with ``answered`` True is
    "je ne sais pas"; ``answered`` False is a question not answered yet (kept so that a
    half-answered page comes back as it was left)."""

    __tablename__ = "diagnostic_answer"
    __table_args__ = (UniqueConstraint("diagnostic_id", "staff_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int | None] = mapped_column()
    answered: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlanAction(Base):
    """An action of the catalogue the direction put in the diagnostic's plan."""

    __tablename__ = "plan_action"
    __table_args__ = (UniqueConstraint("diagnostic_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(
        ForeignKey("diagnostic.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date())
    status: Mapped[PlanStatus] = mapped_column(
        Enum(PlanStatus, native_enum=False, length=8, validate_strings=True),
        default=PlanStatus.TODO,
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[StaffUser | None] = relationship()


class DiagnosticSharing(Base):
    """What a structure chose to share with the territory (both off until it says so)."""

    __tablename__ = "diagnostic_sharing"

    structure_id: Mapped[int] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), primary_key=True
    )
    # Its latest closed diagnostic counts, without its name, in the platform's figures.
    share_results: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Its name is shown to other structures that opted in and chose the same action.
    visible_to_peers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
