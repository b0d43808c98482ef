"""Answering the simulated job board: pick a fitting offer, an option, or the named offer."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from companion.catalogue.steps.job_board import board_data

TYPE = "job_board"


def fitting_offers(step: Any) -> list[str]:
    data = board_data()
    return [o.id for o in step.criteria.as_filters().search(data)]


def right_answer(step: Any) -> dict[str, Any]:
    if step.task == "read":
        return {"choice": next(o.id for o in step.options if o.correct)}
    if step.task == "choose":
        return {"offer": step.answer}
    return {"offer": fitting_offers(step)[0], **used_filters(step)}


def used_filters(step: Any) -> dict[str, str]:
    """The filters a search task's answer form carries once the learner set them."""
    criteria = step.criteria
    return {
        "q": criteria.keyword,
        "ville": criteria.town,
        "distance": str(criteria.distance or ""),
        "contrat": criteria.contract or "",
    }


def wrong_answer(step: Any) -> dict[str, Any]:
    if step.task == "read":
        return {"choice": next(o.id for o in step.options if not o.correct)}
    if step.task == "choose":
        return {"offer": next(o for o in step.offers if o != step.answer)}
    fitting = set(fitting_offers(step))
    return {"offer": next(o.id for o in board_data().offers if o.id not in fitting)}


# The filter fields of the board, by their labels, and their names in the forms.
FILTER_LABELS = {
    "Métier ou mot-clé": "q",
    "Ville": "ville",
    "Distance autour de la ville": "distance",
    "Contrat": "contrat",
}


def search_filters(step: Any) -> dict[str, str]:
    """The filter fields a learner sets for a search task, by their labels."""
    used = used_filters(step)
    return {label: used[name] for label, name in FILTER_LABELS.items()}


def results_text(step: Any) -> str:
    count = len(fitting_offers(step))
    return "1 offre trouvée" if count == 1 else f"{count} offres trouvées"


def fill_in_browser(page: Page, step: Any) -> None:
    """Answer right as a learner does, up to "Je vérifie" (not pressed)."""
    if step.task == "search":
        for label, value in search_filters(step).items():
            field = page.get_by_label(label, exact=True)
            if label == "Métier ou mot-clé":
                field.fill(value)
            else:
                field.select_option(value)
        page.get_by_role("button", name="Chercher").click()
        expect(page.locator(".results-count")).to_have_text(results_text(step))
        target = fitting_offers(step)[0]
        page.locator(f"input[name=offer][value='{target}']").check()
    elif step.task == "read":
        option = next(o for o in step.options if o.correct)
        page.locator(f"input[name=choice][value='{option.id}']").check()
    else:
        page.locator(f"input[name=offer][value='{step.answer}']").check()


def answer_in_browser(page: Page, step: Any) -> None:
    fill_in_browser(page, step)
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()
