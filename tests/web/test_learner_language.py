"""Language on the learner's pages (issue 15, item 9): Arabic plurals, staff text isolated as
French inside an Arabic page, and the card-blocking number told as a surcharged one."""

from __future__ import annotations

import html
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, ngettext

from companion import catalogue
from companion.catalogue.steps.choose import ChooseStep
from companion.i18n import plural_forms
from tests.conftest import AMINA_LINK, Auth, csrf_from, page
from tests.helpers import right_answer, step_url, submit


def in_arabic(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    token = csrf_from(page(client.get("/learn/")))
    client.post("/langue", data={"locale": "ar", "next": "/learn/", "csrf_token": token})


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 دقيقة"),
        (2, "2 دقيقتان"),
        (3, "3 دقائق"),
        (10, "10 دقائق"),
        (11, "11 دقيقة"),
        (25, "25 دقيقة"),
        (99, "99 دقيقة"),
        (100, "100 دقيقة"),
    ],
)
def test_arabic_minutes_follow_the_arabic_plural_rules(app: Flask, n: int, expected: str) -> None:
    """3 to 10 take the plural (دقائق), 11 to 99 the singular accusative (دقيقة)."""
    with app.test_request_context("/"), force_locale("ar"):
        assert ngettext("%(num)s minute", "%(num)s minutes", n) == expected


def test_the_home_in_arabic_says_25_minutes_in_the_singular(
    client: FlaskClient, auth: Auth
) -> None:
    in_arabic(client, auth)
    html = page(client.get("/learn/"))
    assert '<html lang="ar"' in html
    assert "25 دقيقة" in html
    assert "20 دقيقة" in html
    # "دقائق" is the plural of 3 to 10 only (the entry check's 5 minutes), never of 20 or 25.
    few = [int(n) for n in re.findall(r"(\d+) دقائق", html)]
    assert all(3 <= n <= 10 for n in few), few


def test_a_count_filled_in_by_a_script_gets_every_arabic_form(app: Flask) -> None:
    with app.test_request_context("/"), force_locale("ar"):
        forms = json.loads(plural_forms("%(num)s minute", "%(num)s minutes"))
    assert forms["few"] == "{n} دقائق"
    assert forms["many"] == "{n} دقيقة"
    assert forms["two"] == "{n} دقيقتان"
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}


def test_the_offline_counts_and_the_kiosk_countdown_give_their_plural_forms(
    client: FlaskClient, auth: Auth
) -> None:
    in_arabic(client, auth)
    raw = client.get("/learn/").get_data(as_text=True)
    for name in ("data-waiting-many", "data-lost-many"):
        found = re.search(rf'{name}="([^"]+)"', raw)
        assert found, f"no plural forms in {name}"
        forms = json.loads(html.unescape(found.group(1)))
        assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
        assert all("{n}" in text for name, text in forms.items() if name != "one"), forms


def test_the_done_page_in_arabic_counts_exercises_with_the_right_form(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    in_arabic(client, auth)
    with app.test_request_context("/"):
        module = catalogue.get_module("gps-itineraire")
    assert module is not None
    for step in module.steps:
        submit(client, step_url(module.id, step.id), right_answer(step))
    practice = sum(1 for s in module.steps if s.is_practice)
    html = page(client.get(f"/learn/modules/{module.id}/done"))
    with app.test_request_context("/"), force_locale("ar"):
        expected = ngettext(
            "Sans aide, vous avez réussi %(num)s exercice sur %(total)s.",
            "Sans aide, vous avez réussi %(num)s exercices sur %(total)s.",
            practice,
            total=practice,
        )
    assert expected in html
    assert expected.startswith("دون مساعدة")  # translated, not the French text


def test_a_staff_message_in_an_arabic_page_is_isolated_as_french(
    client: FlaskClient, auth: Auth
) -> None:
    in_arabic(client, auth)
    html = page(client.get("/learn/"))
    assert '<html lang="ar" dir="rtl"' in html
    message = "Avant le chantier du parc, pour créer votre compte sur la tablette."
    assert re.search(rf'<bdi lang="fr" dir="ltr">{re.escape(message)}</bdi>', html), html


SURCHARGE = {"fr": "surtaxé", "en": "premium-rate", "ar": "بتكلفة إضافية"}
BANK = {"fr": "votre banque", "en": "your bank", "ar": "بنكك"}


@pytest.mark.parametrize("locale", ["fr", "en", "ar"])
def test_the_card_blocking_number_is_told_surcharged_after_the_banks_own(
    app: Flask, locale: str
) -> None:
    with app.test_request_context("/"):
        module = catalogue.get_module("dangers-internet", locale)
    assert module is not None
    step = module.step("card-blocked")
    assert isinstance(step, ChooseStep)
    texts = [t for s in module.steps for t in s.texts()]
    texts += list(getattr(module.step("summary"), "contacts", []))
    # In Arabic the number is kept whole with no-break spaces (catalogue/bidi.py).
    texts = [t.replace("\u00a0", " ") for t in texts]
    with_number = [t for t in texts if "0 892 705 705" in t]
    assert with_number, "the number is still taught"
    for text in with_number:
        assert SURCHARGE[locale] in text, text
    block = next(o for o in step.options if o.correct)
    for said in (block.feedback, step.explanation):
        assert said is not None
        text = said.replace("\u00a0", " ")
        assert BANK[locale] in text
        assert text.index(BANK[locale]) < text.index("0 892 705 705"), text
