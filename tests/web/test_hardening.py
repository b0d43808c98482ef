"""The smaller findings of the outside review (issue #13, item 7), each reproduced here:
huge ids, absurd dates, a newline or an encoded open redirect in `next`, a draw asked of a
step that has nothing to draw, the demo in production, the PIN on the QR card, a
Permissions-Policy header, private instance files, personal-link tokens in the logs."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from companion import ROOT, catalogue
from companion.config import load_settings
from companion.extensions import db
from companion.models import Role, StaffUser
from companion.web import security
from tests.conftest import AMINA_LINK, DEMO_PASSWORD, Auth, csrf_from, make_app, page
from tests.helpers import form_fields, right_answer, step_url, submit
from tests.web.staff_helpers import learner_id

BIG_IDS = ["9223372036854775808", "99999999999999999999", "2147483648"]


def test_ids_too_big_for_the_database_are_404(app: Flask, client: FlaskClient, auth: Auth) -> None:
    """Every route with an <int:…> part, for a direction (who may open them all)."""
    auth.staff("direction@atelier.example")
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert len(rules) >= 10
    token = csrf_from(client.get("/staff/learners").text)
    for rule in rules:
        for big in BIG_IDS:
            url = re.sub(r"<int:[^>]+>", big, rule.rule)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                response = client.open(url, method=method, data={"csrf_token": token})
                assert response.status_code == 404, (method, url, response.status_code)
    assert client.get("/staff/learners/99999999999999999999").status_code == 404


def test_a_nul_character_anywhere_in_a_request_is_400(client: FlaskClient, auth: Auth) -> None:
    """PostgreSQL refuses NUL in a text value (the fuzzer found /s/%00 a 500 there): no
    request carrying one reaches a view, on any engine, whether in the path, the query or a
    form field."""
    for url in ("/s/%00", "/s/demo%00amina", "/learn/modules/%00", "/staff/learners?q=%00"):
        assert client.get(url).status_code == 400, url
    signin = client.get(AMINA_LINK)
    token = csrf_from(signin.text)
    answer = client.post(AMINA_LINK, data={"pin": "12\x0034", "csrf_token": token})
    assert answer.status_code == 400
    auth.staff("cip@atelier.example")
    assert client.get("/staff/learners").status_code == 200  # the guard lets plain text by
    assert client.get("/staff/learners?q=Amina").status_code == 200
    # A note's text goes to a text column: on PostgreSQL this was a 500.
    notes = f"/staff/learners/{learner_id(client.application, 'Amina')}/notes"
    token = csrf_from(client.get(notes).text)
    assert client.post(notes, data={"body": "a\x00b", "csrf_token": token}).status_code == 400
    # Every value of a field sent twice is looked at, not only the first.
    twice = MultiDict([("csrf_token", token), ("body", "ab"), ("body", "a\x00b")])
    assert client.post(notes, data=twice).status_code == 400
    assert client.post(notes, data={"body": "ab", "csrf_token": token}).status_code == 302


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1900-02-28", "2150-06-01"])
def test_absurd_dates_on_staff_pages_are_refused_kindly(
    client: FlaskClient, auth: Auth, value: str
) -> None:
    auth.staff("cip@atelier.example")
    for url in (f"/staff/export.csv?end={value}", f"/staff/export?start={value}"):
        response = client.get(url)
        assert response.status_code == 422, (url, response.status_code)
        assert "Choisissez une date entre 2000 et 2100." in page(response)
    html = client.get("/staff/assignments").text
    response = client.post(
        "/staff/assignments",
        data={"csrf_token": csrf_from(html), "due_date": value, "module_id": "mots-de-passe"},
    )
    assert response.status_code == 422
    assert "Choisissez une date entre 2000 et 2100." in page(response)


# What browsers make of these: a tab, newline or CR anywhere is dropped, '\' is '/', and
# '//host', 'scheme:' lead to another site. Each must land on the staff home instead.
OPEN_REDIRECTS = [
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D/evil.example",
    "/%0D%0A/evil.example",
    "%09//evil.example",
    "/\t/evil.example",
    " //evil.example",
    "%20//evil.example",
    "/%00/evil.example",
    "/%E2%80%A8/evil.example",
    "／／evil.example",
    "%EF%BC%8F%EF%BC%8Fevil.example",
    "//evil.example%23.compagnon.example",
    "/staff/%0d%0aSet-Cookie:%20x=1",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_next_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    token = csrf_from(client.get("/staff/signin").text)
    response = client.post(
        f"/staff/signin?next={quote(target, safe='%/:')}",
        data={"email": "cip@atelier.example", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    if "%00" in target:  # refused whole, before any view (test_a_nul_character_…)
        assert response.status_code == 400
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/", target
    # The language switch, which also goes back to a `next`, stays on the site too.
    token = csrf_from(client.get("/staff/learners").text)
    response = client.post(
        "/langue", data={"locale": "en", "next": unquote(target), "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/", target


def test_next_keeps_a_plain_path_of_the_site(client: FlaskClient) -> None:
    token = csrf_from(client.get("/staff/signin").text)
    response = client.post(
        "/staff/signin?next=" + quote("/staff/export?start=2026-01-01", safe="/"),
        data={"email": "cip@atelier.example", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/staff/export?start=2026-01-01"


def test_a_draw_asked_of_a_step_with_nothing_to_draw_is_400(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Walk the whole password module, asking each step for a draw of words before
    answering it: only the passphrase lab draws; the password lab says 400, not 500."""
    auth.learner_link(AMINA_LINK, "2580")
    with app.app_context():
        module = catalogue.get_module("mots-de-passe")
        assert module is not None
        steps = list(module.steps)
    outcomes: dict[str, list[int]] = {"passphrase": [], "password": [], "other": []}
    for step in steps:
        url = step_url(module.id, step.id)
        html = client.get(url).text
        response = client.post(url, data={**form_fields(html), "action": "draw"})
        kind = getattr(step, "mode", "other") if step.type_name == "password_lab" else "other"
        outcomes[kind].append(response.status_code)
        assert submit(client, url, right_answer(step)).status_code in (200, 302)
    assert outcomes["passphrase"] == [200]  # the passphrase lab draws words
    assert outcomes["password"] == [400]  # the other lab has none to draw
    assert all(code < 500 for code in outcomes["other"]), outcomes


