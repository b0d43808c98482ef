"""Assignments: modules a staff member asked a learner or a team to follow."""

from __future__ import annotations

from sqlalchemy import or_, select

from companion.extensions import db
from companion.models import Assignment, Learner


def assignments_for(learner: Learner) -> list[Assignment]:
    """The learner's own and their team's assignments, soonest due first, one per module."""
    conditions = [Assignment.learner_id == learner.id]
    if learner.team_id is not None:
        conditions.append(Assignment.team_id == learner.team_id)
    rows = db.session.scalars(
        select(Assignment)
        .where(Assignment.structure_id == learner.structure_id, or_(*conditions))
        .order_by(Assignment.due_date.is_(None), Assignment.due_date, Assignment.created_at)
    )
    seen: dict[str, Assignment] = {}
    for a in rows:
        seen.setdefault(a.module_id, a)
    return list(seen.values())
