"""Read models for staff pages, each built from a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from companion import catalogue
from companion.catalogue import Module
from companion.extensions import db
from companion.models import Learner, Structure, Team
from companion.services.progress import ModuleState, ModuleSummary
from companion.services.progress import structure_overview as _agg


@dataclass(frozen=True)
class LearnerRow:
    learner: Learner
    team_name: str | None
    summaries: dict[str, ModuleSummary]


@dataclass(frozen=True)
class Overview:
    modules: list[Module]
    rows: list[LearnerRow]


def structure_overview(structure_id: int | None, team_id: int | None = None) -> Overview:
    """The structure's active learners (optionally one team) × modules, in two queries."""
    modules = list(catalogue.modules().values())
    if structure_id is None:
        return Overview(modules, [])
    stmt = (
        select(Learner, Team.name)
        .outerjoin(Team, Team.id == Learner.team_id)
        .where(Learner.structure_id == structure_id, Learner.archived.is_(False))
        .order_by(Learner.first_name, Learner.initial)
    )
    if team_id is not None:
        stmt = stmt.where(Learner.team_id == team_id)
    learners = db.session.execute(stmt).all()
    agg = _agg([learner.id for learner, _ in learners], modules)
    rows = []
    for learner, team_name in learners:
        summaries = {
            m.id: agg.get(
                (learner.id, m.id),
                ModuleSummary(m.id, ModuleState.NOT_STARTED, 0, len(m.steps), None),
            )
            for m in modules
        }
        rows.append(LearnerRow(learner, team_name, summaries))
    return Overview(modules, rows)


@dataclass(frozen=True)
class StructureCount:
    structure: Structure
    learners: int


def structures_with_counts() -> list[StructureCount]:
    """Every structure with its number of active learners (no names)."""
    counts = (
        select(Learner.structure_id, func.count().label("n"))
        .where(Learner.archived.is_(False))
        .group_by(Learner.structure_id)
        .subquery()
    )
    stmt = (
        select(Structure, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.structure_id == Structure.id)
        .order_by(Structure.name)
    )
    return [StructureCount(s, n) for s, n in db.session.execute(stmt)]
