"""The stock module's grid in Chromium at 360 px: live recalculation, without JavaScript, keyboard
only (tests/browser/test_all_modules.py finishes it with JavaScript on and off)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from companion.catalogue.steps import ChooseStep, TypeStep
from companion.catalogue.steps.spreadsheet import SpreadsheetStep
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import learner_signin, no_sideways_scroll, tab_to
from tests.conftest import AMINA_LINK
from tests.steps import ANSWERERS

pytestmark = pytest.mark.browser
MODULE = "tableur-stock"
TITLE = "Suivre un stock avec un tableur"


def sign_in_and_open(page: Page, live: LiveServer) -> None:
    learner_signin(page, live.url)
    page.get_by_role("link", name=TITLE).click()


def test_with_javascript_the_grid_recalculates_as_you_type(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    sign_in_and_open(page, live)
    module = live.module(MODULE)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.id == "stock-left":
            break
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    # No "Calculer" button: results come as the learner types.
    expect(page.get_by_role("button", name="Calculer")).to_be_hidden()
    d2 = page.locator("#cell-D2")
    d2.fill("=B2-C2")
    expect(page.locator("#result-D2")).to_have_text("8")
    d2.fill("=SOMM(B2)")
    expect(page.locator("#result-D2")).to_have_text("#NOM?")
    expect(
        page.get_by_text("Case D2 : #NOM?. Le tableur ne connaît pas le nom « SOMM ».")
    ).to_be_visible()
    screenshot(page, "sheet-live-error")
    d2.fill("=B2-C2")
    expect(page.get_by_text("Case D2 : #NOM?")).to_have_count(0)
    # Enter goes down as in a spreadsheet; the arrows move between cells.
    d2.press("Enter")
    expect(page.locator("#cell-D3")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(d2).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#cell-D4")).to_be_focused()
    # Nothing was recorded by calculating: the step is still the one to do.
    page.goto(live.url + f"/learn/modules/{MODULE}/")
    page.wait_for_url("**/steps/stock-left")
    no_sideways_scroll(page)


def test_module_without_javascript(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in_and_open(page, live)
    module = live.module(MODULE)
    # Without the script, "Calculer" asks the server for the results.
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.id == "stock-left":
            break
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.locator("#cell-D2").fill("=B2-C2")
    page.locator("#cell-D3").fill("=B3+")
    page.get_by_role("button", name="Calculer").click()
    expect(page.locator("#result-D2")).to_have_text("8")
    expect(page.get_by_text("Case D3 : #ERREUR!.")).to_be_visible()
    screenshot(page, "sheet-nojs-calculer")
    page.locator("#cell-D3").fill("=B3-C3")
    page.locator("#cell-D4").fill("=B4-C4")
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
    index = module.index("stock-left")
    for step in module.steps[index + 1 :]:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.type_name == "spreadsheet":
            screenshot(page, f"sheet-nojs-{step.id}")
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()


# ------------------------------------------------------------------------ keyboard only


def choose_in_group(page: Page, first: Locator, wanted: Locator) -> None:
    """Enter a radio group with Tab, then move with the arrows to the wanted choice."""
    tab_to(page, first)
    for _ in range(10):
        if wanted.evaluate("el => el === document.activeElement"):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError("the arrows never reached the choice")


def press_next(page: Page) -> None:
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Étape suivante"))
    page.keyboard.press("Enter")


def keyboard_answer(page: Page, step: object) -> None:
    kind = getattr(step, "type_name", "")
    if kind in ("explain", "summary"):
        tab_to(page, page.get_by_role("button", name="J'ai compris"))
        page.keyboard.press("Enter")
    elif kind == "confidence":
        radios = page.locator("input[name=confidence]")
        choose_in_group(page, radios.first, radios.first)
        tab_to(page, page.get_by_role("button", name="Je valide"))
        page.keyboard.press("Enter")
    elif isinstance(step, TypeStep):
        tab_to(page, page.locator("#answer"))
        page.keyboard.type(step.accepted[0])
        page.keyboard.press("Enter")
        press_next(page)
    elif isinstance(step, ChooseStep):
        radios = page.locator("input[name=choice]")
        right = next(o.id for o in step.options if o.correct)
        choose_in_group(page, radios.first, page.locator(f"input[name=choice][value='{right}']"))
        tab_to(page, page.get_by_role("button", name="Je vérifie"))
        page.keyboard.press("Enter")
        press_next(page)
    else:
        assert isinstance(step, SpreadsheetStep)
        keyboard_sheet(page, step)
        press_next(page)


def keyboard_sheet(page: Page, step: SpreadsheetStep) -> None:
    check = page.get_by_role("button", name="Je vérifie")
    if step.cells:
        # Tab into the first cell, then Enter from cell to cell as in a spreadsheet.
        tab_to(page, page.locator(f"#cell-{step.cells[0].cell}"))
        for target in step.cells:
            expect(page.locator(f"#cell-{target.cell}")).to_be_focused()
            page.keyboard.press("Control+A")
            page.keyboard.type(target.answer)
            page.keyboard.press("Enter")
        expect(check).to_be_focused()  # after the last cell, Enter leads to "Je vérifie"
    if step.sort is not None:
        select = page.get_by_label("Colonne à trier")
        tab_to(page, select)
        for _ in range(len(step.columns)):
            if select.input_value() == step.sort.column:
                break
            page.keyboard.press("ArrowDown")
        assert select.input_value() == step.sort.column
        name = "Tri croissant" if step.sort.direction == "asc" else "Tri décroissant"
        tab_to(page, page.get_by_role("button", name=name))
        page.keyboard.press("Enter")
        expect(page.get_by_text("Le tableau est trié par")).to_be_visible()
    if step.alert:
        radios = page.locator("input[name=rule]")
        right = next(r.id for r in step.alert if r.correct)
        choose_in_group(page, radios.first, page.locator(f"input[name=rule][value='{right}']"))
        expect(page.locator(".sheet__flag:visible").first).to_be_visible()
        screenshot(page, "sheet-keyboard-alert")
    if not step.cells:
        tab_to(page, check)
    page.keyboard.press("Enter")


def test_module_with_the_keyboard_only(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(has_touch=False, is_mobile=False).new_page()
    page.goto(live.url + AMINA_LINK)
    tab_to(page, page.get_by_label("Tapez votre code à 4 chiffres"))
    page.keyboard.type("2580")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")
    tab_to(page, page.get_by_role("link", name=TITLE))
    page.keyboard.press("Enter")
    module = live.module(MODULE)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        keyboard_answer(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()
