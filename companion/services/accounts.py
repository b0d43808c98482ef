"""Sign-in checks for learners (PIN); staff passwords: services/staff_signin.py."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, literal, or_, select, update
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import Learner, StaffUser, utcnow
from companion.services.passwords import hash_secret, verify_secret

PIN_MAX_TRIES = 5
# Each lock-out after the last right PIN lasts longer: 15 minutes, then 1 hour, then until
# a CIP unlocks the code (learners.unlock, from the learner's file or "À suivre").
PIN_LOCKS = (timedelta(minutes=15), timedelta(hours=1))
# "Until a CIP unlocks": a date no clock reaches, so that every "locked_until > now" test
# (the CIP's list, the learner's file) holds without a second column.
PIN_LOCKED_FOR_GOOD = datetime(9999, 12, 31, tzinfo=UTC)


def new_signin_token() -> str:
    return secrets.token_urlsafe(24)


def normalise_pin(pin: str) -> str:
    """The PIN as ASCII digits: Arabic-Indic (٢٥٨٠), Persian (۲۵۸۰) and fullwidth (２５８０)
    digits are the same code; anything that is not a decimal digit is kept as it is."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in pin)


@dataclass(frozen=True)
class PinResult:
    ok: bool
    locked_until: datetime | None = None
    tries_left: int = 0

    @property
    def for_good(self) -> bool:
        """Locked until a CIP unlocks it, not until a time."""
        return self.locked_until is not None and self.locked_until >= PIN_LOCKED_FOR_GOOD


def _take_a_try(learner_id: int, now: datetime) -> tuple[int, datetime | None] | None:
    """Count one try in the database *before* the PIN is checked, in one conditional
    UPDATE … RETURNING (atomic on SQLite and PostgreSQL): parallel requests each take their
    own try, and the fifth locks the code at once, so at most PIN_MAX_TRIES PINs are ever
    checked per lock period. Returns (tries counted, locked_until), or None when locked."""
    last = Learner.failed_pin_count + 1 >= PIN_MAX_TRIES
    lock_type = Learner.__table__.c.locked_until.type
    lengths = [
        (and_(last, Learner.pin_lockouts == n), literal(now + length, lock_type))
        for n, length in enumerate(PIN_LOCKS)
    ]
    statement = (
        update(Learner)
        .where(
            Learner.id == learner_id,
            or_(Learner.locked_until.is_(None), Learner.locked_until <= now),
        )
        .values(
            failed_pin_count=case((last, 0), else_=Learner.failed_pin_count + 1),
            pin_lockouts=case((last, Learner.pin_lockouts + 1), else_=Learner.pin_lockouts),
            locked_until=case(
                *lengths,
                (last, literal(PIN_LOCKED_FOR_GOOD, lock_type)),
                else_=Learner.locked_until,
            ),
        )
        .returning(Learner.failed_pin_count, Learner.locked_until)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(statement).first()
    db.session.commit()
    if row is None:
        return None
    tries, locked_until = row
    # failed_pin_count goes back to 0 on the try that locks.
    return (PIN_MAX_TRIES, locked_until) if tries == 0 else (tries, None)


def check_pin(learner: Learner, pin: str, now: datetime | None = None) -> PinResult:
    """Check a learner's PIN. The try is counted first; the fifth wrong one locks the code
    (15 minutes, then 1 hour, then until a CIP unlocks it); the right one clears it all."""
    now = now or utcnow()
    taken = _take_a_try(learner.id, now)
    if taken is None:
        db.session.refresh(learner)
        return PinResult(ok=False, locked_until=learner.locked_until)
    tries, locked_until = taken
    if verify_secret(learner.pin_hash, normalise_pin(pin)):
        db.session.execute(
            update(Learner)
            .where(Learner.id == learner.id)
            .values(failed_pin_count=0, pin_lockouts=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return PinResult(ok=True)
    if locked_until is not None:
        return PinResult(ok=False, locked_until=locked_until)
    return PinResult(ok=False, tries_left=PIN_MAX_TRIES - tries)


def staff_by_id(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def learner_by_id(learner_id: int) -> Learner | None:
    """The learner with their structure, in one statement: every learner page reads the
    structure (its name, its settings), which a lazy load would fetch with a second one
    (tests/perf/test_learner_query_budget.py)."""
    return db.session.get(Learner, learner_id, options=[joinedload(Learner.structure)])


def learner_by_token(token: str) -> Learner | None:
    """The active learner whose personal sign-in link carries this token."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Learner).where(Learner.signin_token == token, Learner.archived.is_(False))
    )


def set_pin(learner: Learner, pin: str) -> None:
    learner.pin_hash = hash_secret(normalise_pin(pin))
    learner.failed_pin_count = 0
    learner.pin_lockouts = 0
    learner.locked_until = None
