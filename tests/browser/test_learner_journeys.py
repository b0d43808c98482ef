"""A learner completes the module on a 360-px phone, by personal link and by kiosk."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import cip_sees_completed, complete_module, staff_signin
from tests.conftest import AMINA_LINK

pytestmark = pytest.mark.browser
MODULE = "mots-de-passe"


def test_link_keypad_module_and_cip_view(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(live.url + AMINA_LINK)
    screenshot(page, "pin-link")
    keypad = page.locator(".keypad")
    expect(keypad).to_be_visible()  # the script enhanced the plain field
    for digit in "2580":
        keypad.get_by_role("button", name=digit, exact=True).click()
    page.wait_for_url("**/learn/")  # four digits submit by themselves
    screenshot(page, "learner-home")
    expect(page.get_by_role("heading", name="Bonjour Amina")).to_be_visible()
    page.get_by_role("link", name="Mots de passe").click()
    complete_module(page, live.module(MODULE), shots="link")
    screenshot(page, "module-done")
    # Nothing wider than the phone: no sideways scrolling on any screen we passed.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    cip = new_context(phone=False).new_page()
    cip_sees_completed(cip, live.url, "Amina", MODULE)
    screenshot(cip, "cip-home")


def test_link_without_javascript(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live.url + AMINA_LINK)
    expect(page.locator(".keypad")).to_be_hidden()
    page.get_by_label("Tapez votre code à 4 chiffres").fill("1111")
    page.get_by_role("button", name="Entrer").click()
    expect(page.get_by_text("Ce code n'est pas le bon. Essayez encore.")).to_be_visible()
    page.get_by_label("Tapez votre code à 4 chiffres").fill("2580")
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")
    page.get_by_role("link", name="Mots de passe").click()
    complete_module(page, live.module(MODULE))


def test_kiosk_sign_in_module_and_sign_out(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context()
    page = context.new_page()
    staff_signin(page, live.url, "cip@atelier.example")
    page.goto(live.url + "/staff/kiosk")
    page.get_by_role("button", name="Ouvrir la borne").click()
    page.wait_for_url("**/kiosk/")
    screenshot(page, "kiosk-home")
    expect(page.get_by_text("Diallo")).to_have_count(0)
    page.get_by_role("link", name="Bruno").click()
    page.get_by_label("Tapez votre code à 4 chiffres").fill("1357")
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")
    page.get_by_role("link", name="Mots de passe").click()
    complete_module(page, live.module(MODULE), shots="kiosk")
    page.get_by_role("button", name="J'ai fini").click()
    page.wait_for_url("**/kiosk/?bye=1")
    expect(page.get_by_text("Vous avez bien quitté votre espace")).to_be_visible()
    # The back button shows nothing of Bruno's: the server sends the sign-in list instead.
    page.go_back()
    expect(page.get_by_text("Bravo, vous avez fini le module !")).to_have_count(0)
    expect(page.get_by_role("heading", name="Touchez votre prénom")).to_be_visible()
    page.goto(live.url + "/learn/")
    expect(page.get_by_role("heading", name="Touchez votre prénom")).to_be_visible()

    cip = new_context(phone=False).new_page()
    cip_sees_completed(cip, live.url, "Bruno", MODULE)


@pytest.mark.long
def test_kiosk_inactivity_warns_then_signs_out(
    start_server: Callable[..., LiveServer], new_context: Callable[..., BrowserContext]
) -> None:
    live = start_server(KIOSK_IDLE_SECONDS=2, KIOSK_WARNING_SECONDS=3)
    page = new_context().new_page()
    staff_signin(page, live.url, "cip@atelier.example")
    page.goto(live.url + "/staff/kiosk")
    page.get_by_role("button", name="Ouvrir la borne").click()
    page.get_by_role("link", name="Amina").click()
    page.get_by_label("Tapez votre code à 4 chiffres").fill("2580")
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")

    dialog = page.get_by_role("dialog", name="Vous êtes toujours là ?")
    expect(dialog).to_be_visible(timeout=6_000)
    screenshot(page, "kiosk-idle-warning")
    dialog.get_by_role("button", name="Continuer").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Mots de passe").click()  # still signed in
    page.wait_for_url("**/steps/**")

    # Nobody answers this time: the warning counts down, then the kiosk signs out.
    expect(dialog).to_be_visible(timeout=6_000)
    page.wait_for_url("**/kiosk/**", timeout=10_000)
    expect(page.get_by_role("heading", name="Touchez votre prénom")).to_be_visible()
    page.goto(live.url + "/learn/")
    expect(page.get_by_role("heading", name="Touchez votre prénom")).to_be_visible()
