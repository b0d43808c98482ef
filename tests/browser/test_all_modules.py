"""Every module in content/ can be finished in Chromium at 360 px, with JavaScript on and off.

The modules are discovered when the tests are collected, so a module added to content/ is
covered without touching this file. A small fixture module with order and spot steps is also
finished with JavaScript on, off, and with the keyboard alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from companion import ROOT
from companion.catalogue import load_catalogue
from companion.catalogue.steps import StepBase
from companion.catalogue.steps.order import OrderStep
from companion.catalogue.steps.spot import SpotStep
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import complete_module, learner_signin, no_sideways_scroll, tab_to
from tests.steps import ANSWERERS
from tests.steps.order import put_in_order, shown_order

pytestmark = pytest.mark.browser

SHIPPED = sorted(load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")[0])
FIXTURE_MODULES = Path(__file__).resolve().parents[1] / "fixtures" / "modules"
FIXTURE = "pieges-demo"
# Steps shown whole in the screenshots, beside the first three of each module.
WIDE_SHOTS = frozenset({"search-green", "spot-fake", "where-am-i", "find-worksite", "choose-route"})
JS = pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])


@JS
@pytest.mark.parametrize("module_id", SHIPPED)
def test_every_shipped_module_can_be_finished(
    live: LiveServer, new_context: Callable[..., BrowserContext], module_id: str, js: bool
) -> None:
    page = new_context(java_script_enabled=js).new_page()
    learner_signin(page, live.url)
    page.goto(f"{live.url}/learn/modules/{module_id}/")
    shots = f"all-{module_id}-{'js' if js else 'nojs'}"
    complete_module(page, live.module(module_id), shots=shots, shot_steps=WIDE_SHOTS)
    no_sideways_scroll(page)


@pytest.fixture
def fixture_live(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server(CONTENT_DIR=str(FIXTURE_MODULES))


@JS
def test_fixture_module_with_order_and_spot(
    fixture_live: LiveServer, new_context: Callable[..., BrowserContext], js: bool
) -> None:
    page = new_context(java_script_enabled=js).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    learner_signin(page, fixture_live.url)
    page.goto(f"{fixture_live.url}/learn/modules/{FIXTURE}/")
    name = f"fixture-{'js' if js else 'nojs'}"
    complete_module(page, fixture_live.module(FIXTURE), shots=name)
    no_sideways_scroll(page)
    assert errors == []


def _open_step(page: Page, live: LiveServer, step: StepBase) -> None:
    """Finish the steps before `step` with their usual answerers."""
    module = live.module(FIXTURE)
    learner_signin(page, live.url)
    page.goto(f"{live.url}/learn/modules/{FIXTURE}/")
    for earlier in module.steps[: module.index(step.id)]:
        page.wait_for_url(f"**/steps/{earlier.id}")
        ANSWERERS[earlier.type_name].answer_in_browser(page, earlier)
    page.wait_for_url(f"**/steps/{step.id}")


def test_order_moves_at_once_and_focus_follows_with_javascript(
    fixture_live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    step = next(s for s in fixture_live.module(FIXTURE).steps if isinstance(s, OrderStep))
    _open_step(page, fixture_live, step)
    screenshot(page, "order-start")
    page.evaluate("window.stillTheSamePage = true")
    last = step.start_order[-1]
    item = page.locator(f"[data-order-list] > li[data-item='{last}']")
    item.get_by_role("button", name="Monter").click()
    expect(page.locator("[data-order-list] > li").nth(len(step.items) - 2)).to_have_attribute(
        "data-item", last
    )
    # Focus follows the moved item; the new place is said aloud for screen readers.
    assert page.evaluate("document.activeElement.closest('li').dataset.item") == last
    assert page.evaluate("document.activeElement.dataset.move") == "up"
    text = step.items_in([last])[0].text
    expect(page.locator("[data-order-status]")).to_have_text(
        f"« {text} » est à la place {len(step.items) - 1} sur {len(step.items)}."
    )
    # A wrong answer marks the misplaced items; the next move clears the marks.
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Pas tout à fait.")).to_be_visible()
    expect(page.locator(".order-item--misplaced").first).to_be_visible()
    screenshot(page, "order-wrong")
    page.evaluate("window.stillTheSamePage = true")
    taps = put_in_order(page, step)
    assert taps > 0
    assert page.evaluate("window.stillTheSamePage") is True  # no round trip to the server
    expect(page.locator(".order-item--misplaced")).to_have_count(0)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    screenshot(page, "order-right")
    no_sideways_scroll(page)


def test_order_drag_and_drop_on_a_computer(
    fixture_live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(phone=False).new_page()
    step = next(s for s in fixture_live.module(FIXTURE).steps if isinstance(s, OrderStep))
    _open_step(page, fixture_live, step)
    first = step.right_order[0]
    top = page.locator("[data-order-list] > li").first
    page.locator(f"[data-order-list] > li[data-item='{first}'] .order-item__text").drag_to(
        top, target_position={"x": 20, "y": 5}
    )
    assert shown_order(page)[0] == first
    numbers = page.locator(".order-item__place").all_inner_texts()
    assert numbers == [str(n) for n in range(1, len(step.items) + 1)]


def test_spot_highlights_ticked_parts(
    fixture_live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    step = next(s for s in fixture_live.module(FIXTURE).steps if isinstance(s, SpotStep))
    _open_step(page, fixture_live, step)
    expect(page.get_by_text("Simulation : ce message est faux.")).to_be_visible()
    trap = step.traps[0]
    segment = page.locator("label.segment", has=page.locator(f"input[value='{trap.id}']"))
    segment.click()  # a tap anywhere on the part ticks it
    expect(segment.locator(".segment__mark")).to_be_visible()
    expect(page.locator("[data-spot-count]")).to_have_text("1 partie choisie")
    box = segment.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    screenshot(page, "spot-ticked")
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Pas tout à fait.")).to_be_visible()
    screenshot(page, "spot-wrong")
    no_sideways_scroll(page)


def test_fixture_module_with_the_keyboard_only(
    fixture_live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    learner_signin(page, fixture_live.url)
    page.goto(f"{fixture_live.url}/learn/modules/{FIXTURE}/")
    module = fixture_live.module(FIXTURE)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.type_name == "confidence":
            tab_to(page, "input[name=confidence][value=yes]")
            page.keyboard.press("Space")
            tab_to(page, "button[type=submit].button--main")
            page.keyboard.press("Enter")
            continue
        if isinstance(step, OrderStep):
            for place, item_id in enumerate(step.right_order):
                if shown_order(page).index(item_id) == place:
                    continue
                tab_to(page, f"li[data-item='{item_id}'] [data-move=up]")
                while shown_order(page).index(item_id) > place:
                    page.keyboard.press("Enter")  # the focus stays on the moved item
                assert page.evaluate("document.activeElement.closest('li').dataset.item") == (
                    item_id
                )
            assert shown_order(page) == list(step.right_order)
        elif isinstance(step, SpotStep):
            for trap in step.traps:
                tab_to(page, f"input[name=part][value='{trap.id}']")
                page.keyboard.press("Space")
            screenshot(page, "spot-keyboard")
        tab_to(page, "button[type=submit].button--main")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
        tab_to(page, "#next-step")
        page.keyboard.press("Enter")
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()
