"""Learner accounts as the CIP manages them: create, edit, new PIN, unlock, archive."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import AuditAction, Learner, StaffUser, Structure, utcnow
from companion.models.names import learner_key
from companion.services import audit
from companion.services.accounts import new_signin_token, set_pin
from companion.services.privacy import ERASED_PIN_HASH, add_months, is_erased


class DuplicateName(ValueError):
    """Another learner of the structure has this first name and initial, whatever the case
    and accents ("amina" is "Amina", "Chloe" is "Chloé"); ``existing`` is how they show."""

    def __init__(self, existing: str) -> None:
        super().__init__(existing)
        self.existing = existing


def new_pin() -> str:
    """Four random digits, never an obvious one."""
    while True:
        pin = f"{secrets.randbelow(10_000):04d}"
        if len(set(pin)) > 1 and pin not in {"1234", "4321", "0123", "9876"}:
            return pin


def name_taken(
    structure_id: int, first_name: str, initial: str, except_id: int | None
) -> str | None:
    """The display name of the learner who already has this name (folded), or None."""
    stmt = select(Learner).where(
        Learner.structure_id == structure_id,
        Learner.name_key == learner_key(first_name, initial),
    )
    if except_id is not None:
        stmt = stmt.where(Learner.id != except_id)
    other = db.session.scalar(stmt)
    return other.display_name if other is not None else None


@contextmanager
def _unique_name() -> Iterator[None]:
    """Two CIPs saving the same name at once: the database keeps one, the other is told."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        raise DuplicateName("") from None


@dataclass(frozen=True)
class LearnerFields:
    first_name: str
    initial: str
    team_id: int | None
    locale: str
    pictogram: str


def create_learner(staff: StaffUser, fields: LearnerFields) -> tuple[Learner, str]:
    """Create a learner in the staff member's structure; return it and its PIN (shown once)."""
    if staff.structure_id is None:
        raise PermissionError("only staff of a structure can create a learner")
    first_name, initial = fields.first_name.strip(), fields.initial.strip().upper()
    existing = name_taken(staff.structure_id, first_name, initial, None)
    if existing is not None:
        raise DuplicateName(existing)
    pin = new_pin()
    learner = Learner(
        structure_id=staff.structure_id,
        team_id=fields.team_id,
        first_name=first_name,
        initial=initial,
        pictogram=fields.pictogram,
        locale=fields.locale,
        pin_hash="",
        signin_token=new_signin_token(),
    )
    set_pin(learner, pin)
    with _unique_name():
        db.session.add(learner)
        db.session.flush()
        audit.record(staff, AuditAction.CREATED_LEARNER, learner, commit=False)
        db.session.commit()
    return learner, pin


def edit_learner(staff: StaffUser, learner: Learner, fields: LearnerFields) -> None:
    first_name, initial = fields.first_name.strip(), fields.initial.strip().upper()
    existing = name_taken(learner.structure_id, first_name, initial, learner.id)
    if existing is not None:
        raise DuplicateName(existing)
    learner.first_name = first_name
    learner.initial = initial
    learner.team_id = fields.team_id
    learner.locale = fields.locale
    learner.pictogram = fields.pictogram
    audit.record(staff, AuditAction.EDITED_LEARNER, learner, commit=False)
    with _unique_name():
        db.session.commit()


def reset_pin(staff: StaffUser, learner: Learner) -> str:
    """A new PIN (the old one stops working) and a new personal link; returns the PIN."""
    pin = new_pin()
    set_pin(learner, pin)
    learner.signin_token = new_signin_token()
    audit.record(staff, AuditAction.RESET_PIN, learner, commit=False)
    db.session.commit()
    return pin


def unlock(staff: StaffUser, learner: Learner) -> None:
    learner.failed_pin_count = 0
    learner.pin_lockouts = 0
    learner.locked_until = None
    audit.record(staff, AuditAction.UNLOCKED, learner, commit=False)
    db.session.commit()


def archive(staff: StaffUser, learner: Learner) -> None:
    """The learner can no longer sign in and leaves the lists; their history stays."""
    learner.archived = True
    learner.archived_at = utcnow()
    audit.record(staff, AuditAction.ARCHIVED, learner, commit=False)
    db.session.commit()


class NotRestorable(ValueError):
    """The learner's named data was erased (on request or after retention): nothing to
    give back."""


def unarchive(staff: StaffUser, learner: Learner) -> None:
    """Undo an archive: the learner is back in the lists and signs in with the same PIN and
    card as before; the retention clock stops."""
    if is_erased(learner):
        raise NotRestorable(learner.display_name)
    if learner.archived:
        learner.archived = False
        learner.archived_at = None
        audit.record(staff, AuditAction.UNARCHIVED, learner, commit=False)
        db.session.commit()


@dataclass(frozen=True)
class FormerLearner:
    learner: Learner
    archived_at: datetime | None
    erased_after: datetime | None  # when `flask purge` may erase their named data


def former_learners(structure: Structure) -> list[FormerLearner]:
    """ "Anciens salariés": archived learners whose data is still kept, latest first."""
    rows = db.session.scalars(
        select(Learner)
        .options(joinedload(Learner.team))
        .where(
            Learner.structure_id == structure.id,
            Learner.archived.is_(True),
            Learner.pin_hash != ERASED_PIN_HASH,
        )
        .order_by(Learner.archived_at.desc(), Learner.first_name)
    )
    return [
        FormerLearner(
            learner,
            learner.archived_at,
            add_months(learner.archived_at, structure.retention_months)
            if learner.archived_at is not None
            else None,
        )
        for learner in rows
    ]
