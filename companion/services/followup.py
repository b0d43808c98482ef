"""Read models for staff pages, each built from a fixed number of queries."""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.entry_check import is_check
from companion.extensions import db
from companion.models import (
    Assignment,
    Learner,
    Progress,
    ProgressEvent,
    StepStatus,
    Structure,
    Team,
    utcnow,
)
from companion.services.names import name_key
from companion.services.progress import (
    ModuleState,
    ModuleSummary,
    RetryResult,
    retries_by_module,
    summarise,
)
from companion.services.progress import structure_overview as _agg


@dataclass(frozen=True)
class LearnerRow:
    learner: Learner
    team_name: str | None
    summaries: dict[str, ModuleSummary]

    def cache_key(self, modules: Iterable[Module]) -> Hashable:
        """Everything the progress table's row shows of this learner in these columns
        (templates/staff/_progress_table.html keeps the row's HTML for it)."""
        return (
            self.learner.id,
            self.learner.display_name,
            self.team_name,
            tuple(
                (s.module_id, s.state, s.done, s.total, s.last_activity)
                for s in (self.summaries[m.id] for m in modules)
            ),  # plain tuples: hashed and compared in C, not by the dataclass's methods
        )


@dataclass(frozen=True)
class Overview:
    modules: list[Module]  # the columns: every module but the entry check
    rows: list[LearnerRow]
    # Every module's summary (the entry check's too) of each learner who started it, and
    # whose overview this is: the CIP home gives it to "À suivre" (to_follow), which then
    # reads neither the learners nor their progress again.
    agg: dict[tuple[int, str], ModuleSummary] = field(default_factory=dict)
    structure_id: int | None = None
    team_id: int | None = None

    def check_whole(self, structure_id: int) -> None:
        """Refuse to stand for a structure's learners when this is another structure's
        overview, or one team's."""
        if self.structure_id != structure_id or self.team_id is not None:
            raise ValueError("this needs the overview of the whole structure")


def structure_overview(structure_id: int | None, team_id: int | None = None) -> Overview:
    """The structure's active learners (optionally one team) × modules, in two queries."""
    every = list(catalogue.modules().values())
    # Without the entry check: its result is in the learner file, not a column of progress.
    modules = [m for m in every if not is_check(m)]
    if structure_id is None:
        return Overview(modules, [])
    stmt = (
        select(Learner, Team.name)
        .outerjoin(Team, Team.id == Learner.team_id)
        .where(Learner.structure_id == structure_id, Learner.archived.is_(False))
    )
    if team_id is not None:
        stmt = stmt.where(Learner.team_id == team_id)
    # French order (accents and case folded), the same on every engine: see services/names.
    learners = sorted(db.session.execute(stmt).all(), key=lambda row: name_key(row[0]))
    agg = _agg([learner.id for learner, _ in learners], every)
    # A module not started is the same summary for everyone (it is frozen): made once a
    # module, not once a learner and a module (1,800 for 300 learners).
    not_started = {
        m.id: ModuleSummary(m.id, ModuleState.NOT_STARTED, 0, len(m.steps), None) for m in modules
    }
    rows = []
    for learner, team_name in learners:
        summaries = {m.id: agg.get((learner.id, m.id)) or not_started[m.id] for m in modules}
        rows.append(LearnerRow(learner, team_name, summaries))
    return Overview(modules, rows, agg, structure_id, team_id)


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


# --- The learner file -----------------------------------------------------------------------


@dataclass(frozen=True)
class StepDifficulty:
    step_title: str
    tries: int
    helped: bool


@dataclass(frozen=True)
class ModuleFile:
    module: Module
    summary: ModuleSummary
    passed: int  # practice steps right without the answer shown
    practice: int  # practice steps in the module
    tries: int
    seconds: int
    confidence_before: str | None
    confidence_after: str | None
    difficulties: list[StepDifficulty]

    @property
    def minutes(self) -> int:
        return (self.seconds + 59) // 60


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    module_title: str
    step_title: str
    outcome: str


@dataclass(frozen=True)
class LearnerFile:
    learner: Learner
    modules: list[ModuleFile]
    timeline: list[TimelineItem]
    # Rounds of "Refaire" per module id: practice after the first result, which stays.
    retries: dict[str, list[RetryResult]] = field(default_factory=dict)


def _confidence(module: Module, rows: dict[str, Progress], moment: str) -> str | None:
    for step in module.steps:
        if step.confidence_moment == moment:
            row = rows.get(step.id)
            return row.value if row is not None else None
    return None


def module_file(module: Module, rows: dict[str, Progress]) -> ModuleFile:
    """One module's detail for one learner, from its progress rows."""
    summary = summarise(module, rows.values())
    practice_steps = [s for s in module.steps if s.is_practice]
    difficulties = []
    for step in practice_steps:
        row = rows.get(step.id)
        if row is not None and (row.status == StepStatus.HELPED or row.tries >= 2):
            difficulties.append(
                StepDifficulty(step.title, row.tries, row.status == StepStatus.HELPED)
            )
    return ModuleFile(
        module=module,
        summary=summary,
        passed=sum(
            1
            for s in practice_steps
            if (r := rows.get(s.id)) is not None and r.status == StepStatus.PASSED
        ),
        practice=len(practice_steps),
        tries=sum(r.tries for r in rows.values()),
        seconds=sum(r.time_spent_seconds for r in rows.values()),
        confidence_before=_confidence(module, rows, "start"),
        confidence_after=_confidence(module, rows, "end"),
        difficulties=difficulties,
    )


