"""type: a short typed answer checked against accepted answers, as people type them.

`answer_words()` and `accepts()` are the one normalisation of typed answers; static/js/
offline.js has a line-by-line port for answers checked on the device. Both run on the table
tests/fixtures/normalisation_cases.json (tests/unit/test_typed_answers.py, tests/js/).
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Literal

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


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: 'Éte  ' and 'ete' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


_WORD = re.compile(r"[^\W_]+")
# Arabic spellings that vary for the same word: tāʾ marbūṭa and hāʾ, alif maqṣūra and yāʾ,
# the stretching stroke (the hamza on an alif is already gone with the accents).
_ARABIC_FOLD = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})
# The article "al-" and the little words written joined to it: "الحدائق" finds "حدائق".
_ARABIC_ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")


def search_words(text: str) -> list[str]:
    """The words of a text for a search, in any script: normalised, Arabic article removed."""
    out = []
    for word in _WORD.findall(normalise(text)):
        word = word.translate(_ARABIC_FOLD)
        for article in _ARABIC_ARTICLES:
            if word.startswith(article) and len(word) - len(article) >= 2:
                word = word[len(article) :]
                break
        if word:
            out.append(word)
    return out


# Casefold beyond lower case (the same in the script): "Straße" is "strasse"; a final sigma.
_CASEFOLD = {"ß": "ss", "ς": "σ"}
# Arabic spellings that vary for the same word, and Arabic-Indic digits as ASCII digits.
_ANSWER_FOLD = {
    "ة": "ه",
    "ى": "ي",
    "ـ": "",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}


_DIGIT = re.compile(r"[0-9]")


def _is_number(word: str) -> bool:
    return bool(word) and all("0" <= c <= "9" for c in word)


def answer_words(text: str) -> list[str]:
    """A typed answer as words: lower case, no accents or vowel marks, no punctuation, and a
    number written in groups joined ("33 700" is "33700")."""
    lowered = "".join(_CASEFOLD.get(c, c) for c in text.lower())
    decomposed = unicodedata.normalize("NFKD", lowered)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category[0] == "M":
            continue  # accents, Arabic vowel marks
        kept.append(_ANSWER_FOLD.get(char, char) if category[0] in "LN" else " ")
    words: list[str] = []
    for word in "".join(kept).split():
        if words and _is_number(word) and _is_number(words[-1]):
            words[-1] += word
        else:
            words.append(word)
    return words


def accepts(typed: str, accepted: list[str]) -> bool:
    """The typed answer is one of the accepted ones, alone or with words around it that hold
    no number ("12 signes", "le 33700"); another number refuses it ("12 ou 14")."""
    words = answer_words(typed)
    for answer in accepted:
        expected = answer_words(answer)
        size = len(expected)
        if not size:
            continue
        for start in range(len(words) - size + 1):
            if words[start : start + size] == expected:
                others = words[:start] + words[start + size :]
                if not any(_DIGIT.search(w) for w in others):
                    return True
    return False


class TypeStep(PracticeStep):
    type: Literal["type"]
    question: str = Field(min_length=1)
    label: str = Field(min_length=1)
    accepted: list[str] = Field(min_length=1)

    offline_check = "type"

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        typed = form.get("answer")
        if typed is None:
            raise BadAnswer("no answer field")
        typed = typed[:MAX_TYPED]
        if not typed.strip():
            raise EmptyAnswer("nothing typed")
        ok = accepts(typed, self.accepted)
        return Outcome(correct=ok, typed=typed)

    def offline_answer(self) -> dict[str, str]:
        return {"accepted": json.dumps(self.accepted, ensure_ascii=False)}

    def task_texts(self) -> list[str]:
        return [self.question, self.label]

    def review_answers(self) -> list[str]:
        return self.accepted[:1]
