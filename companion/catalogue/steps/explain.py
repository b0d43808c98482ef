"""explain: a short text with a pictogram and an example."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from companion.catalogue.password_examples import PasswordExample
from companion.catalogue.steps.base import StepBase


class ExplainStep(StepBase):
    type: Literal["explain"]
    text: str = Field(min_length=1)
    example: str | None = None
    # Passwords the text shows, with the verdict it gives them (checked by the lab's estimator).
    password_examples: list[PasswordExample] = Field(default_factory=list)

    # A translation gives its own example passwords, never another verdict.
    data_fields = frozenset({"verdict"})

    def texts(self) -> list[str]:
        return [self.title, self.text, *([self.example] if self.example else [])]

    def screen_text(self) -> str:
        return self.text
