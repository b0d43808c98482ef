"""The entry check "Par où commencer ?" in Chromium: finished with a finger on a 360 px
touch screen and with the keyboard alone at 1280 px, and axe-core on its pages in French and
Arabic (the learner's offer, its page before and after, a step, the home's advice, the CIP's
learner file with the levels before and after)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from companion.catalogue import Module
from companion.catalogue.entry_check import SCREEN_BASICS
from companion.catalogue.steps import StepBase
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import (
    learner_signin,
    learner_signin_by_keyboard,
    no_sideways_scroll,
    staff_signin,
    tab_to,
)
from tests.browser.test_accessibility import run_axe
from tests.conftest import CHLOE_LINK
from tests.steps import ANSWERERS

pytestmark = pytest.mark.browser

CHECK = "par-ou-commencer"
BRUNO_LINK = "/s/demo-bruno-8Hd2Zp4Wc6N"
# The answer each step gets: a place, an option, a cell's value, a self-assessment.
RIGHT = {
    "scam-sms": ("choice", "delete"),
    "password-place": ("choice", "field"),
    "map-place": ("place", "pharmacie"),
    "offer-city": ("choice", "colomiers"),
}


def _advice(page: Page) -> list[str]:
    """The recommended modules shown, in order, by id."""
    links = page.locator(".entry-advice__list a")
    return [(links.nth(i).get_attribute("href") or "").split("/")[-2] for i in range(links.count())]


def _expected(live: LiveServer, *areas: str) -> list[str]:
    """The modules the answers below recommend: the screen basics only where they exist."""
    known = live.app.extensions["companion.catalogue"]
    return [a for a in areas if a != SCREEN_BASICS or SCREEN_BASICS in known]


# --- A finger on a phone ----------------------------------------------------------------


def _tap_answer(page: Page, step: StepBase) -> None:
    """Answer as a finger does: tap the picture or the words, type with the phone keyboard.
    The fake parcel SMS gets a wrong answer first; the screen questions "Pas encore"."""
    if step.confidence_moment:
        page.locator("label:has(input[name=confidence][value='not_yet'])").tap()
    elif step.id == "table-number":
        page.locator("#cell-B5").tap()
        page.keyboard.type("38")
    elif step.id in RIGHT:
        if step.id == "scam-sms":
            page.locator("label:has(input[name=choice][value='pay'])").tap()
            page.locator("main button[type=submit].button--main").tap()
            expect(page.locator(".feedback--wrong")).to_be_visible()
        name, value = RIGHT[step.id]
        page.locator(f"label:has(input[name={name}][value='{value}'])").first.tap()
    page.locator("main button[type=submit].button--main").tap()
    if step.is_practice:
        expect(page.locator(".feedback--right")).to_be_visible()
        page.locator("#next-step").tap()


def test_a_finger_on_a_phone_finishes_the_check_from_the_first_sign_in_offer(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context()  # 360 × 740, is_mobile, has_touch
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    learner_signin(page, live.url)
    offer = page.locator(".entry-offer")
    expect(offer.get_by_role("heading", name="Par où commencer ?")).to_be_visible()
    expect(offer.get_by_role("button", name="Plus tard")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "entry-fr-home-offer")
    offer.get_by_role("link", name="Commencer les questions").tap()
    check: Module = live.module(CHECK)
    for n, step in enumerate(check.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_text(f"Étape {n} sur {len(check.steps)}").first).to_be_visible()
        no_sideways_scroll(page)
        screenshot(page, f"entry-fr-step-{n:02d}-{step.id}")
        _tap_answer(page, step)
    page.wait_for_url("**/learn/entry-check")
    expect(page.get_by_role("heading", name="Vos modules conseillés")).to_be_visible()
    # Never used a screen ("Pas encore" twice), fooled once by the fake parcel.
    assert _advice(page) == _expected(live, SCREEN_BASICS, "dangers-internet")
    no_sideways_scroll(page)
    screenshot(page, "entry-fr-advice")
    page.goto(f"{live.url}/learn/?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="وحداتك المقترحة")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "entry-ar-home-advice")
    page.goto(f"{live.url}/learn/entry-check?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="من أين أبدأ؟")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "entry-ar-advice")
    assert errors == []


# --- The keyboard alone, on a computer -----------------------------------------------------


def _keyboard_radio(page: Page, name: str, value: str) -> None:
    """A radio group: Tab into it, Space, then the arrows to the wanted one."""
    tab_to(page, f"input[name={name}]")
    page.keyboard.press("Space")
    for _ in range(30):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no {name}={value} reached with the arrows")


def _keyboard_answer(page: Page, step: StepBase) -> None:
    if step.confidence_moment:
        _keyboard_radio(page, "confidence", "yes")
    elif step.id == "table-number":
        tab_to(page, "#cell-B5")
        page.keyboard.type("38")
    elif step.id in RIGHT:
        _keyboard_radio(page, *RIGHT[step.id])
    tab_to(page, "main button[type=submit].button--main")
    page.keyboard.press("Enter")
    if step.is_practice:
        expect(page.locator(".feedback--right")).to_be_visible()
        tab_to(page, "#next-step")
        page.keyboard.press("Enter")


def test_the_keyboard_alone_puts_it_off_then_finishes_it_from_the_home_card(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(phone=False).new_page()  # 1280 × 800, no touch
    learner_signin_by_keyboard(page, live.url)
    tab_to(page, ".entry-offer button[type=submit]")  # "Plus tard"
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")
    expect(page.locator(".entry-offer")).to_have_count(0)
    tab_to(page, ".entry-card a.module-card__link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/entry-check")
    tab_to(page, f"main a[href='/learn/modules/{CHECK}/']")
    page.keyboard.press("Enter")
    for step in live.module(CHECK).steps:
        page.wait_for_url(f"**/steps/{step.id}")
        _keyboard_answer(page, step)
    page.wait_for_url("**/learn/entry-check")
    expect(page.get_by_role("heading", name="Vos modules conseillés")).to_be_visible()
    expect(page.get_by_text("Vous savez déjà beaucoup de choses.")).to_be_visible()
    assert _advice(page) == []
    screenshot(page, "entry-fr-desktop-all-right")


# --- The mouse, on a computer: taken again at the end of the path --------------------------


def test_the_mouse_takes_it_again_and_the_cip_sees_before_and_after(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(phone=False).new_page()  # 1280 × 800, a mouse
    learner_signin(page, live.url, BRUNO_LINK, "1357")
    page.locator(".entry-card a.module-card__link").click()
    page.wait_for_url("**/learn/entry-check")
    page.get_by_role("button", name="Refaire les questions").click()
    for step in live.module(CHECK).steps:
        page.wait_for_url(f"**/retry/1/{step.id}")
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/learn/entry-check")
    expect(page.get_by_text("Vous savez déjà beaucoup de choses.")).to_be_visible()
    staff = new_context(phone=False).new_page()
    staff_signin(staff, live.url, "cip@atelier.example")
    staff.wait_for_url("**/staff/learners")
    staff.get_by_role("link", name="Bruno").first.click()
    row = staff.locator("tr[data-area='dangers-internet']")
    expect(row.locator("td")).to_have_text(["À apprendre", "À l'aise"])
    screenshot(staff, "entry-fr-cip-file-bruno-after")


# --- axe-core on the new pages, in French and Arabic ----------------------------------------


def _axe_everywhere(page: Page, path: str, base: str) -> list[str]:
    """Violations on the page in French then Arabic, at both widths (the page loaded once per
    language at 360 px, then widened, as the accessibility crawl does)."""
    found = []
    sep = "&" if "?" in path else "?"
    for lang in ("fr", "ar"):
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(f"{base}{path}{sep}lang={lang}")
        for width, height in ((360, 740), (1280, 800)):
            page.set_viewport_size({"width": width, "height": height})
            found += [f"{path} {lang} {width}px: {v}" for v in run_axe(page)]
    page.goto(f"{base}{path}{sep}lang=fr")
    return found


@pytest.mark.long
def test_axe_finds_nothing_on_the_new_pages_in_french_and_arabic(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    problems: list[str] = []
    amina = new_context(axe=True).new_page()
    learner_signin(amina, live.url)
    for path in ("/learn/", "/learn/entry-check", f"/learn/modules/{CHECK}/steps/welcome"):
        problems += _axe_everywhere(amina, path, live.url)
    bruno = new_context(axe=True).new_page()
    learner_signin(bruno, live.url, BRUNO_LINK, "1357")
    # Bruno has taken it: every step opens, the answers with their pictures.
    steps = [f"/learn/modules/{CHECK}/steps/{s.id}" for s in live.module(CHECK).steps[1:]]
    for path in ("/learn/", "/learn/entry-check", *steps):
        problems += _axe_everywhere(bruno, path, live.url)
    chloe = new_context(axe=True).new_page()
    learner_signin(chloe, live.url, CHLOE_LINK, "3690")
    problems += _axe_everywhere(chloe, "/learn/entry-check", live.url)
    cip = new_context(phone=False, axe=True).new_page()
    staff_signin(cip, live.url, "cip@atelier.example")
    cip.wait_for_url("**/staff/learners")
    cip.get_by_role("link", name="Chloé").first.click()
    cip.wait_for_url("**/staff/learners/*")
    expect(cip.get_by_role("heading", name="Par où commencer ? Niveau mesuré")).to_be_visible()
    file_path = cip.url.removeprefix(live.url)
    problems += _axe_everywhere(cip, file_path, live.url)
    screenshot(cip, "entry-fr-cip-file")
    assert problems == []
