"""The PIN: the same code whatever digits the phone types, and a lock that grows.

Issue 13, items 1 and 2 (docs/security.md, threat model). The lock under parallel requests,
against gunicorn with 4 workers, is tests/resilience/test_pin_race.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.extensions import db
from companion.models import Learner, StaffUser, utcnow
from companion.services import accounts, learners, passwords
from tests.conftest import AMINA_LINK, Auth, page
from tests.web.test_kiosk import kiosk_signin, open_kiosk

# Amina's demo PIN is 2580: Arabic-Indic, Persian (Eastern Arabic) and fullwidth digits.
SAME_PIN = ["٢٥٨٠", "۲۵۸۰", "２５８０"]


def amina(app: Flask) -> Learner:
    learner = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
    assert learner is not None
    return learner


# ------------------------------------------------------------------ item 2: other digits


@pytest.mark.parametrize("pin", SAME_PIN)
def test_pin_in_arabic_persian_or_fullwidth_digits_opens_the_personal_link(
    client: FlaskClient, auth: Auth, pin: str
) -> None:
    response = auth.learner_link(AMINA_LINK, pin)
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/"
    assert client.get("/learn/").status_code == 200


@pytest.mark.parametrize("pin", SAME_PIN)
def test_pin_in_arabic_persian_or_fullwidth_digits_opens_the_kiosk(
    client: FlaskClient, auth: Auth, pin: str
) -> None:
    open_kiosk(client, auth)
    response = kiosk_signin(client, "Amina", pin)
    assert response.status_code == 302
    assert client.get("/learn/").status_code == 200


def test_the_right_pin_in_arabic_digits_never_counts_as_a_wrong_try(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    for _ in range(accounts.PIN_MAX_TRIES + 1):
        assert auth.learner_link(AMINA_LINK, "٢٥٨٠").status_code == 302
        auth.signout_learner()
    with app.app_context():
        learner = amina(app)
        assert learner.failed_pin_count == 0
        assert learner.locked_until is None


def test_a_wrong_pin_in_arabic_digits_is_still_wrong(client: FlaskClient, auth: Auth) -> None:
    response = auth.learner_link(AMINA_LINK, "٠٠٠٠")
    assert response.status_code == 422
    assert "Ce code n'est pas le bon." in page(response)


def test_normalise_pin_keeps_anything_that_is_not_a_digit() -> None:
    assert accounts.normalise_pin("٢٥٨٠") == "2580"
    assert accounts.normalise_pin("۲۵۸۰") == "2580"
    assert accounts.normalise_pin("２５８０") == "2580"
    assert accounts.normalise_pin("12ab") == "12ab"
    assert accounts.normalise_pin("²³") == "²³"  # superscripts are not digits one types


# ------------------------------------------------------------------ item 1: the lock grows


def _five_wrong(app: Flask, now: object) -> accounts.PinResult:
    learner = amina(app)
    results = [accounts.check_pin(learner, "0000", now=now) for _ in range(5)]  # type: ignore[arg-type]
    assert [r.tries_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[-1].locked_until is not None
    return results[-1]


def test_lock_lasts_15_minutes_then_1_hour_then_until_a_cip_unlocks(app: Flask) -> None:
    with app.app_context(), app.test_request_context():
        start = utcnow()
        first = _five_wrong(app, start)
        assert first.locked_until == start + timedelta(minutes=15)
        assert not first.for_good
        # Locked: even the right PIN is refused, and not checked.
        assert not accounts.check_pin(amina(app), "2580", now=start + timedelta(minutes=14)).ok

        second_start = start + timedelta(minutes=16)
        second = _five_wrong(app, second_start)
        assert second.locked_until == second_start + timedelta(hours=1)
        assert not second.for_good

        third_start = second_start + timedelta(hours=1, minutes=1)
        third = _five_wrong(app, third_start)
        assert third.for_good
        # A month later, still locked, even with the right PIN.
        later = third_start + timedelta(days=30)
        result = accounts.check_pin(amina(app), "2580", now=later)
        assert not result.ok
        assert result.for_good

        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        assert cip is not None
        learners.unlock(cip, amina(app))
        assert accounts.check_pin(amina(app), "2580", now=later).ok
        # After the unlock, the lock starts again at 15 minutes.
        again = _five_wrong(app, later)
        assert again.locked_until == later + timedelta(minutes=15)


def test_the_right_pin_starts_the_lock_over_at_15_minutes(app: Flask) -> None:
    with app.app_context(), app.test_request_context():
        start = utcnow()
        _five_wrong(app, start)
        after = start + timedelta(minutes=16)
        assert accounts.check_pin(amina(app), "2580", now=after).ok
        assert amina(app).pin_lockouts == 0
        assert _five_wrong(app, after).locked_until == after + timedelta(minutes=15)


def test_a_locked_pin_is_not_checked_at_all(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real = passwords.verify_secret

    def counting(hashed: str, secret: str) -> bool:
        checked.append(secret)
        return real(hashed, secret)

    monkeypatch.setattr(accounts, "verify_secret", counting)
    with app.app_context(), app.test_request_context():
        start = utcnow()
        _five_wrong(app, start)
        for _ in range(20):
            assert not accounts.check_pin(amina(app), "2580", now=start).ok
    assert len(checked) == 5


def test_the_try_is_counted_before_the_pin_is_checked(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count is in the database before the slow check runs: a parallel request sees it."""
    seen: list[int] = []
    real = passwords.verify_secret

    def looking(hashed: str, secret: str) -> bool:
        with app.app_context():
            seen.append(amina(app).failed_pin_count)
        return real(hashed, secret)

    monkeypatch.setattr(accounts, "verify_secret", looking)
    with app.app_context(), app.test_request_context():
        for _ in range(3):
            accounts.check_pin(amina(app), "0000")
    assert seen == [1, 2, 3]


def test_a_pin_locked_for_good_says_to_ask_the_cip(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context(), app.test_request_context():
        start = utcnow()
        _five_wrong(app, start - timedelta(hours=3))
        _five_wrong(app, start - timedelta(hours=2))
        _five_wrong(app, start - timedelta(minutes=30))
    response = auth.learner_link(AMINA_LINK, "2580")
    assert response.status_code == 422
    html = page(response)
    assert "Le code est bloqué. Demandez à votre conseiller de le débloquer." in html
    assert "9999" not in html
    # The CIP sees it on the home's "À suivre" and unlocks it there.
    auth.staff("cip@atelier.example")
    with app.app_context():
        learner_id = amina(app).id
    html = page(client.get("/staff/learners"))
    assert f'action="/staff/learners/{learner_id}/unlock"' in html
