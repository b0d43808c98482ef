"""Anonymous statistics for a structure's digital action plan, or across structures.

Only counts and averages leave this module: never a name, never a learner id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.steps import StepBase
from companion.extensions import db
from companion.models import Learner, Progress, StepStatus


@dataclass(frozen=True)
class StepStat:
    module_title: str
    step_title: str
    learners: int
    average_tries: float
    helped: int  # learners who were shown the answer after three tries


@dataclass(frozen=True)
class ModuleStat:
    title: str
    started: int
    completed: int
    confidence_gained: int  # learners whose end answer is higher than their start answer
    confidence_answered: int  # learners who answered both questions


@dataclass(frozen=True)
class Stats:
    learners: int
    modules: list[ModuleStat]
    steps: list[StepStat]

    @property
    def hardest(self) -> list[StepStat]:
        ranked = [s for s in self.steps if s.learners]
        ranked.sort(key=lambda s: (-s.helped, -s.average_tries, s.step_title))
        return ranked[:5]


def _rank(step: StepBase | None, value: str | None) -> int | None:
    """How confident an answer to a self-assessment is (0 = least), None when unanswered."""
    if step is None or value is None or value not in step.confidence_values:
        return None
    return step.confidence_values.index(value)


def _confidence_change(
    module: Module, learners: list[int], values: dict[tuple[int, str, str], str]
) -> tuple[int, int]:
    """(learners more confident at the end than at the start, learners who answered both)."""
    start = next((s for s in module.steps if s.confidence_moment == "start"), None)
    end = next((s for s in module.steps if s.confidence_moment == "end"), None)
    gained = answered = 0
    for lid in learners:
        before = _rank(start, values.get((lid, module.id, start.id))) if start else None
        after = _rank(end, values.get((lid, module.id, end.id))) if end else None
        if before is not None and after is not None:
            answered += 1
            gained += after > before
    return gained, answered


def statistics(structure_id: int | None) -> Stats:
    """The statistics of one structure, or of every structure when structure_id is None."""
    modules = catalogue.modules()
    learner_filter: list[ColumnElement[bool]] = [Learner.archived.is_(False)]
    if structure_id is not None:
        learner_filter.append(Learner.structure_id == structure_id)
    learner_ids = select(Learner.id).where(*learner_filter).scalar_subquery()
    n_learners = db.session.scalar(select(func.count()).select_from(Learner).where(*learner_filter))
    rows = db.session.execute(
        select(
            Progress.learner_id,
            Progress.module_id,
            Progress.step_id,
            Progress.status,
            Progress.tries,
            Progress.value,
        ).where(Progress.learner_id.in_(learner_ids))
    ).all()
    done: dict[tuple[int, str], int] = {}
    step_tries: dict[tuple[str, str], list[int]] = {}
    step_helped: dict[tuple[str, str], int] = {}
    values: dict[tuple[int, str, str], str] = {}
    for lid, mid, sid, status, n_tries, value in rows:
        module = modules.get(mid)
        if module is None or module.step(sid) is None:
            continue
        if status is not None:
            done[(lid, mid)] = done.get((lid, mid), 0) + 1
        step = module.step(sid)
        if step is not None and step.is_practice and n_tries:
            step_tries.setdefault((mid, sid), []).append(n_tries)
            if status == StepStatus.HELPED:
                step_helped[(mid, sid)] = step_helped.get((mid, sid), 0) + 1
        if value:
            values[(lid, mid, sid)] = value
    module_stats = []
    step_stats = []
    for module in modules.values():
        started = [lid for (lid, mid) in done if mid == module.id]
        completed = [lid for lid in started if done[(lid, module.id)] >= len(module.steps)]
        gained, answered = _confidence_change(module, started, values)
        module_stats.append(
            ModuleStat(module.meta.title, len(started), len(completed), gained, answered)
        )
        for s in module.steps:
            if not s.is_practice:
                continue
            tries = step_tries.get((module.id, s.id), [])
            step_stats.append(
                StepStat(
                    module.meta.title,
                    s.title,
                    len(tries),
                    round(sum(tries) / len(tries), 1) if tries else 0.0,
                    step_helped.get((module.id, s.id), 0),
                )
            )
    return Stats(n_learners or 0, module_stats, step_stats)
