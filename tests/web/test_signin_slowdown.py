"""Wrong staff passwords slow the guesser down per account, never lock the owner out.

The finding (issue #13, item 6): ten wrong tries a minute on a staff member's address, from
anywhere, made the real person's own sign-in fail with 429 — anyone could lock a CIP out.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.extensions import db
from companion.models import StaffUser
from companion.services import passwords, staff_signin
from companion.web import known_device
from tests.conftest import DEMO_PASSWORD, csrf_from, make_app, page

CIP = "cip@atelier.example"


class Clock:
    """The time the sign-in service sees, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(staff_signin, "utcnow", clock)
    return clock


@pytest.fixture
def limited_app(db_path: Path) -> Flask:
    # The real limits, in memory: the per-address limit is avoided by changing address, as
    # an attacker with many addresses would.
    return make_app(db_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")


_address = iter(range(1, 10_000))


def _try(client: FlaskClient, password: str, email: str = CIP) -> tuple[int, str, str | None]:
    """One sign-in from a fresh address: status, page text, Retry-After."""
    token = csrf_from(client.get("/staff/signin").text)
    n = next(_address)
    response = client.post(
        "/staff/signin",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"},
    )
    return response.status_code, page(response), response.headers.get("Retry-After")


def _failures(app: Flask, email: str = CIP) -> tuple[int, datetime | None]:
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user is not None
        result = (user.failed_signin_count, user.signin_wait_until)
        db.session.remove()
        return result


def test_guessing_an_account_waits_longer_and_longer(limited_app: Flask, clock: Clock) -> None:
    guesser = limited_app.test_client()
    # Five wrong passwords cost nothing; the fifth says how long the next one waits.
    for _n in range(4):
        status, text, _retry = _try(guesser, "wrong")
        assert status == 422
        assert "Adresse e-mail ou mot de passe incorrect." in text
        assert "attendez" not in text
    status, text, _retry = _try(guesser, "wrong")
    assert status == 422
    assert "Pour protéger ce compte, attendez 2 secondes avant le prochain essai." in text
    # Too early: not even checked, the right password included, and told kindly.
    status, text, retry = _try(guesser, DEMO_PASSWORD)
    assert status == 429
    assert retry == "2"
    assert "Plusieurs mots de passe incorrects ont été tapés pour ce compte." in text
    assert "attendez 2 secondes avant de réessayer" in text
    assert _failures(limited_app)[0] == 5
    # Each further wrong password doubles the wait: 4, 8, 16 … seconds.
    for wait in (2, 4, 8, 16, 32, 64):
        clock.advance(wait)
        status, _text, _retry = _try(guesser, "wrong")
        assert status == 422
        clock.advance(wait * 2 - 1)
        status, text, retry = _try(guesser, "wrong")
        assert status == 429
        assert retry == "1"
        clock.advance(-(wait * 2 - 1))
    count, until = _failures(limited_app)
    assert count == 11
    assert until == clock.now + timedelta(seconds=128)
    status, text, _retry = _try(guesser, "wrong")
    assert "attendez 3 minutes avant de réessayer" in text  # 128 s, rounded up
    # The waits stop growing at 15 minutes.
    assert staff_signin.wait_after(40) == timedelta(minutes=15)
    assert staff_signin.wait_after(10**6) == timedelta(minutes=15)
    # Once the wait is over, the right password signs in and the count starts again.
    clock.advance(128)
    status, _text, _retry = _try(guesser, DEMO_PASSWORD)
    assert status == 302
    assert _failures(limited_app) == (0, None)


def test_the_owner_on_a_known_device_is_not_locked_out(limited_app: Flask, clock: Clock) -> None:
    owner = limited_app.test_client()
    status, _text, _retry = _try(owner, DEMO_PASSWORD)
    assert status == 302
    cookie = owner.get_cookie(known_device.COOKIE)
    assert cookie is not None
    assert cookie.http_only
    owner.delete_cookie("session")

    # Forty wrong passwords in one minute, from forty addresses.
    guesser = limited_app.test_client()
    codes = [_try(guesser, f"guess-{n}")[0] for n in range(40)]
    assert codes[:5] == [422] * 5
    assert 429 in codes
    assert _failures(limited_app)[0] < 40  # most were not even checked

    # The owner, on the device where they signed in before: straight in.
    status, _text, _retry = _try(owner, DEMO_PASSWORD)
    assert status == 302
    assert _failures(limited_app) == (0, None)

    # The device is known to this account only: another account on it still waits.
    for _n in range(6):
        _try(guesser, "wrong", "direction@atelier.example")
    status, _text, _retry = _try(owner, DEMO_PASSWORD, "direction@atelier.example")
    assert status == 429
    # A cookie not signed by this server spares nothing.
    forged = limited_app.test_client()
    forged.set_cookie(known_device.COOKIE, '{"d": "x", "a": [1, 2, 3, 4, 5, 6, 7, 8]}')
    status, text, _retry = _try(forged, DEMO_PASSWORD, "direction@atelier.example")
    assert status == 429
    assert "attendez" in text


def test_a_known_device_has_its_own_limit_on_wrong_passwords(
    limited_app: Flask, clock: Clock
) -> None:
    device = limited_app.test_client()
    assert _try(device, DEMO_PASSWORD)[0] == 302
    # The device's wrong passwords do not make the account wait, but ten an hour at most.
    codes = [_try(device, "wrong")[0] for _n in range(11)]
    assert codes[:10] == [422] * 10
    assert codes[10] == 429
    assert _failures(limited_app) == (0, None)


def test_parallel_guesses_are_checked_one_at_a_time(
    limited_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted before it is checked, in one conditional UPDATE: sixteen guesses sent at
    once get no more checks than sixteen sent one after the other."""
    checked = []
    real_verify = passwords.verify_secret

    def counting_verify(hashed: str, secret: str) -> bool:
        checked.append(secret)
        return real_verify(hashed, secret)

    monkeypatch.setattr(staff_signin, "verify_secret", counting_verify)
    start = threading.Barrier(16)
    results: list[staff_signin.SigninResult] = []

    def guess(n: int) -> None:
        with limited_app.app_context():
            start.wait()
            results.append(staff_signin.authenticate(CIP, f"guess-{n}"))
            db.session.remove()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 16
    assert all(r.user is None for r in results)
    assert len(checked) <= staff_signin.FREE_FAILURES
    assert _failures(limited_app)[0] == len(checked)
