"""Languages and reading settings through the server: choice, fallback, saved preference."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from companion import ROOT, catalogue
from companion.extensions import db
from companion.i18n import compile_catalogues
from companion.models import Learner, StaffUser
from tests.conftest import AMINA_LINK, Auth, csrf_from, page

STEP = "/learn/modules/mots-de-passe/steps/"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    """The .mo files are build output (git ignores them): compile them if `make` did not."""
    compile_catalogues(ROOT / "translations")


def choose(client: FlaskClient, locale: str, next_path: str = "/", on: str = "") -> TestResponse:
    token = csrf_from(page(client.get(on or next_path)))
    return client.post("/langue", data={"locale": locale, "next": next_path, "csrf_token": token})


def test_public_home_offers_the_languages_by_their_own_names(client: FlaskClient) -> None:
    html = page(client.get("/"))
    assert '<html lang="fr" dir="ltr"' in html
    for tag, name in (("fr", "Français"), ("en", "English"), ("ar", "العربية")):
        assert f'value="{tag}" lang="{tag}"' in html
        assert f">{name}</button>" in html


def test_choosing_arabic_sets_the_cookie_and_turns_the_page_right_to_left(
    client: FlaskClient,
) -> None:
    response = choose(client, "ar", "/a-propos?x=1&lang=en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/a-propos?x=1"
    html = page(client.get("/"))
    assert '<html lang="ar" dir="rtl"' in html
    assert "مرحبًا بك في الرفيق الرقمي" in html


@pytest.mark.parametrize("code", ["xx", "", "<script>", "ar" * 30, "../../etc"])
def test_unknown_codes_fall_back_to_french(client: FlaskClient, code: str) -> None:
    client.set_cookie("companion_lang", code)
    response = client.get(f"/?lang={code}")
    assert response.status_code == 200
    assert '<html lang="fr" dir="ltr"' in page(response)
    assert choose(client, code).status_code == 302
    assert '<html lang="fr"' in page(client.get("/"))


def test_region_and_case_variants_are_understood(client: FlaskClient) -> None:
    assert '<html lang="en"' in page(client.get("/?lang=EN-gb"))
    assert '<html lang="ar" dir="rtl"' in page(client.get("/?lang=ar_MA"))


def test_an_open_redirect_is_refused(client: FlaskClient) -> None:
    response = choose(client, "en", "//evil.example/", on="/")
    assert response.headers["Location"] == "/"


def test_a_learner_choice_is_saved_on_the_account(app: Flask, auth: Auth) -> None:
    client = auth.client
    auth.learner_link(AMINA_LINK, "2580")
    choose(client, "ar", "/learn/")
    html = page(client.get("/learn/"))
    assert '<html lang="ar" dir="rtl"' in html
    assert "كلمات المرور" in html  # the module title, from the content overlay
    with app.app_context():
        amina = db.session.scalars(select(Learner).where(Learner.first_name == "Amina")).one()
        assert amina.locale == "ar"


def test_the_language_chosen_before_signing_in_goes_onto_the_account(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    choose(client, "en", AMINA_LINK)
    auth.learner_link(AMINA_LINK, "2580")
    client.delete_cookie("companion_lang")
    assert '<html lang="en"' in page(client.get("/learn/"))


def test_a_stored_unknown_preference_falls_back_to_french(app: Flask, auth: Auth) -> None:
    with app.app_context():
        amina = db.session.scalars(select(Learner).where(Learner.first_name == "Amina")).one()
        amina.locale = "tlh"
        db.session.commit()
    auth.learner_link(AMINA_LINK, "2580")
    response = auth.client.get("/learn/")
    assert response.status_code == 200
    assert '<html lang="fr"' in page(response)


def test_staff_choose_their_language(app: Flask, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    choose(auth.client, "en", "/staff/learners")
    html = page(auth.client.get("/staff/learners"))
    assert '<html lang="en"' in html
    assert "Learners of the structure" in html
    with app.app_context():
        cip = db.session.scalars(
            select(StaffUser).where(StaffUser.email == "cip@atelier.example")
        ).one()
        assert cip.locale == "en"


def test_step_pages_show_the_learner_language_and_check_its_answers(auth: Auth) -> None:
    client = auth.client
    client.set_cookie("companion_lang", "en")
    auth.learner_link(AMINA_LINK, "2580")
    html = page(client.get(STEP + "confidence-start"))
    assert "Before you start" in html
    total = len(auth.client.application.extensions["companion.catalogue"]["mots-de-passe"].steps)
    assert f"Step 1 of {total}" in html


def _title(locale: str | None = None) -> str:
    module = catalogue.get_module("mots-de-passe", locale)
    assert module is not None
    return module.meta.title


def test_get_module_by_locale(app: Flask) -> None:
    with app.test_request_context("/?lang=ar"):
        assert _title() == "كلمات المرور"
        assert _title("fr") == "Mots de passe"
        assert _title("en") == "Passwords"
        assert _title("zz") == "Mots de passe"
        assert catalogue.get_module("nope", "en") is None
        titles = [m.meta.title for m in catalogue.modules("en").values()]
        assert titles[:2] == ["Getting started with the screen", "Passwords"]
    with app.app_context():  # outside a request: French, as before
        assert _title() == "Mots de passe"


def test_reading_settings_are_cookies_applied_by_the_server(client: FlaskClient) -> None:
    token = csrf_from(page(client.get("/")))
    client.post("/affichage", data={"text": "large", "next": "/", "csrf_token": token})
    client.post("/affichage", data={"contrast": "high", "next": "/", "csrf_token": token})
    html = page(client.get("/"))
    assert 'class="text-large contrast-high"' in html
    client.post("/affichage", data={"text": "huge", "contrast": "neon", "csrf_token": token})
    client.set_cookie("companion_text", "<x>")
    assert 'class="text-normal contrast-high"' in page(client.get("/"))


def test_setting_forms_need_the_csrf_token(client: FlaskClient) -> None:
    assert client.post("/langue", data={"locale": "en"}).status_code == 400
    assert client.post("/affichage", data={"text": "large"}).status_code == 400


def test_accessibility_statement_is_linked_in_the_footer(client: FlaskClient) -> None:
    html = page(client.get("/"))
    assert 'href="/accessibilite"' in html
    statement = page(client.get("/accessibilite"))
    assert "Déclaration d'accessibilité" in statement
    assert "État de conformité" in statement
    assert "Voies de recours" in statement
    assert "axe-core" in statement
