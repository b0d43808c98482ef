"""Security headers, production cookies and rate limits on sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import AMINA_LINK, csrf_from, make_app


def test_headers_on_every_page(client: FlaskClient) -> None:
    for url in ("/", "/staff/signin", AMINA_LINK, "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # development: no HTTPS here


def test_production_adds_hsts_and_secure_cookies(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANION_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-of-enough-length-0123456789")
    app = make_app(db_path)
    client = app.test_client()
    response = client.get("/staff/signin", base_url="https://compagnon.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def _limited_client(db_path: Path) -> FlaskClient:
    app = make_app(db_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    return app.test_client()


def test_staff_signin_is_rate_limited_per_address(db_path: Path) -> None:
    client = _limited_client(db_path)
    token = csrf_from(client.get("/staff/signin").text)
    codes = []
    last = None
    for n in range(21):
        response = client.post(
            "/staff/signin",
            data={"email": f"guess{n}@atelier.example", "password": "x", "csrf_token": token},
        )
        codes.append(response.status_code)
        last = response
    assert codes[:20] == [422] * 20
    assert codes[20] == 429
    assert last is not None
    assert "Trop d'essais" in last.text


def test_pin_entry_is_rate_limited(db_path: Path) -> None:
    client = _limited_client(db_path)
    token = csrf_from(client.get(AMINA_LINK).text)
    codes = [
        client.post(AMINA_LINK, data={"pin": "0000", "csrf_token": token}).status_code
        for _ in range(31)
    ]
    assert codes[30] == 429
    assert 429 not in codes[:30]
