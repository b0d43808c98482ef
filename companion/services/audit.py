"""The audit log: who viewed or changed what about a learner, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import AuditAction, AuditEvent, Learner, StaffUser

PAGE_SIZE = 50


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


@dataclass(frozen=True)
class LogFilter:
    """Which lines of a structure's log: by whom, which action, between two instants."""

    actor_id: int | None = None
    action: AuditAction | None = None
    since: datetime | None = None  # on or after
    until: datetime | None = None  # before


@dataclass(frozen=True)
class LogPage:
    events: list[AuditEvent]
    total: int  # lines matching the filter, on every page
    page: int
    pages: int


def _conditions(structure_id: int, chosen: LogFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [AuditEvent.structure_id == structure_id]
    if chosen.actor_id is not None:
        found.append(AuditEvent.actor_id == chosen.actor_id)
    if chosen.action is not None:
        found.append(AuditEvent.action == chosen.action)
    if chosen.since is not None:
        found.append(AuditEvent.created_at >= chosen.since)
    if chosen.until is not None:
        found.append(AuditEvent.created_at < chosen.until)
    return found


def log_page(structure_id: int, chosen: LogFilter, page: int = 1) -> LogPage:
    """One page of the log (PAGE_SIZE lines, newest first) and how many lines match; a page
    past the end is empty. Uses the (structure_id, created_at) index."""
    conditions = _conditions(structure_id, chosen)
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(1, page)
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.learner))
            .where(*conditions)
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    )
    return LogPage(events, total, page, pages)


def actors_of(structure_id: int) -> list[StaffUser]:
    """Everyone who has a line in the structure's log (deactivated accounts included)."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.id.in_(
                    select(AuditEvent.actor_id).where(AuditEvent.structure_id == structure_id)
                )
            )
            .order_by(StaffUser.email)
        )
    )
