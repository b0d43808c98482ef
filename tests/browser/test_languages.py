"""Languages and reading settings in Chromium: a module in Arabic, right to left, at 360 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from companion import ROOT
from companion.catalogue import Module
from companion.catalogue.steps.job_board import JobBoardStep, board_data
from companion.catalogue.steps.map import spoken_time, town_data
from companion.catalogue.steps.spreadsheet import SpreadsheetStep
from companion.i18n import compile_catalogues
from tests.browser.conftest import LiveServer, screenshot
from tests.conftest import AMINA_LINK, CHLOE_LINK
from tests.steps import job_board as job_board_answers
from tests.steps import map as map_answers
from tests.steps import spreadsheet as spreadsheet_answers
from tests.steps.password_lab import STRONG
from tests.steps.phone import sort_messages

pytestmark = pytest.mark.browser
MODULE = "mots-de-passe"
SIMULATIONS = ("job_board", "map", "spreadsheet")
# Simulation steps whose page is also kept once answered (feedback, a fake offer's signs).
SHOWN_AFTER = {"spot-fake", "choose-route", "fix-errors"}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    """The .mo files are build output (git ignores them): compile them if `make` did not."""
    compile_catalogues(ROOT / "translations")


def translated(live: LiveServer, lang: str, module_id: str = MODULE) -> Module:
    module: Module = live.app.extensions["companion.catalogue.translations"][lang][module_id]
    return module


def search_jobs(page: Page, step: Any) -> None:
    """Set the job board's filters by their fields and values, then pick a fitting offer."""
    criteria = step.criteria
    page.locator("#job-q").fill(criteria.keyword)
    page.locator("#job-town").select_option(criteria.town)
    page.locator("#job-distance").select_option(str(criteria.distance or ""))
    page.locator("#job-contract").select_option(criteria.contract or "")
    page.locator(".job-filters__submit").click()
    fitting = job_board_answers.fitting_offers(step)
    expect(page.locator("input[name=offer]")).to_have_count(len(fitting))
    page.locator(f"input[name=offer][value='{fitting[0]}']").check()


def answer_on_the_map(page: Page, step: Any, lang: str) -> None:
    if step.task == "find":
        place = town_data().place(step.target)
        assert place is not None
        page.locator("#map-address").fill(town_data().address(place))
        page.locator(".map-search__submit").click()
        expect(page.locator("input[name=place]")).to_have_count(1)
    if step.task == "leave":
        # The time as the learner's language writes it (7:25 outside French).
        page.locator("#leave-time").fill(spoken_time(step.latest_leave(), lang))
        return
    for name, value in map_answers.right_answer(step).items():
        page.locator(f"input[name={name}][value='{value}']").check()


def fill_the_grid(page: Page, step: Any) -> None:
    for target in step.cells:
        page.locator(f"#cell-{target.cell}").fill(target.answer)
    if step.sort is not None:
        page.locator("#sort-column").select_option(step.sort.column)
        page.locator(f"button[name=sort][value={step.sort.direction}]").click()
        expect(page.locator("input[name=order]")).to_have_value(
            spreadsheet_answers.sorted_order(step)
        )
    for rule in step.alert:
        if rule.correct:
            page.locator(f"input[name=rule][value='{rule.id}']").check()


def answer_on_the_board(page: Page, step: Any, lang: str) -> None:
    if step.task == "search":
        search_jobs(page, step)
        return
    for name, value in job_board_answers.right_answer(step).items():
        page.locator(f"input[name={name}][value='{value}']").check()


def choose_the_right_options(page: Page, step: Any, lang: str) -> None:
    for option in step.options:
        if option.correct:
            page.locator(f"input[name=choice][value='{option.id}']").check()


# How each step type is answered right by ids, types and roles (the words may be any language);
# a type missing here (explain, summary) is only read, then sent.
ANSWER_BY_TYPE: dict[str, Callable[[Page, Any, str], None]] = {
    "job_board": answer_on_the_board,
    "map": answer_on_the_map,
    "spreadsheet": lambda page, step, lang: fill_the_grid(page, step),
    "confidence": lambda page, step, lang: page.locator("input[name=confidence]").first.check(),
    "choose": choose_the_right_options,
    "type": lambda page, step, lang: page.locator("#answer").fill(step.accepted[0]),
    "password_lab": lambda page, step, lang: page.locator("#lab-text").fill(STRONG[step.mode]),
    "phone": lambda page, step, lang: sort_messages(page, step),
}


def answer_any_language(page: Page, step: Any, lang: str = "ar") -> None:
    """Answer a step right without reading its words: by ids, types and element roles."""
    kind = step.type_name
    if kind in ANSWER_BY_TYPE:
        ANSWER_BY_TYPE[kind](page, step, lang)
    page.locator("main button[type=submit].button--main").click()
    if step.is_practice:
        expect(page.locator(".feedback--right")).to_be_visible()
        if kind in SIMULATIONS and step.id in SHOWN_AFTER:
            screenshot(page, f"{lang}-{step.id}-answered")
        page.locator("#next-step").click()


def sign_in_by_keypad(page: Page, pin: str) -> None:
    keypad = page.locator(".keypad")
    for digit in pin:
        keypad.locator(f"[data-key='{digit}']").click()
    page.wait_for_url("**/learn/")


