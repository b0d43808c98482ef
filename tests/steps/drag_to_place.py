from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "drag_to_place"


def right_answer(step: Any) -> dict[str, Any]:
    return {f"place-{item.id}": item.place for item in step.items}


def wrong_answer(step: Any) -> dict[str, Any]:
    """Every item in a place that is not its own."""
    places = [p.id for p in step.places]
    return {f"place-{item.id}": next(p for p in places if p != item.place) for item in step.items}


def fill_in_browser(page: Page, step: Any) -> None:
    """The way without dragging: each item's list (keyboard, screen reader, no script)."""
    for item in step.items:
        page.locator(f"#place-{item.id}").select_option(item.place)


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
