from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "spot"


def right_answer(step: Any) -> dict[str, Any]:
    return {"part": [s.id for s in step.traps]}


def wrong_answer(step: Any) -> dict[str, Any]:
    return {"part": [next(s.id for s in step.message.segments if not s.trap)]}


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    for segment in step.traps:
        page.locator(f"input[name=part][value='{segment.id}']").check()


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
