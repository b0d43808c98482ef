"""confidence: "Je sais faire / Un peu / Pas encore", at the start and end of a module."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import BadAnswer, EmptyAnswer, Outcome, StepBase, StepContext

# From the least to the most confident (the follow-up compares the start and end answers).
CONFIDENCE_VALUES = ("not_yet", "some", "yes")


class ConfidenceStep(StepBase):
    type: Literal["confidence"]
    moment: Literal["start", "end"]
    question: str = Field(min_length=1)

    data_fields = frozenset({"moment"})
    confidence_values = CONFIDENCE_VALUES

    @property
    def confidence_moment(self) -> str:
        return self.moment

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        value = form.get("confidence")
        if value is None:
            raise EmptyAnswer("no confidence chosen")
        if value not in CONFIDENCE_VALUES:
            raise BadAnswer("unknown confidence value")
        return Outcome(correct=None, value=value)

    def texts(self) -> list[str]:
        return [self.title, self.question]
