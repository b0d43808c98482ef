"""Each staff role does its job in Chromium, at 1280 px and at 360 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from companion.services.assignments import today as paris_today
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import staff_signin

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": False, "phone": True}


def _fits(page: Page, phone: bool) -> None:
    """No sideways scrolling of the page itself (wide tables scroll inside their box)."""
    width = 360 if phone else 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("size", list(WIDTHS))
def test_cip_creates_a_learner_follows_up_and_assigns(
    live: LiveServer, new_context: Callable[..., BrowserContext], size: str
) -> None:
    phone = WIDTHS[size]
    page = new_context(phone=phone).new_page()
    staff_signin(page, live.url, "cip@atelier.example")
    page.wait_for_url("**/staff/learners")
    expect(page.get_by_role("heading", name="À suivre")).to_be_visible()
    expect(page.locator(".follow-item")).to_have_count(4)
    _fits(page, phone)
    screenshot(page, f"staff-cip-home-{size}")

    page.get_by_role("link", name="Ajouter un salarié").click()
    page.get_by_label("Prénom", exact=True).fill("Amina")
    page.locator("label.picto-option", has=page.locator("input[value='tulip']")).click()
    page.get_by_role("button", name="Créer le compte et voir le code").click()
    expect(page.get_by_text("Amina est déjà inscrit")).to_be_visible()
    expect(page.get_by_label("Prénom", exact=True)).to_have_value("Amina")  # what was typed stays
    _fits(page, phone)
    screenshot(page, f"staff-learner-form-error-{size}")
    page.get_by_label("Initiale du nom").fill("R")
    page.get_by_role("button", name="Créer le compte et voir le code").click()
    pin = page.locator("[data-pin]").inner_text()
    assert re.fullmatch(r"\d{4}", pin)
    expect(page.locator(".signin-card")).to_have_count(4)
    expect(page.locator(".signin-card svg").first).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()  # the script showed it
    _fits(page, phone)
    screenshot(page, f"staff-cards-{size}")

    page.get_by_role("link", name="Voir la fiche").click()
    expect(page.get_by_role("heading", name="Amina R.")).to_be_visible()
    page.get_by_role("link", name="Attribuer un module").click()
    page.get_by_label("Module", exact=True).select_option("mots-de-passe")
    page.get_by_label("À finir avant le").fill((paris_today() - timedelta(days=1)).isoformat())
    page.get_by_label("Message court").fill("Avant votre rendez-vous France Travail.")
    page.get_by_role("button", name="Attribuer", exact=True).click()
    expect(page.get_by_text("Choisissez aujourd'hui ou une date à venir.")).to_be_visible()
    expect(page.get_by_label("Message court")).to_have_value(
        "Avant votre rendez-vous France Travail."
    )
    page.get_by_label("À finir avant le").fill((paris_today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Attribuer", exact=True).click()
    expect(page.get_by_text("Le module est attribué.")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"staff-assignments-{size}")

    page.goto(live.url + "/staff/learners")
    page.get_by_role("link", name="Chloé").first.click()
    expect(page.get_by_role("heading", name="Modules")).to_be_visible()
    page.get_by_label("Nouvelle note").fill("Rendez-vous pris pour revoir les mots de passe.")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_text("La note est enregistrée.")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"staff-learner-notes-{size}")
    page.goto(page.url.replace("/notes", ""))
    _fits(page, phone)
    screenshot(page, f"staff-learner-file-{size}")
    page.get_by_role("link", name="Attestation").click()
    expect(
        page.get_by_role("heading", name="Attestation de formation au numérique")
    ).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"staff-attestation-{size}")


@pytest.mark.parametrize("size", list(WIDTHS))
def test_encadrant_direction_and_admin_pages(
    live: LiveServer, new_context: Callable[..., BrowserContext], size: str
) -> None:
    phone = WIDTHS[size]
    page = new_context(phone=phone).new_page()
    staff_signin(page, live.url, "encadrant@atelier.example")
    page.wait_for_url("**/staff/team")
    page.get_by_role("link", name="Attribuer un module").click()
    page.get_by_label("Module", exact=True).select_option("mots-de-passe")
    page.get_by_label("Pour qui").select_option(label="Toute l'équipe Espaces verts")
    page.get_by_role("button", name="Attribuer", exact=True).click()
    # The team already has it: update the first assignment rather than add a second card.
    expect(page.get_by_text("Ce module est déjà attribué à Espaces verts")).to_be_visible()
    page.get_by_role("button", name="Mettre à jour l'attribution existante").click()
    expect(page.get_by_text("L'attribution existante est mise à jour.")).to_be_visible()
    expect(page.get_by_text("Pas encore fini").first).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"staff-encadrant-assignments-{size}")
    page.get_by_role("button", name="Se déconnecter").click()

    staff_signin(page, live.url, "direction@atelier.example")
    page.wait_for_url("**/staff/learners")
    for path, heading, shot in [
        ("/staff/structure/staff", "Comptes de l'équipe", "staff"),
        ("/staff/structure/kiosks", "Bornes", "kiosks"),
        ("/staff/structure/settings", "Réglages de la structure", "settings"),
        ("/staff/structure/stats", "Statistiques anonymes", "stats"),
        ("/staff/structure/audit", "Journal des accès et des changements", "audit"),
        ("/staff/export", "Exporter les résultats", "export"),
    ]:
        page.goto(live.url + path)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        _fits(page, phone)
        screenshot(page, f"staff-direction-{shot}-{size}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger en Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("button", name="Se déconnecter").click()

    staff_signin(page, live.url, "admin@compagnon.example")
    page.wait_for_url("**/admin/")
    expect(page.get_by_text("direction@atelier.example")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"staff-admin-{size}")


def test_cip_pages_work_without_javascript(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    staff_signin(page, live.url, "cip@atelier.example")
    page.wait_for_url("**/staff/learners")
    page.get_by_role("link", name="Ajouter un salarié").click()
    page.get_by_label("Prénom", exact=True).fill("Yusuf")
    page.locator("label.picto-option", has=page.locator("input[value='bus']")).click()
    page.get_by_role("button", name="Créer le compte et voir le code").click()
    expect(page.locator("[data-pin]")).to_have_text(re.compile(r"^\d{4}$"))
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()  # needs the script


@pytest.mark.long
def test_staff_idle_warning_then_sign_out(
    start_server: Callable[..., LiveServer], new_context: Callable[..., BrowserContext]
) -> None:
    """The kiosk's warning on staff pages (#13 item 5): Continuer keeps the session; without
    an answer the page signs out, and the server refuses the session anyway."""
    live = start_server(STAFF_IDLE_MINUTES=0.2, STAFF_WARNING_SECONDS=6)  # 12 s, warned at 6 s
    page = new_context(phone=False).new_page()
    staff_signin(page, live.url, "cip@atelier.example")
    page.wait_for_url("**/staff/learners")
    dialog = page.get_by_role("dialog", name="Vous êtes toujours là ?")
    expect(dialog).to_be_visible(timeout=10_000)
    screenshot(page, "staff-idle-warning")
    dialog.get_by_role("button", name="Continuer").click()
    expect(dialog).to_be_hidden()
    # Typing for longer than the server's 12 s, with no request of the page's own: the
    # script tells the server now and then, so the session does not end while typing.
    search = page.get_by_label("Chercher un prénom")
    for letter in "aminaamin":
        search.press(letter)
        page.wait_for_timeout(1_800)
    expect(dialog).to_be_hidden()
    page.goto(live.url + "/staff/learners")
    expect(page).to_have_url(re.compile(r"/staff/learners$"))  # still signed in
    expect(dialog).to_be_visible(timeout=10_000)
    page.wait_for_url("**/staff/signin**", timeout=15_000)
    page.goto(live.url + "/staff/learners")
    page.wait_for_url("**/staff/signin**")
