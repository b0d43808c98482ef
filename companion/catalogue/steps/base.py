"""What every step type shares: its schema base, its hooks, the answer check and the outcome.

A step type is a pydantic model subclassing StepBase (or PracticeStep, for a step that is
right or wrong) with a `type: Literal["name"]` field, its `check()` and, when needed,
`view_context()` and `interact()`; plus the template `steps/<name>.html` and, optionally, a
script `static/js/steps/<name>.js` that only enhances it. A module of this package is found
by itself; a step type living elsewhere is registered with `register_step_type()` or the
`companion.step_types` entry point (docs/content.md). Nothing else needs to change: the
player, the offline list, the overlays, the follow-up, the statistics, the demo and the
easy-to-read check ask the step through the hooks below, never by its type's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field
from werkzeug.datastructures import MultiDict

STEP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

# The tries a practice step gives before showing the answer: the player, the progress rules
# and the offline script all read it from the step (PracticeStep.max_tries).
MAX_TRIES = 3

# Fields every step has that hold data, not words: an overlay may not give them.
BASE_DATA_FIELDS = frozenset({"id", "type", "pictogram"})

# How the offline script answers a step with no network (static/js/offline.js):
# "seen" queues the answer and goes on; "later" queues it and says the server will check it;
# "choose" and "type" check it on the device first, from the data in offline_attributes();
# "network" never keeps it on the device and asks for the network (what is typed is secret).
OfflineCheck = Literal["seen", "later", "choose", "type", "network"]


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
    # Wrong answers before the answer is shown (practice steps only).
    max_tries: ClassVar[int] = MAX_TRIES
    # A script in static/js/steps/ that enhances this step type, if any.
    script: ClassVar[str | None] = None
    # Where `steps/<name>.html` is, for a step type outside this package (None: the app's
    # own templates folder).
    templates_dir: ClassVar[Path | None] = None
    # A page of its own the step has besides the player (the summary's card to print),
    # shown at learner.summary_card and kept for offline use; None when it has none.
    card_template: ClassVar[str | None] = None
    # See OfflineCheck.
    offline_check: ClassVar[OfflineCheck] = "seen"
    # This type's fields (at any depth) that hold data, not words: ids of other things,
    # right answers, references, choices among fixed values. An overlay may not give them.
    data_fields: ClassVar[frozenset[str]] = frozenset()
    # Fields a translation overlay gives in a form of their own, merged by merge_overlay()
    # (the texts of a spreadsheet's grid, by cell name); the others follow overlay.py.
    overlay_fields: ClassVar[frozenset[str]] = frozenset()
    # A self-assessment (the confidence check) orders its answers from the least to the most
    # confident; the follow-up and the statistics compare the start and end answers.
    confidence_values: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def fixed_fields(cls) -> frozenset[str]:
        """The fields an overlay may not give: every step's and this type's data fields."""
        return BASE_DATA_FIELDS | cls.data_fields

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

    @property
    def confidence_moment(self) -> str | None:
        """ "start" or "end" for a self-assessment at that moment of the module, else None."""
        return None

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

    def offline_attributes(self) -> dict[str, str]:
        """The data-* attributes of the answer form: what the offline script needs to answer
        the step with no network (see OfflineCheck)."""
        return {"offline-check": self.offline_check}

    @classmethod
    def documents(cls) -> dict[str, Callable[[], Any]]:
        """JSON documents this type's script fetches, by name (the password lab's word
        lists): served at learner.step_document, cached by the browser for a day and kept
        on the device with the module for offline use. Nothing personal may be in them."""
        return {}

    def texts(self) -> list[str]:
        """Every learner-facing sentence of the step, for the easy-to-read check."""
        return [self.title]

    def screen_text(self) -> str | None:
        """The step's one long text, which must fit a phone screen (the easy-to-read check
        counts its words); None when the step has none."""
        return None

    def images(self) -> list[tuple[str, str]]:
        """(picture, text alternative) pairs shown by the step, for the content check."""
        return [(self.pictogram, self.pictogram_alt)]


class PracticeStep(StepBase):
    """A step that is right or wrong: a hint after a wrong answer, the explanation once it is
    right or after `max_tries` wrong answers (templates/macros/step_form.html shows them)."""

    hint: str = Field(min_length=1)
    explanation: str = Field(min_length=1)

    is_practice = True
    offline_check: ClassVar[OfflineCheck] = "later"

    def task_texts(self) -> list[str]:
        """What the learner reads before answering (the question, a field's label)."""
        return []

    def feedback_texts(self) -> list[str]:
        """The words shown about particular answers (feedback per option, per item…)."""
        return []

    def review_answers(self) -> list[str]:
        """The right answer in words, for the review of a finished module (the explanation
        follows it); empty when only the explanation can say it (a map, a spreadsheet)."""
        return []

    def texts(self) -> list[str]:
        return [
            self.title,
            *self.task_texts(),
            self.hint,
            self.explanation,
            *self.feedback_texts(),
        ]

    def offline_answer(self) -> dict[str, str]:
        """What the device compares an answer with when it checks it (offline_check
        "choose": `correct`, the right option ids; "type": `accepted`, a JSON list)."""
        return {}

    def offline_attributes(self) -> dict[str, str]:
        attributes = super().offline_attributes()
        if self.offline_check != "later":
            attributes.update(self.offline_answer())
            attributes.update(hint=self.hint, explanation=self.explanation)
        return attributes
