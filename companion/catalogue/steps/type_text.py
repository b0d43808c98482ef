"""type_text: type a given text exactly, with its capitals, accents, `@` and digits.

This is not the `type` step: `type` checks an answer to a question and forgives capitals and
accents on purpose (companion/catalogue/steps/type_answer.py); here the keyboard itself is
what is learnt, so every sign counts and the check says, in easy words, what differs (a
missing accent, a capital, the `@`, a digit, a space, a letter). Spaces before and after and
doubled spaces do not count. `start` puts a text with a mistake in the field, to practise
erasing. Works without JavaScript (a plain form); offline, the server checks it later.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar, Literal

from pydantic import Field
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import (
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)

MAX_TYPED = 200
_DIGITS = re.compile(r"[0-9]")


def bare(char: str) -> str:
    """A letter without its accent: "é" is "e", "Ç" is "C"."""
    return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))


def tidy(text: str) -> str:
    """One space between words, none before or after, accents as single signs (NFC)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _letter_marks(typed: str, expected: str) -> dict[str, list[str]]:
    """Letter by letter, for texts of the same length: the accents and capitals that differ."""
    marks: dict[str, list[str]] = {"accents": [], "capitals": [], "small": [], "letters": []}
    for got, want in zip(typed, expected, strict=True):
        if got == want or (got.isdigit() and want.isdigit()) or want == "@":
            continue  # digits and the @ have their own message
        if bare(got).casefold() != bare(want).casefold():
            marks["letters"].append(want)
            continue
        if got.lower() != want.lower():
            marks["accents"].append(want.lower())
        if got.isupper() != want.isupper():
            marks["capitals" if want.isupper() else "small"].append(want)
    return marks


def _signs(got: str, want: str) -> list[tuple[str, str]]:
    """The @ and the digits: what is missing or different."""
    found: list[tuple[str, str]] = []
    if "@" in want and "@" not in got:
        found.append(("at", "@"))
    if _DIGITS.findall(got) != _DIGITS.findall(want):
        found.append(("digits", " ".join(re.findall(r"[0-9]+", want))))
    return found


def _length(got: str, want: str) -> tuple[str, str]:
    """Signs missing, too many or different, with the start that is right."""
    same = 0
    while same < min(len(got), len(want)) and got[same] == want[same]:
        same += 1
    if len(got) < len(want):
        return ("shorter", want[:same])
    if len(got) > len(want):
        return ("longer", want[:same])
    return ("letters", want[:same])


def differences(typed: str, expected: str) -> list[tuple[str, str]]:
    """What differs between the typed text and the expected one, as (kind, detail) pairs:
    "at" (the @ is missing), "digits" (the numbers differ, detail: the right ones), "spaces",
    "accents", "capitals", "small" (a capital that should not be one), "letters" (detail: the
    start that is right), "shorter", "longer". Empty when they are the same."""
    got, want = tidy(typed), tidy(expected)
    if got == want:
        return []
    found = _signs(got, want)
    if got.replace(" ", "") == want.replace(" ", ""):
        return [*found, ("spaces", "")]
    if len(got) == len(want):
        marks = _letter_marks(got, want)
        found += [
            (k, " ".join(dict.fromkeys(marks[k])))
            for k in ("accents", "capitals", "small")
            if marks[k]
        ]
        if not marks["letters"]:
            return found
    return [*found, _length(got, want)]


class TypeTextStep(PracticeStep):
    type: Literal["type_text"]
    question: str = Field(min_length=1)
    label: str = Field(min_length=1)
    # The text to type, exactly (the same in every language: it is what the keyboard types).
    expected: str = Field(min_length=1, max_length=80)
    # A text already in the field, with a mistake to erase ("" for an empty field).
    start: str = Field(default="", max_length=80)

    data_fields: ClassVar[frozenset[str]] = frozenset({"expected", "start"})

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        typed = form.get("answer")
        if typed is None:
            raise BadAnswer("no answer field")
        typed = typed[:MAX_TYPED]
        if not typed.strip():
            raise EmptyAnswer("nothing typed")
        found = differences(typed, self.expected)
        details: dict[str, Any] = {"differences": tuple(found)}
        return Outcome(correct=not found, typed=typed, details=details)

    def task_texts(self) -> list[str]:
        return [self.question, self.label]

    def review_answers(self) -> list[str]:
        return [self.expected]
