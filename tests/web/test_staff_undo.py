"""Mistakes can be undone (#14): assignments, notes, teams, names, archives, confirmations.

Each test starts from a finding of the review: what a CIP, encadrant or direction could not
undo on main, and what they expect instead.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from companion.extensions import db
from companion.models import (
    Assignment,
    AuditEvent,
    Kiosk,
    Learner,
    Note,
    Role,
    StaffUser,
    Team,
)
from companion.services.assignments import today as paris_today
from companion.services.passwords import hash_secret
from companion.services.privacy import erase_learner
from tests.conftest import AMINA_LINK, CHLOE_LINK, DEMO_PASSWORD, Auth, csrf_from, page
from tests.web.staff_helpers import learner_id, post_form, team_id

ASSIGN = "/staff/assignments"
BRUNO_LINK = "/s/demo-bruno-8Hd2Zp4Wc6N"
PIN_RE = re.compile(r"data-pin>(\d{4})<")
MODULE = "mots-de-passe"


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return [str(a) for a in db.session.scalars(select(AuditEvent.action))]


def _signout(client: FlaskClient) -> None:
    token = csrf_from(client.get("/staff/signin").get_data(as_text=True))
    client.post("/staff/signout", data={"csrf_token": token})


def _assignment_of(app: Flask, first_name: str) -> int:
    with app.app_context():
        found = db.session.scalar(
            select(Assignment.id).where(
                Assignment.learner_id == learner_id(app, first_name),
            )
        )
        assert found is not None
        return found


def _learner_home(app: Flask, link: str, pin: str) -> str:
    learner = app.test_client()
    assert Auth(learner).learner_link(link, pin).status_code == 302
    return page(learner.get("/learn/"))


# --- Assignments ---------------------------------------------------------------------------


def test_edit_an_assignment_and_the_learner_sees_it(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    bruno = _assignment_of(app, "Bruno")
    assert "Pour préparer votre inscription" in _learner_home(app, BRUNO_LINK, "1357")
    auth.staff("cip@atelier.example")
    listing = page(client.get(ASSIGN))
    assert f'href="/staff/assignments/{bruno}/edit"' in listing
    url = f"{ASSIGN}/{bruno}/edit"
    edit = page(client.get(url))
    assert "Pour préparer votre inscription" in edit  # the current message, to correct
    due = paris_today() + timedelta(days=3)  # sooner than the team's: this card shows
    past = (paris_today() - timedelta(days=1)).isoformat()
    refused = post_form(client, url, {"due_date": past, "message": "x"})
    assert refused.status_code == 422
    assert "Choisissez aujourd'hui ou une date à venir." in page(refused)
    response = post_form(
        client, url, {"due_date": due.isoformat(), "message": "Avant le rendez-vous de jeudi"}
    )
    assert response.headers["Location"] == ASSIGN
    home = _learner_home(app, BRUNO_LINK, "1357")
    assert "Avant le rendez-vous de jeudi" in home
    assert "Pour préparer votre inscription" not in home
    assert "assignment_edited" in _actions(app)


def test_cancel_an_assignment_after_a_confirmation(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    chloe = learner_id(app, "Chloé")
    auth.staff("cip@atelier.example")
    post_form(
        client,
        ASSIGN,
        {"module_id": "emploi-en-ligne", "target": f"learner:{chloe}", "message": "Pour le CV"},
    )
    assert "Pour le CV" in _learner_home(app, CHLOE_LINK, "3690")
    assignment = _assignment_of(app, "Chloé")
    url = f"{ASSIGN}/{assignment}/cancel"
    confirm = page(client.get(url))  # the GET asks, changes nothing
    assert "Annuler l'attribution" in confirm
    assert f'action="{url}"' in confirm or 'method="post"' in confirm
    assert "Pour le CV" in _learner_home(app, CHLOE_LINK, "3690")
    assert post_form(client, url, {}).headers["Location"] == ASSIGN
    assert "Pour le CV" not in _learner_home(app, CHLOE_LINK, "3690")
    with app.app_context():
        assert db.session.get(Assignment, assignment) is None
    assert "assignment_cancelled" in _actions(app)


def test_assigning_the_same_module_twice_offers_to_update_the_first(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    green = team_id(app, "Espaces verts")
    with app.app_context():
        before = db.session.scalar(select(func.count(Assignment.id)))
        first = db.session.scalar(select(Assignment).where(Assignment.team_id == green))
        assert first is not None
        first_id = first.id
    auth.staff("encadrant@atelier.example")
    due = (paris_today() + timedelta(days=20)).isoformat()
    data = {
        "module_id": first.module_id,
        "target": f"team:{green}",
        "due_date": due,
        "message": "Nouvelle date, chantier reporté",
    }
    twice = post_form(client, ASSIGN, data)
    assert twice.status_code == 409
    html = page(twice)
    assert "Ce module est déjà attribué à Espaces verts" in html
    assert f'name="update_existing" value="{first_id}"' in html
    assert "Nouvelle date, chantier reporté" in html  # what was typed stays
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == before
    updated = post_form(client, ASSIGN, {**data, "update_existing": str(first_id)})
    assert updated.headers["Location"] == ASSIGN
    with app.app_context():
        assert db.session.scalar(select(func.count(Assignment.id))) == before
        kept = db.session.get(Assignment, first_id)
        assert kept is not None
        assert kept.message == "Nouvelle date, chantier reporté"
        assert kept.due_date is not None
        assert kept.due_date.isoformat() == due
    assert "Nouvelle date, chantier reporté" in _learner_home(app, AMINA_LINK, "2580")


def test_an_encadrant_changes_only_their_teams_assignments(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    chloe = learner_id(app, "Chloé")  # Tri et vente: not the encadrant's team
    post_form(client, ASSIGN, {"module_id": "emploi-en-ligne", "target": f"learner:{chloe}"})
    other = _assignment_of(app, "Chloé")
    _signout(client)
    auth.staff("encadrant@atelier.example")
    assert f"/staff/assignments/{other}/edit" not in page(client.get(ASSIGN))
    assert client.get(f"{ASSIGN}/{other}/edit").status_code == 404
    assert post_form(client, ASSIGN, {}, url=f"{ASSIGN}/{other}/cancel").status_code == 404
    bruno = _assignment_of(app, "Bruno")  # Espaces verts: theirs
    assert client.get(f"{ASSIGN}/{bruno}/edit").status_code == 200


# --- Notes ---------------------------------------------------------------------------------


def _note_of(app: Flask, first_name: str) -> int:
    with app.app_context():
        found = db.session.scalar(
            select(Note.id).where(Note.learner_id == learner_id(app, first_name))
        )
        assert found is not None
        return found


def test_correct_and_delete_a_note_with_the_change_in_the_audit_log(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    note = _note_of(app, "Chloé")
    chloe = learner_id(app, "Chloé")
    auth.staff("cip@atelier.example")  # its author
    file_html = page(client.get(f"/staff/learners/{chloe}"))
    assert f'href="/staff/notes/{note}/edit"' in file_html
    url = f"/staff/notes/{note}/edit"
    empty = post_form(client, url, {"body": "  "})
    assert empty.status_code == 422
    response = post_form(client, url, {"body": "Revoir la phrase de passe jeudi."})
    assert response.headers["Location"] == f"/staff/learners/{chloe}/notes"
    notes_html = page(client.get(f"/staff/learners/{chloe}/notes"))
    assert "Revoir la phrase de passe jeudi." in notes_html
    assert "nombre de caractères" not in notes_html  # the old text is gone
    assert "corrigée le" in notes_html
    delete_url = f"/staff/notes/{note}/delete"
    assert "Supprimer la note" in page(client.get(delete_url))
    with app.app_context():
        assert db.session.get(Note, note) is not None  # the GET only asks
    assert post_form(client, delete_url, {}).status_code == 302
    with app.app_context():
        assert db.session.get(Note, note) is None
        events = list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action.in_(["note_edited", "note_deleted"]))
            )
        )
        assert {str(e.action) for e in events} == {"note_edited", "note_deleted"}
        assert all(e.learner_id == chloe for e in events)
        assert all("phrase de passe" not in e.detail for e in events)  # never the text


def test_a_colleagues_note_is_corrected_by_its_author_or_the_direction_only(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    note = _note_of(app, "Bruno")  # written by cip@atelier.example
    with app.app_context():
        atelier = db.session.scalar(
            select(StaffUser.structure_id).where(StaffUser.email == "cip@atelier.example")
        )
        db.session.add(
            StaffUser(
                email="cip2@atelier.example",
                password_hash=hash_secret(DEMO_PASSWORD),
                role=Role.CIP,
                structure_id=atelier,
            )
        )
        db.session.commit()
    auth.staff("cip2@atelier.example")
    assert client.get(f"/staff/notes/{note}/edit").status_code == 403
    assert f"/staff/notes/{note}/edit" not in page(
        client.get(f"/staff/learners/{learner_id(app, 'Bruno')}/notes")
    )
    _signout(client)
    auth.staff("direction@atelier.example")
    assert client.get(f"/staff/notes/{note}/edit").status_code == 200
    _signout(client)
    auth.staff("direction@recyclerie.example")
    assert client.get(f"/staff/notes/{note}/edit").status_code == 404


# --- Names and teams -----------------------------------------------------------------------


def test_folded_names() -> None:
    from companion.models.names import fold, learner_key

    assert fold("  Chloé  ") == fold("chloe") == "chloe"
    assert fold("AÏCHA") == fold("aicha")
    assert learner_key("Amina", "") != learner_key("Amina", "K")


def _new_learner(
    client: FlaskClient, app: Flask, first_name: str, initial: str = ""
) -> TestResponse:
    return post_form(
        client,
        "/staff/learners/new",
        {
            "first_name": first_name,
            "initial": initial,
            "team_id": str(team_id(app, "Tri et vente")),
            "locale": "fr",
            "pictogram": "tulip",
        },
    )


def test_names_are_unique_whatever_the_case_and_accents(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    for typed, existing in [("amina", "Amina"), ("Chloe", "Chloé"), (" CHLOÉ ", "Chloé")]:
        response = _new_learner(client, app, typed)
        assert response.status_code == 422, typed
        assert f"{existing} est déjà inscrit" in page(response), typed
    assert _new_learner(client, app, "Chloe", "m").status_code == 302
    # Renaming someone to a folded twin is refused too; changing one's own case is not.
    bruno = learner_id(app, "Bruno")
    data = {"initial": "", "team_id": "0", "locale": "fr", "pictogram": "bicycle"}
    twin = post_form(client, f"/staff/learners/{bruno}/edit", {**data, "first_name": "AMINA"})
    assert twin.status_code == 422
    own = post_form(client, f"/staff/learners/{bruno}/edit", {**data, "first_name": "BRUNO"})
    assert own.status_code == 302


def test_rename_merge_and_delete_a_team_without_losing_anyone(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    green, shop = team_id(app, "Espaces verts"), team_id(app, "Tri et vente")
    auth.staff("direction@atelier.example")
    assert f'href="/staff/structure/teams/{shop}"' in page(client.get("/staff/structure/teams"))
    taken = post_form(client, f"/staff/structure/teams/{shop}", {"name": "espaces  VERTS"})
    assert taken.status_code == 422
    assert "Une équipe porte déjà ce nom" in page(taken)
    assert (
        post_form(client, f"/staff/structure/teams/{shop}", {"name": "Boutique"}).status_code == 302
    )
    # Deleting the encadrant's team without another one is refused: he would see nobody.
    remove_green = f"/staff/structure/teams/{green}/remove"
    assert re.search(r"Salariés \(archivés compris\)</dt><dd>2<", page(client.get(remove_green)))
    refused = post_form(client, remove_green, {"into": "0"})
    assert refused.status_code == 422
    assert "Des encadrants sont rattachés" in page(refused)
    # Merge Espaces verts into Boutique: its learners, encadrant and assignment follow.
    merged = post_form(client, remove_green, {"into": str(shop)})
    assert merged.headers["Location"] == "/staff/structure/teams"
    with app.app_context():
        assert db.session.get(Team, green) is None
        team_of = dict(db.session.execute(select(Learner.first_name, Learner.team_id)).all())
        assert team_of["Amina"] == team_of["Bruno"] == team_of["Chloé"] == shop
        encadrant = db.session.scalar(
            select(StaffUser).where(StaffUser.email == "encadrant@atelier.example")
        )
        assert encadrant is not None
        assert encadrant.team_id == shop
        assert db.session.scalar(select(func.count()).where(Assignment.team_id == shop)) == 1
    assert "Avant le chantier du parc" in _learner_home(app, CHLOE_LINK, "3690")
    # A team without encadrant is deleted: its learners keep the assignment as their own.
    post_form(client, "/staff/structure/teams", {"name": "Nettoyage"})
    cleaning = team_id(app, "Nettoyage")
    chloe = learner_id(app, "Chloé")
    post_form(
        client,
        f"/staff/learners/{chloe}/edit",
        {"first_name": "Chloé", "initial": "", "team_id": str(cleaning), "locale": "fr",
         "pictogram": "butterfly"},
    )  # fmt: skip
    post_form(client, ASSIGN, {"module_id": "emploi-en-ligne", "target": f"team:{cleaning}"})
    deleted = post_form(client, f"/staff/structure/teams/{cleaning}/remove", {"into": "0"})
    assert deleted.status_code == 302
    with app.app_context():
        moved = db.session.get(Learner, chloe)
        assert moved is not None
        assert moved.team_id is None
        own = db.session.scalar(
            select(Assignment).where(
                Assignment.learner_id == chloe, Assignment.module_id == "emploi-en-ligne"
            )
        )
        assert own is not None
    assert _actions(app).count("team_changed") == 4  # rename, merge, create, delete


# --- Archives ------------------------------------------------------------------------------


def test_unarchive_and_the_former_learners_list(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    amina = learner_id(app, "Amina")
    auth.staff("cip@atelier.example")
    assert "Archiver Amina ?" in page(client.get(f"/staff/learners/{amina}/archive"))
    post_form(client, f"/staff/learners/{amina}/archive", {})
    assert client.get(AMINA_LINK).status_code == 404  # can no longer sign in
    assert 'href="/staff/learners/former"' in page(client.get("/staff/learners"))
    former = page(client.get("/staff/learners/former"))
    assert "Amina" in former
    assert "données effacées après le" in former
    for path in (
        f"/staff/learners/{amina}",
        f"/staff/learners/{amina}/attestation",
        f"/staff/learners/{amina}/data",
    ):
        assert f'href="{path}"' in former
        assert client.get(path).status_code == 200, path
    response = post_form(
        client, "/staff/learners/former", {}, url=f"/staff/learners/{amina}/unarchive"
    )
    assert response.headers["Location"] == f"/staff/learners/{amina}"
    assert f'href="/staff/learners/{amina}"' not in page(client.get("/staff/learners/former"))
    assert "Amina" in page(client.get("/staff/learners"))
    _signout(client)
    assert Auth(client).learner_link(AMINA_LINK, "2580").headers["Location"] == "/learn/"
    assert {"archived", "unarchived"} <= set(_actions(app))


def test_an_erased_learner_cannot_be_brought_back(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    bruno = learner_id(app, "Bruno")
    with app.app_context():
        learner = db.session.get(Learner, bruno)
        assert learner is not None
        erase_learner(learner, None, "test")
    auth.staff("cip@atelier.example")
    assert "Anonyme" not in page(client.get("/staff/learners/former"))
    response = post_form(
        client, "/staff/learners/former", {}, url=f"/staff/learners/{bruno}/unarchive"
    )
    assert response.status_code == 409


# --- Confirmations, encadrants without a team, the card sheet ------------------------------


def test_dangerous_actions_ask_first_without_javascript(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """A GET on the action's address shows what will happen and a form posting to it."""
    amina = learner_id(app, "Amina")
    with app.app_context():
        kiosk = db.session.scalar(select(Kiosk.id))
    auth.staff("direction@atelier.example")
    file_html = page(client.get(f"/staff/learners/{amina}"))
    assert f'href="/staff/learners/{amina}/pin"' in file_html
    assert f'href="/staff/learners/{amina}/archive"' in file_html
    assert "data-confirm" not in file_html
    assert f'href="/staff/structure/kiosks/{kiosk}/revoke"' in page(
        client.get("/staff/structure/kiosks")
    )
    for url, words in [
        (f"/staff/learners/{amina}/pin", "Donner un nouveau code à Amina ?"),
        (f"/staff/learners/{amina}/archive", "Archiver Amina ?"),
        (f"/staff/structure/kiosks/{kiosk}/revoke", "Révoquer la borne « Borne de l'accueil » ?"),
        (f"/staff/notes/{_note_of(app, 'Chloé')}/delete", "Supprimer la note"),
        (f"{ASSIGN}/{_assignment_of(app, 'Bruno')}/cancel", "Annuler l'attribution"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = page(response)
        assert words in html, url
        assert re.search(r'<form method="post"[^>]*>', html), url
        assert "Ne rien changer</a>" in html, url
    with app.app_context():
        learner = db.session.get(Learner, amina)
        assert learner is not None
        assert not learner.archived
        assert db.session.scalar(select(Kiosk.revoked_at)) is None
    # Nothing happened: Amina still signs in with her PIN.
    assert _learner_home(app, AMINA_LINK, "2580")


def test_an_encadrant_account_without_a_team_is_refused(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("direction@atelier.example")
    response = post_form(
        client,
        "/staff/structure/staff",
        {"email": "julien@atelier.example", "role": "encadrant", "team_id": "0"},
    )
    assert response.status_code == 422
    assert "Choisissez l'équipe de l'encadrant" in page(response)
    with app.app_context():
        assert (
            db.session.scalar(select(StaffUser).where(StaffUser.email == "julien@atelier.example"))
            is None
        )


def test_reloading_the_card_sheet_keeps_the_pin_and_no_false_duplicate(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.staff("cip@atelier.example")
    created = _new_learner(client, app, "Fatou")
    assert created.status_code == 302
    cards = created.headers["Location"]
    first = page(client.get(cards))
    pin = PIN_RE.search(first)
    assert pin
    again = page(client.get(cards))  # the reload
    assert PIN_RE.findall(again)[:1] == [pin.group(1)]
    assert "déjà inscrit" not in again
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Learner.first_name == "Fatou")) == 1
        fatou = db.session.scalar(select(Learner).where(Learner.first_name == "Fatou"))
        assert fatou is not None
        assert pin.group(1) not in (fatou.pin_hash, fatou.signin_token)
    # Another staff session never sees it, and after 10 minutes nor does this one.
    other = app.test_client()
    Auth(other).staff("direction@atelier.example")
    gone = other.get(cards)
    assert gone.status_code == 410
    assert pin.group(1) not in page(gone)
    from companion.web import shown_once

    later = time.time() + shown_once.KEPT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the clock shown_once reads
    expired = client.get(cards)
    assert expired.status_code == 410
    assert "Le code n'est plus affiché" in page(expired)


def test_the_database_keeps_folded_names_unique_when_two_people_save_at_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check before saving can be raced (two CIPs, two tabs): the unique folded key in
    the database still refuses the second, with the same clear error, on both engines."""
    from companion.services import administration, learners

    monkeypatch.setattr(administration, "_team_name_taken", lambda *a, **k: False)
    monkeypatch.setattr(learners, "name_taken", lambda *a, **k: None)
    with app.app_context():
        direction = db.session.scalar(
            select(StaffUser).where(StaffUser.email == "direction@atelier.example")
        )
        assert direction is not None
        assert direction.structure_id is not None
        with pytest.raises(administration.AdminError):
            administration.create_team(direction, direction.structure_id, "TRI et vente")
        fields = learners.LearnerFields("amina", "", None, "fr", "tulip")
        with pytest.raises(learners.DuplicateName):
            learners.create_learner(direction, fields)
        assert db.session.scalar(select(func.count()).where(Learner.name_key == "amina|")) == 1
