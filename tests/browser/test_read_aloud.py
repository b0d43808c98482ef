"""Read-aloud wherever a learner goes (issue 15, item 3), in Chromium at 360 px with the
browser's speech engine replaced by a recorder: what would be said, in which voice, and
what the page shows when the device has no voice for its language."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import staff_signin
from tests.conftest import AMINA_LINK, CHLOE_LINK
from tests.steps import ANSWERERS

pytestmark = pytest.mark.browser

FRENCH = {"lang": "fr-FR", "name": "Voix française", "default": True}
ARABIC = {"lang": "ar-SA", "name": "صوت عربي", "default": False}
ENGLISH = {"lang": "en-GB", "name": "English voice", "default": False}


def recorder(voices: list[dict[str, Any]]) -> str:
    """An init script: speechSynthesis that records each utterance instead of speaking."""
    return f"""
    window.__spoken = [];
    window.__cancels = 0;
    const voices = {json.dumps(voices)};
    const synth = {{
      speaking: false, pending: false, paused: false, onvoiceschanged: null,
      getVoices() {{ return voices; }},
      speak(u) {{
        const voice = u.voice ? u.voice.lang : null;
        window.__spoken.push({{ text: u.text, lang: u.lang, voice: voice }});
      }},
      cancel() {{ window.__cancels += 1; }},
      pause() {{}}, resume() {{}}, addEventListener() {{}}, removeEventListener() {{}},
    }};
    Object.defineProperty(window, "speechSynthesis", {{ value: synth, configurable: true }});
    window.SpeechSynthesisUtterance = function (text) {{
      this.text = text; this.lang = ""; this.voice = null;
    }};
    """


def listening(
    new_context: Callable[..., BrowserContext], voices: list[dict[str, Any]] | None = None
) -> Page:
    context = new_context()
    context.add_init_script(recorder([FRENCH, ARABIC, ENGLISH] if voices is None else voices))
    return context.new_page()


def listen(page: Page) -> dict[str, Any]:
    """Press "Écouter" and return what was said."""
    before = page.evaluate("window.__spoken.length")
    page.locator("[data-read]:visible").first.click()  # "Écouter", in any language
    page.wait_for_function(f"window.__spoken.length > {before}")
    said: dict[str, Any] = page.evaluate("window.__spoken[window.__spoken.length - 1]")
    return said


CONTROLS = ("Écouter", "Arrêter la lecture", "J'ai fini", "Je vérifie", "Entrer")


def assert_content_only(text: str) -> None:
    for control in CONTROLS:
        assert control not in text, (control, text)


def sign_in(page: Page, base: str, link: str, pin: str) -> None:
    page.goto(base + link)
    page.get_by_label("Tapez votre code à 4 chiffres").fill(pin)
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")


def test_read_aloud_on_the_pin_home_error_done_and_review_pages(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = listening(new_context)
    page.goto(live.url + AMINA_LINK)
    said = listen(page)
    assert "Bonjour" in said["text"]
    assert "Amina" in said["text"]
    assert "Tapez votre code à 4 chiffres" in said["text"]
    assert "⌫" not in said["text"]
    assert "1\n2\n3" not in said["text"]  # not the keypad
    assert_content_only(said["text"])
    assert said["voice"] == "fr-FR"

    sign_in(page, live.url, AMINA_LINK, "2580")
    said = listen(page)
    assert "Mots de passe" in said["text"]
    assert "25 minutes" in said["text"]
    assert_content_only(said["text"])

    page.goto(live.url + "/learn/modules/nope/")
    said = listen(page)
    assert "Page introuvable" in said["text"]
    assert_content_only(said["text"])

    chloe = listening(new_context)
    sign_in(chloe, live.url, CHLOE_LINK, "3690")
    chloe.goto(live.url + "/learn/modules/mots-de-passe/done")
    expect(chloe.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()
    said = listen(chloe)
    assert "Bravo, vous avez fini le module !" in said["text"]
    assert "Revoir le module avec les réponses" in said["text"]  # a link: content, said
    assert "Refaire le module pour m'entraîner" not in said["text"]  # a button: a control
    chloe.goto(live.url + "/learn/modules/mots-de-passe/review")
    said = listen(chloe)
    assert "La bonne réponse" in said["text"]
    # The module teaches « J'ai fini » itself: only the page's own controls are left out.
    assert "Écouter" not in said["text"]
    assert "Arrêter la lecture" not in said["text"]


def test_read_aloud_on_the_kiosks_list_of_names(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = listening(new_context)
    staff_signin(page, live.url, "cip@atelier.example")
    page.goto(live.url + "/staff/kiosk")
    page.get_by_role("button", name="Ouvrir la borne").click()
    page.wait_for_url("**/kiosk/")
    said = listen(page)
    assert "Touchez votre prénom" in said["text"]
    for name in ("Amina", "Bruno", "Chloé"):
        assert name in said["text"]
    assert_content_only(said["text"])


def test_a_visible_stop_ends_the_reading(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = listening(new_context)
    sign_in(page, live.url, AMINA_LINK, "2580")
    stop = page.get_by_role("button", name="Arrêter la lecture")
    expect(stop).to_be_hidden()
    listen(page)
    expect(stop).to_be_visible()
    screenshot(page, "read-aloud-stop")
    cancels = page.evaluate("window.__cancels")
    stop.click()
    assert page.evaluate("window.__cancels") > cancels
    expect(stop).to_be_hidden()


def test_formulas_are_said_in_words(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = listening(new_context)
    sign_in(page, live.url, AMINA_LINK, "2580")
    module = live.module("tableur-stock")
    page.goto(live.url + f"/learn/modules/{module.id}/")
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.id == "sum":
            break
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    said = listen(page)
    assert "égal somme de B2 à B6" in said["text"]
    assert "=SOMME" not in said["text"]


def test_the_page_languages_voice_and_a_clear_message_without_one(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = listening(new_context)
    page.goto(live.url + AMINA_LINK + "?lang=ar")
    said = listen(page)
    assert said["voice"] == "ar-SA"

    mute = listening(new_context, voices=[ENGLISH])
    mute.goto(live.url + AMINA_LINK)
    mute.get_by_role("button", name="Écouter").click()
    expect(mute.get_by_text("Cet appareil n'a pas de voix pour lire cette langue.")).to_be_visible()
    assert mute.evaluate("window.__spoken.length") == 0


def test_without_javascript_no_read_aloud_button_is_shown(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live.url + AMINA_LINK)
    expect(page.get_by_role("button", name="Écouter")).to_have_count(0)
