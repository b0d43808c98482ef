from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "type_text"


def right_answer(step: Any) -> dict[str, Any]:
    return {"answer": step.expected}


def wrong_answer(step: Any) -> dict[str, Any]:
    return {"answer": step.expected.lower() + "x"}


def fill_in_browser(page: Page, step: Any) -> None:
    page.locator("#answer").fill(step.expected)


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