def test_the_demo_refuses_to_run_in_production(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANION_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-of-enough-length-0123456789")
    app = make_app(db_path)
    with app.app_context():
        db.session.execute(delete(StaffUser).where(StaffUser.role == Role.ADMIN))
        db.session.commit()
    runner: FlaskCliRunner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "COMPANION_ENV=production" in result.output
    with app.app_context():
        # The platform admin with the password published in the README was not created.
        assert db.session.scalar(select(StaffUser).where(StaffUser.role == Role.ADMIN)) is None
        db.engine.dispose()


def test_the_qr_card_does_not_carry_the_pin(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    amina = learner_id(app, "Amina")
    html = client.get(f"/staff/learners/{amina}").text
    response = client.post(
        f"/staff/learners/{amina}/pin",
        data={"csrf_token": csrf_from(html)},
        follow_redirects=True,
    )
    cards = page(response)
    pin = re.search(r"<strong[^>]*data-pin>(\d{4})</strong>", cards)
    assert pin is not None
    sheet = cards.split('class="card-sheet"', 1)[1]
    # Each card is the QR code and the name; the PIN is on a stub of its own, to cut off
    # and hand over apart from the card.
    card_parts = re.findall(r'<section class="signin-card".*?</section>', sheet, re.S)
    assert len(card_parts) == 4
    for card in card_parts:
        assert pin.group(1) not in card
        assert "<svg" in card
    stubs = re.findall(r'<section class="pin-stub".*?</section>', sheet, re.S)
    assert len(stubs) == 4
    assert all(pin.group(1) in stub for stub in stubs)
    assert "Découpez" in sheet


def test_headers_include_a_permissions_policy(client: FlaskClient) -> None:
    for url in ("/", "/staff/signin", AMINA_LINK, "/no-such-page", "/health"):
        policy = client.get(url).headers["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, (url, feature)


def test_instance_files_are_created_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("COMPANION_ENV", raising=False)
    instance = tmp_path / "instance"
    old_umask = os.umask(0o022)  # the usual umask: files readable by everyone by default
    try:
        load_settings(instance)
    finally:
        os.umask(old_umask)
    assert instance.stat().st_mode & 0o777 == 0o700
    for name in ("secret_key", "companion.sqlite3"):
        assert (instance / name).stat().st_mode & 0o777 == 0o600, name


def test_personal_link_tokens_are_masked_in_the_app_logs(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = AMINA_LINK.rsplit("/", 1)[1]
    assert security.mask_tokens(f"GET {AMINA_LINK}?x=1 HTTP/1.1") == "GET /s/***?x=1 HTTP/1.1"
    # An error on the link page is logged with its URL: the token must not be in it.
    from companion.web import learner

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(learner, "pin_page", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "GET %s HTTP/1.1" 200 -', AMINA_LINK)
        assert client.get(AMINA_LINK).status_code == 500
    assert caplog.records
    assert "/s/" in caplog.text
    assert token not in caplog.text


def _documented_access_log_format() -> str:
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    match = re.search(r"--access-logformat '([^']+)'", doc)
    assert match, "docs/deployment.md shows the gunicorn access-log format"
    return match.group(1)


def test_the_documented_gunicorn_access_log_masks_tokens(db_path: Path, tmp_path: Path) -> None:
    """A real gunicorn with the access-log format of docs/deployment.md."""
    log = tmp_path / "access.log"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SECRET_KEY": "log-test-secret-key-0123456789abcdef"}
    env["DATABASE_URL"] = db_path if isinstance(db_path, str) else f"sqlite:///{db_path}"
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "--access-logformat",
            _documented_access_log_format(),
            "wsgi:app",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        url = f"http://127.0.0.1:{port}{AMINA_LINK}?lang=fr"
        urllib.request.urlopen(urllib.request.Request(url, headers={"Referer": url})).close()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
    text = log.read_text(encoding="utf-8")
    assert "/health" in text
    assert "/s/***?lang=fr" in text
    assert AMINA_LINK.rsplit("/", 1)[1] not in text
