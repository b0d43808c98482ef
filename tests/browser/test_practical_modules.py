"""The job search and map modules in Chromium at 360 px: live filters and map, keyboard only
(tests/browser/test_all_modules.py finishes every module with JavaScript on and off)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from companion.catalogue import Module
from companion.catalogue.steps.map import town_data
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import learner_signin, no_sideways_scroll, tab_to
from tests.conftest import AMINA_LINK
from tests.steps import ANSWERERS
from tests.steps import job_board as job_board_answers
from tests.steps import map as map_answers

pytestmark = pytest.mark.browser
MODULES = ("emploi-en-ligne", "gps-itineraire")


def open_module(page: Page, module: Module) -> None:
    page.get_by_role("link", name=module.meta.title).click()
    page.wait_for_url(f"**/steps/{module.steps[0].id}")


def test_job_filters_update_live_and_keep_the_answer_form_in_step(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    learner_signin(page, live.url)
    module = live.module("emploi-en-ligne")
    open_module(page, module)
    for step in module.steps:
        if step.id == "search-green":
            break
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/steps/search-green")
    count = page.locator(".results-count")
    expect(count).to_have_text("40 offres trouvées")
    page.get_by_label("Métier ou mot-clé").fill("astronaute")  # no button pressed
    expect(count).to_contain_text("Aucun résultat")
    page.get_by_label("Métier ou mot-clé").fill("espaces verts")
    expect(count).to_have_text("6 offres trouvées")
    page.get_by_label("Contrat", exact=True).select_option("CDDI")
    page.get_by_label("Ville", exact=True).select_option("Toulouse")
    page.get_by_label("Distance autour de la ville").select_option("30")
    expect(count).to_have_text("1 offre trouvée")
    assert "contrat=CDDI" in page.url  # the answer form posts with the filters
    screenshot(page, "job-board-filtered")
    page.locator("input[name=offer][value='jardinier-colomiers']").check()
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    expect(count).to_have_text("1 offre trouvée")  # the results stay as they were


def test_map_search_is_live_and_a_tap_on_the_map_picks_the_place(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    learner_signin(page, live.url)
    module = live.module("gps-itineraire")
    open_module(page, module)
    page.wait_for_url("**/steps/confidence-start")
    ANSWERERS["confidence"].answer_in_browser(page, module.steps[0])
    ANSWERERS["explain"].answer_in_browser(page, module.steps[1])
    page.wait_for_url("**/steps/where-am-i")
    page.locator(".map__place[data-place='boulangerie']").click()
    expect(page.locator("input[name=place][value='boulangerie']")).to_be_checked()
    expect(page.locator(".map__place[data-place='boulangerie']")).to_have_class(
        "map__place map__place--picked"
    )
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
    for step in module.steps[3:5]:
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/steps/find-worksite")
    page.get_by_label("Tapez une adresse").fill("vignes")  # no button pressed
    expect(page.locator(".results-count")).to_have_text(
        "Ce numéro n'existe pas dans cette rue. Voici les lieux de la rue."
    )
    page.get_by_label("Tapez une adresse").fill("8 ALLEE des tilleuls")
    expect(page.locator(".results-count")).to_have_text("1 lieu trouvé")
    expect(page.locator(".map__place--found")).to_have_count(1)
    screenshot(page, "map-found")
    page.get_by_label("Tapez une adresse").fill("rue de nulle part")
    expect(page.locator(".results-count")).to_contain_text("Aucun résultat")
    labels_are_legible_and_apart(page)
    # A trip, as in a maps app: "Itinéraire", then the tab of a way to go.
    map_answers.answer_in_browser(page, module.step("find-worksite"))
    after = module.step_ids.index("find-worksite") + 1
    for step in module.steps[after : module.step_ids.index("choose-route")]:
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/steps/choose-route")
    expect(page.locator(".map__route")).to_have_count(0)
    page.get_by_role("link", name="Itinéraire").click()
    page.get_by_role("link", name="En bus").click()
    expect(page.locator(".map__route--bus.map__route--shown")).to_have_count(1)
    labels_are_legible_and_apart(page)
    no_sideways_scroll(page)
    screenshot(page, "map-trip-bus")
    page.goto(page.url.split("#")[0] + "&lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    labels_are_legible_and_apart(page)
    no_sideways_scroll(page)
    screenshot(page, "map-trip-bus-ar")


def labels_are_legible_and_apart(page: Page) -> None:
    """The map's labels as Chromium draws them: at least 14 px, and no two boxes meet."""
    boxes = page.evaluate(
        """() => {
            const svg = document.querySelector('.map__svg');
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return Array.from(svg.querySelectorAll('text.map__label')).map((t) => {
                const r = t.getBoundingClientRect();
                return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
                        box: [r.left, r.top, r.right, r.bottom]};
            });
        }"""
    )
    assert len(boxes) >= 12
    for n, one in enumerate(boxes):
        assert one["px"] >= 14, one
        for other in boxes[n + 1 :]:
            a, b = one["box"], other["box"]
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (one["text"], other["text"])


