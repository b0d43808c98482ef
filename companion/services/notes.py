"""Private notes on a learner, for the structure's CIPs and direction only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import AuditAction, Learner, Note, Role, StaffUser, utcnow
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


def note_of(structure_id: int | None, note_id: int) -> Note | None:
    """A note of this structure, else None."""
    note = db.session.get(Note, note_id)
    return note if note is not None and note.structure_id == structure_id else None


def may_change(staff: StaffUser, note: Note) -> bool:
    """Its author corrects or deletes a note, and so does the direction (the author left,
    or the person asked the structure for a rectification)."""
    return note.structure_id == staff.structure_id and (
        note.author_id == staff.id or staff.role == Role.DIRECTION
    )


def edit_note(staff: StaffUser, note: Note, body: str) -> None:
    """Rectify a note (GDPR article 16): the text is replaced, the audit log keeps who and
    when, never the old text."""
    if not may_change(staff, note):
        raise PermissionError("not the author nor the direction")
    body = body.strip()
    if body != note.body:
        note.body = body
        note.edited_at = utcnow()
        audit.record(staff, AuditAction.NOTE_EDITED, note.learner, commit=False)
    db.session.commit()


def delete_note(staff: StaffUser, note: Note) -> None:
    if not may_change(staff, note):
        raise PermissionError("not the author nor the direction")
    learner = note.learner
    db.session.delete(note)
    audit.record(staff, AuditAction.NOTE_DELETED, learner, commit=False)
    db.session.commit()
