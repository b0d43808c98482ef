"""The one password strength estimator: the lab, the staff password rule and the content check.

`estimate()` gives the strength in bits (the CNIL counts strength in bits of entropy; its
target for a password that is the only protection is 80, délibération 2022-100) and what
lowered it; `reasons()` turns that into the lines the lab shows, each good or bad, never a
bad line next to a password that reaches the target. static/js/steps/password_lab.js is a
line-by-line port of both: tests/fixtures/password_cases.json is read by the Python tests and
by the script's node test, and tests/unit/test_password_strength.py compares the two outputs
on every case.

Costs are counted in hundredths of a bit (integers) so that Python and JavaScript add exactly
the same numbers; only log2 of small integers is ever computed, then rounded.
"""

from __future__ import annotations

import itertools
import math
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

DATA = Path(__file__).resolve().parent / "data"
MAX_CHARS = 100  # what is looked at; the rest of a very long text is ignored
MAX_TOKEN = 32  # longest word or leaked password searched for
TARGET_BITS = 80  # CNIL, délibération 2022-100: a password that is the only protection
GUESSES_PER_SECOND = 1e10  # a thief with a strong computer, on a fast hash
# CNIL's counting: 26 small letters, 26 capitals, 10 digits, at least 37 special characters.
POOLS = {"lower": 26, "upper": 26, "digit": 10, "other": 37}
KINDS = ("lower", "upper", "digit", "other")
SEPARATORS = " -_."
# Words of 3 letters are left to count sign by sign: random signs spell one too often
# (about 1 draw in 12 of 14 random letters and digits), which a thief cannot know.
MIN_WORD = 4
_FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿ"
_FOLD_TO = "abcdefghijklmnopqrstuvwxyzaaaceeeeiioouuuyaaaceeeeiioouuuy"
FOLD = dict(zip(_FOLD_FROM, _FOLD_TO, strict=True))
YEAR_FIRST, YEAR_LAST = 1900, 2039
SECONDS_PER_YEAR = 31_557_600
# What the module teaches (content/mots-de-passe): 12 signs or more, 4 kinds (14 with 3
# kinds), or 7 random words. The lab's lines say how far a password is from these.
GOOD_LENGTH = 12
GOOD_LENGTH_THREE_KINDS = 14
PASSPHRASE_WORDS = 7
# The example shown after three tries: 14 random signs of the 4 kinds (the "12 or more" rule
# with room to spare, also true for this smaller set of special signs: 14 × log2(88) > 80).
EXAMPLE_LENGTH = 14
EXAMPLE_SIGNS = "!#$%&*+-=?@_:;/"
_LOWER = "abcdefghijkmnopqrstuvwxyz"  # no l: it looks like 1 and I
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
_DIGITS = "23456789"  # no 0, no 1

Mode = Literal["password", "passphrase"]


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


def lists_document() -> dict[str, list[str]]:
    """The lists the browser needs to estimate exactly as the server does."""
    data = lists()
    return {"words": list(data.drawable), "leaked": sorted(data.leaked)}


@dataclass(frozen=True)
class Estimate:
    """How strong a password is, and why. Holds counts only, never the password."""

    bits: int
    length: int
    truncated: bool
    kinds: tuple[str, ...]
    words: int
    tokens: int
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
            "tokens": self.tokens,
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


def _capitals_cost(piece: list[str]) -> int:
    """What guessing the capitals of a known piece costs: nothing without capitals, 1 bit
    for a capital first letter or all capitals (what people do), else 1 bit per letter."""
    capitals = [is_capital(c) for c in piece if c not in SEPARATORS]
    if not any(capitals):
        return 0
    if all(capitals) or (capitals[0] and not any(capitals[1:])):
        return 100
    return 100 * len(capitals)


