"""tap_targets: a round to tap that gets smaller, round after round (finger, mouse, keyboard).

The target is a real button: a finger taps it, a mouse clicks it, the keyboard reaches it with
Tab and presses it with Enter or Space. Without JavaScript each press posts the form (a button
`hit` whose value is the round): a press on a round before the last only shows the next round
(see interact()); the press on the last round is the answer. With static/js/steps/
tap_targets.js the rounds follow each other in the page and only the last press is sent.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import BadAnswer, Outcome, PracticeStep, StepContext

# The sizes a target may have, in CSS pixels (classes tap-target--s<size> in app.css). 24 is
# the smallest target the accessibility rules allow (WCAG 2.2, 2.5.8).
TargetSize = Literal[120, 96, 72, 56, 44, 32, 24]
# Where a round's target sits in its zone (classes tap-zone--p<n> in app.css).
PLACES = 6


class TapTargetsStep(PracticeStep):
    type: Literal["tap_targets"]
    question: str = Field(min_length=1)
    # What the button says to a screen reader and under its picture ("Le rond").
    target_label: str = Field(min_length=1, max_length=40)
    # One size per round, from the biggest to the smallest.
    sizes: list[TargetSize] = Field(min_length=2, max_length=6)

    script: ClassVar[str | None] = "tap_targets.js"
    data_fields: ClassVar[frozenset[str]] = frozenset({"sizes"})

    @model_validator(mode="after")
    def _sizes_get_smaller(self) -> Self:
        if any(b >= a for a, b in zip(self.sizes, self.sizes[1:], strict=False)):
            raise ValueError("each round's target must be smaller than the one before")
        return self

    @property
    def last_round(self) -> int:
        return len(self.sizes) - 1

    @property
    def places(self) -> tuple[int, ...]:
        """Where each round's target sits: never twice in a row at the same place, the same
        every time."""
        rng = random.Random(self.id)  # noqa: S311 - a stable layout, not a secret
        chosen: list[int] = []
        for _ in self.sizes:
            choices = [p for p in range(PLACES) if not chosen or p != chosen[-1]]
            chosen.append(rng.choice(choices))
        return tuple(chosen)

    def _posted_round(self, form: MultiDict[str, str]) -> int | None:
        hit = form.get("hit", "")
        if not hit.isdigit() or int(hit) > self.last_round:
            return None
        return int(hit)

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        return {"tap_round": 0}

    def interact(self, form: MultiDict[str, str], ctx: StepContext) -> dict[str, Any] | None:
        """A press on a round before the last: the next round, nothing recorded."""
        posted = self._posted_round(form)
        if posted is None or posted == self.last_round:
            return None
        return {"tap_round": posted + 1}

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        if self._posted_round(form) != self.last_round:
            raise BadAnswer("the answer is the press on the last round")
        return Outcome(correct=True)

    def task_texts(self) -> list[str]:
        return [self.question, self.target_label]
