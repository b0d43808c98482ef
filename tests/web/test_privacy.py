"""A learner's data: readable page, JSON download and erasure on request; the privacy notice."""

from __future__ import annotations

import hashlib
import json
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from companion.catalogue.readability import sentences, words
from companion.extensions import db
from companion.models import AuditAction, AuditEvent, Kiosk, Learner, Note, ProgressEvent, StaffUser
from companion.services import privacy
from companion.web.session import KIOSK_COOKIE
from tests.conftest import AMINA_LINK, CHLOE_LINK, Auth, csrf_from, page
from tests.web.staff_helpers import learner_id, post_form
from tests.web.test_kiosk import open_kiosk


def _events(app: Flask, action: AuditAction, learner: int) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == action, AuditEvent.learner_id == learner
                )
            )
        )


def test_cip_sees_everything_held_about_a_learner(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    chloe = learner_id(app, "Chloé")
    auth.staff("cip@atelier.example")
    response = client.get(f"/staff/learners/{chloe}/data")
    assert response.status_code == 200
    text = page(response)
    assert "Données personnelles de Chloé" in text
    assert "Réponses données" in text
    assert "Effacer définitivement" in text
    # The file links here.
    assert f"/staff/learners/{chloe}/data" in page(client.get(f"/staff/learners/{chloe}"))
    [event] = _events(app, AuditAction.EXPORTED_LEARNER, chloe)
    assert event.detail == "page"


def test_json_download_holds_the_learners_data(app: Flask, client: FlaskClient, auth: Auth) -> None:
    chloe = learner_id(app, "Chloé")
    with app.app_context():
        answers = db.session.execute(
            select(func.count()).select_from(ProgressEvent).where(ProgressEvent.learner_id == chloe)
        ).scalar_one()
    auth.staff("direction@atelier.example")
    response = client.get(f"/staff/learners/{chloe}/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["learner"]["first_name"] == "Chloé"
    assert data["learner"]["structure"] == "Atelier Démo"
    assert len(data["answers"]) == answers > 0
    assert data["progress"]
    assert "pin_hash" not in json.dumps(data)
    [event] = _events(app, AuditAction.EXPORTED_LEARNER, chloe)
    assert event.detail == "json"


def test_encadrant_and_other_structures_cannot_open_it(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    amina = learner_id(app, "Amina")
    auth.staff("encadrant@atelier.example")
    assert client.get(f"/staff/learners/{amina}/data").status_code == 403
    assert client.get(f"/staff/learners/{amina}/data.json").status_code == 403
    other = app.test_client()
    Auth(other).staff("cip@recyclerie.example")
    assert other.get(f"/staff/learners/{amina}/data").status_code == 404
    assert other.get(f"/staff/learners/{amina}/data.json").status_code == 404
    token = csrf_from(other.get("/staff/learners").get_data(as_text=True))
    erase = other.post(f"/staff/learners/{amina}/erase", data={"confirm": "y", "csrf_token": token})
    assert erase.status_code == 404
    with app.app_context():
        assert db.session.get_one(Learner, amina).first_name == "Amina"


def test_erasure_needs_the_box_ticked(app: Flask, client: FlaskClient, auth: Auth) -> None:
    amina = learner_id(app, "Amina")
    auth.staff("cip@atelier.example")
    url = f"/staff/learners/{amina}/data"
    response = post_form(client, url, {}, url=f"/staff/learners/{amina}/erase")
    assert response.status_code == 422
    assert "Cochez la case pour confirmer" in page(response)
    with app.app_context():
        learner = db.session.get(Learner, amina)
        assert learner is not None
        assert learner.first_name == "Amina"
        assert not learner.archived


def test_erasure_on_request(app: Flask, client: FlaskClient, auth: Auth) -> None:
    chloe = learner_id(app, "Chloé")
    with app.app_context():
        db.session.add(Note(structure_id=1, learner_id=chloe, body="Chloé a un rendez-vous."))
        db.session.commit()
    auth.staff("cip@atelier.example")
    url = f"/staff/learners/{chloe}/data"
    response = post_form(client, url, {"confirm": "y"}, url=f"/staff/learners/{chloe}/erase")
    assert response.status_code == 302
    after = page(client.get(url))
    assert "Les données de cette personne sont effacées." in after
    assert "Chloé" not in after
    with app.app_context():
        learner = db.session.get(Learner, chloe)
        assert learner is not None
        assert privacy.is_erased(learner)
        assert learner.archived
        assert learner.archived_at is not None
        notes = db.session.scalar(
            select(func.count()).select_from(Note).where(Note.learner_id == chloe)
        )
        assert notes == 0
    [event] = _events(app, AuditAction.ERASED, chloe)
    assert event.detail == "request"
    assert event.actor_id is not None
    # The learner can no longer sign in with the old card.
    assert client.get(CHLOE_LINK).status_code == 404


def test_privacy_notice_is_open_to_all_and_easy_to_read(client: FlaskClient) -> None:
    response = client.get("/confidentialite")
    assert response.status_code == 200
    html = page(response)
    assert "Vos données" in html
    assert "Vos droits" in html
    assert "cnil.fr" in html
    body = re.search(r'<div class="prose privacy">(.*?)</div>', html, flags=re.S)
    assert body is not None
    text = re.sub(r"<[^>]+>", " ", body.group(1))
    too_long = [s for s in sentences(text) if len(words(s)) > 15]
    assert too_long == []


def test_privacy_notice_is_linked_from_the_pin_page_and_the_learner_home(
    client: FlaskClient, auth: Auth
) -> None:
    assert "/confidentialite" in page(client.get(AMINA_LINK))
    auth.learner_link(AMINA_LINK, "2580")
    home = page(client.get("/learn/"))
    assert 'href="/confidentialite"' in home
    assert "Vos données : ce que nous gardons sur vous" in home
    # Signed in, the notice gives the structure's own retention period.
    assert "effacés 24 mois plus tard" in page(client.get("/confidentialite"))


def test_an_erased_learner_signed_in_elsewhere_is_signed_out(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    learner_client = app.test_client()
    Auth(learner_client).learner_link(CHLOE_LINK, "3690")
    assert learner_client.get("/learn/").status_code == 200
    chloe = learner_id(app, "Chloé")
    auth.staff("cip@atelier.example")
    url = f"/staff/learners/{chloe}/data"
    post_form(client, url, {"confirm": "y"}, url=f"/staff/learners/{chloe}/erase")
    assert learner_client.get("/learn/").status_code == 302


def test_a_deactivated_staff_member_signed_in_elsewhere_is_signed_out(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    cip_client = app.test_client()
    Auth(cip_client).staff("cip@atelier.example")
    assert cip_client.get("/staff/learners").status_code == 200
    with app.app_context():
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        assert cip is not None
        cip_id = cip.id
    auth.staff("direction@atelier.example")
    url = f"/staff/structure/staff/{cip_id}"
    response = post_form(client, url, {"role": "cip", "team_id": "0"})  # "active" unticked
    assert response.status_code == 302
    denied = cip_client.get("/staff/learners")
    assert denied.status_code == 302
    assert denied.headers["Location"].startswith("/staff/signin")


def test_a_leaked_database_holds_no_secret_in_clear(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    open_kiosk(client, auth)
    cookie = client.get_cookie(KIOSK_COOKIE)
    assert cookie is not None
    digest = hashlib.sha256(cookie.value.encode()).hexdigest()
    with app.app_context():
        kiosks = list(db.session.scalars(select(Kiosk)))
        assert digest in {k.token_hash for k in kiosks}  # only the token's SHA-256 is stored
        assert cookie.value not in {k.token_hash for k in kiosks}
        for learner in db.session.scalars(select(Learner)):
            assert learner.pin_hash.startswith("$argon2id$")
        for user in db.session.scalars(select(StaffUser)):
            assert user.password_hash.startswith("$argon2id$")


def test_a_new_pin_ends_the_sessions_opened_with_the_old_one(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    phone = app.test_client()  # the learner's lost phone, still signed in
    Auth(phone).learner_link(AMINA_LINK, "2580")
    assert phone.get("/learn/").status_code == 200
    amina = learner_id(app, "Amina")
    auth.staff("cip@atelier.example")
    url = f"/staff/learners/{amina}"
    response = post_form(client, url, {}, url=f"{url}/pin")
    assert response.headers["Location"] == f"{url}/cards"  # the new card sheet
    assert phone.get("/learn/").status_code == 302
