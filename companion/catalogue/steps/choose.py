"""choose: single or multiple choice, with feedback per option."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.password_examples import PasswordExample
from companion.catalogue.steps.base import (
    STEP_ID_PATTERN,
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = Field(min_length=1)
    # A picture beside the words, for people who read little (the entry check's answers);
    # the words say it all, so the picture has no text alternative of its own.
    pictogram: str | None = Field(default=None, min_length=1)


class ChooseStep(PracticeStep):
    type: Literal["choose"]
    question: str = Field(min_length=1)
    multiple: bool = False
    options: list[Option] = Field(min_length=2, max_length=8)
    # Passwords the options show, with the verdict the text gives them (see explain.py).
    password_examples: list[PasswordExample] = Field(default_factory=list)

    offline_check = "choose"
    data_fields = frozenset({"correct", "multiple", "verdict"})

    @model_validator(mode="after")
    def _options_make_sense(self) -> Self:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("two options have the same id")
        right = sum(o.correct for o in self.options)
        if right == 0:
            raise ValueError("no option is marked correct")
        if not self.multiple and right != 1:
            raise ValueError("a single choice needs exactly one correct option")
        return self

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        chosen = form.getlist("choice")
        known = {o.id for o in self.options}
        if not chosen:
            raise EmptyAnswer("no option chosen")
        if any(c not in known for c in chosen) or len(set(chosen)) != len(chosen):
            raise BadAnswer("unknown option")
        if not self.multiple and len(chosen) != 1:
            raise BadAnswer("only one option may be chosen")
        right = {o.id for o in self.options if o.correct}
        feedback = {o.id: o.feedback for o in self.options if o.id in chosen}
        return Outcome(correct=set(chosen) == right, feedback=feedback, selected=tuple(chosen))

    def offline_answer(self) -> dict[str, str]:
        return {"correct": " ".join(o.id for o in self.options if o.correct)}

    def review_answers(self) -> list[str]:
        return [o.text for o in self.options if o.correct]

    def task_texts(self) -> list[str]:
        return [self.question]

    def images(self) -> list[tuple[str, str]]:
        pictures = [(o.pictogram, o.text) for o in self.options if o.pictogram]
        return [*super().images(), *pictures]

    def feedback_texts(self) -> list[str]:
        return [t for o in self.options for t in (o.text, o.feedback)]
