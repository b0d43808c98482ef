"""What every step type shares: its schema base, the answer check and the outcome.

A step type is one module in this package: a pydantic model subclassing StepBase with a
`type: Literal["name"]` field, its `check()` and, when needed, `view_context()` and
`interact()`; plus the template `templates/steps/<name>.html` and, optionally, a script
`static/js/steps/<name>.js` that only enhances it. Nothing else needs to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from werkzeug.datastructures import MultiDict

STEP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"


class BadAnswer(ValueError):
    """The posted form does not fit the step (tampered or stale): answered with 400."""


class EmptyAnswer(ValueError):
    """The learner sent the form without answering: asked again, kindly."""


@dataclass(frozen=True)
class StepContext:
    """What a check or a view may know about who is answering (never stored by the step)."""

    first_name: str = ""
    structure_name: str = ""


@dataclass(frozen=True)
class Outcome:
    """The result of checking one answer.

    correct is None for steps that are not right or wrong (explanations, confidence).
    Nothing in an Outcome is stored except `correct` and `value`: the rest is for display.
    """

    correct: bool | None
    value: str | None = None
    # Per-choice feedback the learner sees, keyed by option id.
    feedback: dict[str, str] = field(default_factory=dict)
    selected: tuple[str, ...] = ()
    typed: str = ""
    # Anything else a step type's template shows after checking (an analysis, cell errors…).
    details: dict[str, Any] = field(default_factory=dict)


class StepBase(BaseModel):
    """Fields every step has. A step type subclasses it and adds `type` and its own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    title: str = Field(min_length=1, max_length=120)
    pictogram: str = Field(min_length=1)
    pictogram_alt: str = Field(min_length=1, max_length=160)

    # Practice steps are checked and may be retried; the others are simply seen.
    is_practice: ClassVar[bool] = False
    # A script in static/js/steps/ that enhances this step type, if any.
    script: ClassVar[str | None] = None
    # Fields a translation overlay gives in a form of their own, merged by merge_overlay()
    # (the texts of a spreadsheet's grid, by cell name); the others follow overlay.py.
    overlay_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def merge_overlay(
        cls, raw: dict[str, Any], name: str, value: Any, where: str, errors: list[str]
    ) -> dict[str, Any]:
        """The step's French fields `raw` with the overlay's `value` of field `name` in place;
        each problem goes to errors, with its place `where`."""
        errors.append(f"{where}: this field is not text and is not translated")
        return raw

    @classmethod
    def overlay_missing(cls, raw: dict[str, Any], name: str, value: Any, where: str) -> list[str]:
        """The texts of field `name` that the overlay's `value` does not give."""
        return []

    @property
    def type_name(self) -> str:
        value: str = getattr(self, "type")  # noqa: B009 - every subclass declares it
        return value

    @property
    def template(self) -> str:
        return f"steps/{self.type_name}.html"

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        """Check the posted answer; raise BadAnswer when the form does not fit the step."""
        return Outcome(correct=None)

    def interact(self, form: MultiDict[str, str], ctx: StepContext) -> dict[str, Any] | None:
        """Handle a post that is not an answer (a move button, a search in a simulation).

        Return extra template context to show the step again without recording anything,
        or None when the post is an answer to check.
        """
        return None

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        """Extra template context for showing the step (query arguments such as filters)."""
        return {}

    def texts(self) -> list[str]:
        """Every learner-facing sentence of the step, for the easy-to-read check."""
        return [self.title]

    def images(self) -> list[tuple[str, str]]:
        """(picture, text alternative) pairs shown by the step, for the content check."""
        return [(self.pictogram, self.pictogram_alt)]
