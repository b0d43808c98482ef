"""The kiosk for the next person, in the browser at 360 px (issue 15, item 7): "J'ai fini"
stays in view while the learner scrolls, and the reading settings go back to the defaults."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import PHONE, LiveServer, screenshot
from tests.browser.journeys import staff_signin

pytestmark = pytest.mark.browser


def kiosk_learner(page: Page, base: str, name: str, pin: str) -> None:
    staff_signin(page, base, "cip@atelier.example")
    page.goto(base + "/staff/kiosk")
    page.get_by_role("button", name="Ouvrir la borne").click()
    page.wait_for_url("**/kiosk/")
    page.get_by_role("link", name=name).click()
    page.get_by_label("Tapez votre code à 4 chiffres").fill(pin)
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")


def in_view(page: Page, name: str) -> bool:
    box = page.get_by_role("button", name=name).bounding_box()
    assert box is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_jai_fini_stays_reachable_while_scrolling_and_settings_reset(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    kiosk_learner(page, live.url, "Bruno", "1357")
    page.get_by_text("Taille du texte, contraste et langue").click()
    page.get_by_role("button", name="Très grande").click()
    page.get_by_role("button", name="Renforcé").click()
    expect(page.locator("html")).to_have_class("text-xlarge contrast-high")
    page.get_by_role("link", name="Mots de passe").click()
    page.wait_for_url("**/steps/**")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(200)
    assert page.evaluate("window.scrollY") > 200  # the page really scrolled
    assert in_view(page, "J'ai fini")
    screenshot(page, "kiosk-jai-fini-sticky")
    page.get_by_role("button", name="J'ai fini").click()
    page.wait_for_url("**/kiosk/?bye=1")
    expect(page.locator("html")).to_have_class("text-normal contrast-normal")
