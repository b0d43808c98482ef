"""Shared fixtures: an app on a fresh copy of a migrated demo database, clients, sign-in helpers."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from companion import create_app
from companion.extensions import db
from companion.services.demo import load_demo

DEMO_PASSWORD = "Demo-Compagnon-2026"
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def make_app(db_path: Path, **overrides: Any) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        # Rate limits have their own tests; elsewhere many sign-ins come from one address.
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate an empty database and load the demo once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    app = make_app(path)
    with app.app_context():
        upgrade()
        with app.test_request_context("/"):
            load_demo()
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(demo_db_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite3"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture
def app(db_path: Path) -> Iterator[Flask]:
    """The app, with no context pushed: each request gets its own, as in production."""
    app = make_app(db_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for tests that query the database directly (push it after requests)."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def page(response: Any) -> str:
    """The response's HTML with entities decoded, to search for interface text."""
    return html.unescape(response.get_data(as_text=True))


def csrf_from(text: str) -> str:
    match = CSRF_RE.search(text)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class Auth:
    """Sign-in helpers that go through the real forms, CSRF token included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def staff(self, email: str, password: str = DEMO_PASSWORD) -> Any:
        page = self.client.get("/staff/signin")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/staff/signin", data={"email": email, "password": password, "csrf_token": token}
        )

    def learner_link(self, signin_path: str, pin: str) -> Any:
        page = self.client.get(signin_path)
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(signin_path, data={"pin": pin, "csrf_token": token})

    def signout_learner(self) -> Any:
        page = self.client.get("/learn/")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post("/learn/signout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


AMINA_LINK = "/s/demo-amina-2k7Qx9Lm3Vb"
CHLOE_LINK = "/s/demo-chloe-5Rt7Yk1Qs9F"
DIALLO_LINK = "/s/demo-diallo-3Jf6Uv8Ne2T"
