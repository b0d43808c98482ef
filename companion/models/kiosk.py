"""A kiosk: a browser that a staff member turned into a shared sign-in screen."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from companion.models.base import Base, UTCDateTime, utcnow
from companion.models.people import StaffUser
from companion.models.structure import Structure


class Kiosk(Base):
    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(
        ForeignKey("structure.id", ondelete="CASCADE"), index=True
    )
    # Only a hash of the browser's token is stored: a leaked database opens no kiosk.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    structure: Mapped[Structure] = relationship()
    created_by: Mapped[StaffUser | None] = relationship()
    # Who opened it, for the kiosk home's footer: read in the same statement as the kiosk
    # where asked for (services/kiosks.kiosk_by_token), not by loading the staff member.
    opened_by_email: Mapped[str | None] = column_property(
        select(StaffUser.email).where(StaffUser.id == created_by_id).scalar_subquery(),
        deferred=True,
    )

    @property
    def expires_at(self) -> datetime:
        """After this, the browser is no longer a kiosk (Structure.kiosk_lifetime_days)."""
        return self.created_at + timedelta(days=self.structure.kiosk_lifetime_days)
