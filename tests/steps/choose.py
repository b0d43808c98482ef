from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "choose"


def right_answer(step: Any) -> dict[str, Any]:
    return {"choice": [o.id for o in step.options if o.correct]}


def wrong_answer(step: Any) -> dict[str, Any]:
    return {"choice": [next(o.id for o in step.options if not o.correct)]}


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    for option in step.options:
        if option.correct:
            page.locator(f"input[name=choice][value='{option.id}']").check()


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
