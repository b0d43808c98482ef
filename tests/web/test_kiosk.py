"""A staff member turns a browser into a kiosk; learners tap their name and type their PIN."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from companion.web.session import KIOSK_COOKIE
from tests.conftest import Auth, csrf_from, page


def open_kiosk(
    client: FlaskClient,
    auth: Auth,
    email: str = "cip@atelier.example",
    label: str = "Borne du hall",
) -> None:
    auth.staff(email)
    token = csrf_from(client.get("/staff/kiosk").text)
    response = client.post("/staff/kiosk", data={"label": label, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/kiosk/"


def learner_tile(client: FlaskClient, name: str) -> str:
    html = page(client.get("/kiosk/"))
    match = re.search(r'href="(/kiosk/learners/\d+)">\s*<img[^>]*>\s*<bdi[^>]*>' + name, html)
    assert match, f"{name} is not on the kiosk"
    return match.group(1)


def kiosk_signin(client: FlaskClient, name: str, pin: str) -> TestResponse:
    url = learner_tile(client, name)
    token = csrf_from(client.get(url).text)
    return client.post(url, data={"pin": pin, "csrf_token": token})


def test_a_browser_is_not_a_kiosk_by_default(client: FlaskClient) -> None:
    response = client.get("/kiosk/")
    assert response.status_code == 403
    assert "pas une borne" in page(response)


def test_opening_a_kiosk_signs_the_staff_out(client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth)
    assert client.get_cookie(KIOSK_COOKIE) is not None
    assert client.get("/staff/learners").status_code == 302
    assert client.get("/").headers["Location"] == "/kiosk/"


def test_kiosk_lists_only_its_structure(client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth)
    html = page(client.get("/kiosk/"))
    for name in ("Amina", "Bruno", "Chloé"):
        assert name in html
    assert "Diallo" not in html


def test_learner_of_another_structure_is_404(client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth, "cip@recyclerie.example")
    diallo = learner_tile(client, "Diallo")
    open_kiosk(client, auth)  # now a kiosk of Atelier Démo
    assert client.get(diallo).status_code == 404


def test_tap_name_type_pin_and_finish(client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth)
    wrong = kiosk_signin(client, "Bruno", "9999")
    assert "Ce code n'est pas le bon." in page(wrong)
    right = kiosk_signin(client, "Bruno", "1357")
    assert right.headers["Location"] == "/learn/"
    home = page(client.get("/learn/"))
    assert "Bonjour <bdi>Bruno</bdi>" in home
    assert "J'ai fini" in home
    assert "data-kiosk-idle" in home
    out = client.post("/learn/signout", data={"csrf_token": csrf_from(home)})
    assert out.headers["Location"] == "/kiosk/?bye=1"
    assert client.get("/learn/").status_code == 302
    assert "Touchez votre prénom" in page(client.get("/kiosk/"))


def test_inactivity_signs_the_learner_out(
    client: FlaskClient, auth: Auth, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_kiosk(client, auth)
    kiosk_signin(client, "Amina", "2580")
    assert client.get("/learn/").status_code == 200
    later = time.time() + app.config["KIOSK_IDLE_SECONDS"] + 60
    monkeypatch.setattr(time, "time", lambda: later)  # the clock companion.web.session reads
    response = client.get("/learn/")
    assert response.headers["Location"] == "/kiosk/"
    assert "personne n'utilisait la borne" in page(client.get("/kiosk/"))
    assert client.get("/learn/").status_code == 302


def test_still_here_keeps_the_session(
    client: FlaskClient, auth: Auth, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_kiosk(client, auth)
    kiosk_signin(client, "Amina", "2580")
    token = csrf_from(client.get("/learn/").text)
    start = time.time()
    step = app.config["KIOSK_IDLE_SECONDS"] - 5
    for n in range(1, 4):
        monkeypatch.setattr(time, "time", lambda n=n: start + n * step)
        response = client.post("/learn/still-here", headers={"X-CSRFToken": token})
        assert response.status_code == 204
    assert client.get("/learn/").status_code == 200


def test_pin_locks_after_five_wrong_tries(client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth)
    for _ in range(5):
        kiosk_signin(client, "Amina", "0000")
    locked = kiosk_signin(client, "Amina", "2580")
    assert "Le code est bloqué jusqu'à" in page(locked)
    assert client.get("/learn/").status_code == 302
