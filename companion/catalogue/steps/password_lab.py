"""password_lab: type a password or a passphrase and see how long it would resist, and why.

The estimate is companion/catalogue/password_strength.py, the one estimator of the app (the
staff password rule and the content check use it too); static/js/steps/password_lab.js is a
line-by-line port of it. What the learner types is never stored, logged, echoed back nor
kept in the Outcome: only `correct` is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import Field
from werkzeug.datastructures import MultiDict

from companion.catalogue import password_strength
from companion.catalogue.password_strength import (
    TARGET_BITS,
    draw_words,
    estimate,
    lists,
    lists_document,
    make_example,
    reasons,
)
from companion.catalogue.steps.base import (
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)

FIELD = "lab_text"

__all__ = [
    "FIELD",
    "TARGET_BITS",
    "PasswordLabStep",
    "draw_words",
    "estimate",
    "lists",
    "lists_document",
    "personal_words",
]


# A number that gettext puts in the same plural form as every number of each CLDR category
# (the categories the script's Intl.PluralRules gives), in French, English and Arabic.
PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def plural_samples() -> list[tuple[str, int]]:
    """(category, sample number) for each plural category of the page's language: the lab
    writes each text once per category for its script."""
    from flask_babel import get_locale

    locale = get_locale()
    tags = set(locale.plural_form.tags) if locale is not None else set()
    return [(tag, n) for tag, n in PLURAL_SAMPLES.items() if tag in tags or tag == "other"]


def personal_words(ctx: StepContext) -> frozenset[str]:
    """The learner's first name and the words of their structure's name, folded."""
    return password_strength.personal_words(ctx.first_name, ctx.structure_name)


class PasswordLabStep(PracticeStep):
    """The learner makes a password (or a passphrase) that reaches the CNIL target."""

    type: Literal["password_lab"]
    mode: Literal["password", "passphrase"] = "password"
    question: str = Field(min_length=1)
    label: str = Field(min_length=1)

    script = "password_lab.js"
    data_fields = frozenset({"mode"})
    # Never queued on the device: what is typed must not stay there, even for a while.
    offline_check = "network"

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        text = form.get(FIELD)
        if text is None:
            raise BadAnswer("no lab field")
        if not text.strip():
            raise EmptyAnswer("nothing typed")
        result = estimate(text, personal_words(ctx))
        # After three tries the page shows a password that reaches the target, with its own
        # analysis: drawn afresh, so that nobody takes one shown example for a real account.
        example = make_example(self.mode)
        shown = estimate(example)
        # Never pass the text on: not in `typed`, not in `value`, not in details.
        return Outcome(
            correct=result.strong,
            details={
                "estimate": result,
                "reasons": reasons(result, self.mode),
                "example": example,
                "example_estimate": shown,
                "example_reasons": reasons(shown, self.mode),
            },
        )

    def interact(self, form: MultiDict[str, str], ctx: StepContext) -> dict[str, Any] | None:
        if form.get("action") != "draw":
            return None
        if self.mode != "passphrase":
            raise BadAnswer("nothing to draw here")
        return {"drawn": draw_words()}

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        # The word lists are one cached file (see documents()), not page weight.
        return {
            "lab": {
                "personal": " ".join(sorted(personal_words(ctx))),
                "target": TARGET_BITS,
                "plurals": plural_samples(),
            }
        }

    @classmethod
    def documents(cls) -> dict[str, Callable[[], Any]]:
        # One cached file rather than page weight; without it, no measure offline.
        return {"lists": lists_document}

    def task_texts(self) -> list[str]:
        return [self.question, self.label]
