"""Recording answers and deriving module status from per-step progress.

Progress is keyed on stable content ids (module id, step id). Module status is always
derived from the steps the module has *now*, so adding, removing or reordering steps never
corrupts what a learner did.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple, Protocol

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from companion.catalogue import Module
from companion.catalogue.steps import Outcome, StepBase
from companion.extensions import db
from companion.models import (
    Learner,
    Progress,
    ProgressEvent,
    RetryProgress,
    StepStatus,
    utcnow,
)

MAX_TRIES = 3
MAX_STEP_SECONDS = 600  # a step left open over lunch does not count as an hour of work


class ModuleState(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class ModuleSummary:
    module_id: str
    state: ModuleState
    done: int
    total: int
    last_activity: datetime | None


@dataclass(frozen=True)
class StepResult:
    """What the learner sees after answering: the outcome and whether they can go on."""

    outcome: Outcome
    status: StepStatus | None
    tries: int

    @property
    def finished(self) -> bool:
        return self.status is not None


class StepProgress(Protocol):
    """What a page reads of one step's progress: a `Progress` row the request may write, or
    a `StepState` read only to be shown."""

    @property
    def step_id(self) -> str: ...
    @property
    def status(self) -> StepStatus | None: ...
    @property
    def tries(self) -> int: ...
    @property
    def value(self) -> str | None: ...
    @property
    def updated_at(self) -> datetime: ...


class StepState(NamedTuple):
    """A step's progress as a page shows it: plain values, not an object the session tracks.

    A page that only reads progress (a step's page, the learner's home) skips the ORM's
    building of each row: 23 rows of a module cost 0.34 ms as objects and 0.10 ms as tuples
    on SQLite (docs/performance.md). A request that records an answer reads `module_rows`.
    """

    step_id: str
    status: StepStatus | None
    tries: int
    value: str | None
    updated_at: datetime


_progress = Progress.__table__.c
_STATE_COLUMNS = (_progress.step_id, _progress.status, _progress.tries, _progress.value,
                  _progress.updated_at)  # fmt: skip


def summarise(module: Module, rows: Iterable[StepProgress]) -> ModuleSummary:
    """Module state from progress rows, counting only steps the module still has."""
    current = set(module.step_ids)
    done_rows = [r for r in rows if r.step_id in current and r.status is not None]
    last = max((r.updated_at for r in done_rows), default=None)
    done = len(done_rows)
    if done == 0:
        state = ModuleState.NOT_STARTED
    elif done >= len(current):
        state = ModuleState.COMPLETED
    else:
        state = ModuleState.IN_PROGRESS
    return ModuleSummary(module.id, state, done, len(current), last)


def module_rows(learner: Learner, module: Module) -> dict[str, Progress]:
    rows = db.session.scalars(
        select(Progress).where(Progress.learner_id == learner.id, Progress.module_id == module.id)
    )
    return {r.step_id: r for r in rows}


def module_states(learner: Learner, module: Module) -> dict[str, StepState]:
    """The module's progress to show, by step id (`module_rows` to write it)."""
    rows = db.session.execute(
        select(*_STATE_COLUMNS).where(
            _progress.learner_id == learner.id, _progress.module_id == module.id
        )
    )
    return {r[0]: StepState(*r) for r in rows}


def resume_step(module: Module, rows: Mapping[str, StepProgress]) -> StepBase | None:
    """The first step not yet done, in the module's current order; None when all are done."""
    for step in module.steps:
        row = rows.get(step.id)
        if row is None or row.status is None:
            return step
    return None


def reachable(module: Module, rows: Mapping[str, StepProgress], step: StepBase) -> bool:
    """A learner may open a done step or the first step not yet done, never one further on."""
    row = rows.get(step.id)
    if row is not None and row.status is not None:
        return True
    nxt = resume_step(module, rows)
    return nxt is not None and nxt.id == step.id


def _count_answer(row: Progress | RetryProgress, step: StepBase, outcome: Outcome) -> None:
    """One answer to a step not yet done, the first time or in a round of "Refaire": a try
    of a practice step (passed, or helped after MAX_TRIES), or a step seen."""
    if step.is_practice:
        row.tries = (row.tries or 0) + 1
        if outcome.correct:
            row.status = StepStatus.PASSED
        elif row.tries >= MAX_TRIES:
            row.status = StepStatus.HELPED
    else:
        row.status = StepStatus.SEEN


