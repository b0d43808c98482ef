"""Signing out ends the session (#13 item 5): every cookie of an account, not just this one.

A staff member's cookie copied elsewhere (a shared computer, a stolen laptop, a proxy's log)
stops working when the person signs out, is deactivated, changes their password, or signs
out everywhere; staff sessions end after 30 minutes without a request and 12 hours after the
sign-in; a CIP signs a learner's phones out from the learner file.
"""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AMINA_LINK, DEMO_PASSWORD, Auth, csrf_from, make_app, page
from tests.web.staff_helpers import invitation_path, learner_id, post_form
from tests.web.test_staff_accounts import OTHER_STRONG, STAFF, STRONG, _signout, _user

CIP = "cip@atelier.example"


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(name, cookie.value)
    return thief


def _notes(app: Flask) -> str:
    return f"/staff/learners/{learner_id(app, 'Amina')}/notes"


def _refused(response: object) -> bool:
    location = getattr(response, "headers", {}).get("Location", "")
    return getattr(response, "status_code", 0) == 302 and location.startswith("/staff/signin")


def test_a_copied_cookie_is_refused_after_sign_out(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff(CIP)
    thief = _copy(app, client)
    assert thief.get(_notes(app)).status_code == 200  # the copy works while the session lives
    _signout(client)
    assert _refused(thief.get(_notes(app)))


def test_deactivation_ends_every_cookie_even_after_reactivation(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    cip_client = app.test_client()
    Auth(cip_client).staff(CIP)
    thief = _copy(app, cip_client)
    cip_id = _user(app, CIP).id
    auth.staff("direction@atelier.example")
    url = f"{STAFF}/{cip_id}"
    assert post_form(client, url, {"role": "cip", "team_id": "0"}).status_code == 302
    assert post_form(client, url, {"role": "cip", "team_id": "0", "active": "y"}).status_code == 302
    # Active again: the person signs in anew, the cookies of before stay dead.
    assert _refused(cip_client.get(_notes(app)))
    assert _refused(thief.get(_notes(app)))
    assert Auth(cip_client).staff(CIP).status_code == 302
    assert cip_client.get(_notes(app)).status_code == 200


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff(CIP)
    thief = _copy(app, client)
    other_device = app.test_client()
    Auth(other_device).staff(CIP)
    response = post_form(
        client,
        "/staff/account/password",
        {"current": DEMO_PASSWORD, "password": OTHER_STRONG, "confirm": OTHER_STRONG},
    )
    assert response.status_code == 302
    assert client.get(_notes(app)).status_code == 200  # the person changing it stays in
    assert _refused(thief.get(_notes(app)))
    assert _refused(other_device.get(_notes(app)))


def test_a_password_set_through_a_link_ends_every_session(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    cip_client = app.test_client()
    Auth(cip_client).staff(CIP)
    cip_id = _user(app, CIP).id
    auth.staff("direction@atelier.example")
    response = post_form(client, STAFF, {}, url=f"{STAFF}/{cip_id}/link")
    link = invitation_path(page(client.get(response.headers["Location"])))
    _signout(client)
    response = post_form(client, link, {"password": STRONG, "confirm": STRONG})
    assert response.status_code == 302, page(response)
    assert _refused(cip_client.get(_notes(app)))


def test_sign_out_everywhere_from_mon_compte(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff(CIP)
    other_device = app.test_client()
    Auth(other_device).staff(CIP)
    thief = _copy(app, other_device)
    account = page(client.get("/staff/account"))
    assert "Se déconnecter partout" in account
    response = post_form(client, "/staff/account", {}, url="/staff/account/signout-everywhere")
    assert _refused(response)
    for browser in (client, other_device, thief):
        assert _refused(browser.get(_notes(app)))
    assert "Vous êtes déconnecté de tous vos appareils" in page(client.get("/staff/signin"))
    assert Auth(client).staff(CIP).status_code == 302  # signing in again works
    assert client.get(_notes(app)).status_code == 200


def test_a_staff_session_idle_more_than_30_minutes_is_refused(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.staff(CIP)
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 29 * 60)
    assert client.get(_notes(app)).status_code == 200  # 29 minutes: still there
    thief = _copy(app, client)
    monkeypatch.setattr(time, "time", lambda: start + 29 * 60 + 31 * 60)
    assert _refused(thief.get(_notes(app)))
    assert _refused(client.get(_notes(app)))
    assert "personne n'utilisait" in page(client.get("/staff/signin"))


def test_a_staff_session_ends_12_hours_after_the_sign_in_even_when_busy(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.staff(CIP)
    start = time.time()
    minutes = 0
    while minutes < 12 * 60 - 20:  # a request every 20 minutes: never idle
        minutes += 20
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get(_notes(app)).status_code == 200, minutes
    monkeypatch.setattr(time, "time", lambda: start + (12 * 60 + 1) * 60)
    assert _refused(client.get(_notes(app)))


def test_a_cookie_signed_30_days_ago_is_refused(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = time.time()
    monkeypatch.setattr(time, "time", lambda: real - 30 * 24 * 3600)
    auth.staff(CIP)  # signed (and last used) 30 days ago
    thief = _copy(app, client)
    monkeypatch.setattr(time, "time", lambda: real)
    assert _refused(thief.get(_notes(app)))


def test_the_lifetimes_are_settings(db_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(db_path, STAFF_IDLE_MINUTES=5, STAFF_SESSION_HOURS=1)  # type: ignore[arg-type]
    client = app.test_client()
    Auth(client).staff(CIP)
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 6 * 60)
    assert _refused(client.get(_notes(app)))
    Auth(client).staff(CIP)
    start = time.time()
    for minutes in range(4, 60, 4):
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get(_notes(app)).status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 61 * 60)
    assert _refused(client.get(_notes(app)))


def test_staff_pages_warn_before_the_idle_sign_out_and_still_here_keeps_the_session(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.staff(CIP)
    html = client.get("/staff/learners").get_data(as_text=True)
    # The kiosk's dialog ("Vous êtes toujours là ?"), with the staff delay before it.
    assert 'id="idle-dialog"' in html
    assert f'data-kiosk-idle="{30 * 60 - 60}"' in html
    assert 'data-kiosk-warning="60"' in html
    assert 'data-still-here="/staff/still-here"' in html
    token = csrf_from(html)
    start = time.time()
    for n in range(1, 4):  # "Continuer" every 25 minutes, nothing else
        monkeypatch.setattr(time, "time", lambda n=n: start + n * 25 * 60)
        response = client.post("/staff/still-here", headers={"X-CSRFToken": token})
        assert response.status_code == 204
    assert client.get(_notes(app)).status_code == 200


def test_a_cip_signs_out_a_learners_phones(app: Flask, client: FlaskClient, auth: Auth) -> None:
    phone = app.test_client()
    Auth(phone).learner_link(AMINA_LINK, "2580")
    assert phone.get("/learn/").status_code == 200
    amina = learner_id(app, "Amina")
    auth.staff(CIP)
    file_page = page(client.get(f"/staff/learners/{amina}"))
    assert "Déconnecter ses téléphones" in file_page
    url = f"/staff/learners/{amina}/signout-phones"
    response = post_form(client, f"/staff/learners/{amina}", {}, url=url)
    assert response.status_code == 302
    assert "sont déconnectés" in page(client.get(response.headers["Location"]))
    assert phone.get("/learn/").status_code == 302
    # The same link and PIN sign in again: nothing else changed for the learner.
    assert Auth(phone).learner_link(AMINA_LINK, "2580").status_code == 302
    assert phone.get("/learn/").status_code == 200


def test_resetting_a_lost_phones_two_step_ends_the_members_sessions(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    phone = app.test_client()  # the lost phone, still signed in
    Auth(phone).staff(CIP)
    assert phone.get(_notes(app)).status_code == 200
    cip_id = _user(app, CIP).id
    auth.staff("direction@atelier.example")
    edit = f"{STAFF}/{cip_id}"
    assert post_form(client, edit, {}, url=f"{edit}/two-step/reset").status_code == 302
    assert _refused(phone.get(_notes(app)))


def test_the_operators_two_step_reset_ends_the_sessions_too(app: Flask) -> None:
    phone = app.test_client()
    Auth(phone).staff(CIP)
    assert phone.get(_notes(app)).status_code == 200
    result = app.test_cli_runner().invoke(args=["two-step", "reset", CIP])
    assert result.exit_code == 0, result.output
    assert _refused(phone.get(_notes(app)))
