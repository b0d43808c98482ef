"""The staff side through a year, in Chromium at 1280 px and 360 px: the CIP home with 150
learners, the attestation printed from the browser, the bilan of a period, staff forms."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from companion.extensions import db
from companion.services.assignments import today as paris_today
from companion.services.demo import grow_demo
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import staff_signin
from tests.browser.test_accessibility import run_axe
from tests.browser.test_staff_journeys import _fits
from tests.conftest import make_app

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": False, "phone": True}
LONG_URL = (
    "https://emplois.inclusion.beta.gouv.fr/company/job_description_list?page=2&sort=recent&x="
    + "a1b2c3" * 12
)


@pytest.fixture
def big(db_path: Path, start_server: Callable[..., LiveServer]) -> LiveServer:
    """The demo's Atelier grown to 150 learners (`flask demo --learners 150`)."""
    app = make_app(db_path)
    with app.app_context(), app.test_request_context("/"):
        grow_demo(150)
        db.engine.dispose()
    return start_server()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_cip_finds_one_of_150_learners_in_two_interactions(
    big: LiveServer, new_context: Callable[..., BrowserContext], size: str
) -> None:
    phone = WIDTHS[size]
    page = new_context(phone=phone, axe=True).new_page()
    staff_signin(page, big.url, "cip@atelier.example")
    page.wait_for_url("**/staff/learners")
    expect(page.locator("[data-count]")).to_have_text("150 salariés affichés sur 150")
    _fits(page, phone)
    if phone:  # a list of cards: the column headers are not shown, each cell names its module
        expect(page.locator(".progress-table thead")).to_have_css("position", "absolute")
        expect(page.locator("tr[data-learner]").first).to_have_css("display", "block")
        expect(page.locator("tr[data-learner] .cell-label").first).to_be_visible()
    else:  # the headers stay visible while the long table scrolls in its box
        _axe(page)  # the 150 rows once (the phone's 150 cards are the same elements)
        screenshot(page, f"staff-home-150-{size}")
        wrap = page.locator(".table-wrap--sticky")
        wrap.evaluate("el => el.scrollTo(0, 2000)")
        head = page.locator(".progress-table thead th").first
        head_box, wrap_box = head.bounding_box(), wrap.bounding_box()
        assert head_box is not None
        assert wrap_box is not None
        assert abs(head_box["y"] - wrap_box["y"]) < 2
        screenshot(page, f"staff-home-sticky-{size}")

    # One: type the name (the list narrows as one types, accents not needed).
    page.get_by_label("Chercher un prénom").fill("zakaria c")
    expect(page.locator("tr[data-learner]:visible")).to_have_count(1)
    expect(page.locator("[data-count]")).to_have_text("1 salarié affiché sur 150")
    _fits(page, phone)
    # Two: open the file.
    page.get_by_role("link", name="Zakaria C.").click()
    expect(page.get_by_role("heading", name="Zakaria C.")).to_be_visible()
    # Back, the search is still there (kept in the address): a short page.
    page.go_back()
    expect(page.locator("tr[data-learner]")).to_have_count(1)
    screenshot(page, f"staff-home-search-{size}")

    # "À suivre": the overdue team assignment is one item that opens to its people.
    group = page.locator(".follow-item--overdue", has_text="Tri et vente")
    expect(group).to_have_count(1)
    group.locator("summary").click()
    expect(group.locator(".follow-people li").first).to_be_visible()
    _axe(page)
    screenshot(page, f"staff-home-follow-{size}")
    group.get_by_role("button", name="Marquer vu").click()
    expect(page.get_by_text("Marqué comme vu.")).to_be_visible()
    expect(
        page.locator(".follow-list > .follow-item--overdue", has_text="Tri et vente")
    ).to_have_count(0)
    # A locked PIN, unlocked from the list.
    locked = page.locator(".follow-item--locked")
    expect(locked).to_have_count(1)
    locked.get_by_role("button", name="Débloquer le code").click()
    expect(page.get_by_text("Le code est débloqué.")).to_be_visible()
    expect(page.locator(".follow-item--locked")).to_have_count(0)

    # Without JavaScript the same search is a form: filters and sort, then the list.
    page.goto(big.url + "/staff/learners?team=none&sort=progress&q=e")
    expect(page.locator("tr[data-learner]")).not_to_have_count(0)
    _fits(page, phone)


