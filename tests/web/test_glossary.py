"""Hard words explained in place on the step pages, with and without JavaScript (#15 item 8)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AMINA_LINK, Auth, page
from tests.helpers import right_answer, step_url, submit

DANGERS = "dangers-internet"
WORDS = {
    "fr": ("données mobiles", "Les mots expliqués", "Les données mobiles sont l'internet"),
    "en": ("mobile data", "Words explained", "Mobile data is the internet of your phone plan."),
    "ar": ("بيانات الهاتف المحمول", "كلمات مشروحة", "تعمل بدون واي فاي."),
}


def _reach(app: Flask, client: FlaskClient, module_id: str, step_id: str) -> str:
    module = app.extensions["companion.catalogue"][module_id]
    for step in module.steps:
        if step.id == step_id:
            break
        submit(client, step_url(module_id, step.id), right_answer(step))
    return step_url(module_id, step_id)


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_a_hard_word_links_to_its_definition(
    app: Flask, client: FlaskClient, auth: Auth, lang: str
) -> None:
    client.set_cookie("companion_lang", lang)
    auth.learner_link(AMINA_LINK, "2580")
    html = unescape(client.get(_reach(app, client, DANGERS, "public-wifi")).get_data(as_text=True))
    word, title, definition = WORDS[lang]
    # The word is a link to an anchor on the same page: it works without JavaScript.
    link = re.search(
        r'<a class="glossary-term" href="#mot-donnees-mobiles" id="mot-donnees-mobiles-link" '
        r'data-glossary="mot-donnees-mobiles">([^<]+)</a>',
        html,
    )
    assert link
    assert link.group(1) == word
    assert html.count('href="#mot-donnees-mobiles"') == 1  # its first place only
    section = html[html.index('<section class="glossary"') :]
    assert f">{title}</h2>" in section
    entry = section[section.index('id="mot-donnees-mobiles"') :]
    assert definition in entry
    assert 'src="/static/pictograms/phone.svg' in entry
    # Read-aloud reads the definition: its button, and the list inside the step's text.
    assert 'data-read="#mot-donnees-mobiles-text"' in entry
    assert html.index('id="step-text"') < html.index('<section class="glossary"')
    assert html.index('<section class="glossary"') < html.index("</article>")
    assert "/static/js/glossary.js" in html
    # "wifi public" is only in the step's title: not linked there, but explained in the list.
    assert 'id="mot-wifi-public"' in section
    assert 'href="#mot-wifi-public"' not in html


def test_a_step_without_hard_words_has_no_glossary(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    html = page(client.get(step_url("mots-de-passe", "confidence-start")))
    assert "glossary" not in html


def test_the_glossary_goes_offline_with_the_module(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    files = client.get(f"/learn/modules/{DANGERS}/offline.json").get_json()
    assets = " ".join(files["assets"])
    assert "/static/js/glossary.js" in assets
    assert "/static/pictograms/wifi.svg" in assets  # the picture of "wifi public"
