from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "password_lab"

STRONG = {
    "password": "k8$Lp.2mQ!x9Zt",
    "passphrase": "tulipe bus orange râteau nuage valise pain",
}


def right_answer(step: Any) -> dict[str, Any]:
    return {"lab_text": STRONG[step.mode]}


def wrong_answer(step: Any) -> dict[str, Any]:
    return {"lab_text": "azerty"}


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    page.locator("#lab-text").fill(STRONG[step.mode])
    if page.evaluate("typeof window.CompagnonPasswordLab") == "object":
        # With JavaScript the analysis shows while typing, before any post.
        expect(page.locator("[data-lab-live] .lab-verdict--good")).to_be_visible()


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
