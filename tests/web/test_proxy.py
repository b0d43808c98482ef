"""Behind PROXY_COUNT trusted reverse proxies: the real client, HTTPS cookies and links.

The finding (issue #13, item 4): behind the documented nginx every request came from the
proxy's address, so 40 wrong sign-ins from one client made every other client get 429.
`make deploy-check` (deploy/check.py) proves the same with a real nginx and two gunicorn.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from companion.web.staff import learners as staff_learners
from tests.conftest import DEMO_PASSWORD, csrf_from, make_app
from tests.web.staff_helpers import learner_id

PROXY = "127.0.0.1"  # the proxy's own address, as the app sees it
# Over HTTPS, Flask-WTF also wants a same-site Referer on forms, as browsers send it.
REFERER = {"Referer": "https://localhost/staff/signin"}


def _app(db_path: Path, proxies: int) -> Flask:
    return make_app(
        db_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", PROXY_COUNT=proxies
    )


def _signin(client: FlaskClient, forwarded_for: str) -> int:
    """A sign-in as the proxy passes it on: the client's address appended to X-Forwarded-For."""
    headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https", **REFERER}
    token = csrf_from(client.get("/staff/signin", headers=headers).text)
    response = client.post(
        "/staff/signin",
        data={"email": "nobody@atelier.example", "password": "wrong", "csrf_token": token},
        headers=headers,
        environ_base={"REMOTE_ADDR": PROXY},
    )
    return response.status_code


def test_behind_a_proxy_one_client_cannot_block_the_others(db_path: Path) -> None:
    app = _app(db_path, proxies=1)
    abuser, other = app.test_client(), app.test_client()
    codes = [_signin(abuser, "203.0.113.5") for _n in range(40)]
    assert codes[:20] == [422] * 20
    assert set(codes[20:]) == {429}
    # Another client behind the same proxy is not blocked.
    assert _signin(other, "198.51.100.7") == 422
    # The abuser cannot pass for someone else: the proxy appends the real address, and only
    # the last PROXY_COUNT addresses are trusted.
    assert _signin(abuser, "198.51.100.99, 203.0.113.5") == 429


def test_without_proxy_count_forwarded_headers_are_ignored(db_path: Path) -> None:
    app = _app(db_path, proxies=0)
    client = app.test_client()
    # Anyone can send X-Forwarded-For: changing it must not escape the per-address limit.
    codes = [_signin(client, f"203.0.113.{n}") for n in range(21)]
    assert codes[20] == 429
    # Nor does X-Forwarded-Proto make the app believe the connection is HTTPS.
    response = app.test_client().get("/staff/signin", headers={"X-Forwarded-Proto": "https"})
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" not in cookie


@pytest.mark.parametrize("proxies", [1, 0])
def test_behind_an_https_proxy_cookies_are_secure_and_links_https(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, proxies: int
) -> None:
    app = make_app(db_path, PROXY_COUNT=proxies)
    links: list[str] = []

    def qr_svg(url: str, title: str = "") -> str:
        links.append(url)
        return "<svg></svg>"

    monkeypatch.setattr(staff_learners, "qr_svg", qr_svg)
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5", **REFERER}
    token = csrf_from(client.get("/staff/signin", headers=https).text)
    response = client.post(
        "/staff/signin",
        data={"email": "cip@atelier.example", "password": DEMO_PASSWORD, "csrf_token": token},
        headers=https,
    )
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    amina = learner_id(app, "Amina")
    page = client.get(f"/staff/learners/{amina}", headers=https).text
    client.post(
        f"/staff/learners/{amina}/pin",
        data={"csrf_token": csrf_from(page)},
        headers=https,
        follow_redirects=True,
    )
    (link,) = links
    if proxies:
        assert "Secure" in cookies["session"]
        assert "Secure" in cookies["companion_device"]
        assert link.startswith("https://localhost/s/")
    else:
        assert "Secure" not in cookies["session"]
        assert link.startswith("http://localhost/s/")
