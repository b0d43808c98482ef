"""Random and malformed input never gives a server error: random fields on every POST route,
random path parts and query arguments (ids, dates, `next`) on every GET route."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from companion.extensions import db
from companion.models import Learner, StaffUser, Structure, utcnow
from companion.services.passwords import hash_secret
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
    """Looked up once: the fuzzing may rename (erase) Amina later."""
    if "fuzz.arguments" not in app.extensions:
        app.extensions["fuzz.arguments"] = _find_url_arguments(app)
    arguments: dict[str, Any] = app.extensions["fuzz.arguments"]
    return arguments


def _find_url_arguments(app: Flask) -> dict[str, Any]:
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
    # A pool (closed at the end): hundreds of requests need not open a connection each.
    app = make_app(path, WTF_CSRF_ENABLED=False, SQLALCHEMY_ENGINE_OPTIONS={})
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
    """A client signed in as `who`, checked: fuzzing signed-out pages by mistake proves little."""
    client = app.test_client()
    with app.app_context():
        # Earlier fuzzing may have locked Amina's PIN with random ones, given her a new PIN
        # (and link), archived or erased her, or made an account wait: put her sign-in back,
        # so that the fuzzing runs signed in all the same.
        db.session.execute(
            update(Learner)
            .where(Learner.id == _url_arguments(app)["learner_id"])
            .values(
                signin_token=AMINA_LINK.rsplit("/", 1)[1],
                pin_hash=hash_secret("2580"),
                archived=False,
                archived_at=None,
            )
        )
        db.session.execute(update(Learner).values(failed_pin_count=0, locked_until=None))
        db.session.execute(update(StaffUser).values(failed_signin_count=0, signin_wait_until=None))
        db.session.commit()
    if who == "learner":
        response = client.post(AMINA_LINK, data={"pin": "2580"})
        assert response.headers.get("Location") == "/learn/", response.status_code
    elif who != "visitor":
        response = client.post("/staff/signin", data={"email": who, "password": DEMO_PASSWORD})
        location = response.headers.get("Location", "")
        if who in (TWO_STEP_CODE_PENDING, TWO_STEP_ENROL_PENDING):
            assert location.startswith("/staff/signin/"), (who, location)
        else:
            assert response.status_code == 302, (who, response.status_code)
            assert location == "/staff/", (who, location)
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


# --- GET routes: random path parts and query arguments ---------------------------------

QUERY_NAMES = [
    "next",
    "start",
    "end",
    "date_from",
    "date_to",
    "learner",
    "team_id",
    "page",
    "lang",
    "v",
    "sort",
    "sort_column",
    "q",
    "action",
    "person",
]
numbers = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**70).map(str),
    st.sampled_from(["0", "2147483648", "9223372036854775808", "1e9", "٣", "0x1f"]),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "-1-01-01"]),
)
nexts = st.sampled_from(
    ["/staff/team", "//evil.example", "/%09/evil.example", "/\\evil", "https:evil", "/\n/x"]
)
query = st.dictionaries(
    st.sampled_from(QUERY_NAMES) | st.text(max_size=6),
    st.one_of(texts, numbers, dates, nexts),
    max_size=4,
)
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _get_rules(app: Flask) -> list[str]:
    rules = [r.rule for r in app.url_map.iter_rules() if "GET" in (r.methods or set())]
    return sorted(rules)


def _path_values(app: Flask) -> dict[str, st.SearchStrategy[str]]:
    """For each path argument: real values (so pages deep in are reached) or random ones."""
    args = _url_arguments(app)
    with app.app_context():
        modules = list(app.extensions["companion.catalogue"].values())
    module_ids = [m.id for m in modules]
    step_ids = sorted({s.id for m in modules for s in m.steps})
    return {
        "int": st.sampled_from([str(args["learner_id"]), "1", "2"]) | numbers,
        "module_id": st.sampled_from(module_ids) | st.text(max_size=12),
        "step_id": st.sampled_from(step_ids) | st.text(max_size=12),
        "token": st.sampled_from([str(args["token"])]) | st.text(max_size=70),
        "fmt": st.sampled_from(["csv", "xlsx", "pdf", "json"]) | st.text(max_size=5),
        "filename": st.sampled_from(["css/app.css", "js/offline.js", "../secret"]),
        "type_name": st.sampled_from(["password_lab", "choose"]) | st.text(max_size=12),
        "name": st.sampled_from(["lists"]) | st.text(max_size=12),
    }


def _fill(rule: str, values: dict[str, str]) -> str:
    return ARGUMENT.sub(
        lambda m: quote(values[m.group(2)], safe="/" if m.group(1) == "path" else ""), rule
    )


@pytest.mark.parametrize("who", WHO)
def test_random_urls_never_give_a_server_error(fuzz_app: Flask, who: str) -> None:
    rules = _get_rules(fuzz_app)
    assert len(rules) > 30, "GET routes not found"
    strategies = _path_values(fuzz_app)
    names = {m.group(2): m.group(1) or "" for r in rules for m in ARGUMENT.finditer(r)}
    path_values = st.fixed_dictionaries(
        {
            # A path argument this test does not know yet gets random text.
            name: strategies["int"] if kind == "int" else strategies.get(name, st.text(max_size=12))
            for name, kind in names.items()
        }
    )

    @settings(
        max_examples=3,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=path_values, args=query)
    def run(values: dict[str, str], args: dict[str, str]) -> None:
        client = _signed_in(fuzz_app, who)
        for rule in rules:
            url = _fill(rule, values) + "?" + urlencode(args)
            response = client.get(url)
            assert response.status_code < 500, (url, response.status_code)
            location = urlsplit(response.headers.get("Location", ""))
            assert not location.netloc or location.netloc == "localhost", (url, location)

    run()
