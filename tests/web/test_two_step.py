"""Two-step verification (TOTP) for staff: enrolment, the code after the password, the
structure's requirement for the direction, turning it off, the direction's reset.

Codes are computed with pyotp from the secret the enrolment page shows, on a fixed clock
(`two_step._clock`), so a test never depends on where the real clock is in its 30 seconds.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from werkzeug.test import TestResponse

from companion.extensions import db
from companion.models import AuditAction, AuditEvent, Role, StaffUser, Structure, utcnow
from companion.services import two_step
from companion.services.passwords import hash_secret
from companion.web.session import PENDING_KEY
from tests.conftest import DEMO_PASSWORD, Auth, csrf_from, make_app, page
from tests.web.staff_helpers import post_form

CIP = "cip@atelier.example"
DIRECTION = "direction@atelier.example"
SECOND_DIRECTION = "codirection@atelier.example"
ACCOUNT = "/staff/account"
ENROL = "/staff/account/two-step"
CODE = "/staff/signin/code"
SIGNIN_ENROL = "/staff/signin/two-step"
SETTINGS = "/staff/structure/settings"
SECRET_RE = re.compile(r'<code dir="ltr" translate="no">([A-Z2-7 ]+)</code>')


class Clock:
    def __init__(self) -> None:
        # The middle of a 30-second step: codes of this step and the next two are known.
        self.now = float(int(time.time()) // 30 * 30 + 15)

    def code(self, secret: str, steps: int = 0) -> str:
        """The code the app shows `steps` steps from now."""
        return pyotp.TOTP(secret).at(int(self.now) + 30 * steps)

    def tick(self, steps: int = 1) -> None:
        self.now += 30 * steps

    def wrong(self, secret: str) -> str:
        """A 6-digit code that none of the steps accepted now gives."""
        right = {self.code(secret, k) for k in (-1, 0, 1)}
        return next(c for c in ("000000", "111111", "222222") if c not in right)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock()
    monkeypatch.setattr(two_step, "_clock", lambda: fixed.now)
    return fixed


def signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def sign_out(client: FlaskClient) -> None:
    token = csrf_from(client.get("/staff/signin").get_data(as_text=True))
    client.post("/staff/signout", data={"csrf_token": token})


def enrol(client: FlaskClient, clock: Clock) -> str:
    """From "Mon compte" (signed in): read the secret shown, confirm with the app's code."""
    html = page(client.get(ENROL))
    match = SECRET_RE.search(html)
    assert match, "the enrolment page shows no secret"
    secret = match.group(1).replace(" ", "")
    response = post_form(client, ENROL, {"code": clock.code(secret)})
    assert response.status_code == 302, page(response)
    assert response.headers["Location"] == ACCOUNT
    return secret


def post_code(client: FlaskClient, url: str, code: str) -> TestResponse:
    return post_form(client, url, {"code": code})


def add_direction(app: Flask, email: str = SECOND_DIRECTION) -> None:
    with app.app_context():
        atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
        assert atelier is not None
        db.session.add(
            StaffUser(
                email=email,
                password_hash=hash_secret(DEMO_PASSWORD),
                role=Role.DIRECTION,
                structure_id=atelier.id,
            )
        )
        db.session.commit()


def settings_form(require: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "languages": ["fr", "en", "ar"],
        "kiosk_idle_seconds": "180",
        "retention_months": "24",
    }
    if require:
        data["require_totp_for_direction"] = "y"
    return data


def user(app: Flask, email: str) -> StaffUser:
    with app.app_context():
        found = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert found is not None
        db.session.expunge(found)
        return found


def audit_actions(app: Flask) -> list[tuple[AuditAction, str]]:
    with app.app_context():
        return [
            (e.action, e.detail)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.name.startswith("TWO_STEP")
        ]


@pytest.fixture
def direction_requires(app: Flask, client: FlaskClient, auth: Auth, clock: Clock) -> str:
    """The demo direction enrolled and turned the requirement on; yields their secret."""
    auth.staff(DIRECTION)
    secret = enrol(client, clock)
    response = post_form(client, SETTINGS, settings_form(require=True))
    assert response.status_code == 302, page(response)
    sign_out(client)
    clock.tick()
    return secret


