"""drag_to_place: drag each item to its place, or choose its place in a list.

The answer form is a list for each item (`place-<item id>`: the id of the chosen place): it
works with the keyboard, a screen reader and without JavaScript, and it is always on the page.
static/js/steps/drag_to_place.js adds a board where a finger or a mouse drags the items
(pointer events); a drop only sets the item's list, and "Je vérifie" sends the form.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import (
    STEP_ID_PATTERN,
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)


class DragPlace(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    text: str = Field(min_length=1, max_length=60)
    pictogram: str = Field(min_length=1)


class DragItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    text: str = Field(min_length=1, max_length=60)
    pictogram: str = Field(min_length=1)
    # The id of the item's right place.
    place: str = Field(pattern=STEP_ID_PATTERN)
    # Shown when the learner puts this item in a wrong place (a hint, not the answer).
    feedback: str | None = Field(default=None, min_length=1)


class DragToPlaceStep(PracticeStep):
    type: Literal["drag_to_place"]
    question: str = Field(min_length=1)
    items: list[DragItem] = Field(min_length=1, max_length=4)
    places: list[DragPlace] = Field(min_length=2, max_length=4)

    script: ClassVar[str | None] = "drag_to_place.js"
    data_fields: ClassVar[frozenset[str]] = frozenset({"place"})

    @model_validator(mode="after")
    def _places_make_sense(self) -> Self:
        ids = [i.id for i in self.items] + [p.id for p in self.places]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"two items or places have the same id: {', '.join(duplicates)}")
        places = {p.id for p in self.places}
        unknown = sorted({i.place for i in self.items} - places)
        if unknown:
            raise ValueError(f"an item's place is not among the places: {', '.join(unknown)}")
        return self

    def place_text(self, place_id: str) -> str:
        return next(p.text for p in self.places if p.id == place_id)

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        places = {p.id for p in self.places}
        posted: dict[str, str] = {}
        for item in self.items:
            value = form.get(f"place-{item.id}")
            if value is None:
                raise BadAnswer(f"no place for item {item.id}")
            if value and value not in places:
                raise BadAnswer(f"unknown place {value!r}")
            posted[item.id] = value
        if not any(posted.values()):
            raise EmptyAnswer("no item was placed")
        misplaced = tuple(i.id for i in self.items if posted[i.id] != i.place)
        feedback = {
            i.id: i.feedback for i in self.items if i.id in misplaced and i.feedback is not None
        }
        return Outcome(
            correct=not misplaced,
            selected=tuple(f"{i}:{p}" for i, p in posted.items()),
            feedback=feedback,
            details={"misplaced": misplaced, "placed": posted},
        )

    def task_texts(self) -> list[str]:
        return [self.question, *(i.text for i in self.items), *(p.text for p in self.places)]

    def feedback_texts(self) -> list[str]:
        return [i.feedback for i in self.items if i.feedback]

    def review_answers(self) -> list[str]:
        return [f"{i.text} → {self.place_text(i.place)}" for i in self.items]

    def images(self) -> list[tuple[str, str]]:
        return [
            *super().images(),
            *((i.pictogram, i.text) for i in self.items),
            *((p.pictogram, p.text) for p in self.places),
        ]
