"""Anonymous statistics for a structure's digital action plan, or across structures.

Only counts and averages leave this module: never a name, never a learner id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.entry_check import is_check
from companion.catalogue.steps import StepBase
from companion.extensions import db
from companion.models import Learner, Progress, StepStatus
from companion.services.period import Period, worked_in


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
    module_id: str = ""
    seconds: int = 0  # time spent on the module's steps worked on in the period

    @property
    def completion(self) -> int | None:
        """Finished out of started, in percent (None when nobody started)."""
        return round(100 * self.completed / self.started) if self.started else None

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 1)


@dataclass(frozen=True)
class Stats:
    learners: int  # learners chosen (team, present or left), active in the period or not
    modules: list[ModuleStat]
    steps: list[StepStat]
    trained: int = 0  # learners who worked on at least one step in the period
    period: Period = field(default_factory=Period)

    @property
    def hours(self) -> float:
        return round(sum(m.seconds for m in self.modules) / 3600, 1)

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


def _confidence_steps(module: Module) -> tuple[StepBase | None, StepBase | None]:
    """The module's self-assessments at its start and at its end (either may be missing)."""
    start = next((s for s in module.steps if s.confidence_moment == "start"), None)
    end = next((s for s in module.steps if s.confidence_moment == "end"), None)
    return start, end


def confidence_rose(module: Module, before: str | None, after: str | None) -> bool | None:
    """Whether the answer at the module's end is more confident than the one at its start;
    None unless both were answered (the order of answers comes from the step type)."""
    start, end = _confidence_steps(module)
    rank_before, rank_after = _rank(start, before), _rank(end, after)
    if rank_before is None or rank_after is None:
        return None
    return rank_after > rank_before


def _confidence_change(
    module: Module, learners: list[int], values: dict[tuple[int, str, str], str]
) -> tuple[int, int]:
    """(learners more confident at the end than at the start, learners who answered both)."""
    start, end = _confidence_steps(module)
    gained = answered = 0
    for lid in learners:
        before = _rank(start, values.get((lid, module.id, start.id))) if start else None
        after = _rank(end, values.get((lid, module.id, end.id))) if end else None
        if before is not None and after is not None:
            answered += 1
            gained += after > before
    return gained, answered


def statistics(structure_id: int | None, period: Period | None = None) -> Stats:
    """The statistics of one structure, or of every structure when structure_id is None.

    Learners who left (archived) count by default: a year's report keeps everyone trained
    that year. A step counts in the period when it was worked on during it (see
    exports.in_period); a module counts as finished in the period when its last step was
    done during it. Three queries, whatever the number of learners.
    """
    period = period or Period()
    # The entry check is not training: its answers are levels (services/entry_check.py).
    modules = {i: m for i, m in catalogue.modules().items() if not is_check(m)}
    learner_filter = period.learner_filter(structure_id)
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
            Progress.time_spent_seconds,
            Progress.started_at,
            Progress.updated_at,
        ).where(Progress.learner_id.in_(learner_ids))
    ).all()
    tally = _Tally(*period.bounds())
    for lid, mid, sid, status, n_tries, value, spent, started_at, updated_at in rows:
        module = modules.get(mid)
        step = module.step(sid) if module is not None else None
        if step is not None:
            tally.add(lid, mid, step, status, n_tries, value, spent, started_at, updated_at)
    module_stats = [tally.module_stat(module) for module in modules.values()]
    step_stats = [
        tally.step_stat(module, s)
        for module in modules.values()
        for s in module.steps
        if s.is_practice
    ]
    trained = len({lid for (lid, mid) in tally.active if (lid, mid) in tally.done})
    return Stats(n_learners or 0, module_stats, step_stats, trained=trained, period=period)


@dataclass
class _Tally:
    """The progress rows of the learners counted, added up by learner, module and step."""

    since: datetime | None
    until: datetime | None
    done: dict[tuple[int, str], int] = field(default_factory=dict)
    last_done: dict[tuple[int, str], datetime] = field(default_factory=dict)
    active: set[tuple[int, str]] = field(default_factory=set)
    seconds: dict[str, int] = field(default_factory=dict)
    step_tries: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    step_helped: dict[tuple[str, str], int] = field(default_factory=dict)
    values: dict[tuple[int, str, str], str] = field(default_factory=dict)

    def add(
        self,
        lid: int,
        mid: str,
        step: StepBase,
        status: StepStatus | None,
        n_tries: int,
        value: str | None,
        spent: int,
        started_at: datetime,
        updated_at: datetime,
    ) -> None:
        """One progress row of a step the catalogue still has."""
        if status is not None:
            self.done[(lid, mid)] = self.done.get((lid, mid), 0) + 1
            last = self.last_done.get((lid, mid))
            if last is None or updated_at > last:
                self.last_done[(lid, mid)] = updated_at
        if value:
            self.values[(lid, mid, step.id)] = value
        if not worked_in(started_at, updated_at, self.since, self.until):
            return
        self.active.add((lid, mid))
        self.seconds[mid] = self.seconds.get(mid, 0) + spent
        if step.is_practice and n_tries:
            self.step_tries.setdefault((mid, step.id), []).append(n_tries)
            if status == StepStatus.HELPED:
                self.step_helped[(mid, step.id)] = self.step_helped.get((mid, step.id), 0) + 1

    def module_stat(self, module: Module) -> ModuleStat:
        started = [
            lid for (lid, mid) in self.active if mid == module.id and (lid, mid) in self.done
        ]
        completed = [
            lid
            for lid in started
            if self.done[(lid, module.id)] >= len(module.steps)
            and _within(self.last_done.get((lid, module.id)), self.since, self.until)
        ]
        gained, answered = _confidence_change(module, started, self.values)
        return ModuleStat(
            module.meta.title,
            len(started),
            len(completed),
            gained,
            answered,
            module_id=module.id,
            seconds=self.seconds.get(module.id, 0),
        )

    def step_stat(self, module: Module, step: StepBase) -> StepStat:
        tries = self.step_tries.get((module.id, step.id), [])
        return StepStat(
            module.meta.title,
            step.title,
            len(tries),
            round(sum(tries) / len(tries), 1) if tries else 0.0,
            self.step_helped.get((module.id, step.id), 0),
        )


def _within(moment: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    return moment is not None and worked_in(moment, moment, since, until)


STAT_COLUMNS = [
    "module",
    "module_id",
    "salaries_commence",
    "salaries_termine",
    "taux_achevement_pourcent",
    "temps_minutes",
    "confiance_mesuree",
    "confiance_en_hausse",
]


def stat_rows(stats: Stats) -> list[list[str | int | None]]:
    """The module table of the statistics, for CSV and XLSX. Whole numbers only: "1.5"
    in a French CSV opens as the 1st of May."""
    return [
        [
            m.title,
            m.module_id,
            m.started,
            m.completed,
            m.completion,
            (m.seconds + 59) // 60,
            m.confidence_answered,
            m.confidence_gained,
        ]
        for m in stats.modules
    ]
