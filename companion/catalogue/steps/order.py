"""order: put actions in the right order, with move buttons that work without JavaScript.

The list travels in the form as hidden `order` fields, one per item in its current place. A
post with a `move` button ("up:<item id>" or "down:<item id>") only re-renders the list in its
new order (see interact()); a post without one is an answer to check.
"""

from __future__ import annotations

import random
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import (
    STEP_ID_PATTERN,
    BadAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)

MOVES = ("up", "down")


class OrderItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    text: str = Field(min_length=1)
    # Shown when the learner puts this item in the wrong place (a hint, not the answer).
    feedback: str | None = Field(default=None, min_length=1)


class OrderStep(PracticeStep):
    type: Literal["order"]
    question: str = Field(min_length=1)
    # The items in the RIGHT order; the learner first sees them mixed (see start_order).
    items: list[OrderItem] = Field(min_length=2, max_length=8)

    script = "order.js"

    @model_validator(mode="after")
    def _items_make_sense(self) -> Self:
        ids = [i.id for i in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"two items have the same id: {', '.join(duplicates)}")
        texts = [i.text.strip() for i in self.items]
        if len(set(texts)) != len(texts):
            raise ValueError("two items have the same text: the learner cannot tell them apart")
        return self

    @property
    def right_order(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @property
    def start_order(self) -> tuple[str, ...]:
        """The mixed order the learner starts from: never the right one, the same every time."""
        ids = list(self.right_order)
        rng = random.Random(self.id)  # noqa: S311 - a stable shuffle, not a secret
        while tuple(ids) == self.right_order:
            rng.shuffle(ids)
        return tuple(ids)

    def items_in(self, ids: tuple[str, ...] | list[str]) -> list[OrderItem]:
        by_id = {i.id: i for i in self.items}
        return [by_id[i] for i in ids]

    def _posted_order(self, form: MultiDict[str, str]) -> tuple[str, ...]:
        """The order in the form; BadAnswer unless it holds every item exactly once."""
        posted = tuple(form.getlist("order"))
        if len(posted) != len(self.items) or set(posted) != set(self.right_order):
            raise BadAnswer("the order does not hold each item of the step exactly once")
        return posted

    def interact(self, form: MultiDict[str, str], ctx: StepContext) -> dict[str, Any] | None:
        """A move button: the list in its new order, nothing recorded.

        A move that does not fit the step returns None, so check() refuses the post (400).
        """
        move = form.get("move")
        if move is None:
            return None
        direction, _sep, item_id = move.partition(":")
        try:
            ids = list(self._posted_order(form))
        except BadAnswer:
            return None
        if direction not in MOVES or item_id not in ids:
            return None
        place = ids.index(item_id)
        target = place - 1 if direction == "up" else place + 1
        if 0 <= target < len(ids):
            ids[place], ids[target] = ids[target], ids[place]
        return {"order_ids": tuple(ids), "moved": item_id, "moved_direction": direction}

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        return {"order_ids": self.start_order, "moved": None, "moved_direction": None}

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        if "move" in form:
            raise BadAnswer("unknown move")
        posted = self._posted_order(form)
        misplaced = [i for i, right in zip(posted, self.right_order, strict=True) if i != right]
        feedback = {i.id: i.feedback or "" for i in self.items if i.id in misplaced and i.feedback}
        return Outcome(
            correct=not misplaced,
            selected=posted,
            feedback=feedback,
            details={"misplaced": tuple(misplaced)},
        )

    def task_texts(self) -> list[str]:
        return [self.question]

    def feedback_texts(self) -> list[str]:
        return [t for i in self.items for t in (i.text, i.feedback) if t]
