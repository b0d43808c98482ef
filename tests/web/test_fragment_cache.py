"""Parts of pages kept rendered (companion/fragments.py): the same pages as without them,
never one person's HTML on another's page, and a change shown at once."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion import catalogue
from companion.extensions import db
from companion.fragments import store
from companion.models import Learner, StaffUser
from companion.services import learners as learner_service
from tests.conftest import AMINA_LINK, CHLOE_LINK, Auth, csrf_from
from tests.helpers import right_answer, step_url, submit
from tests.web.test_kiosk import open_kiosk

# What differs between two renderings of the same page by design: the forms' tokens, an
# answer form's one-time key and the moment it was shown.
BRUNO_LINK = "/s/demo-bruno-8Hd2Zp4Wc6N"
VOLATILE = re.compile(r'(name="(?:csrf_token|submission_key|shown_at)" value=")[^"]*(")')


def _same_text(html: str) -> str:
    return VOLATILE.sub(r"\1…\2", html)


@pytest.fixture
def kept(app: Flask) -> Iterator[None]:
    kept = store(app)
    full = kept.max_chars
    kept.clear()
    yield
    kept.max_chars = full


def _both_ways(app: Flask, client: FlaskClient, path: str) -> tuple[str, str, str]:
    """The page without kept parts, then twice with them (filling, then reading)."""
    full = store(app).max_chars
    store(app).max_chars = 0
    plain = client.get(path)
    store(app).max_chars = full
    filled = client.get(path)
    read = client.get(path)
    for response in (plain, filled, read):
        assert response.status_code == 200, (path, response.status_code)
    return (
        _same_text(plain.get_data(as_text=True)),
        _same_text(filled.get_data(as_text=True)),
        _same_text(read.get_data(as_text=True)),
    )


def _learner_pages(client: FlaskClient) -> list[str]:
    """The learner's home and the step each module of it starts at."""
    home = client.get("/learn/").get_data(as_text=True)
    pages = ["/learn/"]
    for module_path in dict.fromkeys(re.findall(r'href="(/learn/modules/[^/"]+/)"', home)):
        start = client.get(module_path)
        assert start.status_code == 302, module_path
        pages.append(start.headers["Location"])
    assert len(pages) > 5
    return pages


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_pages_are_the_same_with_kept_parts(
    app: Flask, client: FlaskClient, auth: Auth, kept: None, lang: str
) -> None:
    client.get(f"/?lang={lang}")
    for path in ("/", "/a-propos", "/staff/signin"):
        plain, filled, read = _both_ways(app, client, f"{path}?lang={lang}")
        assert plain == filled == read, path
    auth.learner_link(BRUNO_LINK, "1357")
    for path in _learner_pages(client):
        plain, filled, read = _both_ways(app, client, f"{path}?lang={lang}")
        assert plain == filled == read, path
    staff = app.test_client()
    Auth(staff).staff("cip@atelier.example")
    for path in ("/staff/learners", "/staff/team"):
        plain, filled, read = _both_ways(app, staff, f"{path}?lang={lang}")
        assert plain == filled == read, path
    assert store(app).hits > 0, "no part was read back: the comparison compared nothing"


def test_the_reading_settings_are_kept_per_setting(
    app: Flask, client: FlaskClient, kept: None
) -> None:
    client.get("/")
    token = csrf_from(client.get("/").get_data(as_text=True))
    client.post("/affichage", data={"text": "xlarge", "csrf_token": token, "next": "/"})
    plain, filled, read = _both_ways(app, client, "/")
    assert plain == filled == read
    assert re.search(r'value="xlarge"[^>]*aria-pressed="true"', read)
    other = app.test_client()  # a device with the usual size, after the first one
    html = other.get("/").get_data(as_text=True)
    assert re.search(r'value="normal"[^>]*aria-pressed="true"', html)
    assert not re.search(r'value="xlarge"[^>]*aria-pressed="true"', html)


