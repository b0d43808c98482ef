"""The structure's digital diagnostic in Chromium, for the direction, the CIP, the encadrant
and the platform admin, at 1280 px and at 360 px, with axe-core on every new page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from companion.catalogue.diagnostic import load_grid
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import no_sideways_scroll, staff_signin
from tests.browser.test_accessibility import run_axe

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": False, "phone": True}


def _check(page: Page, name: str, problems: list[str]) -> None:
    """No sideways scroll, no axe violation; a screenshot for people to look at."""
    no_sideways_scroll(page)
    problems += [f"{name} ({page.url}): {v}" for v in run_axe(page)]
    screenshot(page, f"diagnostic-{name}")


def _signed_in(
    new_context: Callable[..., BrowserContext], live: LiveServer, email: str, phone: bool
) -> Page:
    page = new_context(phone=phone, axe=True).new_page()
    staff_signin(page, live.url, email)
    page.wait_for_url(lambda url: "/signin" not in url)
    return page


@pytest.mark.parametrize("size", list(WIDTHS))
def test_direction_reads_the_result_plans_and_closes(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
    size: str,
) -> None:
    page = _signed_in(new_context, live, "direction@atelier.example", WIDTHS[size])
    problems: list[str] = []
    if WIDTHS[size]:
        page.get_by_role("navigation", name="Menu de l’équipe").get_by_role(
            "link", name="Diagnostic"
        ).click()
    else:
        page.get_by_role("link", name="Diagnostic", exact=True).click()
    expect(page.get_by_role("heading", name="Diagnostic numérique de la structure")).to_be_visible()
    _check(page, f"home-direction-{size}", problems)

    page.get_by_role("link", name="Résultat et plan").first.click()
    page.wait_for_url("**/result")
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.locator("#profile-table")).to_be_visible()
    expect(page.get_by_text("Avis partagés").first).to_be_visible()
    _check(page, f"result-direction-{size}", problems)

    page.get_by_label("Action", exact=True).select_option(index=0)
    page.get_by_label("Responsable").last.select_option(label="cip@atelier.example")
    page.get_by_label("Échéance").last.fill("2031-06-30")
    page.get_by_role("button", name="Ajouter au plan").click()
    expect(page.get_by_text("L'action est ajoutée au plan.")).to_be_visible()
    card = page.locator("[data-plan]").first
    card.locator("summary").click()
    card.get_by_label("État").select_option("doing")
    card.get_by_role("button", name="Enregistrer le suivi").click()
    expect(page.get_by_text("Le suivi de l'action est enregistré.")).to_be_visible()
    expect(page.get_by_text("État : En cours").first).to_be_visible()
    _check(page, f"result-plan-{size}", problems)

    page.get_by_role("link", name="Clore après la réunion").click()
    page.wait_for_url("**/close")
    _check(page, f"close-{size}", problems)
    page.get_by_label("Ce que l'équipe a décidé pendant la réunion").fill("Borne d'abord.")
    page.get_by_role("button", name="Clore le diagnostic").click()
    expect(page.get_by_text("Le diagnostic est clos.")).to_be_visible()
    expect(page.get_by_text("Borne d'abord.")).to_be_visible()
    expect(page.get_by_role("button", name="Ajouter au plan")).to_have_count(0)
    _check(page, f"result-closed-{size}", problems)
    assert problems == []


@pytest.mark.parametrize("size", list(WIDTHS))
def test_cip_answers_an_axis_and_goes_on(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
    size: str,
) -> None:
    grid = load_grid("fr")
    page = _signed_in(new_context, live, "cip@atelier.example", WIDTHS[size])
    problems: list[str] = []
    page.goto(live.url + "/staff/diagnostic")
    page.get_by_role("link", name="Répondre").first.click()
    page.wait_for_url(re.compile(r"/staff/diagnostic/\d+$"))
    _check(page, f"overview-cip-{size}", problems)
    page.locator("main table a").first.click()
    expect(page.get_by_role("heading", name=grid.axes[0].title)).to_be_visible()
    first = page.locator("fieldset").first
    first.get_by_text(grid.scale.unknown).click()
    _check(page, f"axis-cip-{size}", problems)
    page.get_by_role("button", name="Enregistrer et passer à l'axe suivant").click()
    expect(page.get_by_role("heading", name=grid.axes[1].title)).to_be_visible()
    expect(page.get_by_text("Vos réponses sont enregistrées.")).to_be_visible()
    page.go_back()
    page.reload()
    expect(page.locator("fieldset").first.locator("input[value=unknown]")).to_be_checked()
    assert problems == []


@pytest.mark.parametrize("size", list(WIDTHS))
def test_encadrant_stops_halfway_and_resumes(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
    size: str,
) -> None:
    grid = load_grid("fr")
    page = _signed_in(new_context, live, "encadrant@atelier.example", WIDTHS[size])
    problems: list[str] = []
    page.goto(live.url + "/staff/diagnostic")
    page.get_by_role("link", name="Répondre").first.click()
    page.get_by_role("link", name=f"Continuer : {grid.axes[0].title}").click()
    question = page.locator("fieldset").first
    question.locator("input[value='2']").focus()
    page.keyboard.press("Space")  # with the keyboard, as a radio is answered
    expect(question.locator("input[value='2']")).to_be_checked()
    page.get_by_role("button", name="Enregistrer et revenir au sommaire").click()
    expect(page.get_by_text(f"1 sur {len(grid.axes[0].questions)}")).to_be_visible()
    _check(page, f"overview-encadrant-{size}", problems)
    # Later, the page comes back as it was left.
    page.get_by_role("link", name=grid.axes[0].title, exact=True).click()
    expect(page.locator("fieldset").first.locator("input[value='2']")).to_be_checked()
    expect(page.locator("input:checked")).to_have_count(1)
    page.goto(live.url + "/staff/diagnostic")
    expect(page.get_by_role("button", name="Ouvrir le diagnostic")).to_have_count(0)
    page.get_by_role("link", name="Résultat et plan").first.click()
    page.wait_for_url("**/result")  # before looking for what must not be there
    expect(page.get_by_role("button", name="Ajouter au plan")).to_have_count(0)
    _check(page, f"result-encadrant-{size}", problems)
    assert problems == []


@pytest.mark.parametrize("size", list(WIDTHS))
def test_platform_admin_sees_the_threshold_not_the_figures(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
    size: str,
) -> None:
    page = _signed_in(new_context, live, "admin@compagnon.example", WIDTHS[size])
    problems: list[str] = []
    page.get_by_role("link", name="Territoire").click()
    page.wait_for_url("**/territory")
    expect(page.get_by_role("heading", name="Diagnostics du territoire")).to_be_visible()
    expect(page.locator("#below-threshold")).to_contain_text("moins de 5 structures")
    expect(page.locator("#distribution")).to_have_count(0)
    _check(page, f"territory-{size}", problems)
    assert problems == []


def test_result_and_axis_in_arabic_at_360(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
) -> None:
    page = _signed_in(new_context, live, "direction@atelier.example", True)
    problems: list[str] = []
    page.goto(live.url + "/staff/diagnostic?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _check(page, "home-ar-phone", problems)
    result = page.locator("main table a[href$='/result']").first.get_attribute("href")
    page.goto(f"{live.url}{result}?lang=ar")
    expect(page.locator("svg[role=img]")).to_be_visible()
    _check(page, "result-ar-phone", problems)
    axis = load_grid("ar").axes[0]
    page.goto(f"{live.url}{str(result).removesuffix('/result')}/axis/{axis.id}?lang=ar")
    expect(page.get_by_role("heading", name=axis.title)).to_be_visible()
    _check(page, "axis-ar-phone", problems)
    assert problems == []
