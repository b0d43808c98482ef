"""Each limit of the spreadsheet engine, one by one (issue 13, item 3; docs/security.md).

The whole request (a 45 MB page before) is tests/web/test_sheet_limits.py.
"""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask_babel import force_locale

from companion.catalogue.formula import (
    MAX_FORMULA_LENGTH,
    MAX_STEPS,
    MAX_TEXT_LENGTH,
    SheetError,
    evaluate,
    evaluate_sheet,
)


def error_of(formula: str, cells: dict[str, str] | None = None) -> SheetError:
    with pytest.raises(SheetError) as caught:
        evaluate(formula, cells)
    return caught.value


def test_a_formula_longer_than_500_signs_is_refused() -> None:
    error = error_of("=" + "1+" * (MAX_FORMULA_LENGTH // 2) + "1")
    assert error.code == "#ERREUR!"
    assert "trop longue" in error.text
    assert evaluate("=" + "+".join(["1"] * 100)) == 100.0  # 199 signs: fine


def test_a_text_made_by_and_stops_at_255_signs() -> None:
    cells = {"A1": "x" * 200}
    error = error_of("=A1&A1", cells)
    assert error.code == "#VALEUR!"
    assert "trop long" in error.text
    assert evaluate("=A1&A1", {"A1": "x" * 127}) == "x" * 254
    assert len(str(evaluate("=A1&A1&A1", {"A1": "x" * 85}))) == MAX_TEXT_LENGTH


def test_doubling_cells_never_make_a_long_text() -> None:
    """The finding: each cell doubles the last, 151 times each."""
    started = time.process_time()
    cells = {"E1": "Stock minimum"}
    previous = "E1"
    for name in ("D2", "D3", "D4"):
        cells[name] = "=" + "&".join([previous] * 151)
        previous = name
    results = evaluate_sheet(cells)
    assert all(results[n].error is not None for n in ("D2", "D3", "D4"))
    assert all(len(r.display) <= MAX_TEXT_LENGTH for r in results.values())
    assert time.process_time() - started < 0.5


def test_a_quoted_text_longer_than_255_signs_is_refused() -> None:
    error = error_of('="' + "a" * (MAX_TEXT_LENGTH + 1) + '"')
    assert error.code == "#VALEUR!"
    assert evaluate('="' + "a" * MAX_TEXT_LENGTH + '"') == "a" * MAX_TEXT_LENGTH


def test_a_typed_text_longer_than_255_signs_shows_an_error() -> None:
    results = evaluate_sheet({"A1": "b" * (MAX_TEXT_LENGTH + 1), "A2": "b" * MAX_TEXT_LENGTH})
    assert results["A1"].display == "#VALEUR!"
    assert results["A2"].display == "b" * MAX_TEXT_LENGTH


def test_the_evaluation_work_of_a_sheet_has_a_budget() -> None:
    """Many cells of 150 operators each: the step budget stops the evaluation (990 formulas
    are more than a step lets a learner type: its 12 cells stay far below the budget)."""
    formula = "=" + "+".join(["1"] * 151)  # 301 nodes
    cells = {f"{chr(c)}{r}": formula for c in range(65, 75) for r in range(1, 100)}
    assert len(cells) * 301 > MAX_STEPS
    started = time.process_time()
    results = evaluate_sheet(cells)
    assert time.process_time() - started < 10  # parsing 990 formulas, under load
    stopped = [r for r in results.values() if r.error is not None]
    done = [r for r in results.values() if r.error is None]
    assert done
    assert all(r.value == 151.0 for r in done)
    assert stopped
    assert all(r.error.code == "#ERREUR!" for r in stopped if r.error)
    assert len(done) <= MAX_STEPS // 301 + 1
    assert all("trop de calculs" in r.error.text for r in stopped if r.error)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_limit_messages_are_in_the_learners_language(app: Flask, lang: str) -> None:
    long_text = error_of("=A1&A1", {"A1": "x" * 200})
    cells = {f"A{r}": "=" + "+".join(["1"] * 151) for r in range(1, 99)}
    cells.update({f"B{r}": "=" + "+".join(["1"] * 151) for r in range(1, 99)})
    work = next(r.error for r in evaluate_sheet(cells).values() if r.error is not None)
    with app.test_request_context():
        french = (long_text.text, work.text)
        with force_locale(lang):
            translated = (long_text.text, work.text)
    assert translated[0] != french[0]
    assert translated[1] != french[1]
    assert str(MAX_TEXT_LENGTH) in translated[0] or "٢٥٥" in translated[0]
