"""Adding a language is data: a catalogue in translations/ and content overlays, no code.

A copy of the shipped catalogues gets two test-only languages, built here: Spanish, with a few
texts, and Pashto (written right to left), with none. The app pointed at that folder offers
both under their own names, writes each in its direction (from Babel, not from a list in the
code), shows the Spanish texts of the interface and of a module, and lets the direction offer
them to its learners.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.extensions import db
from companion.i18n import compile_catalogues, text_direction
from companion.models import Structure
from tests.conftest import AMINA_LINK, Auth, make_app, page
from tests.web.staff_helpers import learner_id, post_form

ROOT = Path(__file__).resolve().parents[2]
MODULE = "pieges-demo"

HEADER = """msgid ""
msgstr ""
"Language: {lang}\\n"
"Plural-Forms: {plural}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""
SPANISH = {
    "Aller au contenu": "Ir al contenido",
    "Bienvenue sur Compagnon numérique": "Bienvenido a Compagnon numérique",
    "Bonjour": "Hola",
}


def write_catalogue(root: Path, lang: str, plural: str, texts: dict[str, str]) -> None:
    folder = root / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    entries = "".join(f'\nmsgid "{source}"\nmsgstr "{text}"\n' for source, text in texts.items())
    po = HEADER.format(lang=lang, plural=plural) + entries
    (folder / "messages.po").write_text(po, encoding="utf-8")


@pytest.fixture
def app(db_path: Path, tmp_path: Path) -> Iterator[Flask]:
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations)
    write_catalogue(translations, "es", "nplurals=2; plural=(n != 1);", SPANISH)
    write_catalogue(translations, "ps", "nplurals=2; plural=(n != 1);", {})
    compile_catalogues(translations)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "modules", content)
    (content / MODULE / "module.es.yaml").write_text(
        "title: Trampas y buenos gestos\n", encoding="utf-8"
    )
    app = make_app(
        db_path, BABEL_TRANSLATION_DIRECTORIES=str(translations), CONTENT_DIR=str(content)
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_new_languages_are_offered_by_their_own_names(client: FlaskClient) -> None:
    html = page(client.get("/"))
    assert 'value="es" lang="es" dir="ltr" class="choice-button" aria-pressed="false">Español' in (
        html
    )
    assert 'value="ps" lang="ps" dir="rtl"' in html  # Pashto: right to left, from Babel
    assert 'value="ar" lang="ar" dir="rtl"' in html


def test_a_new_language_shows_its_texts_in_its_direction(client: FlaskClient) -> None:
    html = page(client.get("/?lang=es"))
    assert '<html lang="es" dir="ltr"' in html
    assert "Ir al contenido" in html
    assert "Bienvenido a Compagnon numérique" in html
    html = page(client.get("/?lang=ps"))
    assert '<html lang="ps" dir="rtl"' in html
    assert "Bienvenue sur Compagnon numérique" in html  # no Pashto text yet: French, per text


def test_a_new_language_shows_its_module_overlay(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    html = page(client.get("/learn/?lang=es"))
    assert "Hola" in html
    assert "Trampas y buenos gestos" in html
    assert "Pièges et bons gestes" not in html


def test_the_direction_offers_a_new_language_to_its_learners(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("direction@atelier.example")
    settings = page(client.get("/staff/structure/settings"))
    assert 'value="es"' in settings
    assert 'value="ps"' in settings
    response = post_form(
        client,
        "/staff/structure/settings",
        {
            "languages": ["fr", "es"],
            "kiosk_idle_seconds": "180",
            "retention_months": "24",
        },
    )
    assert response.status_code == 302
    form = page(client.get(f"/staff/learners/{learner_id(app, 'Amina')}/edit"))
    assert '<option value="es">Español</option>' in form
    assert '<option value="ps"' not in form  # not offered by this structure


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("he", "rtl"),
        ("ur", "rtl"),
        ("ps", "rtl"),
        ("ckb", "rtl"),
        ("fr", "ltr"),
        ("es", "ltr"),
        ("tr", "ltr"),
        ("nope!", "ltr"),
    ],
)
def test_the_direction_comes_from_babel(tag: str, direction: str) -> None:
    assert text_direction(tag) == direction


def test_a_new_structure_offers_every_language(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("admin@compagnon.example")
    created = post_form(
        client,
        "/admin/",
        {
            "name": "Ressourcerie du Lot",
            "kind": "ACI",
            "email": "direction@ressourcerie.example",
            "password": "Lot-Ressourcerie-2026-velo",
        },
        url="/admin/structures",
    )
    assert created.status_code == 302
    with app.app_context():
        structure = db.session.scalar(select(Structure).where(Structure.name.like("Ressourcerie%")))
        assert structure is not None
        assert structure.language_list == ["fr", "ar", "en", "es", "ps"]
