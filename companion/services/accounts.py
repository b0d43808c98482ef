"""Sign-in checks for learners (PIN); staff passwords: services/staff_signin.py."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from companion.extensions import db
from companion.models import Learner, StaffUser, utcnow
from companion.services.passwords import hash_secret, verify_secret

PIN_MAX_TRIES = 5
PIN_LOCK = timedelta(minutes=15)


def new_signin_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class PinResult:
    ok: bool
    locked_until: datetime | None = None
    tries_left: int = 0


def check_pin(learner: Learner, pin: str, now: datetime | None = None) -> PinResult:
    """Check a learner's PIN, counting failures; 5 wrong tries lock it for 15 minutes."""
    now = now or utcnow()
    if learner.locked_until is not None and learner.locked_until > now:
        return PinResult(ok=False, locked_until=learner.locked_until)
    if verify_secret(learner.pin_hash, pin):
        learner.failed_pin_count = 0
        learner.locked_until = None
        db.session.commit()
        return PinResult(ok=True)
    learner.failed_pin_count += 1
    if learner.failed_pin_count >= PIN_MAX_TRIES:
        learner.failed_pin_count = 0
        learner.locked_until = now + PIN_LOCK
        db.session.commit()
        return PinResult(ok=False, locked_until=learner.locked_until)
    db.session.commit()
    return PinResult(ok=False, tries_left=PIN_MAX_TRIES - learner.failed_pin_count)


def staff_by_id(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def learner_by_id(learner_id: int) -> Learner | None:
    return db.session.get(Learner, learner_id)


def learner_by_token(token: str) -> Learner | None:
    """The active learner whose personal sign-in link carries this token."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Learner).where(Learner.signin_token == token, Learner.archived.is_(False))
    )


def set_pin(learner: Learner, pin: str) -> None:
    learner.pin_hash = hash_secret(pin)
    learner.failed_pin_count = 0
    learner.locked_until = None
