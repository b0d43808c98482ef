"""The entry check "Par où commencer ?": levels per area, recommended modules, results kept.

The check is content (a module with `kind: check`, see catalogue/entry_check.py), played by
the ordinary step player. When a take ends (the first time, or a round of "Refaire"), the
answers become a level per area, stored once per take (EntryCheckResult). The first take is
the starting level; the latest later one is the level at the end of the path. `levels()` and
`recommend()` are pure functions: the rules, tested on fixed answers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.entry_check import SCREEN_BASICS, is_check
from companion.extensions import db
from companion.models import (
    EntryCheckResult,
    EntryCheckSkip,
    Learner,
    Progress,
    RetryProgress,
    StepStatus,
    utcnow,
)
from companion.services import progress


class Level(enum.StrEnum):
    TO_LEARN = "to_learn"  # à apprendre
    PARTIAL = "partial"  # en partie
    AT_EASE = "at_ease"  # à l'aise


# An answer's worth: right the first time 1, right later 0.5, answer shown 0; a
# self-assessment "Je sais faire" 1, "Un peu" 0.5, "Pas encore" 0.
CONFIDENCE_SCORE = {"yes": 1.0, "some": 0.5, "not_yet": 0.0}
AT_EASE_FROM = 0.75
PARTIAL_FROM = 0.25


@dataclass(frozen=True)
class Answer:
    """What the check keeps of one answered step (a Progress or RetryProgress row)."""

    status: str | None
    tries: int = 0
    value: str | None = None


def _score(answer: Answer, practice: bool) -> float | None:
    if answer.status is None:
        return None
    if not practice:
        return CONFIDENCE_SCORE.get(answer.value or "")
    if answer.status == "passed":
        return 1.0 if answer.tries <= 1 else 0.5
    return 0.0


def levels(check: Module, answers: Mapping[str, Answer]) -> dict[str, Level]:
    """The level in each area of the check, from the answers by step id (pure).

    An area's level is the mean worth of its answered steps; an area with no answer has
    no level.
    """
    scores: dict[str, list[float]] = {}
    for step in check.steps:
        area = check.meta.areas.get(step.id)
        answer = answers.get(step.id)
        if area is None or answer is None:
            continue
        score = _score(answer, step.is_practice)
        if score is not None:
            scores.setdefault(area, []).append(score)
    out: dict[str, Level] = {}
    for area, values in scores.items():
        mean = sum(values) / len(values)
        if mean >= AT_EASE_FROM:
            out[area] = Level.AT_EASE
        elif mean >= PARTIAL_FROM:
            out[area] = Level.PARTIAL
        else:
            out[area] = Level.TO_LEARN
    return out


def recommend(found: Mapping[str, Level], catalogue_ids: Sequence[str]) -> list[str]:
    """The modules to do, in order (pure): the screen basics first when the learner is not
    at ease with a screen, then the areas to learn, then the areas known in part, each in
    the catalogue's order. Only modules of `catalogue_ids` are given; nothing when the
    learner is at ease everywhere."""
    known = [m for m in catalogue_ids if m in found]
    out: list[str] = []
    if SCREEN_BASICS in known and found[SCREEN_BASICS] != Level.AT_EASE:
        out.append(SCREEN_BASICS)
    for level in (Level.TO_LEARN, Level.PARTIAL):
        out.extend(m for m in known if found[m] == level and m not in out)
    return out


# --- With the database ----------------------------------------------------------------------


def entry_check() -> Module | None:
    """The catalogue's entry check, in the current language (None when there is none)."""
    return next((m for m in catalogue.modules().values() if is_check(m)), None)


def learning_modules() -> list[Module]:
    """The modules to learn from, without the checks, in display order."""
    return [m for m in catalogue.modules().values() if not is_check(m)]


def _answers(rows: Iterable[Progress | RetryProgress]) -> dict[str, Answer]:
    return {r.step_id: Answer(r.status, r.tries or 0, r.value) for r in rows}


def record_take(learner: Learner, check: Module, round_: int = 0) -> EntryCheckResult | None:
    """Store the levels of a finished take (round 0: the first; n: round n of "Refaire").

    Called after each answer to a check; does nothing until every step is done, and keeps
    the first record of a take (a double submission stores it once).
    """
    rows: dict[str, Progress | RetryProgress]
    if round_ == 0:
        rows = dict(progress.module_rows(learner, check))
    else:
        rows = dict(progress.retry_rows(learner, check, round_))
    if any(rows.get(s.id) is None or rows[s.id].status is None for s in check.steps):
        return None
    existing = _take(learner, check, round_)
    if existing is not None:
        return existing
    result = EntryCheckResult(
        learner_id=learner.id,
        module_id=check.id,
        round=round_,
        levels={a: str(lv) for a, lv in levels(check, _answers(rows.values())).items()},
    )
    db.session.add(result)
    try:
        db.session.commit()
    except IntegrityError:  # the same last answer arrived twice at once
        db.session.rollback()
        return _take(learner, check, round_)
    return result


def _take(learner: Learner, check: Module, round_: int) -> EntryCheckResult | None:
    return db.session.scalar(
        select(EntryCheckResult).where(
            EntryCheckResult.learner_id == learner.id,
            EntryCheckResult.module_id == check.id,
            EntryCheckResult.round == round_,
        )
    )


@dataclass(frozen=True)
class Take:
    taken_at: datetime
    levels: dict[str, Level]


@dataclass(frozen=True)
class BeforeAfter:
    """The starting level (the first take) and, once taken again, the latest level."""

    before: Take
    after: Take | None

    @property
    def latest(self) -> Take:
        return self.after or self.before


