"""The spreadsheet engine has limits (issue 13, item 3; docs/security.md).

One learner request on `stock-left` with D2 = E1&E1&… (151 times), D3 = D2&D2&…,
D4 = D3&D3&… used to answer a 45 MB page after seconds of CPU. Now: a friendly message in
the learner's language, a page under 200 KB, under 1 s of CPU.
"""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, ngettext
from sqlalchemy import update

from companion.catalogue.formula import MAX_TEXT_LENGTH
from companion.catalogue.steps.spreadsheet import SpreadsheetStep
from companion.extensions import db
from companion.models import Learner
from tests.conftest import Auth, page
from tests.web.test_spreadsheet_module import open_step, post

MAX_BYTES = 200_000
MAX_CPU_SECONDS = 1.0


def doubling_payload() -> dict[str, str]:
    return {
        "cell-D2": "=" + "&".join(["E1"] * 151),
        "cell-D3": "=" + "&".join(["D2"] * 151),
        "cell-D4": "=" + "&".join(["D3"] * 151),
    }


def too_long_text(app: Flask, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return str(
            ngettext(
                "Le résultat est un texte trop long : %(num)s signe au plus dans une case.",
                "Le résultat est un texte trop long : %(num)s signes au plus dans une case.",
                MAX_TEXT_LENGTH,
            )
        )


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
@pytest.mark.parametrize("action", [{"action": "recalc"}, {"check": "1"}])
def test_the_doubling_formulas_get_a_friendly_message_small_and_fast(
    app: Flask, client: FlaskClient, auth: Auth, lang: str, action: dict[str, str]
) -> None:
    url = open_step(app, client, auth, "stock-left")
    with app.app_context():
        db.session.execute(update(Learner).where(Learner.first_name == "Amina").values(locale=lang))
        db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert f'lang="{lang}"' in html
    started = time.process_time()
    response = post(client, url, {**doubling_payload(), **action})
    cpu = time.process_time() - started
    body = response.get_data()
    print(f"{lang} {action}: {len(body)} bytes, {cpu:.3f} s CPU")
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # the answer was recorded: its page shows the result
        started = time.process_time()
        response = client.get(response.headers["Location"])
        cpu += time.process_time() - started
        body = response.get_data()
    assert len(body) < MAX_BYTES, f"{len(body)} bytes"
    assert cpu < MAX_CPU_SECONDS, f"{cpu:.2f} s of CPU"
    message = too_long_text(app, lang)
    if lang != "fr":
        assert message != too_long_text(app, "fr"), f"no {lang} translation"
    assert message in page(response)


def test_no_spreadsheet_step_lets_chained_texts_grow(app: Flask) -> None:
    """Every spreadsheet step of the catalogue, every target cell chaining the one before
    (the first one a header) 151 times: each cell and note stays short, and quick."""
    steps = [
        step
        for module in app.extensions["companion.catalogue"].values()
        for step in module.steps
        if isinstance(step, SpreadsheetStep) and step.cells
    ]
    assert steps
    with app.test_request_context():
        for step in steps:
            previous = "A1"
            entries = {}
            for target in step.cells:
                entries[target.cell] = "=" + "&".join([previous] * 151)
                previous = target.cell
            started = time.process_time()
            view = step.view(entries, None, None)
            assert time.process_time() - started < MAX_CPU_SECONDS, step.id
            cells = [cell for row in view.rows for cell in row.cells]
            assert all(len(cell.display) <= MAX_TEXT_LENGTH for cell in cells), step.id
            assert all(len(note) < 2 * MAX_TEXT_LENGTH for note in view.notes.values()), step.id
