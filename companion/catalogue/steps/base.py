"""What every step type shares: its schema base, the answer check and the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field
from werkzeug.datastructures import MultiDict

STEP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


class BadAnswer(ValueError):
    """The posted form does not fit the step (tampered or stale): answered with 400."""


class EmptyAnswer(ValueError):
    """The learner sent the form without answering: asked again, kindly."""


@dataclass(frozen=True)
class Outcome:
    """The result of checking one answer.

    correct is None for steps that are not right or wrong (explanations, confidence).
    """

    correct: bool | None
    value: str | None = None
    # Per-choice feedback the learner sees, keyed by option id.
    feedback: dict[str, str] = field(default_factory=dict)
    selected: tuple[str, ...] = ()
    typed: str = ""


class StepBase(BaseModel):
    """Fields every step has. A step type subclasses it and sets `type` and `template`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    title: str = Field(min_length=1, max_length=120)
    pictogram: str = Field(min_length=1)
    pictogram_alt: str = Field(min_length=1, max_length=160)

    template: ClassVar[str]
    # Practice steps are checked and may be retried; the others are simply seen.
    is_practice: ClassVar[bool] = False

    def check(self, form: MultiDict[str, str]) -> Outcome:
        """Check the posted answer; raise BadAnswer when the form does not fit the step."""
        return Outcome(correct=None)

    def texts(self) -> list[str]:
        """Every learner-facing sentence of the step, for the easy-to-read check."""
        return [self.title]