# --- Keyboard only: Tab, Shift+Tab, arrows, Space and Enter; never the mouse. ---------------


def pick_radio(page: Page, name: str, value: str) -> None:
    """Tab into a radio group, then move with the arrow keys to the value."""
    group = page.locator(f"input[name={name}]")
    target = page.locator(f"input[name={name}][value='{value}']")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(name) => document.activeElement.name === name"
            " && document.activeElement.type === 'radio'",
            name,
        ):
            break
    else:
        raise AssertionError(f"Tab never reached the {name} radios")
    handle = target.element_handle()
    for _ in range(group.count() + 1):
        if target.is_checked():
            return
        if page.evaluate("(el) => document.activeElement === el", handle):
            page.keyboard.press("Space")  # a lone radio, or one reached but not yet checked
        else:
            page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()


def pick_option(page: Page, select: Locator, value: str) -> None:
    tab_to(page, select)
    for _ in range(40):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    assert select.input_value() == value


def press_button(page: Page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name))
    page.keyboard.press("Enter")


def next_step(page: Page) -> None:
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Étape suivante"))
    page.keyboard.press("Enter")


def _keyboard_choose(page: Page, step: Any) -> None:
    for option in step.options:
        if option.correct and step.multiple:
            tab_to(page, page.locator(f"input[name=choice][value='{option.id}']"))
            page.keyboard.press("Space")
        elif option.correct:
            pick_radio(page, "choice", option.id)


def _keyboard_job_board(page: Page, step: Any) -> None:
    answer = job_board_answers.right_answer(step)
    if step.task == "search":
        filters = job_board_answers.search_filters(step)
        tab_to(page, page.get_by_label("Métier ou mot-clé"))
        page.keyboard.type(filters["Métier ou mot-clé"])
        for label in ("Ville", "Distance autour de la ville", "Contrat"):
            pick_option(page, page.get_by_label(label, exact=True), filters[label])
        # Wait for the list of the final filters (not one of the menus' passing values).
        expect(page.locator(".results-count")).to_have_text(job_board_answers.results_text(step))
        expect(page.locator(f"input[name=offer][value='{answer['offer']}']")).to_have_count(1)
    name, value = next(iter(answer.items()))
    pick_radio(page, name, value)


def _keyboard_map(page: Page, step: Any) -> None:
    answer = map_answers.right_answer(step)
    if step.task == "find":
        place = town_data().place(step.target)
        assert place is not None
        tab_to(page, page.get_by_label("Tapez une adresse"))
        page.keyboard.type(town_data().address(place))
        page.keyboard.press("Enter")
        expect(page.locator(".results-count")).to_have_text("1 lieu trouvé")
    if step.task == "leave":
        tab_to(page, page.locator("#leave-time"))
        page.keyboard.type(answer["time"])
    else:
        for name, value in answer.items():
            pick_radio(page, name, value)


# The practice steps of these modules, answered right with the keyboard (any other type is the map).
KEYBOARD_PRACTICE: dict[str, Callable[[Page, Any], None]] = {
    "choose": _keyboard_choose,
    "job_board": _keyboard_job_board,
}


def keyboard_answer(page: Page, step: Any) -> None:
    kind = step.type_name
    if kind == "confidence":
        pick_radio(page, "confidence", "yes")
        press_button(page, "Je valide")
        return
    if kind in ("explain", "summary"):
        press_button(page, "J'ai compris")
        return
    KEYBOARD_PRACTICE.get(kind, _keyboard_map)(page, step)
    press_button(page, "Je vérifie")
    next_step(page)


@pytest.mark.parametrize("module_id", MODULES)
def test_complete_with_the_keyboard_only(
    live: LiveServer, new_context: Callable[..., BrowserContext], module_id: str
) -> None:
    page = new_context().new_page()
    page.goto(live.url + AMINA_LINK)
    tab_to(page, page.get_by_label("Tapez votre code à 4 chiffres"))
    page.keyboard.type("2580")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")
    module = live.module(module_id)
    tab_to(page, page.get_by_role("link", name=module.meta.title))
    page.keyboard.press("Enter")
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        keyboard_answer(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()
