from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "order"


def right_answer(step: Any) -> dict[str, Any]:
    return {"order": list(step.right_order)}


def wrong_answer(step: Any) -> dict[str, Any]:
    return {"order": list(step.start_order)}


def shown_order(page: Page) -> list[str]:
    ids: list[str] = page.locator("[data-order-list] > li").evaluate_all(
        "items => items.map(item => item.getAttribute('data-item'))"
    )
    return ids


def put_in_order(page: Page, step: Any) -> int:
    """Tap "Monter" until the list is right (works with or without JavaScript); count taps."""
    taps = 0
    for place, item_id in enumerate(step.right_order):
        while (current := shown_order(page)).index(item_id) > place:
            before = current.index(item_id)
            page.locator(f"[data-order-list] > li[data-item='{item_id}'] [data-move=up]").click()
            expect(page.locator("[data-order-list] > li").nth(before - 1)).to_have_attribute(
                "data-item", item_id
            )
            taps += 1
    assert shown_order(page) == list(step.right_order)
    return taps


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    put_in_order(page, step)


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
