"""The audit log: who viewed or changed what about a learner, and when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import AuditAction, AuditEvent, Learner, StaffUser


def record(
    actor: StaffUser,
    action: AuditAction,
    learner: Learner | None = None,
    detail: str = "",
    commit: bool = True,
    structure_id: int | None = None,
) -> None:
    """Add one line to the log of the actor's structure (the learner's, or the one given,
    for the platform admin who has none)."""
    if learner is not None:
        structure_id = learner.structure_id
    elif structure_id is None:
        structure_id = actor.structure_id
    db.session.add(
        AuditEvent(
            structure_id=structure_id,
            actor_id=actor.id,
            action=action,
            learner_id=learner.id if learner is not None else None,
            detail=detail[:200],
        )
    )
    if commit:
        db.session.commit()


def log_for(structure_id: int, limit: int = 200) -> list[AuditEvent]:
    """The latest lines of a structure's log, newest first, actor and learner loaded."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.learner))
            .where(AuditEvent.structure_id == structure_id)
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
