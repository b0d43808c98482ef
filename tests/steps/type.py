from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "type"


def right_answer(step: Any) -> dict[str, Any]:
    return {"answer": step.accepted[0]}


def wrong_answer(step: Any) -> dict[str, Any]:
    return {"answer": "certainement pas ça"}


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    page.locator("#answer").fill(step.accepted[0])


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