def test_module_in_arabic_on_a_phone_reads_right_to_left(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(live.url + AMINA_LINK)
    # The first screen offers the languages by their own names.
    bar = page.get_by_role("form", name="Choisir la langue")
    for name in ("Français", "English", "العربية"):
        expect(bar.get_by_role("button", name=name)).to_be_visible()
    bar.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_text("اكتب رمزك المكون من 4 أرقام")).to_be_visible()
    screenshot(page, "ar-pin")
    sign_in_by_keypad(page, "2580")
    expect(page.get_by_role("heading", name="مرحبًا Amina")).to_be_visible()
    screenshot(page, "ar-learner-home")
    page.get_by_role("link", name="كلمات المرور").click()

    module = translated(live, "ar")
    for n, step in enumerate(module.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_role("heading", level=1)).to_have_text(step.title)
        expect(page.get_by_text(f"الخطوة {n} من {len(module.steps)}").first).to_be_visible()
        if n == 2:
            # Right to left: the pictogram stands at the right of the title.
            picto = page.locator(".step__head .pictogram").bounding_box()
            title = page.locator(".step__head h1").bounding_box()
            assert picto
            assert title
            assert picto["x"] > title["x"]
            # The "previous step" arrow is mirrored to point right.
            arrow = page.locator(".step-footer .icon--directional").first
            assert "matrix(-1" in arrow.evaluate("e => getComputedStyle(e).transform")
        screenshot(page, f"ar-step-{n:02d}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        answer_any_language(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="أحسنت، لقد أنهيت الوحدة!")).to_be_visible()
    screenshot(page, "ar-module-done")


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("module_id", ["emploi-en-ligne", "gps-itineraire", "tableur-stock"])
def test_simulations_in_english_and_arabic_on_a_phone(
    live: LiveServer, new_context: Callable[..., BrowserContext], lang: str, module_id: str
) -> None:
    """The job board, the map and the grid show the learner's language, fit 360 px, and
    their answers are checked in that language."""
    context = new_context()
    context.add_cookies([{"name": "companion_lang", "value": lang, "url": live.url}])
    page = context.new_page()
    page.goto(live.url + AMINA_LINK)
    sign_in_by_keypad(page, "2580")
    page.goto(f"{live.url}/learn/modules/{module_id}/")
    module = translated(live, lang, module_id)
    french = live.module(module_id)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    for step, french_step in zip(module.steps, french.steps, strict=True):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_role("heading", level=1)).to_have_text(step.title)
        if step.type_name in SIMULATIONS:
            if isinstance(step, JobBoardStep) and step.task != "search":
                offer = board_data().offer(step.offers[0])
                assert offer is not None
                # The offer is shown in the learner's language, not in French.
                expect(page.locator(".offer__title").first).not_to_have_text(offer.title)
            if isinstance(french_step, SpreadsheetStep):
                assert french_step.rows[0][0] not in page.locator(".sheet").inner_text()
            screenshot(page, f"{lang}-{module_id}-{step.id}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
        answer_any_language(page, step, lang)
    page.wait_for_url("**/done")


def test_choice_is_saved_on_the_account_and_used_on_another_device(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    phone = new_context().new_page()
    phone.goto(live.url + CHLOE_LINK)
    sign_in_by_keypad(phone, "3690")
    phone.locator(".settings__summary").click()
    phone.locator(".language-list").get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", name="Hello Chloé")).to_be_visible()
    screenshot(phone, "en-learner-home")

    other = new_context().new_page()  # no cookie: the account remembers
    other.goto(live.url + CHLOE_LINK)
    expect(other.locator("html")).to_have_attribute("lang", "fr")
    sign_in_by_keypad(other, "3690")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.get_by_role("link", name="Passwords")).to_be_visible()


def test_unknown_language_codes_fall_back_to_french(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context()
    context.add_cookies([{"name": "companion_lang", "value": "xx-YY", "url": live.url}])
    page = context.new_page()
    response = page.goto(live.url + "/?lang=%3Cscript%3E")
    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Bienvenue sur Compagnon numérique")).to_be_visible()
    page.goto(live.url + "/?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "ar-public-home")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_text_size_and_contrast_are_remembered(
    live: LiveServer, new_context: Callable[..., BrowserContext], javascript: bool
) -> None:
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(live.url + "/")
    size = "parseFloat(getComputedStyle(document.body).fontSize)"
    normal = page.evaluate(size)
    page.locator(".settings__summary").click()
    page.get_by_role("button", name="Très grande").click()
    expect(page.locator("html")).to_have_class(re.compile(r"(^| )text-xlarge( |$)"))
    assert page.evaluate(size) >= normal * 1.45
    if not javascript:  # the form was posted: a new page, with the panel closed
        page.locator(".settings__summary").click()
    page.get_by_role("button", name="Renforcé").click()
    expect(page.locator("html")).to_have_class(re.compile(r"(^| )contrast-high( |$)"))
    if not javascript:
        page.locator(".settings__summary").click()
    expect(page.get_by_role("button", name="Renforcé")).to_have_attribute("aria-pressed", "true")
    screenshot(page, f"settings-xlarge-contrast-{'js' if javascript else 'nojs'}")
    # Another page, served with the settings already in place: no flash of the default.
    page.goto(live.url + "/a-propos")
    expect(page.locator("html")).to_have_class("text-xlarge contrast-high")
    assert page.evaluate(size) >= normal * 1.45
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