def test_enrol_then_the_code_is_asked_after_the_password(
    app: Flask, client: FlaskClient, auth: Auth, clock: Clock
) -> None:
    auth.staff(CIP)
    account = page(client.get(ACCOUNT))
    assert "Vérification en deux étapes" in account
    assert "Désactivée" in account
    html = page(client.get(ENROL))
    assert "<svg" in html  # the QR code, inline
    assert re.search(r'<code dir="ltr" translate="no">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', html)
    assert 'autocomplete="one-time-code"' in html
    match = SECRET_RE.search(html)
    assert match
    wrong = post_code(client, ENROL, clock.wrong(match.group(1).replace(" ", "")))
    assert wrong.status_code == 422
    assert 'id="error-summary"' in page(wrong)
    assert "Ce code ne marche pas" in page(wrong)
    assert not user(app, CIP).two_step_enabled
    secret = enrol(client, clock)
    assert "Activée" in page(client.get(ACCOUNT))
    assert user(app, CIP).two_step_enabled
    assert audit_actions(app) == [(AuditAction.TWO_STEP_ENABLED, "")]

    sign_out(client)
    response = auth.staff(CIP)
    assert response.status_code == 302
    assert response.headers["Location"] == CODE
    # The password alone signs nobody in: staff pages still go to the sign-in page.
    assert not signed_in(client)
    assert client.get("/staff/learners").headers["Location"].startswith("/staff/signin")
    assert 'autocomplete="one-time-code"' in page(client.get(CODE))
    wrong = post_code(client, CODE, clock.wrong(secret))
    assert wrong.status_code == 422
    assert "Ce code ne marche pas" in page(wrong)
    assert 'id="error-summary"' in page(wrong)
    assert not signed_in(client)
    not_digits = post_code(client, CODE, "12ab")
    assert not_digits.status_code == 422
    assert "Le code a 6 chiffres." in page(not_digits)

    clock.tick()
    spaced = clock.code(secret)
    response = post_code(client, CODE, f"{spaced[:3]} {spaced[3:]}")  # as the app shows it
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    assert signed_in(client)
    assert client.get("/staff/learners").status_code == 200
    with client.session_transaction() as session:
        assert PENDING_KEY not in session  # a brand-new session


def test_a_code_is_accepted_only_once(client: FlaskClient, auth: Auth, clock: Clock) -> None:
    auth.staff(CIP)
    secret = enrol(client, clock)
    sign_out(client)
    auth.staff(CIP)
    # The code that confirmed the enrolment is still within its 30 seconds: refused.
    assert post_code(client, CODE, clock.code(secret)).status_code == 422
    # The next one works once; the same code again, even in time, is refused.
    assert post_code(client, CODE, clock.code(secret, 1)).status_code == 302
    sign_out(client)
    auth.staff(CIP)
    replay = post_code(client, CODE, clock.code(secret, 1))
    assert replay.status_code == 422
    assert not signed_in(client)
    # A code from two steps away (a clock a minute off) is refused too.
    assert post_code(client, CODE, clock.code(secret, 3)).status_code == 422
    assert post_code(client, CODE, clock.code(secret, -2)).status_code == 422
    clock.tick()
    assert post_code(client, CODE, clock.code(secret, 1)).status_code == 302