def test_one_learner_never_sees_anothers_page(app: Flask, kept: None) -> None:
    amina, chloe = app.test_client(), app.test_client()
    Auth(amina).learner_link(AMINA_LINK, "2580")
    Auth(chloe).learner_link(CHLOE_LINK, "3690")
    path = step_url("mots-de-passe", "confidence-start")
    first = amina.get(path).get_data(as_text=True)
    second = chloe.get(path).get_data(as_text=True)
    assert "Amina" in first
    assert "Amina" not in second
    assert "Chloé" in second
    # Every form's token is each one's own: Chloé's work for Chloé, not for Amina.
    tokens = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert len(tokens.findall(second)) >= 3  # sign-out, reading settings, language, answer
    assert not set(tokens.findall(first)) & set(tokens.findall(second))
    out = chloe.post("/learn/signout", data={"csrf_token": csrf_from(second)})
    assert out.status_code == 302
    wrong = amina.post("/learn/signout", data={"csrf_token": csrf_from(second)})
    assert wrong.status_code == 400
    assert amina.get(path).status_code == 200  # Amina is still signed in


def test_an_answer_shows_at_once_on_the_cip_home(app: Flask, kept: None) -> None:
    cip = app.test_client()
    Auth(cip).staff("cip@atelier.example")
    learner = app.test_client()
    Auth(learner).learner_link(BRUNO_LINK, "1357")

    def bruno_row() -> str:
        html = cip.get("/staff/learners").get_data(as_text=True)
        match = re.search(r'<tr data-learner data-name="bruno[^"]*">.*?</tr>', html, re.S)
        assert match, "no row for Bruno"
        return match.group(0)

    before = bruno_row()
    assert bruno_row() == before  # read back from what was kept
    module_id = next(
        m for m in re.findall(r'data-module="([^"]+)" data-state="not_started"', before)
    )
    with app.app_context():
        module = catalogue.get_module(module_id)
    assert module is not None
    step = module.steps[0]
    response = submit(learner, step_url(module_id, step.id), right_answer(step))
    assert response.status_code in (200, 302)
    after = bruno_row()
    assert f'data-module="{module_id}" data-state="not_started"' not in after
    assert after != before


def test_a_renamed_learner_is_renamed_on_the_kiosk(
    app: Flask, client: FlaskClient, auth: Auth, kept: None
) -> None:
    open_kiosk(client, auth)
    assert "Amina" in client.get("/kiosk/").get_data(as_text=True)
    with app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        assert amina is not None
        assert cip is not None
        learner_service.edit_learner(
            cip,
            amina,
            learner_service.LearnerFields(
                first_name="Aminata",
                initial=amina.initial,
                team_id=amina.team_id,
                locale=amina.locale or "fr",
                pictogram=amina.pictogram,
            ),
        )
        db.session.remove()
    html = client.get("/kiosk/").get_data(as_text=True)
    assert "Aminata" in html


def test_another_structures_kiosk_shows_its_own_learners(app: Flask, kept: None) -> None:
    first, second = app.test_client(), app.test_client()
    open_kiosk(first, Auth(first))
    open_kiosk(second, Auth(second), "cip@recyclerie.example")
    one = first.get("/kiosk/").get_data(as_text=True)
    two = second.get("/kiosk/").get_data(as_text=True)
    assert "Amina" in one
    assert "Amina" not in two
    assert "Diallo" in two
    assert "Diallo" not in one


def test_each_kiosk_of_a_structure_shows_its_own_name_and_opener(app: Flask, kept: None) -> None:
    """Two kiosks of one structure show the same tiles, and each its own footer (the kept
    footer is keyed by the kiosk's label and who opened it)."""
    hall, workshop = app.test_client(), app.test_client()
    open_kiosk(hall, Auth(hall))
    open_kiosk(workshop, Auth(workshop), "direction@atelier.example", "Borne de l'atelier")
    one = hall.get("/kiosk/").get_data(as_text=True)
    two = workshop.get("/kiosk/").get_data(as_text=True)
    assert "Borne du hall" in one
    assert "ouverte par cip@atelier.example" in one
    assert "Borne de l&#39;atelier" in two
    assert "ouverte par direction@atelier.example" in two
    assert "Borne du hall" not in two
    assert "cip@atelier.example" not in two
