"""The entry check "Par où commencer ?": each take's measured level per area, and a skipped offer.

A take is keyed like progress: the check's content id and a round (0 for the first take,
then the round of "Refaire" it was taken again in). The first take is the learner's starting
level ("avant"); the latest later take is the level measured at the end ("après").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from companion.models.base import Base, UTCDateTime, utcnow


class EntryCheckResult(Base):
    __tablename__ = "entry_check_result"
    __table_args__ = (UniqueConstraint("learner_id", "module_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[str] = mapped_column(String(64))
    round: Mapped[int] = mapped_column(default=0)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # {area (a module id): "to_learn" | "partial" | "at_ease"}
    levels: Mapped[dict[str, str]] = mapped_column(JSON)


class EntryCheckSkip(Base):
    """The learner said "Plus tard" to the first sign-in offer: it is not shown again."""

    __tablename__ = "entry_check_skip"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner.id", ondelete="CASCADE"), primary_key=True
    )
    skipped_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
