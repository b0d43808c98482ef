"""Kiosks: turning a browser into a shared sign-in screen of a structure."""

from __future__ import annotations

import hashlib
import secrets
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from companion.extensions import db
from companion.models import AuditAction, Kiosk, Learner, StaffUser, utcnow
from companion.models.people import learner_display_name
from companion.services import audit


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_kiosk(staff: StaffUser, label: str) -> tuple[Kiosk, str]:
    """Register a kiosk for the staff member's structure; return it and the browser's token."""
    if staff.structure_id is None:
        raise PermissionError("only staff of a structure can create a kiosk")
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk(
        structure_id=staff.structure_id,
        token_hash=_digest(token),
        label=label.strip()[:80] or "Borne",
        created_by_id=staff.id,
    )
    db.session.add(kiosk)
    audit.record(staff, AuditAction.KIOSK_OPENED, detail=kiosk.label, commit=False)
    db.session.commit()
    return kiosk, token


def kiosk_by_token(token: str | None) -> Kiosk | None:
    """The active kiosk this browser's token belongs to, or None: a revoked kiosk, or one
    opened more than its structure's ``kiosk_lifetime_days`` ago, is a plain browser again
    (a staff member opens it anew)."""
    if not token or len(token) > 128:
        return None
    kiosk = db.session.scalar(
        select(Kiosk)
        .options(joinedload(Kiosk.structure), undefer(Kiosk.opened_by_email))
        .where(Kiosk.token_hash == _digest(token), Kiosk.revoked_at.is_(None))
    )
    if kiosk is None or utcnow() > kiosk.expires_at:
        return None
    return kiosk


class KioskTile(NamedTuple):
    """What the kiosk home shows of a learner: a tile to tap (hashable: the tiles are the
    key of the home's kept HTML, templates/kiosk/home.html; a tuple, so that a hundred of
    them are hashed and compared in C, not by a dataclass's Python methods)."""

    id: int
    first_name: str
    initial: str
    pictogram: str

    @property
    def display_name(self) -> str:
        return learner_display_name(self.first_name, self.initial)


def kiosk_learners(kiosk: Kiosk) -> tuple[KioskTile, ...]:
    """The structure's active learners, as the kiosk home shows them (four columns read,
    no learner object made: a hundred of them were a sixth of the page)."""
    rows = db.session.execute(
        select(Learner.id, Learner.first_name, Learner.initial, Learner.pictogram)
        .where(Learner.structure_id == kiosk.structure_id, Learner.archived.is_(False))
        .order_by(Learner.first_name, Learner.initial)
    )
    return tuple(KioskTile._make(row) for row in rows)


def kiosk_learner(kiosk: Kiosk, learner_id: int) -> Learner | None:
    """One of the learners the kiosk shows (its structure's, not archived), else None."""
    learner = db.session.get(Learner, learner_id)
    if learner is None or learner.structure_id != kiosk.structure_id or learner.archived:
        return None
    return learner


def touch(kiosk: Kiosk) -> None:
    kiosk.last_seen_at = utcnow()
    db.session.commit()
