"""The CIP manages learners: create (PIN once, sign-in cards), edit, PIN, unlock, archive, notes."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from companion.extensions import db
from companion.models import AuditEvent, Learner, utcnow
from tests.conftest import Auth, csrf_from, page
from tests.web.staff_helpers import learner_id, post_form, team_id

NEW = "/staff/learners/new"
PIN_RE = re.compile(r"data-pin>(\d{4})<")


def _create(client: FlaskClient, app: Flask, **fields: str) -> TestResponse:
    data = {
        "first_name": "Fatou",
        "initial": "",
        "team_id": str(team_id(app, "Tri et vente")),
        "locale": "fr",
        "pictogram": "tulip",
    }
    data.update(fields)
    return post_form(client, NEW, data)


def test_create_shows_pin_once_with_cards_and_the_pin_works(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    response = _create(client, app)
    assert response.status_code == 302  # post/redirect/get: to the card sheet
    html = page(client.get(response.headers["Location"]))
    pin = PIN_RE.search(html)
    assert pin, "the PIN is shown"
    assert html.count("<svg") >= 4  # a QR code on each of the four cards
    assert "Je tape mon code." in html
    with app.app_context():
        fatou = db.session.scalar(select(Learner).where(Learner.first_name == "Fatou"))
        assert fatou is not None
        link, fid = f"/s/{fatou.signin_token}", fatou.id
        assert fatou.pin_hash != pin.group(1)  # stored hashed
    file_html = page(client.get(f"/staff/learners/{fid}"))
    assert pin.group(1) not in file_html  # never shown again
    client.post("/staff/signout", data={"csrf_token": csrf_from(file_html)})
    assert auth.learner_link(link, pin.group(1)).headers["Location"] == "/learn/"


def test_bad_input_keeps_what_was_typed(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    response = _create(client, app, first_name="", initial="M.")
    assert response.status_code == 422
    html = page(response)
    assert "Écrivez le prénom." in html
    assert "Une à trois lettres, sans point." in html
    assert 'value="M."' in html
    assert 'value="tulip" checked' in html


def test_duplicate_first_name_asks_for_an_initial(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    response = _create(client, app, first_name="Amina")
    assert response.status_code == 422
    html = page(response)
    assert "Ajoutez l'initiale du nom" in html
    assert 'value="Amina"' in html
    response = _create(client, app, first_name="Amina", initial="k")
    assert response.status_code == 302
    assert "Amina K." in page(client.get(response.headers["Location"]))


def test_another_structure_gets_404(app: Flask, client: FlaskClient, auth: Auth) -> None:
    amina = learner_id(app, "Amina")
    auth.staff("cip@recyclerie.example")
    for path in (f"/staff/learners/{amina}", f"/staff/learners/{amina}/edit"):
        assert client.get(path).status_code == 404
    token = csrf_from(client.get("/staff/learners").get_data(as_text=True))
    for action in ("pin", "unlock", "archive"):
        response = client.post(f"/staff/learners/{amina}/{action}", data={"csrf_token": token})
        assert response.status_code == 404


def test_reset_pin_unlock_and_archive(app: Flask, client: FlaskClient, auth: Auth) -> None:
    amina = learner_id(app, "Amina")
    with app.app_context():
        learner = db.session.get(Learner, amina)
        assert learner is not None
        learner.locked_until = utcnow() + timedelta(minutes=10)
        db.session.commit()
    auth.staff("cip@atelier.example")
    file_url = f"/staff/learners/{amina}"
    assert "Code bloqué" in page(client.get(file_url))
    response = post_form(client, file_url, {}, url=f"{file_url}/unlock")
    assert response.status_code == 302
    assert "Code bloqué" not in page(client.get(file_url))

    response = post_form(client, f"{file_url}/pin", {})  # after its confirmation page
    cards = page(client.get(response.headers["Location"]))
    new_pin = PIN_RE.search(cards)
    assert new_pin
    assert "L'ancien code et l'ancienne carte ne marchent plus." in cards

    response = post_form(client, f"{file_url}/archive", {})
    assert response.status_code == 302
    assert "est archivé" in page(client.get("/staff/learners"))  # the flash message
    assert "Amina" not in page(client.get("/staff/learners"))
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
        learner = db.session.get(Learner, amina)
        assert learner is not None
        assert learner.archived
    assert {"unlocked", "reset_pin", "archived", "viewed_learner"} <= {str(a) for a in actions}


def test_edit_keeps_history_and_changes_team(app: Flask, client: FlaskClient, auth: Auth) -> None:
    chloe = learner_id(app, "Chloé")
    auth.staff("direction@atelier.example")
    response = post_form(
        client,
        f"/staff/learners/{chloe}/edit",
        {
            "first_name": "Chloé",
            "initial": "",
            "team_id": str(team_id(app, "Espaces verts")),
            "locale": "ar",
            "pictogram": "butterfly",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        learner = db.session.get(Learner, chloe)
        assert learner is not None
        assert learner.locale == "ar"
        assert learner.team is not None
        assert learner.team.name == "Espaces verts"


def test_learner_file_shows_results_confidence_and_difficulties(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    html = page(client.get(f"/staff/learners/{learner_id(app, 'Chloé')}"))
    assert 'data-state="completed"' in html
    assert "Pas encore" in html  # confidence after the module (demo)
    assert "réponse montrée" in html  # the step she needed help on
    assert "Activité" in html
    assert "Revoir ensemble la phrase de passe" in html  # the demo note


def test_notes_for_cip_and_direction_only(app: Flask, client: FlaskClient, auth: Auth) -> None:
    bruno = learner_id(app, "Bruno")
    notes = f"/staff/learners/{bruno}/notes"
    auth.staff("cip@atelier.example")
    empty = post_form(client, notes, {"body": "   "})
    assert empty.status_code == 422
    assert "Écrivez la note avant de l'enregistrer." in page(empty)
    assert (
        post_form(client, notes, {"body": "Entretien le 12 : à l'aise sur la borne."}).status_code
        == 302
    )
    client.post("/staff/signout", data={"csrf_token": csrf_from(client.get(notes).text)})

    auth.staff("direction@atelier.example")
    assert "à l'aise sur la borne" in page(client.get(notes))
    client.post("/staff/signout", data={"csrf_token": csrf_from(client.get(notes).text)})

    auth.staff("encadrant@atelier.example")
    assert client.get(notes).status_code == 403
    assert "à l'aise sur la borne" not in page(client.get("/staff/team"))


def test_cip_home_lists_who_to_follow(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    html = page(client.get("/staff/learners"))
    reasons = re.findall(r'data-reason="(\w+)"', html)
    assert sorted(reasons) == ["inactive", "not_confident", "overdue", "stuck"]
    assert "3 erreurs sur l'étape" in html
