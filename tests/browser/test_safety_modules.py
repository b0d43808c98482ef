"""The safety modules' own interactions in Chromium on a 360-px phone (the password lab, the
phone, the glossary); tests/browser/test_all_modules.py finishes them with JavaScript on and off."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import learner_signin
from tests.conftest import AMINA_LINK, DIALLO_LINK

pytestmark = pytest.mark.browser
MODULES = {"mots-de-passe": "Mots de passe", "dangers-internet": "Les dangers d'internet"}


def go_to_step(page: Page, live: LiveServer, module_id: str, step_type: str) -> None:
    """Walk the module with the answerers until the first step of step_type."""
    from tests.steps import ANSWERERS

    module = live.module(module_id)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.type_name == step_type:
            return
        ANSWERERS[step.type_name].answer_in_browser(page, step)


def test_lab_live_analysis_and_no_secret_in_any_url(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    secret = "Amina1990-unique-x7Q"
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    learner_signin(page, live.url, AMINA_LINK, "2580")
    page.goto(live.url + "/learn/modules/mots-de-passe/")
    go_to_step(page, live, "mots-de-passe", "password_lab")
    field = page.locator("#lab-text")
    expect(field).to_have_attribute("autocomplete", "off")
    posts_before = len(urls)
    field.fill("Amina1990")
    live_area = page.locator("[data-lab-live]")
    expect(live_area.locator(".lab-verdict--bad")).to_be_visible()
    expect(live_area).to_contain_text("votre prénom")
    expect(live_area).to_contain_text("une année")
    assert len(urls) == posts_before  # the analysis ran in the page, nothing was sent
    screenshot(page, "lab-weak")
    field.fill("k8$Lp.2mQ!x9Zt")
    expect(live_area.locator(".lab-verdict--good")).to_be_visible()
    screenshot(page, "lab-strong")
    field.fill(secret)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.locator("[data-lab-server]")).to_be_visible()
    assert page.locator("#lab-text").input_value() == ""
    assert secret not in page.content()
    assert all(secret not in url for url in urls)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # In Arabic the script writes whole sentences with the language's plurals, as the
    # server does (tests/web/test_safety_modules.py::test_every_lab_text_is_a_whole_sentence).
    page.goto(page.url.split("#")[0].split("?")[0] + "?lang=ar")
    page.locator("#lab-text").fill("Xq7#mPz2L")
    expect(live_area).to_contain_text("لص لديه حاسوب قوي يجدها في 3 سنوات.")
    expect(live_area).to_contain_text("✘ فيها 9 رموز. الهدف 12 رمزًا أو أكثر.")


def test_lab_without_javascript_answers_on_submit(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    learner_signin(page, live.url, DIALLO_LINK, "4826")
    page.goto(live.url + "/learn/modules/mots-de-passe/")
    go_to_step(page, live, "mots-de-passe", "password_lab")
    page.locator("#lab-text").fill("Diallo2001")
    page.get_by_role("button", name="Je vérifie").click()
    server = page.locator("[data-lab-server]")
    expect(server).to_contain_text("Pas assez solide")
    expect(server).to_contain_text("votre prénom")
    screenshot(page, "lab-nojs-weak")


def test_phone_sorting_with_javascript(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    learner_signin(page, live.url, AMINA_LINK, "2580")
    page.goto(live.url + "/learn/modules/dangers-internet/")
    go_to_step(page, live, "dangers-internet", "phone")
    expect(page.get_by_text("Simulation : ce téléphone n'est pas vrai.")).to_be_visible()
    screenshot(page, "phone-inbox")
    messages = page.locator("details[data-message]")
    first = messages.nth(0)
    first.locator("input[type=checkbox]").nth(1).check()
    first.locator("input[value=scam]").check()
    # The script notes the sort, closes the message and opens the next one.
    expect(first.locator("[data-sorted]")).to_have_text("Une arnaque")
    expect(messages.nth(1)).to_have_attribute("open", "")
    expect(page.locator("[data-phone-count]")).to_contain_text("Messages triés : 1 sur")
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Choisissez ou tapez une réponse")).to_be_visible()
    screenshot(page, "phone-unsorted")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_tapped_word_shows_its_definition(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """#15 item 8: a hard word opens its definition over the step, with its picture; Escape
    closes it and gives the focus back to the word. Then the same page in Arabic."""
    from tests.steps import ANSWERERS

    page = new_context().new_page()
    learner_signin(page, live.url, AMINA_LINK, "2580")
    page.get_by_role("link", name=MODULES["dangers-internet"]).click()
    for step in live.module("dangers-internet").steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.id == "public-wifi":
            break
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    word = page.locator("a.glossary-term", has_text="données mobiles")
    word.click()
    sheet = page.get_by_role("dialog", name="données mobiles")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Les données mobiles sont l'internet de votre forfait")
    expect(sheet.locator("img[alt='Un téléphone portable']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "glossary-popup")
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(word).to_be_focused()
    # The list under the step keeps the definition, for read-aloud and without the window.
    expect(page.locator("#mot-donnees-mobiles")).to_contain_text("forfait")
    page.goto(page.url + "?lang=ar")
    page.locator("a.glossary-term", has_text="بيانات الهاتف المحمول").click()
    ar_sheet = page.get_by_role("dialog", name="بيانات الهاتف المحمول")
    expect(ar_sheet).to_contain_text("تعمل بدون واي فاي")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "glossary-popup-ar")
    ar_sheet.get_by_role("button", name="إغلاق").click()
    expect(ar_sheet).to_be_hidden()