def _as_take(result: EntryCheckResult) -> Take:
    found = {a: Level(v) for a, v in result.levels.items() if v in set(Level)}
    return Take(result.taken_at, found)


def _before_after(results: list[EntryCheckResult]) -> BeforeAfter | None:
    if not results:
        return None
    ordered = sorted(results, key=lambda r: (r.round, r.taken_at))
    after = _as_take(ordered[-1]) if len(ordered) > 1 else None
    return BeforeAfter(_as_take(ordered[0]), after)


def results_for(learner: Learner) -> BeforeAfter | None:
    """The learner's levels before and after, in one query (None: never taken)."""
    stmt = select(EntryCheckResult).where(EntryCheckResult.learner_id == learner.id)
    return _before_after(list(db.session.scalars(stmt)))


def results_by_learner(learner_ids: Sequence[int]) -> dict[int, BeforeAfter]:
    """Levels before and after for many learners, in one query (the export)."""
    if not learner_ids:
        return {}
    stmt = select(EntryCheckResult).where(EntryCheckResult.learner_id.in_(learner_ids))
    grouped: dict[int, list[EntryCheckResult]] = {}
    for r in db.session.scalars(stmt):
        grouped.setdefault(r.learner_id, []).append(r)
    return {i: ba for i, rs in grouped.items() if (ba := _before_after(rs)) is not None}


def recommended_modules(result: BeforeAfter | None) -> list[Module]:
    """The learner's recommended modules in order, from their latest take."""
    if result is None:
        return []
    modules = {m.id: m for m in learning_modules()}
    return [modules[i] for i in recommend(result.latest.levels, list(modules))]


def skip(learner: Learner) -> None:
    """ "Plus tard": the offer made at the first sign-in is not made again."""
    if db.session.get(EntryCheckSkip, learner.id) is None:
        db.session.add(EntryCheckSkip(learner_id=learner.id))
        try:
            db.session.commit()
        except IntegrityError:  # two taps at once
            db.session.rollback()


def offer_pending(learner: Learner, check: Module, started: bool) -> bool:
    """Whether the home offers the check: never started and never put off."""
    return not started and db.session.get(EntryCheckSkip, learner.id) is None


@dataclass(frozen=True)
class HomeCheck:
    """What the learner's home shows of the check."""

    module: Module
    completed: bool
    offer: bool  # the first sign-in offer: never started, never put off
    result: BeforeAfter | None
    recommended: list[Module]


def home_check(learner: Learner, check: Module, done_steps: int, completed: bool) -> HomeCheck:
    """The check's place on the home, from its progress summary (two small queries)."""
    result = results_for(learner)
    return HomeCheck(
        module=check,
        completed=completed,
        offer=result is None and offer_pending(learner, check, done_steps > 0),
        result=result,
        recommended=recommended_modules(result),
    )


def areas() -> list[str]:
    """The areas the entry check measures, in the order of its steps (empty: no check)."""
    check = entry_check()
    if check is None:
        return []
    return list(
        dict.fromkeys(check.meta.areas[s.id] for s in check.steps if s.id in check.meta.areas)
    )


# --- The demo -------------------------------------------------------------------------------

# How the demo's learners answered the check (step id → answer); a step not named is right
# the first time, or "Je sais faire". Amina has not taken it yet (the first sign-in offer).
DEMO_TAKES: dict[str, list[tuple[int, dict[str, Answer]]]] = {
    # Bruno: at ease with a phone, never used a mouse; fell for the fake parcel.
    "Bruno": [
        (
            5,
            {
                "mouse": Answer("seen", 0, "not_yet"),
                "scam-sms": Answer("helped", 3),
                "table-number": Answer("passed", 2),
            },
        )
    ],
    # Chloé: weak on passwords and tables at the start, better when she took it again.
    "Chloé": [
        (
            40,
            {
                "mouse": Answer("seen", 0, "some"),
                "password-place": Answer("helped", 3),
                "table-number": Answer("helped", 3),
                "map-place": Answer("passed", 2),
            },
        ),
        (1, {"table-number": Answer("passed", 2)}),
    ],
}


def give_demo(learners: Mapping[str, Learner]) -> None:
    """The demo's takes of the check, once (the caller commits)."""
    check = entry_check()
    if check is None:
        return
    for name, takes in DEMO_TAKES.items():
        learner = learners.get(name)
        if learner is None or results_for(learner) is not None:
            continue
        for round_, (days_ago, given) in enumerate(takes):
            at = utcnow() - timedelta(days=days_ago)
            answers = {s.id: given.get(s.id, _right(s.is_practice)) for s in check.steps}
            answers["welcome"] = Answer("seen")
            for step in check.steps:
                answer = answers[step.id]
                fields = {
                    "learner_id": learner.id,
                    "module_id": check.id,
                    "step_id": step.id,
                    "status": StepStatus(answer.status or StepStatus.SEEN),
                    "tries": answer.tries,
                    "value": answer.value,
                    "updated_at": at,
                }
                if round_ == 0:
                    db.session.add(Progress(**fields, started_at=at, completed_at=at))
                else:
                    db.session.add(RetryProgress(**fields, round=round_))
            found = levels(check, answers)
            db.session.add(
                EntryCheckResult(
                    learner_id=learner.id,
                    module_id=check.id,
                    round=round_,
                    taken_at=at,
                    levels={a: str(lv) for a, lv in found.items()},
                )
            )


def _right(practice: bool) -> Answer:
    return Answer("passed", 1) if practice else Answer("seen", 0, "yes")
