"""Helpers for the staff tests: forms posted with their CSRF token, ids of demo rows."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from companion.extensions import db
from companion.models import Learner, Team
from tests.conftest import csrf_from


def post_form(
    client: FlaskClient, page_url: str, data: dict[str, Any], url: str = ""
) -> TestResponse:
    """Open the page that holds the form, then post it with the page's CSRF token."""
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    return client.post(url or page_url, data={**data, "csrf_token": token})


def learner_id(app: Flask, first_name: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Learner.id).where(Learner.first_name == first_name))
        assert found is not None
        return found


def team_id(app: Flask, name: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Team.id).where(Team.name == name))
        assert found is not None
        return found


LINK_RE = re.compile(r'id="one-time-link"[^>]*>https?://[^/<]+(/staff/password/[A-Za-z0-9_-]+)<')


def invitation_path(html: str) -> str:
    """The path of the one-time password link shown on the link page."""
    found = LINK_RE.search(html)
    assert found, "no one-time link on the page"
    return found.group(1)