def record_answer(
    learner: Learner,
    module: Module,
    step: StepBase,
    outcome: Outcome,
    submission_key: str,
    seconds: int,
    rows: Mapping[str, Progress] | None = None,
) -> StepResult:
    """Record one checked answer, once per submission key, in one transaction.

    `rows`: the module's progress rows as the caller read them in this request
    (`module_rows`), so that the step's row is not read again. The objects written stay
    loaded after the commit: the page shown next reads them (and the learner) as they are,
    without reading them back.
    """
    existing = db.session.scalar(
        select(ProgressEvent).where(ProgressEvent.submission_key == submission_key)
    )
    if existing is not None:
        return _current(learner, module, step, outcome)
    now = utcnow()
    if rows is not None:
        row = rows.get(step.id)
    else:
        row = db.session.scalar(
            select(Progress).where(
                Progress.learner_id == learner.id,
                Progress.module_id == module.id,
                Progress.step_id == step.id,
            )
        )
    if row is None:
        row = Progress(
            learner_id=learner.id, module_id=module.id, step_id=step.id, started_at=now, tries=0
        )
        db.session.add(row)
    already_done = row.status is not None
    if not already_done:
        row.time_spent_seconds = (row.time_spent_seconds or 0) + max(
            0, min(seconds, MAX_STEP_SECONDS)
        )
        _count_answer(row, step, outcome)
        if not step.is_practice:
            row.value = outcome.value
        if row.status is not None:
            row.completed_at = now
        row.updated_at = now
    db.session.add(
        ProgressEvent(
            learner_id=learner.id,
            module_id=module.id,
            step_id=step.id,
            submission_key=submission_key,
            correct=outcome.correct,
            outcome=(
                "right" if outcome.correct else "wrong" if outcome.correct is False else "seen"
            ),
            created_at=now,
        )
    )
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False  # kept as written
    try:
        session.commit()
    except IntegrityError:
        # The same submission arrived twice at once: the other request recorded it.
        session.rollback()
        return _current(learner, module, step, outcome)
    finally:
        session.expire_on_commit = expire
    return StepResult(outcome=outcome, status=row.status, tries=row.tries)


def _current(learner: Learner, module: Module, step: StepBase, outcome: Outcome) -> StepResult:
    row = module_rows(learner, module).get(step.id)
    return StepResult(
        outcome=outcome,
        status=row.status if row else None,
        tries=row.tries if row else 0,
    )


def learner_summaries(learner: Learner, modules: Iterable[Module]) -> dict[str, ModuleSummary]:
    """Every module's summary for one learner, in one query (plain rows, as `module_states`)."""
    rows = db.session.execute(
        select(_progress.module_id, *_STATE_COLUMNS).where(_progress.learner_id == learner.id)
    )
    by_module: dict[str, list[StepState]] = {}
    for module_id, *state in rows:
        by_module.setdefault(module_id, []).append(StepState(*state))
    return {m.id: summarise(m, by_module.get(m.id, [])) for m in modules}


def overview_statement(
    learner_ids: list[int], modules: list[Module]
) -> Select[int, str, int, datetime]:
    """Steps done and last activity per learner × module, counting only the steps each
    module still has: answered from the index ix_progress_overview alone (models/learning.py,
    tests/perf/test_learner_query_budget.py).

    The steps are asked module by module (a module, and one of its steps), not as a list of
    (module, step) pairs: PostgreSQL tests a list of pairs as one condition per pair on every
    row (about 120 of them, 33 ms on 30,000 rows), and a module's steps as one hashed list
    (15 ms; docs/performance.md, "5 December, morning")."""
    return (
        select(
            Progress.learner_id,
            Progress.module_id,
            func.count(),
            func.max(Progress.updated_at),
        )
        .where(
            Progress.learner_id.in_(learner_ids),
            Progress.status.is_not(None),
            or_(
                *(
                    and_(Progress.module_id == m.id, Progress.step_id.in_(m.step_ids))
                    for m in modules
                )
            ),
        )
        .group_by(Progress.learner_id, Progress.module_id)
    )


def structure_overview(
    learner_ids: list[int], modules: list[Module]
) -> dict[tuple[int, str], ModuleSummary]:
    """(learner, module) → summary for many learners in one aggregated query."""
    if not learner_ids or not modules:
        return {}
    stmt = overview_statement(learner_ids, modules)
    totals = {m.id: len(m.steps) for m in modules}
    out: dict[tuple[int, str], ModuleSummary] = {}
    for learner_id, module_id, done, last in db.session.execute(stmt):
        total = totals[module_id]
        state = ModuleState.COMPLETED if done >= total else ModuleState.IN_PROGRESS
        if isinstance(last, datetime) and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)  # aggregates bypass the column type on SQLite
        out[(learner_id, module_id)] = ModuleSummary(module_id, state, done, total, last)
    return out


