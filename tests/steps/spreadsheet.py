from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from companion.catalogue.steps.spreadsheet import LETTERS, SpreadsheetStep, _sort_key

TYPE = "spreadsheet"


def sorted_order(step: SpreadsheetStep) -> str:
    """The rows' order once sorted as the step asks ("2,1,0")."""
    assert step.sort is not None
    at = LETTERS.index(step.sort.column)
    view = step.view({}, None, None, words=False)
    ranked = sorted(
        view.rows,
        key=lambda row: _sort_key(step._cell_value(row.cells[at])),
        reverse=step.sort.direction == "desc",
    )
    return ",".join(str(row.index) for row in ranked)


def right_answer(step: SpreadsheetStep) -> dict[str, Any]:
    answer: dict[str, Any] = {f"cell-{t.cell}": t.answer for t in step.cells}
    if step.sort is not None:
        answer["order"] = sorted_order(step)
    if step.alert:
        answer["rule"] = next(r.id for r in step.alert if r.correct)
    return answer


def wrong_answer(step: SpreadsheetStep) -> dict[str, Any]:
    answer: dict[str, Any] = {f"cell-{t.cell}": "=SOMM(B2)" for t in step.cells}
    if step.sort is not None:
        answer["order"] = ",".join(str(i) for i in range(len(step.rows)))
    if step.alert:
        answer["rule"] = next(r.id for r in step.alert if not r.correct)
    return answer


def fill_in_browser(page: Page, step: SpreadsheetStep) -> None:
    """Type the cells, sort with the buttons and choose the alert, as a learner would."""
    for target in step.cells:
        page.locator(f"#cell-{target.cell}").fill(target.answer)
    if step.sort is not None:
        page.get_by_label("Colonne à trier").select_option(step.sort.column)
        name = "Tri croissant" if step.sort.direction == "asc" else "Tri décroissant"
        page.get_by_role("button", name=name).click()
        expect(page.get_by_text("Le tableau est trié par")).to_be_visible()
    if step.alert:
        rule = next(r for r in step.alert if r.correct)
        page.get_by_label(rule.text).check()


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
