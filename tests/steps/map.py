"""Answering the simulated map: a place, a route, a time, a share, a permission."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from companion.catalogue.steps.map import spoken_time, town_data

TYPE = "map"


def right_answer(step: Any) -> dict[str, Any]:
    if step.task in ("locate", "find"):
        return {"place": step.target}
    if step.task == "route":
        return {"route": sorted(step.right_routes())[0]}
    if step.task == "leave":
        return {"time": spoken_time(step.latest_leave())}
    if step.task == "share":
        return {"duration": step.duration, "person": next(p.id for p in step.people if p.correct)}
    return {"permission": "while_open"}


def wrong_answer(step: Any) -> dict[str, Any]:
    if step.task in ("locate", "find"):
        return {"place": next(p.id for p in town_data().places if p.id != step.target)}
    if step.task == "route":
        return {"route": next(m for m in step.modes if m not in step.right_routes())}
    if step.task == "leave":
        return {"time": spoken_time(step.latest_leave() + 10)}
    if step.task == "share":
        return {"duration": "always", "person": next(p.id for p in step.people if p.correct)}
    return {"permission": "always"}


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    answer = right_answer(step)
    if step.task == "find":
        place = town_data().place(step.target)
        assert place is not None
        page.get_by_label("Tapez une adresse").fill(town_data().address(place))
        page.get_by_role("button", name="Chercher").click()
    if step.task == "leave":
        page.locator("#leave-time").fill(answer["time"])
    else:
        for name, value in answer.items():
            page.locator(f"input[name={name}][value='{value}']").check()


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
