"""phone: a simulated phone whose messages the learner sorts and whose warning signs they spot.

Messages are written in steps.yaml. Each is cut into parts; a part with a `sign` is a
warning sign the learner may tick (plain checkboxes, so it works without JavaScript).
Links are inert text: nothing in a simulated message can be followed.
"""

from __future__ import annotations

from typing import Any, Literal, Self

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

Verdict = Literal["safe", "scam", "ask"]
VERDICTS: tuple[str, ...] = ("safe", "scam", "ask")


class MessagePart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1, max_length=300)
    # Shown as an inert link (a grey button that does nothing), never as <a href>.
    link: bool = False
    # Why this part is a warning sign; None for an ordinary part.
    sign: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    channel: Literal["sms", "mail"]
    sender: str = Field(min_length=1, max_length=80)
    time: str = Field(min_length=1, max_length=20)
    subject: str | None = None
    parts: list[MessagePart] = Field(min_length=1, max_length=8)
    verdict: Verdict
    # Other sorts that are also sensible (asking someone about a genuine message…).
    also: list[Verdict] = Field(default_factory=list)
    feedback: str = Field(min_length=1)

    @model_validator(mode="after")
    def _signs_fit_verdict(self) -> Self:
        signs = sum(p.sign is not None for p in self.parts)
        if self.verdict == "scam" and signs == 0:
            raise ValueError(f"message '{self.id}' is a scam but has no warning sign")
        return self

    @property
    def accepted(self) -> set[str]:
        # "Dans le doute, demandez à quelqu'un": the modules teach it, so asking is right for
        # any scam (its warning signs must still be ticked, so that asking everywhere with
        # nothing ticked does not pass the step blindly).
        doubt = {"ask"} if self.verdict == "scam" else set()
        return {self.verdict, *self.also, *doubt}

    @property
    def sign_indexes(self) -> set[int]:
        return {n for n, p in enumerate(self.parts) if p.sign is not None}


class PhoneStep(PracticeStep):
    type: Literal["phone"]
    intro: str = Field(min_length=1)
    messages: list[Message] = Field(min_length=2, max_length=8)

    script = "phone.js"
    data_fields = frozenset({"also", "channel", "time", "verdict"})

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [m.id for m in self.messages]
        if len(set(ids)) != len(ids):
            raise ValueError("two messages have the same id")
        return self

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        chosen: dict[str, str] = {}
        picked: dict[str, set[int]] = {}
        for message in self.messages:
            verdict = form.get(f"verdict-{message.id}")
            if verdict is not None and verdict not in VERDICTS:
                raise BadAnswer("unknown verdict")
            raw = form.getlist(f"signs-{message.id}")
            if any(not r.isdigit() or int(r) >= len(message.parts) for r in raw):
                raise BadAnswer("unknown part")
            picked[message.id] = {int(r) for r in raw}
            if verdict is not None:
                chosen[message.id] = verdict
        if len(chosen) < len(self.messages):
            raise EmptyAnswer("a message is not sorted")
        results: dict[str, dict[str, Any]] = {}
        for message in self.messages:
            marks = picked[message.id]
            verdict_ok = chosen[message.id] in message.accepted
            # Every ticked part must be a real sign; a scam needs at least one ticked.
            signs_ok = marks <= message.sign_indexes and (message.verdict != "scam" or bool(marks))
            results[message.id] = {
                "verdict": chosen[message.id],
                "verdict_ok": verdict_ok,
                "signs_ok": signs_ok,
                "picked": sorted(marks),
                "ok": verdict_ok and signs_ok,
            }
        return Outcome(
            correct=all(r["ok"] for r in results.values()),
            selected=tuple(f"{k}:{v['verdict']}" for k, v in results.items()),
            details={"messages": results},
        )

    def task_texts(self) -> list[str]:
        return [self.intro]

    def feedback_texts(self) -> list[str]:
        # The simulated messages imitate real scams on purpose (urgent tone, "cliquez"):
        # only the teaching text around them is held to the easy-to-read rules.
        out = []
        for message in self.messages:
            out.append(message.feedback)
            out.extend(p.sign for p in message.parts if p.sign)
        return out
