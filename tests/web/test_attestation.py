"""An attestation ready to hand out: full name typed when printing, dates in words,
competences named, signature and stamp in the PDF, Arabic shaped right to left, English."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlalchemy import select

from companion import catalogue
from companion.extensions import db
from companion.models import Learner
from companion.services.assignments import today as paris_today
from tests.conftest import Auth, csrf_from, page
from tests.web.staff_helpers import learner_id, post_form


def _url(app: Flask) -> str:
    return f"/staff/learners/{learner_id(app, 'Chloé')}/attestation"


def _post(client: FlaskClient, url: str, **data: str) -> Any:
    token = csrf_from(client.get(url.removesuffix(".pdf")).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _article(html: str) -> str:
    return html.split('<article class="attestation"', 1)[1].split("</article>", 1)[0]


def _pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def test_the_page_names_the_person_dates_in_words_and_competences_in_full(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    response = _post(client, _url(app), full_name="Chloé Martin", lang="fr")
    assert response.status_code == 200
    article = _article(page(response))
    assert "Atelier Démo atteste que Chloé Martin a suivi et terminé" in article
    issued = format_date(paris_today(), "long", locale="fr")
    assert f"Fait le {issued}." in article  # "3 décembre 2026", never 2026-12-03
    assert not re.search(r"\d{4}-\d\d-\d\d", article)
    assert "Pix : 4.1 Sécuriser l'environnement numérique" in article
    assert "DigComp 2.2 : 2.6 Gérer son identité numérique ; 4.1 Protéger les appareils" in article
    assert "CléA Numérique : 4 Appliquer les règles et bonnes pratiques de la sécurité" in article
    assert "Signature :" in article
    assert "Cachet de la structure :" in article
    # Not stored: the structure did not choose to keep it.
    with app.app_context():
        assert db.session.get_one(Learner, learner_id(app, "Chloé")).full_name is None
    again = _article(page(client.get(_url(app))))
    assert "Chloé Martin" not in again
    assert "atteste que Chloé a suivi" in again  # the file's name when none is typed


def test_the_full_name_is_kept_only_when_the_structure_chooses(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("direction@atelier.example")
    settings = "/staff/structure/settings"
    base = {"languages": ["fr", "en", "ar"], "kiosk_idle_seconds": "180", "retention_months": "24"}
    assert post_form(client, settings, {**base, "keep_attestation_name": "y"}).status_code == 302
    _post(client, _url(app), full_name="Chloé Martin", lang="fr")
    form = page(client.get(_url(app)))
    assert 'value="Chloé Martin"' in form  # typed once, offered next time
    assert "Chloé Martin" in page(client.get(f"/staff/learners/{learner_id(app, 'Chloé')}/data"))
    # Turned off again: every kept name is forgotten.
    assert post_form(client, settings, base).status_code == 302
    with app.app_context():
        assert (
            db.session.scalars(
                select(Learner.full_name).where(Learner.full_name.is_not(None))
            ).all()
            == []
        )


def test_absurd_attestation_input_is_a_clear_422(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    too_long = _post(client, _url(app), full_name="x" * 500, lang="fr")
    assert too_long.status_code == 422
    assert "120 caractères au plus." in page(too_long)
    bad_lang = _post(client, _url(app) + ".pdf", full_name="Chloé Martin", lang="xx")
    assert bad_lang.status_code == 422
    assert "Choisissez une langue de la liste." in page(bad_lang)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["Attestation de formation au numérique", "Chloé Martin", "Fait le", "Signature :",
                "Cachet de la structure :", "Nom et fonction du signataire :",
                "4.1 Sécuriser l'environnement numérique"]),
        ("en", ["Chloé Martin", "certifies that", "Signature:", "Stamp of the organisation:",
                "4.1 Protecting devices"]),
    ],
)  # fmt: skip
def test_pdf_in_french_and_english(
    app: Flask, client: FlaskClient, auth: Auth, lang: str, words: list[str]
) -> None:
    auth.staff("cip@atelier.example")
    response = _post(client, _url(app) + ".pdf", full_name="Chloé Martin", lang=lang)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for word in words:
        assert word in text, (lang, word)
    assert not re.search(r"\d{4}-\d\d-\d\d", text)
    month = format_date(paris_today(), "MMMM", locale=lang)
    assert month in text


def _glyph_names(body: bytes) -> set[str]:
    """The glyphs of the fonts embedded in the PDF (a subset of DejaVu Sans)."""
    names: set[str] = set()
    for pdf_page in PdfReader(io.BytesIO(body)).pages:
        resources = pdf_page["/Resources"]
        assert isinstance(resources, DictionaryObject)
        fonts = resources["/Font"]
        assert isinstance(fonts, DictionaryObject)
        for ref in fonts.values():
            descendant = ref.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            names.update(TTFont(io.BytesIO(data)).getGlyphOrder())
    return names


def _x_of(body: bytes, needle: str) -> float:
    """Where on the page the line holding `needle` starts (points from the left edge)."""
    found: list[float] = []

    def visit(text: str, cm: Any, tm: Any, *_rest: Any) -> None:
        if needle in text:
            found.append(tm[4] * cm[0] + cm[4])

    PdfReader(io.BytesIO(body)).pages[0].extract_text(visitor_text=visit)
    assert found, needle
    return found[0]


def test_arabic_pdf_is_shaped_and_right_to_left(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    response = _post(client, _url(app) + ".pdf", full_name="Chloé Martin", lang="ar")
    assert response.status_code == 200
    body = response.data
    text = _pdf_text(body)
    # The words come out in reading order, whole…
    assert "شهادة تكوين في المهارات الرقمية" in text
    assert "كلمات المرور" in text  # the module's Arabic title
    assert "Chloé Martin" in text
    # …drawn with the joined forms of the letters (initial, medial, final: Unicode's Arabic
    # presentation forms in DejaVu Sans), which only text shaping picks.
    joined = {n for n in _glyph_names(body) if re.fullmatch(r"uniFE[7-9A-F][0-9A-F]", n)}
    assert len(joined) >= 10, joined
    # …and set from the right: the date line starts on the right half of the page, where
    # the French one starts at the left margin.
    french = _post(client, _url(app) + ".pdf", full_name="Chloé Martin", lang="fr").data
    assert _x_of(french, "Fait le") < 40
    assert _x_of(body, "2026") > 595 / 2


def test_every_competence_a_module_uses_has_a_name(app: Flask) -> None:
    from companion.catalogue.competences import NAMES

    with app.app_context():
        for module in catalogue.modules().values():
            for framework, names in NAMES.items():
                for code in getattr(module.meta.competences, framework):
                    assert code in names, (module.id, framework, code)