def learner_file(learner: Learner, timeline_limit: int = 60) -> LearnerFile:
    """Everything the CIP sees about one learner's learning, in two queries."""
    modules = list(catalogue.modules().values())
    rows = db.session.scalars(select(Progress).where(Progress.learner_id == learner.id)).all()
    learning = [m for m in modules if not is_check(m)]  # the check's levels: entry_check.py
    by_module: dict[str, dict[str, Progress]] = {}
    for r in rows:
        by_module.setdefault(r.module_id, {})[r.step_id] = r
    files = [module_file(m, by_module.get(m.id, {})) for m in learning]
    events = db.session.scalars(
        select(ProgressEvent)
        .where(ProgressEvent.learner_id == learner.id)
        .order_by(ProgressEvent.created_at.desc(), ProgressEvent.id.desc())
        .limit(timeline_limit)
    )
    by_id = {m.id: m for m in modules}
    timeline = []
    for e in events:
        module = by_id.get(e.module_id)
        step = module.step(e.step_id) if module else None
        timeline.append(
            TimelineItem(
                e.created_at,
                module.meta.title if module else e.module_id,
                step.title if step else e.step_id,
                e.outcome,
            )
        )
    return LearnerFile(learner, files, timeline, retries_by_module(learner, modules))


# --- "À suivre": who needs the CIP's attention -------------------------------------------

STALL_DAYS = 14
FAILURES_ON_A_STEP = 3
FAILURE_WINDOW_DAYS = 30


class Reason(enum.StrEnum):
    OVERDUE = "overdue"
    STUCK = "stuck"
    INACTIVE = "inactive"
    NOT_CONFIDENT = "not_confident"
    LOCKED = "locked"  # the PIN is locked after wrong tries: the CIP can unlock it


@dataclass(frozen=True)
class FollowItem:
    learner: Learner
    reason: Reason
    module: Module | None  # None for a locked PIN
    detail: str  # the step title, or the due date as ISO text
    due: date | None = None
    assignment: Assignment | None = None  # overdue or inactive: the assignment concerned
    step_id: str = ""  # stuck: the step
    since: datetime | None = None  # stuck: the last wrong answer; locked: locked until


def to_follow(
    structure_id: int, now: datetime | None = None, overview: Overview | None = None
) -> list[FollowItem]:
    """The four rules of the CIP home, in six queries whatever the number of learners (four
    when given the structure's overview, which holds its learners and their progress).

    - an assignment past its due date and the module not finished;
    - three wrong answers on the same step in the last 30 days;
    - an assignment older than 14 days and no activity on that module for 14 days;
    - "Pas encore" at the end-of-module confidence question of a finished module;
    - and a PIN locked after wrong tries, so the CIP can unlock it from the list.
    """
    now = now or utcnow()
    modules = catalogue.modules()
    if overview is not None:
        overview.check_whole(structure_id)
        learners = {row.learner.id: row.learner for row in overview.rows}
        agg = overview.agg
    else:
        learners = {
            lr.id: lr
            for lr in db.session.scalars(
                select(Learner).where(
                    Learner.structure_id == structure_id, Learner.archived.is_(False)
                )
            )
        }
        agg = _agg(list(learners), list(modules.values())) if learners else {}
    if not learners:
        return []
    follow = _FollowList(learners, modules, agg)
    _add_assignment_items(follow, structure_id, now)
    _add_stuck_items(follow, now)
    _add_not_confident_items(follow)
    for learner in learners.values():
        if learner.locked_until is not None and learner.locked_until > now:
            follow.items.append(
                FollowItem(learner, Reason.LOCKED, None, "", since=learner.locked_until)
            )
    items = follow.items
    order = list(Reason)
    items.sort(
        key=lambda i: (order.index(i.reason), name_key(i.learner), i.module.id if i.module else "")
    )
    return items


@dataclass
class _FollowList:
    """The items found so far: one per learner, reason and module."""

    learners: dict[int, Learner]
    modules: dict[str, Module]
    agg: dict[tuple[int, str], ModuleSummary]
    items: list[FollowItem] = field(default_factory=list)
    seen: set[tuple[int, Reason, str]] = field(default_factory=set)

    def add(
        self,
        learner_id: int,
        reason: Reason,
        module_id: str,
        detail: str,
        due: date | None = None,
        **extra: Any,
    ) -> None:
        key = (learner_id, reason, module_id)
        module = self.modules.get(module_id)
        if key in self.seen or module is None or learner_id not in self.learners:
            return
        self.seen.add(key)
        self.items.append(
            FollowItem(self.learners[learner_id], reason, module, detail, due, **extra)
        )

    def completed(self, learner_id: int, module_id: str) -> bool:
        s = self.agg.get((learner_id, module_id))
        return s is not None and s.state == ModuleState.COMPLETED


