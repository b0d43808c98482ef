"""Learner accounts as the CIP manages them: create, edit, new PIN, unlock, archive."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditAction, Learner, StaffUser, utcnow
from companion.services import audit
from companion.services.accounts import new_signin_token, set_pin


class DuplicateName(ValueError):
    """Another learner of the structure has this first name and initial."""


def new_pin() -> str:
    """Four random digits, never an obvious one."""
    while True:
        pin = f"{secrets.randbelow(10_000):04d}"
        if len(set(pin)) > 1 and pin not in {"1234", "4321", "0123", "9876"}:
            return pin


def name_taken(structure_id: int, first_name: str, initial: str, except_id: int | None) -> bool:
    stmt = select(Learner.id).where(
        Learner.structure_id == structure_id,
        Learner.first_name == first_name,
        Learner.initial == initial,
    )
    if except_id is not None:
        stmt = stmt.where(Learner.id != except_id)
    return db.session.scalar(stmt) is not None


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
    if name_taken(staff.structure_id, first_name, initial, None):
        raise DuplicateName(first_name)
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
    db.session.add(learner)
    db.session.flush()
    audit.record(staff, AuditAction.CREATED_LEARNER, learner, commit=False)
    db.session.commit()
    return learner, pin


def edit_learner(staff: StaffUser, learner: Learner, fields: LearnerFields) -> None:
    first_name, initial = fields.first_name.strip(), fields.initial.strip().upper()
    if name_taken(learner.structure_id, first_name, initial, learner.id):
        raise DuplicateName(first_name)
    learner.first_name = first_name
    learner.initial = initial
    learner.team_id = fields.team_id
    learner.locale = fields.locale
    learner.pictogram = fields.pictogram
    audit.record(staff, AuditAction.EDITED_LEARNER, learner, commit=False)
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
    learner.locked_until = None
    audit.record(staff, AuditAction.UNLOCKED, learner, commit=False)
    db.session.commit()


def archive(staff: StaffUser, learner: Learner) -> None:
    """The learner can no longer sign in and leaves the lists; their history stays."""
    learner.archived = True
    learner.archived_at = utcnow()
    audit.record(staff, AuditAction.ARCHIVED, learner, commit=False)
    db.session.commit()