def test_the_pending_sign_in_expires_after_five_minutes(
    client: FlaskClient, auth: Auth, clock: Clock
) -> None:
    auth.staff(CIP)
    secret = enrol(client, clock)
    sign_out(client)
    auth.staff(CIP)
    token = csrf_from(client.get(CODE).get_data(as_text=True))
    with client.session_transaction() as session:
        pending = dict(session[PENDING_KEY])
        assert set(pending) == {"user", "at", "next", "enrol"}  # who and when, nothing more
        session[PENDING_KEY] = {**pending, "at": pending["at"] - 5 * 60 - 1}
    clock.tick()
    response = client.post(CODE, data={"code": clock.code(secret), "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/signin"
    assert not signed_in(client)
    assert "Plus de 5 minutes sont passées" in page(client.get("/staff/signin"))
    # The pending state is gone: the code page sends back to the password.
    assert client.get(CODE).headers["Location"] == "/staff/signin"


def test_the_second_step_pages_need_a_pending_sign_in(client: FlaskClient, auth: Auth) -> None:
    for url in (CODE, SIGNIN_ENROL):
        assert client.get(url).headers["Location"] == "/staff/signin"
    # A CIP without two-step verification is signed in by the password, as before.
    response = auth.staff(CIP)
    assert response.headers["Location"] == "/staff/"
    assert signed_in(client)
    for url in (CODE, SIGNIN_ENROL):
        assert client.get(url).headers["Location"] == "/staff/signin"


def test_next_survives_the_second_step_and_stays_inside_the_site(
    client: FlaskClient, auth: Auth, clock: Clock
) -> None:
    auth.staff(CIP)
    secret = enrol(client, clock)
    for step, (target, expected) in enumerate(
        [
            ("/staff/team", "/staff/team"),
            ("https://evil.example/", "/staff/"),
            ("//evil.example/", "/staff/"),
        ],
        start=1,
    ):
        sign_out(client)
        token = csrf_from(client.get("/staff/signin").get_data(as_text=True))
        response = client.post(
            f"/staff/signin?next={target}",
            data={"email": CIP, "password": DEMO_PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == CODE
        clock.tick()
        response = post_code(client, CODE, clock.code(secret))
        assert response.status_code == 302, step
        assert response.headers["Location"] == expected


def test_the_requirement_cannot_be_turned_on_by_a_direction_without_it(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff(DIRECTION)
    html = page(client.get(SETTINGS))
    assert "Exiger la vérification en deux étapes pour la direction" in html
    response = post_form(client, SETTINGS, settings_form(require=True))
    assert response.status_code == 422
    html = page(response)
    assert 'id="error-summary"' in html
    assert "Activez d'abord la vérification en deux étapes pour votre propre compte" in html
    described = "require_totp_for_direction-hint require_totp_for_direction-error"
    assert f'aria-describedby="{described}"' in html
    with app.app_context():
        atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
        assert atelier is not None
        assert atelier.require_totp_for_direction is False
    # The other settings still save when the requirement stays off.
    assert post_form(client, SETTINGS, settings_form(require=False)).status_code == 302


def test_the_requirement_makes_a_direction_enrol_but_not_a_cip(
    app: Flask, client: FlaskClient, auth: Auth, clock: Clock, direction_requires: str
) -> None:
    add_direction(app)
    # A CIP of the same structure is not concerned: the password signs them in.
    assert auth.staff(CIP).headers["Location"] == "/staff/"
    assert client.get("/staff/learners").status_code == 200
    sign_out(client)

    # Another direction without two-step verification enrols before signing in.
    response = auth.staff(SECOND_DIRECTION)
    assert response.headers["Location"] == SIGNIN_ENROL
    assert not signed_in(client)
    assert client.get("/staff/learners").headers["Location"].startswith("/staff/signin")
    assert client.get(CODE).headers["Location"] == "/staff/signin"  # not the code page
    html = page(client.get(SIGNIN_ENROL))
    assert "Votre structure exige la vérification en deux étapes pour la direction" in html
    match = SECRET_RE.search(html)
    assert match
    secret = match.group(1).replace(" ", "")
    # Reloading shows the same secret: a QR code already scanned keeps working.
    again = SECRET_RE.search(page(client.get(SIGNIN_ENROL)))
    assert again
    assert again.group(1).replace(" ", "") == secret
    assert post_code(client, SIGNIN_ENROL, clock.wrong(secret)).status_code == 422
    assert not signed_in(client)
    response = post_code(client, SIGNIN_ENROL, clock.code(secret))
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    assert signed_in(client)
    assert user(app, SECOND_DIRECTION).two_step_enabled
    assert client.get("/staff/learners").status_code == 200

    # And the next time, the code is asked.
    sign_out(client)
    assert auth.staff(SECOND_DIRECTION).headers["Location"] == CODE


def test_turning_the_requirement_on_reaches_open_sessions(
    app: Flask, client: FlaskClient, auth: Auth, clock: Clock
) -> None:
    add_direction(app)
    other = app.test_client()
    Auth(other).staff(SECOND_DIRECTION)
    assert other.get("/staff/learners").status_code == 200
    auth.staff(DIRECTION)
    enrol(client, clock)
    assert post_form(client, SETTINGS, settings_form(require=True)).status_code == 302
    # The open session of the other direction now goes to the enrolment page first.
    for url in ("/staff/learners", "/staff/structure/settings", ACCOUNT):
        assert other.get(url).headers["Location"] == ENROL, url
    html = page(other.get(ENROL))
    assert "Activez-la pour continuer" in html
    match = SECRET_RE.search(html)
    assert match
    response = post_code(other, ENROL, clock.code(match.group(1).replace(" ", "")))
    assert response.headers["Location"] == ACCOUNT
    assert other.get("/staff/learners").status_code == 200


def test_turning_it_off_asks_a_code_and_is_refused_when_required(
    app: Flask, client: FlaskClient, auth: Auth, clock: Clock, direction_requires: str
) -> None:
    auth.staff(DIRECTION)
    assert post_code(client, CODE, clock.code(direction_requires)).status_code == 302
    html = page(client.get(ACCOUNT))
    assert "vous ne pouvez pas la désactiver" in html
    assert 'name="code"' not in html
    clock.tick()
    refused = post_code(client, ACCOUNT, clock.code(direction_requires))
    assert refused.status_code == 422
    assert "vous ne pouvez pas la désactiver" in page(refused)
    assert user(app, DIRECTION).two_step_enabled
    sign_out(client)

    # A CIP may turn theirs off, with a current code.
    auth.staff(CIP)
    secret = enrol(client, clock)
    wrong = post_code(client, ACCOUNT, clock.wrong(secret))
    assert wrong.status_code == 422
    assert 'id="error-summary"' in page(wrong)
    assert user(app, CIP).two_step_enabled
    clock.tick()
    response = post_code(client, ACCOUNT, clock.code(secret))
    assert response.headers["Location"] == ACCOUNT
    assert not user(app, CIP).two_step_enabled
    assert user(app, CIP).totp_secret is None
    assert (AuditAction.TWO_STEP_DISABLED, "") in audit_actions(app)
    sign_out(client)
    assert auth.staff(CIP).headers["Location"] == "/staff/"


def test_the_direction_resets_a_member_who_lost_their_phone(
    app: Flask, client: FlaskClient, auth: Auth, clock: Clock
) -> None:
    cip_client = app.test_client()
    Auth(cip_client).staff(CIP)
    enrol(cip_client, clock)
    cip_id = user(app, CIP).id

    auth.staff(DIRECTION)
    staff_list = page(client.get("/staff/structure/staff"))
    assert "Vérification en deux étapes" in staff_list
    edit = f"/staff/structure/staff/{cip_id}"
    html = page(client.get(edit))
    assert "Réinitialiser la vérification en deux étapes" in html
    response = post_form(client, edit, {}, url=f"{edit}/two-step/reset")
    assert response.status_code == 302
    assert response.headers["Location"] == edit
    assert "est réinitialisée" in page(client.get(edit))
    cip = user(app, CIP)
    assert cip.totp_secret is None
    assert cip.totp_enabled_at is None
    assert cip.totp_last_step is None
    assert (AuditAction.TWO_STEP_RESET, CIP) in audit_actions(app)
    assert "A réinitialisé la vérification en deux étapes" in page(
        client.get("/staff/structure/audit")
    )
    # One's own goes through "Mon compte", which asks for a code.
    direction_id = user(app, DIRECTION).id
    own = f"/staff/structure/staff/{direction_id}"
    response = post_form(client, own, {}, url=f"{own}/two-step/reset")
    assert response.headers["Location"] == own
    assert "passez par la page « Mon compte »" in page(client.get(own))

    # The CIP signs in with the password alone, and may enrol again.
    sign_out(cip_client)
    assert Auth(cip_client).staff(CIP).headers["Location"] == "/staff/"


def test_an_operator_resets_from_the_command_line(
    app: Flask, client: FlaskClient, auth: Auth, clock: Clock, runner: FlaskCliRunner
) -> None:
    auth.staff(DIRECTION)
    enrol(client, clock)
    result = runner.invoke(args=["two-step", "reset", DIRECTION.upper()])
    assert result.exit_code == 0, result.output
    assert DIRECTION in result.output
    assert not user(app, DIRECTION).two_step_enabled
    assert (AuditAction.TWO_STEP_RESET, f"{DIRECTION} (flask two-step reset)") in audit_actions(app)
    missing = runner.invoke(args=["two-step", "reset", "nobody@example.org"])
    assert missing.exit_code == 1


def test_the_code_page_is_rate_limited_per_account(db_path: Path) -> None:
    app = make_app(db_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == CIP))
        assert cip is not None
        cip.totp_secret = pyotp.random_base32()
        cip.totp_enabled_at = utcnow()
        db.session.commit()
    codes = []
    for n in range(6):
        # A new address each time: the limit follows the account waiting for its code.
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.1.{n + 1}"
        assert Auth(client).staff(CIP).headers["Location"] == CODE
        token = csrf_from(client.get(CODE).get_data(as_text=True))
        response = client.post(CODE, data={"code": "000000", "csrf_token": token})
        codes.append(response.status_code)
    assert codes == [422] * 5 + [429]
    with app.app_context():
        db.engine.dispose()


def test_the_code_page_is_rate_limited_per_address(db_path: Path) -> None:
    app = make_app(db_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    client = app.test_client()
    token = csrf_from(client.get("/staff/signin").get_data(as_text=True))
    codes = [
        client.post(CODE, data={"code": "000000", "csrf_token": token}).status_code
        for _ in range(21)
    ]
    assert codes[:20] == [302] * 20  # nothing pending: back to the password
    assert codes[20] == 429
    assert "Trop d'essais" in client.post(CODE, data={"code": "0", "csrf_token": token}).text
    with app.app_context():
        db.engine.dispose()
