"""A structure (an SIAE) and its teams."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from companion.models.base import Base, UTCDateTime, utcnow
from companion.models.names import fold, team_key_default


class StructureKind(enum.StrEnum):
    ACI = "ACI"
    EI = "EI"
    AI = "AI"
    ETTI = "ETTI"


class Structure(Base):
    __tablename__ = "structure"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[StructureKind] = mapped_column(
        Enum(StructureKind, native_enum=False, length=8, validate_strings=True)
    )
    kiosk_idle_seconds: Mapped[int] = mapped_column(default=180)
    # Interface languages offered to the structure's learners, comma-separated tags.
    languages: Mapped[str] = mapped_column(
        String(64), default="fr,en,ar", server_default="fr,en,ar"
    )
    # Months an archived learner's data is kept before it may be erased.
    retention_months: Mapped[int] = mapped_column(default=24, server_default="24")
    # Direction accounts must use two-step verification (TOTP) to sign in.
    require_totp_for_direction: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    # The full name typed on an attestation is kept for the next one (off: typed each time).
    keep_attestation_name: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Days a kiosk works after it was opened; then a staff member opens it again.
    kiosk_lifetime_days: Mapped[int] = mapped_column(default=180, server_default="180")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def language_list(self) -> list[str]:
        return [tag for tag in self.languages.split(",") if tag]

    teams: Mapped[list[Team]] = relationship(
        back_populates="structure", order_by="Team.name", cascade="all, delete-orphan"
    )


class Team(Base):
    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("structure_id", "name"),
        UniqueConstraint("structure_id", "name_key", name="uq_team_name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    # The name folded (models/names.py): "espaces verts" beside "Espaces verts" is refused.
    name_key: Mapped[str | None] = mapped_column(String(80), default=team_key_default)

    structure: Mapped[Structure] = relationship(back_populates="teams")

    @validates("name")
    def _keep_name_key(self, _field: str, value: str) -> str:
        self.name_key = fold(value)
        return value
