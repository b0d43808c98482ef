"""The audit log and kiosks (#13 item 7): what is opened is logged, the log pages and filters,
a kiosk says who opened it and stops working after the structure's number of days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import companion.services.kiosks as kiosk_service
from companion.extensions import db
from companion.models import AuditAction, AuditEvent, StaffUser, utcnow
from companion.services import audit
from companion.services.assignments import PARIS
from tests.conftest import Auth, page
from tests.web.staff_helpers import learner_id, post_form
from tests.web.test_kiosk import open_kiosk

AUDIT = "/staff/structure/audit"
SETTINGS = "/staff/structure/settings"


def _last_actions(app: Flask, n: int = 3) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(n))
        return [str(e.action) for e in rows]


def test_opening_the_notes_the_attestation_and_a_kiosk_goes_to_the_audit_log(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    amina = learner_id(app, "Amina")
    auth.staff("cip@atelier.example")
    assert client.get(f"/staff/learners/{amina}/notes").status_code == 200
    assert _last_actions(app, 1) == [AuditAction.VIEWED_NOTES]
    assert client.get(f"/staff/learners/{amina}/attestation").status_code == 200
    assert _last_actions(app, 1) == [AuditAction.VIEWED_ATTESTATION]
    open_kiosk(client, auth)
    assert _last_actions(app, 1) == [AuditAction.KIOSK_OPENED]
    direction = app.test_client()
    Auth(direction).staff("direction@atelier.example")
    log = page(direction.get(AUDIT))
    for label in ("A ouvert les notes privées", "A ouvert la page de l'attestation"):
        assert label in log
    assert "A ouvert une borne" in log
    assert "Borne du hall" in log


def _fill_log(app: Flask, count: int) -> None:
    """`count` old lines by the CIP (viewed Amina), a day apart, before the demo's lines."""
    with app.app_context():
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        assert cip is not None
        for n in range(count):
            audit.record(cip, AuditAction.EXPORTED, detail=f"ligne {n}", commit=False)
        db.session.flush()
        # Dated 1 to `count` days ago, in the order they were written.
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.detail.like("ligne %")).order_by(AuditEvent.id)
        )
        now = utcnow()
        for row in rows:
            row.created_at = now - timedelta(days=count - int(row.detail.split()[1]))
        db.session.commit()


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr data-action=\"([a-z_]+)\"", html)


def test_the_audit_log_pages_instead_of_stopping_at_200_lines(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _fill_log(app, 260)
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    auth.staff("direction@atelier.example")
    response = client.get(AUDIT)
    first = response.get_data(as_text=True)
    assert len(_rows(first)) == 50
    assert f"{total} lignes" in page(response)
    assert 'href="/staff/structure/audit?page=2"' in first
    seen = 0
    number = 1
    while True:
        response = client.get(f"{AUDIT}?page={number}")
        html = response.get_data(as_text=True)
        rows = _rows(html)
        seen += len(rows)
        if f"page={number + 1}" not in html:
            break
        number += 1
    assert seen == total  # every line is reachable, the oldest included
    assert "ligne 0" in page(response)
    assert client.get(f"{AUDIT}?page=999").status_code == 200  # past the end: an empty page
    assert client.get(f"{AUDIT}?page=abc").status_code == 200


def test_the_audit_log_filters_by_person_action_and_dates(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _fill_log(app, 30)
    with app.app_context():
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        assert cip is not None
        cip_id = cip.id
    auth.staff("direction@atelier.example")
    form = page(client.get(AUDIT))
    assert 'type="date"' in form
    assert 'name="start"' in form
    assert 'name="end"' in form
    assert 'name="actor"' in form
    assert 'name="action"' in form
    html = page(client.get(f"{AUDIT}?action=exported&actor={cip_id}"))
    assert set(_rows(html)) == {"exported"}
    assert len(_rows(html)) == 30
    day = (utcnow() - timedelta(days=10)).astimezone(PARIS).date().isoformat()
    html = page(client.get(f"{AUDIT}?action=exported&start={day}&end={day}"))
    assert _rows(html) == ["exported"]
    assert "ligne 20" in html
    # Someone who has no line in this log is not a choice.
    other = client.get(f"{AUDIT}?actor={cip_id + 1000}")
    assert other.status_code == 422
    assert "Choisissez une personne de la liste." in page(other)
    refused = client.get(f"{AUDIT}?start=9999-12-31")
    assert refused.status_code == 422
    assert "Choisissez une date entre 2000 et 2100." in page(refused)
    backwards = client.get(f"{AUDIT}?start=2026-03-02&end=2026-03-01")
    assert backwards.status_code == 422
    # The filters stay in the links to the next pages.
    _fill_log(app, 120)
    html = client.get(f"{AUDIT}?action=exported").get_data(as_text=True)
    assert "page=2" in html
    assert "action=exported" in html


def test_a_kiosk_shows_who_opened_it(app: Flask, client: FlaskClient, auth: Auth) -> None:
    open_kiosk(client, auth)
    home = page(client.get("/kiosk/"))
    assert "Borne du hall" in home
    assert "ouverte par cip@atelier.example" in home
    direction = app.test_client()
    Auth(direction).staff("direction@atelier.example")
    kiosks = page(direction.get("/staff/structure/kiosks"))
    assert "Ouverte par" in kiosks
    assert "cip@atelier.example" in kiosks


def test_a_kiosk_expires_after_the_structures_number_of_days(
    app: Flask, client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_kiosk(client, auth)
    now = utcnow()
    monkeypatch.setattr(kiosk_service, "utcnow", lambda: now + timedelta(days=179))
    assert client.get("/kiosk/").status_code == 200
    monkeypatch.setattr(kiosk_service, "utcnow", lambda: now + timedelta(days=181))
    expired = client.get("/kiosk/")
    assert expired.status_code == 403
    assert "Amina" not in page(expired)
    # The direction chooses another number of days.
    monkeypatch.setattr(kiosk_service, "utcnow", lambda: now + timedelta(days=31))
    assert client.get("/kiosk/").status_code == 200
    direction = app.test_client()
    Auth(direction).staff("direction@atelier.example")
    assert "Durée de vie d'une borne" in page(direction.get(SETTINGS))
    response = post_form(
        direction,
        SETTINGS,
        {
            "languages": ["fr", "en", "ar"],
            "kiosk_idle_seconds": "180",
            "retention_months": "24",
            "kiosk_lifetime_days": "30",
        },
    )
    assert response.status_code == 302, page(response)
    assert client.get("/kiosk/").status_code == 403
