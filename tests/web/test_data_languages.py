"""A learner reading English or Arabic sees the job offers, the town's places and the
spreadsheet's items in that language, and finishes the three modules through the server."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from companion import ROOT
from companion.catalogue import Module
from companion.i18n import compile_catalogues
from tests.conftest import AMINA_LINK, Auth, page
from tests.helpers import right_answer, step_url, submit

JOBS, MAPS, SHEETS = "emploi-en-ligne", "gps-itineraire", "tableur-stock"

# (what the learner must see, French that must not be left) per language and step.
SEEN = {
    "en": {
        (JOBS, "read-hours"): (
            [
                "Office cleaner (Agent d'entretien de bureaux)",
                "20 hours a week, from 6:00 to 10:00.",
            ],
            ["20 heures par semaine", "Vous nettoyez des bureaux"],
        ),
        (JOBS, "spot-fake"): (
            ["450 euros a day.", "Send your bank details (RIB)"],
            ["450 euros par jour", "Envoyez votre RIB"],
        ),
        (MAPS, "where-am-i"): (
            ["Bakery (Boulangerie du Marché)", "Pharmacy (Pharmacie)", "16 rue des Lilas"],
            ["<strong>Pharmacie</strong>", "<strong>Mairie</strong>"],
        ),
        (MAPS, "choose-route"): (
            ["7:35", "35 minutes", "4 minutes on foot to the Lilas stop, 12 minutes by bus"],
            ["7 h 35"],
        ),
        (SHEETS, "type-quantities"): (["Floor cleaner", "Bin bags"], ["Produit pour les sols"]),
        (SHEETS, "fix-errors"): (['value="four"', "Flour in kilos"], ["quatre", "Farine"]),
    },
    "ar": {
        (JOBS, "read-hours"): (
            ["عامل تنظيف المكاتب \u2066(Agent d'entretien de bureaux)\u2069", "من 6:00 إلى 10:00"],
            ["20 heures par semaine", "Vous nettoyez des bureaux"],
        ),
        (JOBS, "spot-fake"): (
            ["450 يورو في اليوم.", "بيانات حسابك البنكي (RIB)"],
            ["450 euros par jour", "Envoyez votre RIB"],
        ),
        (MAPS, "where-am-i"): (
            [
                "مخبز \u2066(Boulangerie du Marché)\u2069",
                "صيدلية \u2066(Pharmacie)\u2069",
                "16 rue des Lilas",
            ],
            ["<strong>Pharmacie</strong>", "<strong>Mairie</strong>"],
        ),
        # The departures read right to left, each time kept whole.
        # Minutes with Arabic's plural: 3 to 10 دقائق, 11 and more دقيقة.
        (MAPS, "choose-route"): (
            [
                '<span dir="rtl"><bdi>6:55</bdi>, <bdi>7:15</bdi>',
                "35 دقيقة",
                "4 دقائق مشيًا إلى المحطة",
                "12 دقيقة بالحافلة",
            ],
            ["7 h 35", "35 دقائق"],
        ),
        (SHEETS, "type-quantities"): (["منتج تنظيف الأرضيات", "أكياس القمامة"], ["Produit"]),
        (SHEETS, "fix-errors"): (['value="أربعة"', "دقيق بالكيلو"], ["quatre", "Farine"]),
    },
}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    compile_catalogues(ROOT / "translations")


def signed_in(auth: Auth, lang: str) -> FlaskClient:
    auth.client.set_cookie("companion_lang", lang)
    auth.learner_link(AMINA_LINK, "2580")
    return auth.client


def translated(app: Flask, lang: str, module_id: str) -> Module:
    module: Module = app.extensions["companion.catalogue.translations"][lang][module_id]
    return module


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("module_id", [JOBS, MAPS, SHEETS])
def test_learner_sees_the_data_in_their_language_and_finishes_the_module(
    app: Flask, auth: Auth, lang: str, module_id: str
) -> None:
    client = signed_in(auth, lang)
    module = translated(app, lang, module_id)
    for step in module.steps:
        url = step_url(module_id, step.id)
        html = page(client.get(url))
        assert f'<html lang="{lang}"' in html
        seen, gone = SEEN[lang].get((module_id, step.id), ([], []))
        for text in seen:
            assert text in html, (step.id, text)
        for text in gone:
            assert text not in html, (step.id, text)
        answered = page(submit(client, url, right_answer(step)))
        if step.is_practice:
            assert "feedback--right" in answered, step.id
    done = client.get(f"/learn/modules/{module_id}/")
    assert done.headers["Location"] == f"/learn/modules/{module_id}/done"


@pytest.mark.parametrize(
    ("lang", "keyword", "title", "count"),
    [
        ("en", "green spaces", "Green spaces worker (Ouvrier en espaces verts)", "1 offer found"),
        ("en", "espaces verts", "Green spaces worker (Ouvrier en espaces verts)", "1 offer found"),
        (
            "ar",
            "مساحات خضراء",
            "عامل في المساحات الخضراء \u2066(Ouvrier en espaces verts)\u2069",
            None,
        ),
    ],
)
def test_the_job_search_understands_the_learners_words(
    app: Flask, auth: Auth, lang: str, keyword: str, title: str, count: str | None
) -> None:
    client = signed_in(auth, lang)
    module = translated(app, lang, JOBS)
    for step in module.steps:
        if step.id == "search-green":
            break
        submit(client, step_url(JOBS, step.id), right_answer(step))
    query = urlencode({"q": keyword, "ville": "Toulouse", "distance": 30, "contrat": "CDDI"})
    url = f"{step_url(JOBS, 'search-green')}?{query}"
    html = page(client.get(url))
    assert title in html
    assert 'value="jardinier-colomiers"' in html
    assert html.count('name="offer"') == 1
    if count:
        assert count in html
    filters = {"q": keyword, "ville": "Toulouse", "distance": "30", "contrat": "CDDI"}
    answered = page(submit(client, url, {"offer": "jardinier-colomiers", **filters}))
    assert "feedback--right" in answered


def test_the_map_finds_a_place_by_its_translated_name(app: Flask, auth: Auth) -> None:
    client = signed_in(auth, "en")
    module = translated(app, "en", MAPS)
    for step in module.steps:
        if step.id == "find-worksite":
            break
        submit(client, step_url(MAPS, step.id), right_answer(step))
    url = step_url(MAPS, "find-worksite")
    html = page(client.get(f"{url}?adresse=12+rue+des+Lilas"))
    assert "Your home" in html
    html = page(client.get(f"{url}?adresse=pharmacy"))
    assert "Pharmacy (Pharmacie)" in html
    assert "30 avenue de la Gare" in html


@pytest.mark.parametrize("code", ["xx", "de", "<b>"])
def test_a_language_without_translations_shows_the_french_data(
    app: Flask, auth: Auth, code: str
) -> None:
    client = signed_in(auth, code)
    module: Module = app.extensions["companion.catalogue"][JOBS]
    for step in module.steps:
        if step.id == "read-hours":
            break
        submit(client, step_url(JOBS, step.id), right_answer(step))
    html = page(client.get(step_url(JOBS, "read-hours")))
    assert '<html lang="fr"' in html
    assert "Agent d'entretien de bureaux" in html
    assert "20 heures par semaine, de 6 h à 10 h." in html
