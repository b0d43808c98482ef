"""The kiosk for the next person (issue 15, item 7): reading settings back to the defaults,
a personal link opened on a kiosk under the kiosk's idle rules, and closing the kiosk mode
from the kiosk itself with a staff member's password."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.extensions import db
from companion.i18n import CONTRAST_COOKIE, TEXT_COOKIE
from companion.models import Kiosk
from companion.web.session import KIOSK_COOKIE
from tests.conftest import AMINA_LINK, DEMO_PASSWORD, Auth, csrf_from, page
from tests.web.test_kiosk import kiosk_signin, open_kiosk

ROOT = Path(__file__).resolve().parents[2]


def choose_big_text_and_contrast(client: FlaskClient) -> None:
    token = csrf_from(page(client.get("/learn/")))
    for name, value in (("text", "xlarge"), ("contrast", "high")):
        client.post("/affichage", data={name: value, "next": "/learn/", "csrf_token": token})
    assert client.get_cookie(TEXT_COOKIE).value == "xlarge"  # type: ignore[union-attr]
    assert 'class="text-xlarge contrast-high"' in page(client.get("/learn/"))


def test_signing_out_of_a_kiosk_puts_text_size_and_contrast_back(
    client: FlaskClient, auth: Auth
) -> None:
    open_kiosk(client, auth)
    kiosk_signin(client, "Amina", "2580")
    choose_big_text_and_contrast(client)
    home = page(client.get("/learn/"))
    client.post("/learn/signout", data={"csrf_token": csrf_from(home)})
    assert client.get_cookie(TEXT_COOKIE) is None
    assert client.get_cookie(CONTRAST_COOKIE) is None
    assert 'class="text-normal contrast-normal"' in page(client.get("/kiosk/"))


def test_the_kiosks_idle_sign_out_puts_them_back_too(
    client: FlaskClient, auth: Auth, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_kiosk(client, auth)
    kiosk_signin(client, "Amina", "2580")
    choose_big_text_and_contrast(client)
    later = time.time() + app.config["KIOSK_IDLE_SECONDS"] + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/learn/").headers["Location"] == "/kiosk/"
    assert client.get_cookie(TEXT_COOKIE) is None
    assert client.get_cookie(CONTRAST_COOKIE) is None


def test_a_personal_phone_keeps_its_reading_settings(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    choose_big_text_and_contrast(client)
    auth.signout_learner()
    assert client.get_cookie(TEXT_COOKIE).value == "xlarge"  # type: ignore[union-attr]


def test_a_personal_link_opened_on_a_kiosk_follows_the_kiosks_idle_rules(
    client: FlaskClient, auth: Auth, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_kiosk(client, auth)
    auth.learner_link(AMINA_LINK, "2580")
    home = page(client.get("/learn/"))
    assert "data-kiosk-idle" in home
    assert 'id="idle-dialog"' in home
    later = time.time() + app.config["KIOSK_IDLE_SECONDS"] + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/learn/").headers["Location"] == "/kiosk/"
    assert client.get("/learn/").status_code == 302


def close(client: FlaskClient, email: str, password: str) -> object:
    token = csrf_from(page(client.get("/kiosk/close")))
    return client.post(
        "/kiosk/close", data={"email": email, "password": password, "csrf_token": token}
    )


def kiosk_active(app: Flask) -> bool:
    with app.app_context():
        newest = db.session.scalar(select(Kiosk).order_by(Kiosk.id.desc()))  # the one opened
        assert newest is not None
        return newest.revoked_at is None


def test_the_kiosk_offers_its_staff_a_way_to_close_it(client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth)
    assert 'href="/kiosk/close"' in page(client.get("/kiosk/"))
    form = page(client.get("/kiosk/close"))
    assert 'name="password"' in form


def test_a_wrong_password_does_not_close_the_kiosk(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    open_kiosk(client, auth)
    response = close(client, "cip@atelier.example", "not-the-password")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert kiosk_active(app)
    assert client.get("/kiosk/").status_code == 200


def test_staff_of_another_structure_cannot_close_it(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    open_kiosk(client, auth)
    response = close(client, "cip@recyclerie.example", DEMO_PASSWORD)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert kiosk_active(app)


def test_a_staff_member_closes_the_kiosk_with_their_password(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    open_kiosk(client, auth)
    response = close(client, "encadrant@atelier.example", DEMO_PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response.headers["Location"] == "/"  # type: ignore[attr-defined]
    assert client.get_cookie(KIOSK_COOKIE) is None
    assert not kiosk_active(app)
    assert "n'est plus une borne" in page(client.get("/"))
    assert client.get("/kiosk/").status_code == 403
    # Nobody is signed in: closing the kiosk opens no staff session on it.
    assert client.get("/staff/learners").status_code == 302


def test_the_readme_says_how_to_close_a_kiosk() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "/kiosk/close" in readme
    assert "Fermer la borne" in readme
