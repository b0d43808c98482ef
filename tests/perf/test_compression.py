"""Compressed responses: each page compressed on its own, static files cached compressed."""

from __future__ import annotations

import html

import brotli
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import AMINA_LINK, page


def _decoded(response: TestResponse) -> str:
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "br":
        body = brotli.decompress(body)
    return html.unescape(body.decode())


def test_each_page_is_compressed_from_its_own_content(client: FlaskClient) -> None:
    headers = {"Accept-Encoding": "br"}
    about = client.get("/a-propos", headers=headers)
    pin = client.get(AMINA_LINK, headers=headers)
    assert about.headers["Content-Encoding"] == "br"
    assert pin.headers["Content-Encoding"] == "br"
    # A cache of compressed bodies must never hand one page's body to another URL.
    assert "Amina" in _decoded(pin)
    assert "Amina" not in _decoded(about)


def test_static_urls_carry_the_content_hash(app: Flask, client: FlaskClient) -> None:
    html = page(client.get("/"))
    assert "/static/css/app.css?v=" in html
    with app.test_request_context():
        digest = app.extensions["companion.fingerprints"]("css/app.css")
    response = client.get(f"/static/css/app.css?v={digest}", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable
    assert "no-cache" not in response.headers["Cache-Control"]
    assert ".skip-link" in _decoded(response) or "{" in _decoded(response)
    old = client.get("/static/css/app.css?v=0123456789ab")
    assert not old.cache_control.immutable
    assert old.cache_control.max_age == 300


def test_health_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["status"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"


def test_health_says_503_when_the_database_is_gone(tmp_path: object) -> None:
    from tests.conftest import make_app

    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.json == {"database": "unreachable", "status": "error"}