def _is_run(chars: list[str]) -> bool:
    """aaa, 1111, abcd, 1234, 9876: the same sign again, or signs that follow each other."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(chars)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def _is_leaked(folded: str, leaked: frozenset[str]) -> bool:
    """A leaked password, alone or dressed up with digits and signs ("Password2024!").

    Only the whole text counts: "orange" is a leaked password, but a passphrase that has
    the word orange in it is not one.
    """
    whole = folded.strip(" \t\n\r\x0b\x0c")
    if whole in leaked:
        return True
    core = "".join(c for c in whole if "a" <= c <= "z")
    return len(core) >= 4 and core in leaked


def _count_tokens(folded: str) -> int:
    """The words of a passphrase: pieces with a letter, between separators."""
    count = 0
    token = False
    for char in folded + " ":
        if char in SEPARATORS:
            count += 1 if token else 0
            token = False
        elif char.isalpha():
            token = True
    return count


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
    costs = _Costs(
        char=char_cost,
        word=centibits(len(data.words)),
        leaked=centibits(len(data.leaked)),
        year=centibits(YEAR_LAST - YEAR_FIRST + 1),
    )

    best = [0] * (n + 1)
    # What ends at position i on the cheapest path: (start, label).
    back: list[tuple[int, str]] = [(0, "")] * (n + 1)
    for i in range(1, n + 1):
        best[i] = best[i - 1] + char_cost
        back[i] = (i - 1, "char")
        for j in range(max(0, i - MAX_TOKEN - 1), i - 2):
            for cost, label in _piece_costs(chars[j:i], folded[j:i], personal, data, costs):
                if best[j] + cost < best[i]:
                    best[i] = best[j] + cost
                    back[i] = (j, label)
    counts = _pieces_on_path(back, n)
    total = min(brute, best[n])
    bits = (total + 50) // 100
    unit, count = resist(bits)
    joined = "".join(folded)
    return Estimate(
        bits=bits,
        length=n,
        truncated=truncated,
        kinds=kinds,
        words=counts["word"],
        tokens=_count_tokens(joined),
        personal=counts["personal"] > 0,
        leaked=_is_leaked(joined, data.leaked),
        years=counts["year"],
        patterns=counts["pattern"],
        resist_unit=unit,
        resist_count=count,
    )


@dataclass(frozen=True)
class _Costs:
    """What guessing one piece costs, in centibits, by kind of piece."""

    char: int
    word: int
    leaked: int
    year: int


def _piece_costs(
    chars: list[str], folded: list[str], personal: frozenset[str], data: Lists, costs: _Costs
) -> list[tuple[int, str]]:
    """The ways to guess this piece of the text as one known thing: (cost, label)."""
    piece = "".join(folded)
    size = len(chars)
    capitals = _capitals_cost(chars)
    candidates: list[tuple[int, str]] = []
    core = piece
    extra = 0
    if piece[-1] in SEPARATORS and size > 3:
        core = piece[:-1]  # a word and the separator after it
        extra = 100
    if core in personal:
        candidates.append((100 + capitals + extra, "personal"))
    if len(core) >= 4 and core in data.leaked:
        # A leaked password inside a longer text is a known piece, like a word.
        candidates.append((costs.leaked + capitals + extra, "word"))
    if len(core) >= MIN_WORD and core in data.words:
        candidates.append((costs.word + capitals + extra, "word"))
    if extra == 0 and size == 4 and _is_year(piece):
        candidates.append((costs.year, "year"))
    if extra == 0 and _is_run(chars):
        candidates.append((costs.char + centibits(size), "pattern"))
    return candidates


def _is_year(piece: str) -> bool:
    return all("0" <= c <= "9" for c in piece) and YEAR_FIRST <= int(piece) <= YEAR_LAST


def _pieces_on_path(back: list[tuple[int, str]], n: int) -> dict[str, int]:
    """How many pieces of each kind the cheapest path (read backwards from n) is made of."""
    counts = {"personal": 0, "word": 0, "year": 0, "pattern": 0, "char": 0}
    i = n
    while i > 0:
        j, label = back[i]
        counts[label] += 1
        i = j
    return counts


def reasons(result: Estimate, mode: Mode = "password") -> list[tuple[str, int, bool]]:
    """The lines the lab shows under the meter, as (text key, number, good).

    A password that reaches the target gets only its good lines: what it did right. A weak
    one gets every line, so the learner sees what to change.
    """
    kinds = len(result.kinds)
    out: list[tuple[str, int, bool]] = []
    if result.truncated:
        out.append(("truncated", MAX_CHARS, False))
    out.append(("length", result.length, result.length >= GOOD_LENGTH))
    if mode == "passphrase":
        out.append(("tokens", result.tokens, result.tokens >= PASSPHRASE_WORDS))
    else:
        good_kinds = kinds == len(KINDS) or (
            kinds >= len(KINDS) - 1 and result.length >= GOOD_LENGTH_THREE_KINDS
        )
        out.append(("kinds", kinds, good_kinds))
        if result.words:
            out.append(("words", result.words, False))
    for key, found in (
        ("personal", result.personal),
        ("leaked", result.leaked),
        ("years", result.years > 0),
        ("patterns", result.patterns > 0),
    ):
        if found:
            out.append((key, 0, False))
    if result.strong:
        out = [line for line in out if line[2]]
    return out


def personal_words(first_name: str, structure_name: str) -> frozenset[str]:
    """The learner's first name and the words of their structure's name, folded."""
    found: set[str] = set()
    for name in (first_name, structure_name):
        token = ""
        for char in fold(name) + " ":
            if "a" <= char <= "z":
                token += char
            else:
                if len(token) >= 3:
                    found.add(token)
                token = ""
    return frozenset(found)


def draw_words(count: int = PASSPHRASE_WORDS) -> list[str]:
    """Words drawn at random (a real random source) for a passphrase."""
    pool = lists().drawable
    return [secrets.choice(pool) for _ in range(count)]


def make_example(mode: Mode) -> str:
    """A fresh password that reaches the target, drawn at random: never the same twice, so
    nobody takes a shown example for a real account. Drawn again in the rare case a random
    draw spells a word or a run (the estimate would then be lower)."""
    while True:
        if mode == "passphrase":
            example = " ".join(draw_words())
        else:
            signs = [secrets.choice(s) for s in (_LOWER, _UPPER, _DIGITS, EXAMPLE_SIGNS)]
            everything = _LOWER + _UPPER + _DIGITS + EXAMPLE_SIGNS
            signs += [secrets.choice(everything) for _ in range(EXAMPLE_LENGTH - len(signs))]
            # Shuffle with the same random source, so the kinds are not always in one order.
            for k in range(len(signs) - 1, 0, -1):
                m = secrets.randbelow(k + 1)
                signs[k], signs[m] = signs[m], signs[k]
            example = "".join(signs)
        if estimate(example).strong:
            return example


def is_leaked(password: str) -> bool:
    """In the bundled list of leaked passwords, alone or dressed up with digits and signs."""
    return estimate(password).leaked


def verdict(password: str) -> Literal["strong", "weak"]:
    """What the module says of a password: it reaches the target or it does not."""
    return "strong" if estimate(password).strong else "weak"