# --- "Refaire": a finished module done again, the first result kept --------------------


@dataclass(frozen=True)
class RetryResult:
    """One round of "Refaire": how far it went and how well, beside the first result."""

    round: int
    done: int
    total: int
    passed: int  # practice steps right without the answer shown
    practice: int

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def retry_rows(learner: Learner, module: Module, round_: int) -> dict[str, RetryProgress]:
    rows = db.session.scalars(
        select(RetryProgress).where(
            RetryProgress.learner_id == learner.id,
            RetryProgress.module_id == module.id,
            RetryProgress.round == round_,
        )
    )
    return {r.step_id: r for r in rows}


def _retry_result(module: Module, round_: int, rows: dict[str, RetryProgress]) -> RetryResult:
    current = set(module.step_ids)
    done = sum(1 for r in rows.values() if r.step_id in current and r.status is not None)
    passed = sum(
        1
        for s in module.steps
        if s.is_practice and (r := rows.get(s.id)) is not None and r.status == StepStatus.PASSED
    )
    practice = sum(1 for s in module.steps if s.is_practice)
    return RetryResult(round_, done, len(current), passed, practice)


def retries(learner: Learner, module: Module) -> list[RetryResult]:
    """Every round of "Refaire" of this module, oldest first, in one query."""
    rows = db.session.scalars(
        select(RetryProgress).where(
            RetryProgress.learner_id == learner.id, RetryProgress.module_id == module.id
        )
    )
    by_round: dict[int, dict[str, RetryProgress]] = {}
    for r in rows:
        by_round.setdefault(r.round, {})[r.step_id] = r
    return [_retry_result(module, n, by_round[n]) for n in sorted(by_round)]


def retries_by_module(learner: Learner, modules: Iterable[Module]) -> dict[str, list[RetryResult]]:
    """Every module's rounds of "Refaire" for one learner, in one query (the learner file)."""
    rows = db.session.scalars(select(RetryProgress).where(RetryProgress.learner_id == learner.id))
    grouped: dict[str, dict[int, dict[str, RetryProgress]]] = {}
    for r in rows:
        grouped.setdefault(r.module_id, {}).setdefault(r.round, {})[r.step_id] = r
    return {
        m.id: [_retry_result(m, n, grouped[m.id][n]) for n in sorted(grouped[m.id])]
        for m in modules
        if m.id in grouped
    }


def next_retry_round(learner: Learner, module: Module) -> int:
    """The number of a new round of "Refaire" (nothing is written until the first answer)."""
    top = db.session.scalar(
        select(func.max(RetryProgress.round)).where(
            RetryProgress.learner_id == learner.id, RetryProgress.module_id == module.id
        )
    )
    return (top or 0) + 1


def retry_reachable(module: Module, rows: dict[str, RetryProgress], step: StepBase) -> bool:
    """Like `reachable`, within one round of "Refaire"."""
    row = rows.get(step.id)
    if row is not None and row.status is not None:
        return True
    for s in module.steps:
        r = rows.get(s.id)
        if r is None or r.status is None:
            return s.id == step.id
    return False


def record_retry_answer(
    learner: Learner,
    module: Module,
    step: StepBase,
    outcome: Outcome,
    submission_key: str,
    round_: int,
) -> StepResult:
    """Record one answer of a round of "Refaire"; the first result (Progress, events) stays."""
    row = db.session.scalar(
        select(RetryProgress).where(
            RetryProgress.learner_id == learner.id,
            RetryProgress.module_id == module.id,
            RetryProgress.round == round_,
            RetryProgress.step_id == step.id,
        )
    )
    if row is None:
        row = RetryProgress(
            learner_id=learner.id, module_id=module.id, round=round_, step_id=step.id, tries=0
        )
        db.session.add(row)
    if row.last_key != submission_key and row.status is None:
        _count_answer(row, step, outcome)
        if not step.is_practice:
            row.value = outcome.value
        row.last_key = submission_key
        row.updated_at = utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # the same first answer arrived twice at once
        db.session.rollback()
        row = retry_rows(learner, module, round_)[step.id]
    return StepResult(outcome=outcome, status=row.status, tries=row.tries)
