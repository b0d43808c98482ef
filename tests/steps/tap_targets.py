from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

TYPE = "tap_targets"


def right_answer(step: Any) -> dict[str, Any]:
    """The press on the last round (the rounds before it only show the next one)."""
    return {"hit": str(step.last_round)}


def wrong_answer(step: Any) -> None:
    return None  # every press on the target is right: a miss is not a press


def press_rounds(page: Page, step: Any, press: str = "click") -> None:
    """Press the target of every round, up to the last one (not pressed): with a click, a
    tap (page.touchscreen) or the keyboard ("keyboard": Tab to the target, then Enter)."""
    zone = page.locator("[data-tap-zone]")
    target = page.locator("[data-tap-target]")
    for n in range(step.last_round):
        expect(zone).to_have_attribute("data-round", str(n))
        expect(target).to_have_class(f"tap-target tap-target--s{step.sizes[n]}")
        press_once(page, press)
    expect(zone).to_have_attribute("data-round", str(step.last_round))


def press_once(page: Page, press: str) -> None:
    target = page.locator("[data-tap-target]")
    if press == "tap":
        target.scroll_into_view_if_needed()
        page.wait_for_timeout(400)  # two taps closer in time are one double tap
        box = target.bounding_box()
        assert box is not None
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    elif press == "keyboard":
        target.focus()
        page.keyboard.press("Enter")
    else:
        target.click()


def fill_in_browser(page: Page, step: Any) -> None:
    press_rounds(page, step)


def send_in_browser(page: Page, step: Any) -> None:
    """The press on the last round is the answer: the step has no "Je vérifie" button."""
    page.locator("[data-tap-target]").click()


def answer_in_browser(page: Page, step: Any) -> None:
    press_rounds(page, step)
    send_in_browser(page, step)
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
