"""The people who sign in: staff users and learners."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from companion.models.base import Base, UTCDateTime, utcnow
from companion.models.names import learner_key, learner_key_default
from companion.models.structure import Structure, Team


class Role(enum.StrEnum):
    DIRECTION = "direction"
    CIP = "cip"
    ENCADRANT = "encadrant"
    ADMIN = "admin"  # platform admin: no structure, no named learner data


class StaffUser(Base):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, validate_strings=True)
    )
    structure_id: Mapped[int | None] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Two-step verification (TOTP, services/two_step.py). A secret without a date is an
    # enrolment begun but not confirmed by a code yet: it is not asked at sign-in.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The time step of the last code accepted: the same code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column()
    # Wrong passwords in a row, and the time before which the next try waits: every app
    # server and worker sees the same (services/staff_signin.py).
    failed_signin_count: Mapped[int] = mapped_column(default=0, server_default="0")
    signin_wait_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Kept in the session at sign-in and compared at each request (web/session.py): raising
    # it ends every session of the account (services/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    structure: Mapped[Structure | None] = relationship()
    team: Mapped[Team | None] = relationship()

    # Flask-Login protocol; ids are prefixed so staff and learners never collide.
    is_authenticated = True
    is_anonymous = False
    is_learner = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"staff:{self.id}"

    @property
    def two_step_enabled(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"  # a new account: the person chooses their first password
    RESET = "reset"  # a forgotten password: given by the direction, or sent by e-mail


class StaffLink(Base):
    """A one-time link where a staff member sets their own password (services/staff_links.py).

    Only a hash of the token is stored: a leaked database opens no account. A link works
    once, until it expires, and a newer link of the same account replaces it.
    """

    __tablename__ = "staff_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[LinkPurpose] = mapped_column(
        Enum(LinkPurpose, native_enum=False, length=12, validate_strings=True)
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[StaffUser] = relationship(foreign_keys=[user_id])

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > utcnow()


def learner_display_name(first_name: str, initial: str) -> str:
    """ "Chloé M." (or "Chloé" without an initial): how every page names a learner."""
    return f"{first_name} {initial}.".strip() if initial else first_name


class Learner(Base):
    __tablename__ = "learner"
    __table_args__ = (
        UniqueConstraint("structure_id", "first_name", "initial"),
        UniqueConstraint("structure_id", "name_key", name="uq_learner_name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    first_name: Mapped[str] = mapped_column(String(60))
    initial: Mapped[str] = mapped_column(String(3), default="")
    # The full name for the attestation: stored only when the structure chooses to
    # (Structure.keep_attestation_name); otherwise typed at each printing and never kept.
    full_name: Mapped[str | None] = mapped_column(String(120))
    # First name and initial folded (models/names.py): "Chloe" beside "Chloé" is refused.
    # Nullable only so that the code of the previous release can still insert while a
    # release rolls out (docs/deployment.md); this code always sets it.
    name_key: Mapped[str | None] = mapped_column(String(80), default=learner_key_default)
    pictogram: Mapped[str] = mapped_column(String(40))
    pin_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    # What the personal sign-in link (and the QR card) carries; random and unguessable.
    signin_token: Mapped[str] = mapped_column(String(64), unique=True)
    archived: Mapped[bool] = mapped_column(default=False)
    # When the learner was archived: the retention period (Structure.retention_months) runs
    # from here, then `flask purge` erases their named data.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_pin_count: Mapped[int] = mapped_column(default=0)
    # Lock-outs since the last right PIN or unlock: the next lock lasts longer
    # (services/accounts.py: 15 minutes, 1 hour, then until a CIP unlocks).
    pin_lockouts: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # As for staff: a CIP raises it to sign the learner's phones out (services/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    structure: Mapped[Structure] = relationship()
    team: Mapped[Team | None] = relationship()

    is_authenticated = True
    is_anonymous = False
    is_learner = True

    @validates("first_name", "initial")
    def _keep_name_key(self, field: str, value: str) -> str:
        first = value if field == "first_name" else self.first_name
        initial = value if field == "initial" else self.initial
        self.name_key = learner_key(first, initial)
        return value

    @property
    def is_active(self) -> bool:
        return not self.archived

    @property
    def display_name(self) -> str:
        return learner_display_name(self.first_name, self.initial)

    def get_id(self) -> str:
        return f"learner:{self.id}"
