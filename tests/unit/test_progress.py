"""Progress rules: tries, help after three, idempotent answers, and content edits."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from companion.catalogue import Module
from companion.catalogue.schema import ModuleMeta
from companion.catalogue.steps import STEP_TYPES, Outcome, StepBase
from companion.extensions import db
from companion.models import Learner, Progress
from companion.services import progress
from companion.services.progress import ModuleState


def _step(step_id: str, kind: str = "explain") -> StepBase:
    data: dict[str, Any] = {
        "id": step_id,
        "type": kind,
        "title": step_id,
        "pictogram": "lock",
        "pictogram_alt": "Un cadenas",
    }
    if kind == "explain":
        data["text"] = "Un texte."
    else:
        data.update(
            question="Laquelle ?",
            hint="Un indice.",
            explanation="Une explication.",
            options=[
                {"id": "yes", "text": "Oui", "correct": True, "feedback": "Bien."},
                {"id": "no", "text": "Non", "feedback": "Non."},
            ],
        )
    return STEP_TYPES[kind].model_validate(data)


def _module(version: int, *step_ids: str, module_id: str = "essai") -> Module:
    meta = ModuleMeta.model_validate(
        {
            "id": module_id,
            "version": version,
            "title": "Essai",
            "summary": "Un module d'essai.",
            "minutes": 5,
            "level": 1,
            "pictogram": "lock",
            "pictogram_alt": "Un cadenas",
            "competences": {"digcomp": ["4.1"]},
        }
    )
    return Module(
        meta=meta,
        steps=tuple(_step(s, "choose" if s.startswith("q") else "explain") for s in step_ids),
    )


@pytest.fixture
def learners(ctx: None) -> list[Learner]:
    return list(db.session.scalars(select(Learner).order_by(Learner.id)))


RIGHT = Outcome(correct=True, selected=("yes",))
WRONG = Outcome(correct=False, selected=("no",))
SEEN = Outcome(correct=None)


def _answer(learner: Learner, module: Module, step_id: str, outcome: Outcome, key: str) -> Any:
    step = module.step(step_id)
    assert step is not None
    return progress.record_answer(learner, module, step, outcome, key * 3, 30)


def test_help_after_three_wrong_tries(learners: list[Learner]) -> None:
    module = _module(1, "intro", "q1")
    amina = learners[0]
    _answer(amina, module, "intro", SEEN, "k-intro-a")
    assert _answer(amina, module, "q1", WRONG, "k-q1-1").status is None
    assert _answer(amina, module, "q1", WRONG, "k-q1-2").status is None
    third = _answer(amina, module, "q1", WRONG, "k-q1-3")
    assert third.status == "helped"
    assert third.tries == 3
    assert progress.summarise(module, progress.module_rows(amina, module).values()).state == (
        ModuleState.COMPLETED
    )


def test_a_right_answer_after_completion_does_not_change_status(learners: list[Learner]) -> None:
    module = _module(1, "q1")
    amina = learners[0]
    _answer(amina, module, "q1", RIGHT, "k-first")
    again = _answer(amina, module, "q1", WRONG, "k-again")
    assert again.status == "passed"
    assert again.tries == 1


def test_same_submission_key_counts_once(learners: list[Learner]) -> None:
    module = _module(1, "q1")
    amina = learners[0]
    _answer(amina, module, "q1", WRONG, "k-double")
    result = _answer(amina, module, "q1", WRONG, "k-double")
    assert result.tries == 1


def test_time_spent_is_bounded(learners: list[Learner]) -> None:
    module = _module(1, "intro")
    amina = learners[0]
    step = module.step("intro")
    assert step is not None
    progress.record_answer(amina, module, step, SEEN, "k-long-time-key", 99_999)
    row = progress.module_rows(amina, module)["intro"]
    assert row.time_spent_seconds == progress.MAX_STEP_SECONDS


def test_content_edits_keep_progress(learners: list[Learner]) -> None:
    """Version 2 removes a step, reorders two and adds one: nothing done is lost."""
    v1 = _module(1, "intro", "q1", "q2", "outro")
    v2 = _module(2, "q2", "q1", "new-step", "outro")
    amina, bruno = learners[0], learners[1]
    for step_id in ("intro", "q1"):
        _answer(amina, v1, step_id, RIGHT if step_id == "q1" else SEEN, f"a-{step_id}-v1")
    for step_id in ("intro", "q1", "q2", "outro"):
        _answer(bruno, v1, step_id, RIGHT if step_id.startswith("q") else SEEN, f"b-{step_id}-v1")

    a_v2 = progress.module_rows(amina, v2)
    assert progress.summarise(v2, a_v2.values()).done == 1  # q1 only; intro is gone
    resume = progress.resume_step(v2, a_v2)
    assert resume is not None
    assert resume.id == "q2"  # first unfinished step in the new order

    b_v2 = progress.module_rows(bruno, v2)
    summary = progress.summarise(v2, b_v2.values())
    assert summary.state == ModuleState.IN_PROGRESS  # the new step is still to do
    assert (summary.done, summary.total) == (3, 4)
    new_step = progress.resume_step(v2, b_v2)
    assert new_step is not None
    assert new_step.id == "new-step"

    overview = progress.structure_overview([amina.id, bruno.id], [v2])
    assert overview[(bruno.id, "essai")].done == 3
    assert overview[(amina.id, "essai")].done == 1

    # Going back to version 1 finds everything as it was: no row was deleted or changed.
    assert progress.summarise(v1, progress.module_rows(bruno, v1).values()).state == (
        ModuleState.COMPLETED
    )
    intro = db.session.scalar(
        select(Progress).where(Progress.learner_id == amina.id, Progress.step_id == "intro")
    )
    assert intro is not None
    assert intro.status == "seen"


def test_the_overview_counts_each_modules_own_steps_only(learners: list[Learner]) -> None:
    """A step that a module no longer has does not count for it, even when another module
    has a step of that name (the overview asks module by module, not for every step id)."""
    v1 = _module(1, "intro", "extra")
    v2 = _module(2, "intro")
    other = _module(1, "extra", "q1", module_id="autre")
    amina = learners[0]
    _answer(amina, v1, "intro", SEEN, "m-intro")
    _answer(amina, v1, "extra", SEEN, "m-extra")
    _answer(amina, other, "q1", RIGHT, "m-other-q1")
    overview = progress.structure_overview([amina.id], [v2, other])
    assert (overview[(amina.id, "essai")].done, overview[(amina.id, "essai")].total) == (1, 1)
    assert overview[(amina.id, "essai")].state == ModuleState.COMPLETED
    assert (overview[(amina.id, "autre")].done, overview[(amina.id, "autre")].total) == (1, 2)


def test_reachable_steps(learners: list[Learner]) -> None:
    module = _module(1, "intro", "q1", "q2")
    amina = learners[0]
    rows = progress.module_rows(amina, module)
    steps = {s.id: s for s in module.steps}
    assert progress.reachable(module, rows, steps["intro"])
    assert not progress.reachable(module, rows, steps["q1"])
    _answer(amina, module, "intro", SEEN, "k-reach")
    rows = progress.module_rows(amina, module)
    assert progress.reachable(module, rows, steps["intro"])
    assert progress.reachable(module, rows, steps["q1"])
    assert not progress.reachable(module, rows, steps["q2"])
