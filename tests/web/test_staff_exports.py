"""Exports (CSV with BOM, XLSX), the attestation (page and PDF) and statistics."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import event

from companion.extensions import db
from companion.services.assignments import today as paris_today
from companion.services.exports import COLUMNS
from tests.conftest import Auth, page
from tests.web.staff_helpers import learner_id, post_form, team_id

FIRST = COLUMNS.index("prenom")


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8 accents
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_one_row_per_learner_and_module(client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    response = client.get("/staff/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response.data)
    assert rows[0] == COLUMNS
    names = [r[FIRST] for r in rows[1:]]
    assert names == sorted(names)  # stable order: by first name
    assert set(names) == {"Amina", "Bruno", "Chloé"}  # accents intact, no other structure
    module_id = COLUMNS.index("module_id")
    chloe = next(r for r in rows[1:] if r[FIRST] == "Chloé" and r[module_id] == "mots-de-passe")
    assert chloe[COLUMNS.index("statut")] == "terminé"
    assert chloe[COLUMNS.index("confiance_apres")] == "pas encore"
    assert chloe[COLUMNS.index("digcomp")]
    assert client.get("/staff/export.csv").data == response.data  # same order every time


def test_filters_by_team_and_dates(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    team = team_id(app, "Espaces verts")
    rows = _csv(client.get(f"/staff/export.csv?team_id={team}").data)
    assert {r[FIRST] for r in rows[1:]} == {"Amina", "Bruno"}
    today = paris_today()
    recent = _csv(
        client.get(f"/staff/export.csv?start={(today - timedelta(days=7)).isoformat()}").data
    )
    assert [r[FIRST] for r in recent[1:]] == ["Chloé"]  # the only one active this week
    old = _csv(client.get("/staff/export.csv?start=2020-01-01&end=2020-01-31").data)
    assert old == [COLUMNS]
    bad = client.get("/staff/export.csv?start=2026-02-01&end=2026-01-01")
    assert bad.status_code == 422
    assert "La date de fin est avant la date de début." in page(bad)


def test_xlsx_has_the_same_rows(client: FlaskClient, auth: Auth) -> None:
    auth.staff("direction@atelier.example")
    csv_rows = _csv(client.get("/staff/export.csv").data)
    response = client.get("/staff/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    values = [
        [
            "" if v is None else v.date().isoformat() if isinstance(v, datetime) else str(v)
            for v in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert values == csv_rows


def test_export_is_written_to_the_audit_log(client: FlaskClient, auth: Auth) -> None:
    auth.staff("direction@atelier.example")
    rows = _csv(client.get("/staff/export.csv").data)
    html = page(client.get("/staff/structure/audit"))
    assert "A exporté" in html
    assert f"csv {len(rows) - 1}" in html  # the format and the number of rows exported


def test_attestation_page_and_pdf(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    chloe = learner_id(app, "Chloé")
    html = page(client.get(f"/staff/learners/{chloe}/attestation"))
    assert "Mots de passe" in html
    assert "DigComp" in html
    assert "CléA Numérique" in html
    pdf = client.get(f"/staff/learners/{chloe}/attestation.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    bruno = learner_id(app, "Bruno")
    assert "Aucun module terminé" in page(client.get(f"/staff/learners/{bruno}/attestation"))


def test_stats_are_anonymous(client: FlaskClient, auth: Auth) -> None:
    auth.staff("direction@atelier.example")
    html = page(client.get("/staff/structure/stats"))
    assert "Étapes les plus difficiles" in html
    assert "Combien de caractères" in html or "essais en moyenne" in html
    for name in ("Amina", "Bruno", "Chloé"):
        assert name not in html


def test_staff_pages_do_not_query_per_learner(app: Flask, client: FlaskClient, auth: Auth) -> None:
    """The CIP home, assignments and export cost the same number of queries for 3 or 23."""
    auth.staff("cip@atelier.example")
    paths = ["/staff/learners", "/staff/assignments", "/staff/export.csv", "/staff/team"]

    def count() -> dict[str, int]:
        with app.app_context():
            engine = db.engine
        counts: dict[str, int] = {}
        for path in paths:
            n = 0

            def on_execute(*_args: object) -> None:
                nonlocal n
                n += 1

            event.listen(engine, "before_cursor_execute", on_execute)
            assert client.get(path).status_code == 200
            event.remove(engine, "before_cursor_execute", on_execute)
            counts[path] = n
        return counts

    before = count()
    for n in range(20):
        post_form(
            client,
            "/staff/learners/new",
            {
                "first_name": f"Test{n}",
                "team_id": str(team_id(app, "Espaces verts")),
                "locale": "fr",
                "pictogram": "sun",
            },
        )
    assert count() == before
