"""spot: find the traps in a simulated message (a mail, an SMS, a web page).

The message is cut into segments: its sender (or the page's address), its subject (or the
page's title) and the parts of its body. Some segments are traps, each with an explanation.
The learner ticks the parts that look suspicious; each segment is a checkbox, so the step
works without JavaScript.
"""

from __future__ import annotations

from typing import Literal, Self

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


class Segment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    text: str = Field(min_length=1, max_length=400)
    trap: bool = False
    # Why a trap is a trap: shown when it is found, and with the answer.
    explanation: str | None = Field(default=None, min_length=1)
    # For a harmless segment the learner ticked: why it is normal.
    feedback: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _traps_are_explained(self) -> Self:
        if self.trap and self.explanation is None:
            raise ValueError(f"trap '{self.id}' has no explanation")
        if not self.trap and self.explanation is not None:
            raise ValueError(
                f"segment '{self.id}' has an explanation but is not a trap "
                "(use 'feedback' for a harmless part)"
            )
        return self


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["mail", "sms", "web"]
    # A mail's or SMS's sender; a web page's address.
    sender: Segment
    # A mail's subject or a web page's title; an SMS has none.
    subject: Segment | None = None
    body: list[Segment] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _subject_fits_kind(self) -> Self:
        if self.kind == "sms" and self.subject is not None:
            raise ValueError("an SMS has no subject")
        return self

    @property
    def segments(self) -> list[Segment]:
        return [self.sender, *([self.subject] if self.subject else []), *self.body]


class SpotStep(PracticeStep):
    type: Literal["spot"]
    question: str = Field(min_length=1)
    message: Message

    script = "spot.js"

    @model_validator(mode="after")
    def _segments_make_sense(self) -> Self:
        ids = [s.id for s in self.message.segments]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"two segments have the same id: {', '.join(duplicates)}")
        if not any(s.trap for s in self.message.segments):
            raise ValueError("the message has no trap: mark at least one segment 'trap: true'")
        if all(s.trap for s in self.message.segments):
            raise ValueError("every segment is a trap: keep at least one harmless part")
        return self

    @property
    def traps(self) -> list[Segment]:
        return [s for s in self.message.segments if s.trap]

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        chosen = form.getlist("part")
        known = {s.id for s in self.message.segments}
        if any(c not in known for c in chosen) or len(set(chosen)) != len(chosen):
            raise BadAnswer("unknown segment")
        if not chosen:
            raise EmptyAnswer("no segment chosen")
        traps = {s.id for s in self.traps}
        found = [s.id for s in self.traps if s.id in chosen]
        missed = [s.id for s in self.traps if s.id not in chosen]
        harmless = [s.id for s in self.message.segments if s.id in chosen and s.id not in traps]
        feedback = {
            s.id: (s.explanation if s.trap else s.feedback) or ""
            for s in self.message.segments
            if s.id in chosen
        }
        return Outcome(
            correct=set(chosen) == traps,
            selected=tuple(chosen),
            feedback=feedback,
            details={"found": tuple(found), "missed": tuple(missed), "harmless": tuple(harmless)},
        )

    def task_texts(self) -> list[str]:
        return [self.question]

    def feedback_texts(self) -> list[str]:
        # The message itself imitates a scam on purpose: only the step's own words are checked.
        return [t for s in self.message.segments for t in (s.explanation, s.feedback) if t]
