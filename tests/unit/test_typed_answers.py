"""Typed answers accept what people type and refuse wrong numbers, the same on the server
and on the device (tests/js/normalisation.test.cjs reads the same table)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from companion import ROOT
from companion.catalogue import load_content
from companion.catalogue.steps import StepContext, TypeStep
from companion.catalogue.steps.type_answer import accepts, answer_words

TABLE = json.loads((ROOT / "tests" / "fixtures" / "normalisation_cases.json").read_text("utf-8"))


@pytest.mark.parametrize(("text", "expected"), TABLE["words"])
def test_words_of_a_typed_answer(text: str, expected: list[str]) -> None:
    assert answer_words(text) == expected


@pytest.mark.parametrize("case", TABLE["accepts"], ids=lambda c: c["why"])
def test_what_is_accepted(case: dict[str, Any]) -> None:
    assert accepts(case["typed"], case["accepted"]) is case["expected"]


SHIPPED = {
    ("mots-de-passe", "how-many"): (["12 signes", "Douze.", " 12 "], ["13", "12 ou 14"]),
    ("dangers-internet", "report-sms"): (
        ["le 33700", "33700.", "33 700", "Au 33700"],
        ["33701", "17", "33700 ou 17"],
    ),
}


def test_the_modules_typed_steps_take_what_people_type() -> None:
    content = load_content(ROOT / "content", ROOT / "static" / "pictograms")
    for (module_id, step_id), (right, wrong) in SHIPPED.items():
        step = content.modules[module_id].step(step_id)
        assert isinstance(step, TypeStep), step_id
        for typed in right:
            assert step.check(MultiDict({"answer": typed}), StepContext()).correct, typed
        for typed in wrong:
            assert not step.check(MultiDict({"answer": typed}), StepContext()).correct, typed
