"""Left-to-right runs inside right-to-left text: a phone number, a formula, an error code.

In an Arabic sentence, "0 892 705 705" is shown "705 705 892 0" and "=SOMME(B2:B6)" as
"(SOMME(B2:B6=": the Unicode bidirectional algorithm orders each group of digits, and the
neutral signs between them, by the sentence's direction. A learner would dial the wrong
number. Each such run of an overlay's prose in a right-to-left language is wrapped in the
invisible marks LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE, so it reads as written
(the same as `<bdi dir="ltr">`, in any field, without HTML), and the spaces of a phone
number become no-break spaces. Answers and data are left alone.
"""

from __future__ import annotations

import re
from typing import Any

from babel import Locale, UnknownLocaleError

LRI, PDI = "\u2066", "\u2069"
# The overlay keys that hold prose a learner reads (never an accepted answer, a cell's
# content or an id).
PROSE_KEYS = frozenset(
    {
        "text",
        "title",
        "pictogram_alt",
        "feedback",
        "question",
        "hint",
        "explanation",
        "points",
        "example",
        "sign",
        "intro",
        "label",
        "summary",
        "subject",
        "contacts",
    }
)
_WORD = r"[A-Za-zÀ-ÿ0-9=#@()+\-*/_%:;.,!?]+"  # one left-to-right word, signs included
_RUN = re.compile(rf"{_WORD}(?: {_WORD})*")
_MARKS = frozenset("=#@0123456789")
_DIGIT_GROUPS = re.compile(r"\d+(?: \d+)+")
NBSP = "\u00a0"
_TRAILING = ".,;:"


def is_rtl(lang: str) -> bool:
    """Whether the language is written right to left (CLDR data in Babel)."""
    try:
        return Locale.parse(lang.replace("-", "_")).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def _isolate(match: re.Match[str]) -> str:
    run = match.group(0)
    if not _MARKS.intersection(run):
        return run  # plain Latin words are strong left-to-right already
    # A sentence's own punctuation around the run stays outside it.
    core = run.rstrip(_TRAILING)
    end = run[len(core) :]
    start = core[: len(core) - len(core.lstrip(_TRAILING))].rstrip()
    core = core[len(start) :].lstrip()
    lead = run[: run.index(core)] if core else ""
    if _DIGIT_GROUPS.fullmatch(core):
        core = core.replace(" ", NBSP)  # a phone number is never cut at the end of a line
    return f"{lead}{LRI}{core}{PDI}{end}" if core else run


def isolate_ltr(text: str) -> str:
    """The text with each left-to-right run holding a digit, '=', '#' or '@' isolated."""
    if LRI in text:
        return text  # already done
    return _RUN.sub(_isolate, text)


def isolate_overlay(data: Any, key: str | None = None) -> Any:
    """An overlay (as read from YAML) with its prose isolated, for a right-to-left language."""
    if isinstance(data, dict):
        return {k: isolate_overlay(v, str(k)) for k, v in data.items()}
    if isinstance(data, list):
        return [isolate_overlay(v, key) for v in data]
    if isinstance(data, str) and key in PROSE_KEYS:
        return isolate_ltr(data)
    return data