def _axe(page: Page) -> None:
    """Zero axe violations (the crawl of test_accessibility.py does not reach these states)."""
    assert run_axe(page) == [], page.url


def _printed_pages(page: Page) -> int:
    """The page printed by Chromium on A4 (print styles applied), counted."""
    return len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)


def _hidden_in_print(page: Page, *selectors: str) -> None:
    page.emulate_media(media="print")
    for selector in selectors:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("article").first).to_be_visible()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_attestation_print_bilan_and_staff_forms(
    live: LiveServer, new_context: Callable[..., BrowserContext], size: str
) -> None:
    phone = WIDTHS[size]
    page = new_context(phone=phone, axe=True).new_page()
    staff_signin(page, live.url, "direction@atelier.example")
    page.wait_for_url("**/staff/learners")

    # The attestation: the full name typed, then printed with nothing but the attestation.
    page.get_by_role("link", name="Chloé").first.click()
    page.get_by_role("link", name="Attestation").first.click()
    page.get_by_label("Nom complet sur l'attestation").fill("Chloé Martin")
    page.get_by_role("button", name="Mettre à jour l'attestation").click()
    expect(page.locator("article.attestation")).to_contain_text("Chloé Martin a suivi et terminé")
    _fits(page, phone)
    screenshot(page, f"attestation-{size}")
    _hidden_in_print(page, ".site-header", ".actions", "form", ".settings", ".site-footer")
    screenshot(page, f"attestation-print-{size}")
    assert _printed_pages(page) == 1
    page.emulate_media(media="screen")
    page.get_by_label("Langue de l'attestation").select_option("ar")
    page.get_by_role("button", name="Mettre à jour l'attestation").click()
    expect(page.locator("article.attestation")).to_have_attribute("dir", "rtl")
    expect(page.locator("article.attestation h1")).to_have_text("شهادة تكوين في المهارات الرقمية")
    _fits(page, phone)
    _axe(page)
    screenshot(page, f"attestation-ar-{size}")

    # The bilan of this year: one page, no name, printed without the menus and the form.
    year = paris_today().year
    page.goto(f"{live.url}/staff/bilan?start={year}-01-01&end={year}-12-31")
    expect(page.get_by_role("heading", name="Bilan de la formation au numérique")).to_be_visible()
    expect(page.locator(".bilan__figures")).to_contain_text("Personnes formées")
    _fits(page, phone)
    _axe(page)
    screenshot(page, f"bilan-{size}")
    _hidden_in_print(page, ".site-header", ".bilan-period", ".actions", ".settings")
    screenshot(page, f"bilan-print-{size}")
    assert _printed_pages(page) == 1  # what the browser's "Imprimer" makes: one A4 page
    page.emulate_media(media="screen")

    # A note with a long address wraps on a phone; a single checkbox sits beside its label.
    page.goto(live.url + "/staff/learners")
    page.get_by_role("link", name="Chloé").first.click()
    page.get_by_label("Nouvelle note").fill(f"Offre à revoir : {LONG_URL}")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_text("La note est enregistrée.")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"note-long-url-{size}")
    page.goto(live.url + "/staff/structure/settings")
    box = page.get_by_label("Garder le nom complet tapé sur l'attestation").bounding_box()
    label = page.get_by_text("Garder le nom complet tapé sur l'attestation").bounding_box()
    assert box is not None
    assert label is not None
    assert label["y"] < box["y"] + box["height"]
    assert box["y"] < label["y"] + label["height"]
    _fits(page, phone)
    screenshot(page, f"settings-checkbox-{size}")
