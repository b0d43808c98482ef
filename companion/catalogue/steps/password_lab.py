"""password_lab: type a password or a passphrase and see how long it would resist, and why.

The estimate is `estimate()`; static/js/steps/password_lab.js is a line-by-line port of it
(tests/unit/test_password_lab.py runs both on the same samples). What the learner types is
never stored, logged, echoed back nor kept in the Outcome: only `correct` is recorded.

Costs are counted in hundredths of a bit (integers) so that Python and JavaScript add exactly
the same numbers; only log2 of small integers is ever computed, then rounded.
"""

from __future__ import annotations

import itertools
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import (
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)

DATA = Path(__file__).resolve().parent.parent / "data"
FIELD = "lab_text"
MAX_CHARS = 100  # what is looked at; the rest of a very long text is ignored
MAX_TOKEN = 32  # longest word or leaked password searched for
TARGET_BITS = 80  # CNIL, délibération 2022-100: a password that is the only protection
GUESSES_PER_SECOND = 1e10  # a thief with a strong computer, on a fast hash
# CNIL's counting: 26 small letters, 26 capitals, 10 digits, at least 37 special characters.
POOLS = {"lower": 26, "upper": 26, "digit": 10, "other": 37}
KINDS = ("lower", "upper", "digit", "other")
SEPARATORS = " -_."
_FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ"
_FOLD_TO = "abcdefghijklmnopqrstuvwxyzaaaceeeeiioouuuyaaaceeeeiioouuuy"
FOLD = dict(zip(_FOLD_FROM, _FOLD_TO, strict=True))
YEAR_FIRST, YEAR_LAST = 1900, 2039
DRAW_WORDS = 7
SECONDS_PER_YEAR = 31_557_600


def centibits(n: int) -> int:
    """log2(n) in hundredths of a bit, rounded half up (the script does the same)."""
    return math.floor(math.log2(n) * 100 + 0.5)


def fold(text: str) -> str:
    """Small letters without accents, one character for one: 'Été' → 'ete'."""
    return "".join(FOLD.get(c, c) for c in text)


def is_capital(char: str) -> bool:
    return "A" <= char <= "Z" or char in _FOLD_FROM[26:42]


def kind_of(char: str) -> str:
    if "a" <= char <= "z":
        return "lower"
    if "A" <= char <= "Z":
        return "upper"
    if "0" <= char <= "9":
        return "digit"
    return "other"


@dataclass(frozen=True)
class Lists:
    words: frozenset[str]
    leaked: frozenset[str]
    # The words in their usual spelling, to draw a passphrase from.
    drawable: tuple[str, ...]


