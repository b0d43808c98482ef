from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "phone"


def right_answer(step: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for message in step.messages:
        answer[f"verdict-{message.id}"] = message.verdict
        answer[f"signs-{message.id}"] = [str(n) for n in sorted(message.sign_indexes)]
    return answer


def wrong_answer(step: Any) -> dict[str, Any]:
    answer = right_answer(step)
    first = step.messages[0]
    answer[f"verdict-{first.id}"] = next(
        v for v in ("safe", "scam", "ask") if v not in first.accepted
    )
    return answer


def sort_messages(page: Page, step: Any) -> None:
    """Tick every warning sign and sort every message, as a learner does, without submitting."""
    for message in step.messages:
        box = page.locator(
            "details[data-message]", has=page.locator(f"input[name='verdict-{message.id}']")
        )
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        for n in sorted(message.sign_indexes):
            box.locator(f"input[name='signs-{message.id}'][value='{n}']").check()
        box.locator(f"input[name='verdict-{message.id}'][value='{message.verdict}']").check()


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    sort_messages(page, step)


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
