"""summary: the card that ends a module, to print or keep (a few points to remember)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from companion.catalogue.steps.base import StepBase


class SummaryStep(StepBase):
    type: Literal["summary"]
    intro: str = Field(min_length=1)
    points: list[str] = Field(min_length=2, max_length=8)
    # Official names and numbers worth keeping (for example "17Cyber : 17cyber.gouv.fr").
    contacts: list[str] = Field(default_factory=list, max_length=8)

    card_template = "learner/summary_card.html"
    # The last step: the page after it (the module's end) needs the server, so an answer
    # with no network waits with the others instead of moving on.
    offline_check = "later"

    def texts(self) -> list[str]:
        return [self.title, self.intro, *self.points]
