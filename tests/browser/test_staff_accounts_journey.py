"""A staff year in Chromium (#14), at 360 and 1280 px: an invited CIP chooses her password,
signs in, corrects an assignment, a note, and brings back a learner archived by mistake."""

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
NEW_PASSWORD = "Le chantier du parc commence lundi matin à huit heures"


def _fits(page: Page, phone: bool) -> None:
    """No sideways scrolling of the page itself."""
    width = 360 if phone else 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("size", list(WIDTHS))
def test_invitation_then_undoing_mistakes(
    live: LiveServer, new_context: Callable[..., BrowserContext], size: str
) -> None:
    phone = WIDTHS[size]
    page = new_context(phone=phone).new_page()
    shot = f"staff-year-{size}"

    # The direction creates Nina's account: no password to type, a one-time link to hand over.
    staff_signin(page, live.url, "direction@atelier.example")
    page.wait_for_url("**/staff/learners")
    page.goto(live.url + "/staff/structure/staff")
    page.get_by_label("Adresse e-mail").fill("nina@atelier.example")
    page.get_by_label("Rôle").select_option("cip")
    page.get_by_role("button", name="Créer le compte").click()
    link = page.locator("#one-time-link").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/staff/password/[\w-]+", link), link
    expect(page.get_by_role("button", name="Copier le lien")).to_be_visible()  # the script
    _fits(page, phone)
    screenshot(page, f"{shot}-1-invitation-link")
    page.get_by_role("button", name="Se déconnecter").click()

    # Nina opens it, chooses her password, and signs in with it.
    page.goto(link)
    expect(page.get_by_text("nina@atelier.example")).to_be_visible()
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Le même mot de passe, encore une fois").fill(NEW_PASSWORD)
    _fits(page, phone)
    screenshot(page, f"{shot}-2-choose-password")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_text("Votre mot de passe est enregistré.")).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("nina@atelier.example")
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/staff/learners")

    # She corrects Bruno's assignment: a new date and message.
    page.goto(live.url + "/staff/assignments")
    page.get_by_role("link", name=re.compile(r"^Modifier .*Bruno")).click()
    due = (paris_today() + timedelta(days=2)).isoformat()
    page.get_by_label("À finir avant le").fill(due)
    page.get_by_label("Message court").fill("Avant le rendez-vous de jeudi.")
    _fits(page, phone)
    screenshot(page, f"{shot}-3-edit-assignment")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'attribution est modifiée.")).to_be_visible()
    expect(page.get_by_text("Avant le rendez-vous de jeudi.")).to_be_visible()

    # Bruno sees it on his home.
    learner = new_context(phone=True).new_page()
    learner.goto(live.url + "/s/demo-bruno-8Hd2Zp4Wc6N")
    learner.get_by_label("Code à 4 chiffres").fill("1357")
    learner.get_by_role("button", name="Entrer").click()
    expect(learner.get_by_text("Avant le rendez-vous de jeudi.")).to_be_visible()

    # A note written too fast is corrected.
    page.goto(live.url + "/staff/learners")
    page.get_by_role("link", name="Chloé").first.click()
    page.get_by_label("Nouvelle note").fill("Rendez-vous jeudi 14 h.")
    page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_role("link", name="Corriger").first.click()
    page.get_by_label("Texte de la note").fill("Rendez-vous jeudi 15 h, salle 2.")
    _fits(page, phone)
    screenshot(page, f"{shot}-4-correct-note")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Rendez-vous jeudi 15 h, salle 2.")).to_be_visible()
    expect(page.get_by_text("Rendez-vous jeudi 14 h.")).to_have_count(0)
    expect(page.get_by_text(re.compile("corrigée le"))).to_be_visible()

    # Amina is archived by mistake (after a confirmation page), then brought back.
    page.goto(live.url + "/staff/learners")
    page.get_by_role("link", name="Amina").first.click()
    page.get_by_role("link", name="Archiver").click()
    expect(page.get_by_text("Archiver Amina ?")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"{shot}-5-confirm-archive")
    page.get_by_role("button", name="Archiver").click()
    expect(page.get_by_text("Amina est archivé")).to_be_visible()
    page.get_by_role("link", name="Anciens salariés").click()
    expect(page.get_by_role("heading", name="Amina")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"{shot}-6-former-learners")
    page.get_by_role("button", name="Réintégrer").click()
    expect(page.get_by_text("Amina est réintégré")).to_be_visible()
    expect(page.get_by_role("link", name="Archiver")).to_be_visible()
    _fits(page, phone)
    screenshot(page, f"{shot}-7-back")
