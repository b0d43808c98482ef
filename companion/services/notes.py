"""Private notes on a learner, for the structure's CIPs and direction only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import AuditAction, Learner, Note, StaffUser
from companion.services import audit


def add_note(staff: StaffUser, learner: Learner, body: str) -> Note:
    note = Note(
        structure_id=learner.structure_id,
        learner_id=learner.id,
        author_id=staff.id,
        body=body.strip(),
    )
    db.session.add(note)
    audit.record(staff, AuditAction.WROTE_NOTE, learner, commit=False)
    db.session.commit()
    return note


def notes_for(learner: Learner) -> list[Note]:
    """The learner's notes, newest first, with their authors."""
    return list(
        db.session.scalars(
            select(Note)
            .options(joinedload(Note.author))
            .where(Note.learner_id == learner.id, Note.structure_id == learner.structure_id)
            .order_by(Note.created_at.desc(), Note.id.desc())
        )
    )
