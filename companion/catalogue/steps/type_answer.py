"""type: a short typed answer checked against accepted answers (case, accents, spaces)."""

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
        ok = normalise(typed) in {normalise(a) for a in self.accepted}
        return Outcome(correct=ok, typed=typed)

    def offline_answer(self) -> dict[str, str]:
        return {"accepted": json.dumps(self.accepted, ensure_ascii=False)}

    def task_texts(self) -> list[str]:
        return [self.question, self.label]