def _read(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@cache
def lists() -> Lists:
    words = _read("common-words.txt")
    return Lists(
        words=frozenset(fold(w) for w in words),
        leaked=frozenset(fold(p) for p in _read("leaked-passwords.txt")),
        drawable=tuple(words),
    )


def personal_words(ctx: StepContext) -> frozenset[str]:
    """The learner's first name and the words of their structure's name, folded."""
    found: set[str] = set()
    for name in (ctx.first_name, ctx.structure_name):
        token = ""
        for char in fold(name) + " ":
            if "a" <= char <= "z":
                token += char
            else:
                if len(token) >= 3:
                    found.add(token)
                token = ""
    return frozenset(found)


@dataclass(frozen=True)
class Estimate:
    """How strong a password is, and why. Holds counts only, never the password."""

    bits: int
    length: int
    truncated: bool
    kinds: tuple[str, ...]
    words: int
    personal: bool
    leaked: bool
    years: int
    patterns: int
    resist_unit: str
    resist_count: int

    @property
    def strong(self) -> bool:
        return self.bits >= TARGET_BITS

    def as_dict(self) -> dict[str, Any]:
        return {
            "bits": self.bits,
            "length": self.length,
            "truncated": self.truncated,
            "kinds": list(self.kinds),
            "words": self.words,
            "personal": self.personal,
            "leaked": self.leaked,
            "years": self.years,
            "patterns": self.patterns,
            "resist_unit": self.resist_unit,
            "resist_count": self.resist_count,
        }


def resist(bits: int) -> tuple[str, int]:
    """How long a thief needs to try every password of this strength, as (unit, count)."""
    seconds = 2.0**bits / GUESSES_PER_SECOND
    if seconds < 1:
        return ("now", 0)
    if seconds < 60:
        return ("seconds", math.floor(seconds))
    if seconds < 3600:
        return ("minutes", math.floor(seconds / 60))
    if seconds < 86400:
        return ("hours", math.floor(seconds / 3600))
    if seconds < SECONDS_PER_YEAR:
        return ("days", math.floor(seconds / 86400))
    if seconds < 1e6 * SECONDS_PER_YEAR:
        return ("years", math.floor(seconds / SECONDS_PER_YEAR))
    return ("forever", 0)


def _is_run(chars: list[str]) -> bool:
    """aaa, 1111, abcd, 1234, 9876: the same sign again, or signs that follow each other."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(chars)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def estimate(text: str, personal: frozenset[str] = frozenset()) -> Estimate:
    """The strength of a password in bits: the lower of two counts.

    Brute force (CNIL's way): length × log2(size of the alphabet the kinds of signs span).
    Patterns: the cheapest way to cut the text into known pieces (dictionary words,
    leaked passwords, the learner's first name or structure, years, runs like 1234) and
    single signs, each piece costing what a thief would need to guess it.
    """
    data = lists()
    chars = list(text)
    truncated = len(chars) > MAX_CHARS
    chars = chars[:MAX_CHARS]
    n = len(chars)
    kinds = tuple(k for k in KINDS if any(kind_of(c) == k for c in chars))
    pool = sum(POOLS[k] for k in kinds) or 1
    char_cost = centibits(pool)
    brute = n * char_cost
    folded = [FOLD.get(c, c) for c in chars]
    word_cost = centibits(len(data.words))
    leaked_cost = centibits(len(data.leaked))
    year_cost = centibits(YEAR_LAST - YEAR_FIRST + 1)

    best = [0] * (n + 1)
    # What ends at position i on the cheapest path: (start, label).
    back: list[tuple[int, str]] = [(0, "")] * (n + 1)
    for i in range(1, n + 1):
        best[i] = best[i - 1] + char_cost
        back[i] = (i - 1, "char")
        for j in range(max(0, i - MAX_TOKEN - 1), i - 2):
            piece = "".join(folded[j:i])
            capitals = 100 if any(is_capital(c) for c in chars[j:i]) else 0
            candidates: list[tuple[int, str]] = []
            core = piece
            extra = 0
            if piece[-1] in SEPARATORS and i - j > 3:
                core = piece[:-1]  # a word and the separator after it
                extra = 100
            if core in personal:
                candidates.append((100 + capitals + extra, "personal"))
            if len(core) >= 4 and core in data.leaked:
                # "orange" is leaked and a word: call it a word, at the leaked price.
                label = "word" if core in data.words else "leaked"
                candidates.append((leaked_cost + capitals + extra, label))
            if core in data.words:
                candidates.append((word_cost + capitals + extra, "word"))
            if (
                extra == 0
                and i - j == 4
                and all("0" <= c <= "9" for c in piece)
                and YEAR_FIRST <= int(piece) <= YEAR_LAST
            ):
                candidates.append((year_cost, "year"))
            if extra == 0 and _is_run(chars[j:i]):
                candidates.append((char_cost + centibits(i - j), "pattern"))
            for cost, label in candidates:
                if best[j] + cost < best[i]:
                    best[i] = best[j] + cost
                    back[i] = (j, label)
    counts = {"personal": 0, "leaked": 0, "word": 0, "year": 0, "pattern": 0, "char": 0}
    i = n
    while i > 0:
        j, label = back[i]
        counts[label] += 1
        i = j
    total = min(brute, best[n])
    bits = (total + 50) // 100
    unit, count = resist(bits)
    return Estimate(
        bits=bits,
        length=n,
        truncated=truncated,
        kinds=kinds,
        words=counts["word"],
        personal=counts["personal"] > 0,
        leaked=counts["leaked"] > 0 or "".join(folded).strip() in data.leaked,
        years=counts["year"],
        patterns=counts["pattern"],
        resist_unit=unit,
        resist_count=count,
    )


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
        # Never pass the text on: not in `typed`, not in `value`, not in details.
        return Outcome(correct=result.strong, details={"estimate": result})

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
            }
        }

    @classmethod
    def documents(cls) -> dict[str, Callable[[], Any]]:
        # One cached file rather than page weight; without it, no measure offline.
        return {"lists": lists_document}

    def task_texts(self) -> list[str]:
        return [self.question, self.label]


def lists_document() -> dict[str, list[str]]:
    """The lists the browser needs to estimate exactly as the server does."""
    data = lists()
    return {"words": list(data.drawable), "leaked": sorted(data.leaked)}


def draw_words(count: int = DRAW_WORDS) -> list[str]:
    """Words drawn at random (a real random source) for a passphrase."""
    pool = lists().drawable
    return [secrets.choice(pool) for _ in range(count)]
