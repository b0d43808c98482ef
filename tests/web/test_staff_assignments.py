"""Encadrants and CIPs assign modules; learners see them first, with who, when and why."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from companion.services.assignments import today as paris_today
from tests.conftest import AMINA_LINK, CHLOE_LINK, Auth, csrf_from, page
from tests.web.staff_helpers import learner_id, post_form, team_id

URL = "/staff/assignments"


def test_past_due_date_is_refused_and_input_kept(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("encadrant@atelier.example")
    yesterday = (paris_today() - timedelta(days=2)).isoformat()
    response = post_form(
        client,
        URL,
        {
            "module_id": "mots-de-passe",
            "target": f"team:{team_id(app, 'Espaces verts')}",
            "due_date": yesterday,
            "message": "Pour lundi matin",
        },
    )
    assert response.status_code == 422
    html = page(response)
    assert "Choisissez aujourd'hui ou une date à venir." in html
    assert "Pour lundi matin" in html
    assert f'value="{yesterday}"' in html


def test_encadrant_assigns_to_their_team_only(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("encadrant@atelier.example")
    html = page(client.get(URL))
    assert "Amina" in html
    assert f"learner:{learner_id(app, 'Chloé')}" not in html  # another team
    response = post_form(
        client,
        URL,
        {"module_id": "mots-de-passe", "target": f"learner:{learner_id(app, 'Chloé')}"},
    )
    assert response.status_code == 422
    assert "Choisissez une équipe ou une personne de la liste." in page(response)
    due = (paris_today() + timedelta(days=5)).isoformat()
    response = post_form(
        client,
        URL,
        {
            "module_id": "mots-de-passe",
            "target": f"learner:{learner_id(app, 'Amina')}",
            "due_date": due,
            "message": "On en parle jeudi.",
        },
    )
    assert response.status_code == 302
    html = page(client.get(URL))
    assert "On en parle jeudi." in html
    assert "Pas encore fini" in html


def test_learner_home_shows_assignments_first(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    html = page(client.get("/learn/"))
    assert "On vous demande de faire ce module." in html
    assert "Demandé par votre encadrant." in html
    assert "À finir avant le" in html
    assert "Avant le chantier du parc" in html
    assert html.index("module-card--assigned") < html.index("module-card__title")


def test_learner_without_assignment_sees_the_plain_list(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(CHLOE_LINK, "3690")
    html = page(client.get("/learn/"))
    assert "Choisissez un module." in html
    assert "module-card--assigned" not in html


def test_cip_sees_who_has_done_it(client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    html = page(client.get(URL))
    assert "En retard" in html  # Bruno's demo assignment
    assert "Toute l'équipe Espaces verts" in html
    token = csrf_from(html)
    assert token