def _add_assignment_items(follow: _FollowList, structure_id: int, now: datetime) -> None:
    """Overdue and inactive assignments (a team assignment for each of its members)."""
    from companion.services.assignments import today

    day = today(now)
    learners = follow.learners
    # A person shows once per situation: a team assignment comes first, so that a member's
    # own assignment of the same module joins the team's item. Ordered, so that the engine's
    # row order (PostgreSQL moves an updated row) never decides.
    assignments = db.session.scalars(
        select(Assignment)
        .where(Assignment.structure_id == structure_id)
        .order_by(Assignment.team_id.is_(None), Assignment.id)
    ).all()
    stall = now - timedelta(days=STALL_DAYS)
    targets = {
        a.id: [
            lid
            for lid in (
                [a.learner_id]
                if a.learner_id is not None
                else [lid for lid, lr in learners.items() if lr.team_id == a.team_id]
            )
            if lid is not None and not follow.completed(lid, a.module_id)
        ]
        for a in assignments
    }
    # The last answer is read only where it decides: an assignment older than the stall.
    old = [a for a in assignments if a.created_at <= stall and targets[a.id]]
    last_activity = _last_activity(
        {lid for a in old for lid in targets[a.id]}, {a.module_id for a in old}
    )
    for a in assignments:
        for lid in targets[a.id]:
            if a.due_date is not None and a.due_date < day:
                follow.add(
                    lid, Reason.OVERDUE, a.module_id, a.due_date.isoformat(), a.due_date,
                    assignment=a,
                )  # fmt: skip
            last = last_activity.get((lid, a.module_id))
            if a.created_at <= stall and (last is None or last <= stall):
                follow.add(lid, Reason.INACTIVE, a.module_id, "", assignment=a)


def _last_activity(learner_ids: set[int], module_ids: set[str]) -> dict[tuple[int, str], datetime]:
    """(learner, module) → the moment of the last answer, for these learners and modules."""
    if not learner_ids or not module_ids:
        return {}
    return {
        (lid, mid): _aware(at)
        for lid, mid, at in db.session.execute(
            select(
                ProgressEvent.learner_id,
                ProgressEvent.module_id,
                func.max(ProgressEvent.created_at),
            )
            .where(
                ProgressEvent.learner_id.in_(sorted(learner_ids)),
                ProgressEvent.module_id.in_(sorted(module_ids)),
            )
            .group_by(ProgressEvent.learner_id, ProgressEvent.module_id)
        )
    }


def _add_stuck_items(follow: _FollowList, now: datetime) -> None:
    """Three wrong answers or more on one step in the last days."""
    since = now - timedelta(days=FAILURE_WINDOW_DAYS)
    for lid, mid, sid, _n, last_wrong in db.session.execute(
        select(
            ProgressEvent.learner_id,
            ProgressEvent.module_id,
            ProgressEvent.step_id,
            func.count(),
            func.max(ProgressEvent.created_at),
        )
        .where(
            ProgressEvent.learner_id.in_(list(follow.learners)),
            ProgressEvent.correct.is_(False),
            ProgressEvent.created_at >= since,
        )
        .group_by(ProgressEvent.learner_id, ProgressEvent.module_id, ProgressEvent.step_id)
        .having(func.count() >= FAILURES_ON_A_STEP)
    ):
        module = follow.modules.get(mid)
        step = module.step(sid) if module else None
        follow.add(
            lid, Reason.STUCK, mid, step.title if step else sid,
            step_id=sid, since=_aware(last_wrong),
        )  # fmt: skip


def _add_not_confident_items(follow: _FollowList) -> None:
    """The end's self-assessment answered with its least confident answer ("Pas encore")."""
    end_answers = [
        (m.id, s.id, s.confidence_values[0])
        for m in follow.modules.values()
        for s in m.steps
        if s.confidence_moment == "end" and s.confidence_values
    ]
    if not end_answers:
        return
    # The modules and steps as lists of their own as well: SQLite then looks each learner's
    # rows up by module and step in ix_progress_overview (3 ms for 300 learners) instead of
    # reading all their rows (11 ms with a list of triples alone).
    for lid, mid in db.session.execute(
        select(Progress.learner_id, Progress.module_id).where(
            Progress.learner_id.in_(list(follow.learners)),
            Progress.module_id.in_(sorted({m for m, _, _ in end_answers})),
            Progress.step_id.in_(sorted({s for _, s, _ in end_answers})),
            or_(
                *(
                    and_(Progress.module_id == m, Progress.step_id == s, Progress.value == v)
                    for m, s, v in end_answers
                )
            ),
        )
    ):
        if follow.completed(lid, mid):
            follow.add(lid, Reason.NOT_CONFIDENT, mid, "")


def _aware(value: datetime) -> datetime:
    # Aggregates bypass the column type on SQLite and come back naive.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
