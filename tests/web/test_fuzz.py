"""Random and malformed input on every POST route never gives a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from companion.extensions import db
from companion.models import Learner, StaffUser, Structure, utcnow
from tests.conftest import AMINA_LINK, DEMO_PASSWORD, make_app, own_demo_database

TWO_STEP_CODE_PENDING = "encadrant@atelier.example"
TWO_STEP_ENROL_PENDING = "direction@recyclerie.example"
FIELD_NAMES = [
    "email",
    "password",
    "pin",
    "choice",
    "answer",
    "confidence",
    "submission_key",
    "shown_at",
    "label",
    "first_name",
    "initial",
    "team_id",
    "module_id",
    "learner_id",
    "due_date",
    "message",
    "text",
    "role",
    "date_from",
    "date_to",
    "move",
    "order",
    "code",
    "require_totp_for_direction",
    "kiosk_idle_seconds",
    "retention_months",
    "languages",
]
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "9" * 30, "2026-02-30", "<script>", "../../etc", "\x00"]),
    st.text(alphabet="مرحبا😀\u202e\u2212", max_size=10),
    st.just("x" * 5000),
)
fields = st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), texts, max_size=6)


def _url_arguments(app: Flask) -> dict[str, Any]:
    with app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        assert amina is not None
        module = next(iter(app.extensions["companion.catalogue"].values()))
        return {
            "module_id": module.id,
            "step_id": module.steps[0].id,
            "learner_id": amina.id,
            "token": AMINA_LINK.rsplit("/", 1)[1],
        }


def _post_urls(app: Flask) -> list[str]:
    args = _url_arguments(app)
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "POST" not in (rule.methods or set()) or rule.endpoint == "static":
                continue
            values = {name: args.get(name, 1) for name in rule.arguments}
            urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


@pytest.fixture(scope="module")
def fuzz_app(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Flask]:
    path = own_demo_database(request, tmp_path_factory.mktemp("fuzz"))
    # CSRF off so random fields reach the views' own validation.
    app = make_app(path, WTF_CSRF_ENABLED=False)
    with app.app_context():
        # Two staff members whose password leaves them waiting for a second step: a code
        # (the encadrant) and the enrolment their structure requires (the demo's Recyclerie
        # direction).
        encadrant = db.session.scalar(
            select(StaffUser).where(StaffUser.email == TWO_STEP_CODE_PENDING)
        )
        recyclerie = db.session.scalar(select(Structure).where(Structure.name == "Recyclerie Démo"))
        assert encadrant is not None
        assert recyclerie is not None
        encadrant.totp_secret = pyotp.random_base32()
        encadrant.totp_enabled_at = utcnow()
        recyclerie.require_totp_for_direction = True
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _signed_in(app: Flask, who: str) -> FlaskClient:
    client = app.test_client()
    if who == "learner":
        client.post(AMINA_LINK, data={"pin": "2580"})
    elif who != "visitor":
        response = client.post("/staff/signin", data={"email": who, "password": DEMO_PASSWORD})
        if who in (TWO_STEP_CODE_PENDING, TWO_STEP_ENROL_PENDING):
            assert response.headers["Location"].startswith("/staff/signin/")
    return client


WHO = [
    "visitor",
    "learner",
    "cip@atelier.example",
    "direction@atelier.example",
    TWO_STEP_CODE_PENDING,
    TWO_STEP_ENROL_PENDING,
]


@pytest.mark.parametrize("who", WHO)
def test_random_fields_never_give_a_server_error(fuzz_app: Flask, who: str) -> None:
    urls = _post_urls(fuzz_app)
    assert urls, "no POST route found"

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=fields)
    def run(data: dict[str, str]) -> None:
        client = _signed_in(fuzz_app, who)
        for url in urls:
            response = client.post(url, data=data)
            assert response.status_code < 500, (url, data, response.status_code)

    run()


def test_malformed_bodies_get_a_clear_4xx(client: FlaskClient) -> None:
    huge = client.post(AMINA_LINK, data={"pin": "1" * 300_000})
    assert huge.status_code == 413
    assert "Envoi trop gros" in huge.text
    bad_utf8 = client.post(
        AMINA_LINK,
        data=b"pin=%FF%FE&csrf_token=%C3%28",
        content_type="application/x-www-form-urlencoded",
    )
    assert 400 <= bad_utf8.status_code < 500
    as_json = client.post(AMINA_LINK, json={"pin": "2580"})
    assert 400 <= as_json.status_code < 500
