"""Reports a funder accepts: learners who left stay counted, numbers are numbers, dates are
dates (checked in LibreOffice too), one row per person, statistics and the bilan of a period."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import update

from companion.extensions import db
from companion.models import Learner, utcnow
from companion.services import exports
from companion.services.assignments import today as paris_today
from tests.conftest import Auth, page
from tests.web.staff_helpers import learner_id, team_id

COLUMNS = exports.COLUMNS
FIRST = COLUMNS.index("prenom")


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _archive(app: Flask, name: str) -> int:
    found = learner_id(app, name)
    with app.app_context():
        db.session.execute(
            update(Learner)
            .where(Learner.id == found)
            .values(archived=True, archived_at=utcnow() - timedelta(days=1))
        )
        db.session.commit()
    return found


def _rename(app: Flask, name: str, new: str) -> None:
    with app.app_context():
        db.session.execute(update(Learner).where(Learner.first_name == name).values(first_name=new))
        db.session.commit()


def test_learners_who_left_stay_in_exports_and_statistics(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    chloe = _archive(app, "Chloé")
    auth.staff("direction@atelier.example")
    rows = _csv(client.get("/staff/export.csv").data)[1:]
    assert {r[FIRST] for r in rows} == {"Amina", "Bruno", "Chloé"}  # "tous" by default
    gone = next(r for r in rows if r[FIRST] == "Chloé")
    assert gone[COLUMNS.index("situation")] == "sorti"
    assert gone[COLUMNS.index("date_sortie")] == (paris_today() - timedelta(days=1)).isoformat()
    assert gone[COLUMNS.index("id_salarie")] == str(chloe)
    present = _csv(client.get("/staff/export.csv?people=present").data)[1:]
    assert {r[FIRST] for r in present} == {"Amina", "Bruno"}
    left = _csv(client.get("/staff/export.csv?people=left").data)[1:]
    assert {r[FIRST] for r in left} == {"Chloé"}
    # The statistics still count the module she finished before leaving.
    stats = _csv(client.get("/staff/structure/stats.csv").data)
    password = next(r for r in stats[1:] if r[1] == "mots-de-passe")
    assert password[2:4] == ["1", "1"]  # started, finished
    html = page(client.get("/staff/structure/stats?people=present"))
    assert "2 salariés retenus" in html


def test_csv_numbers_are_bare_and_dates_iso(client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    rows = _csv(client.get("/staff/export.csv").data)
    module_id = rows[0].index("module_id")
    chloe = next(r for r in rows[1:] if r[FIRST] == "Chloé" and r[module_id] == "mots-de-passe")
    get = dict(zip(rows[0], chloe, strict=True))
    assert get["score"] == "13"  # never "13/14", read as a date by French Excel
    assert get["score_max"] == "14"
    assert get["pourcentage"] == "93"
    assert get["temps_minutes"].isdigit()
    assert date.fromisoformat(get["debut"]) <= date.fromisoformat(get["fin"])
    assert all("/" not in cell for row in rows for cell in row)


def test_xlsx_typed_cells_learner_id_and_a_sheet_per_person(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    book = load_workbook(io.BytesIO(client.get("/staff/export.xlsx").data))
    assert book.sheetnames == ["salaries-modules", "Par salarié"]
    sheet = book["salaries-modules"]
    header = [c.value for c in sheet[1]]
    assert header == COLUMNS
    chloe_rows = [r for r in sheet.iter_rows(min_row=2) if r[FIRST].value == "Chloé"]
    done = next(r for r in chloe_rows if r[header.index("statut")].value == "terminé")
    cell = {name: done[i] for i, name in enumerate(header)}
    assert isinstance(cell["debut"].value, datetime)  # a real date cell, shown dd/mm/yyyy
    assert cell["debut"].number_format == "DD/MM/YYYY"
    assert cell["score"].data_type == "n"
    assert cell["score"].value == 13
    assert cell["score_max"].value == 14
    assert cell["id_salarie"].value == learner_id(app, "Chloé")
    people = book["Par salarié"]
    assert [c.value for c in people[1]] == exports.PERSON_COLUMNS
    for each in (sheet, people):  # the header in bold, kept in view when scrolling
        assert each.freeze_panes == "A2"
        assert all(c.font.b for c in each[1])
        assert not any(c.font.b for c in each[2])
    per = {r[1].value: {n: c.value for n, c in zip(exports.PERSON_COLUMNS, r, strict=True)}
           for r in people.iter_rows(min_row=2)}  # fmt: skip
    assert set(per) == {"Amina", "Bruno", "Chloé"}  # one row per person
    assert per["Chloé"]["modules_termines"] == 1
    assert per["Chloé"]["confiance_mesuree"] == 1
    assert per["Chloé"]["confiance_avant_apres"] == "Mots de passe : pas encore → pas encore"
    assert per["Bruno"]["modules_commences"] == 0
    # The per-person table exists as CSV too.
    rows = _csv(client.get("/staff/export.csv?sheet=people").data)
    assert rows[0] == exports.PERSON_COLUMNS
    assert len(rows) == 4


def test_formula_guard_keeps_xlsx_text_without_a_visible_apostrophe(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _rename(app, "Bruno", '=HYPERLINK("http://x.example")')
    auth.staff("cip@atelier.example")
    sheet = load_workbook(io.BytesIO(client.get("/staff/export.xlsx").data))["salaries-modules"]
    cells = [r[FIRST] for r in sheet.iter_rows(min_row=2) if str(r[FIRST].value).startswith("=")]
    assert cells
    for cell in cells:
        assert cell.value == '=HYPERLINK("http://x.example")'  # as typed, no "'" in front
        assert cell.data_type == "s"  # text, never a formula
        assert cell.quotePrefix
    rows = _csv(client.get("/staff/export.csv").data)
    assert any(r[FIRST] == '\'=HYPERLINK("http://x.example")' for r in rows)  # CSV: guarded


@pytest.mark.parametrize(
    "path",
    ["/staff/export.csv", "/staff/export.xlsx", "/staff/export", "/staff/bilan",
     "/staff/structure/stats", "/staff/structure/stats.csv"],
)  # fmt: skip
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-45", "Écrivez une date réelle"),
        ("end=99999-01-01", "Écrivez une date réelle"),
        ("end=9999-12-31", "Choisissez une date entre 2000 et 2100."),
        ("start=0001-01-01", "Choisissez une date entre 2000 et 2100."),
        ("team_id=99999999999999999999999", "Choisissez une équipe de la liste."),
        ("people=everyone", "Choisissez présents, sortis ou tous."),
    ],
)
def test_absurd_report_parameters_are_a_clear_422(
    client: FlaskClient, auth: Auth, path: str, query: str, message: str
) -> None:
    auth.staff("direction@atelier.example")
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422, response.status_code
    assert message in page(response)


def test_statistics_by_period_and_team_and_as_files(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("direction@atelier.example")
    today = paris_today()
    week = f"start={(today - timedelta(days=7)).isoformat()}&end={today.isoformat()}"
    html = page(client.get(f"/staff/structure/stats?{week}"))
    assert "1 a travaillé sur la période." in html
    empty = page(client.get("/staff/structure/stats?start=2020-01-01&end=2020-12-31"))
    assert re.search(r"\b0 (a|ont) travaillé sur la période", empty)
    green = team_id(app, "Espaces verts")
    team_rows = _csv(client.get(f"/staff/structure/stats.csv?team_id={green}").data)
    assert all(r[2] == "0" for r in team_rows[1:])  # nobody in Espaces verts started
    book = load_workbook(io.BytesIO(client.get(f"/staff/structure/stats.xlsx?{week}").data))
    sheet = book.active
    assert sheet is not None
    password = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "mots-de-passe")
    assert [c.value for c in password[2:5]] == [1, 1, 100]  # numbers, not text
    assert password[5].data_type == "n"


def test_bilan_of_a_period_on_one_printable_page(client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    today = paris_today()
    html = page(client.get(f"/staff/bilan?start={today.year}-01-01&end={today.year}-12-31"))
    assert "Bilan de la formation au numérique" in html
    assert f"du 1 janvier {today.year} au 31 décembre {today.year}" in html
    assert "Personnes formées" in html
    assert "Heures de formation" in html
    assert re.search(r"100\s%", html)  # the completion of Mots de passe, in French
    assert "1 sur 1" not in html  # Chloé still says "Pas encore": no confidence gained
    assert "0 sur 1" in html
    for name in ("Amina", "Bruno", "Chloé"):
        assert name not in html
    assert 'class="staff printable"' in html
    english = page(client.get("/staff/bilan", headers={"Accept-Language": "en"}))
    assert "Bilan" in english


# --- In a real spreadsheet: LibreOffice, headless -------------------------------------------


@pytest.fixture(scope="module")
def soffice(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """LibreOffice's command line, with a profile of its own (runs beside others do not share
    one). Missing on CI is a failure: `make test` installs it (make office-tools)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: run `make office-tools` as root")
        pytest.skip("LibreOffice (soffice) is not installed here: `make office-tools`")
    profile = tmp_path_factory.mktemp("lo-profile")
    return [found, f"-env:UserInstallation={profile.as_uri()}", "--headless"]


def _convert(soffice: list[str], source: Path, *options: str) -> Path:
    out = source.parent / "converted"
    subprocess.run(
        [*soffice, *options, "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out / (source.stem + ".xlsx")


def test_files_open_in_libreoffice_with_numbers_and_dates(
    app: Flask, client: FlaskClient, auth: Auth, soffice: list[str], tmp_path: Path
) -> None:
    _rename(app, "Bruno", "=1+1")
    auth.staff("cip@atelier.example")
    (tmp_path / "export.csv").write_bytes(client.get("/staff/export.csv").data)
    (tmp_path / "export.xlsx").write_bytes(client.get("/staff/export.xlsx").data)
    # The CSV as French LibreOffice reads it: ";" separated, UTF-8, French locale (1036).
    from_csv = _convert(soffice, tmp_path / "export.csv", "--infilter=CSV:59,34,76,1,,1036")
    # The XLSX opened and saved again by LibreOffice.
    from_xlsx = _convert(soffice, tmp_path / "export.xlsx")
    for path in (from_csv, from_xlsx):
        sheet = load_workbook(path).worksheets[0]
        header = [c.value for c in sheet[1]]
        rows = [{n: c for n, c in zip(header, r, strict=False)} for r in sheet.iter_rows(min_row=2)]
        chloe = next(
            r for r in rows if r["prenom"].value == "Chloé" and r["statut"].value == "terminé"
        )
        assert chloe["score"].data_type == "n", path
        assert chloe["score"].value == 13, path
        assert chloe["pourcentage"].value == 93, path
        assert chloe["temps_minutes"].data_type == "n", path
        assert isinstance(chloe["debut"].value, datetime), (path, chloe["debut"].value)
        assert isinstance(chloe["fin"].value, datetime), path
        assert chloe["id_salarie"].data_type == "n", path
        bruno = next(r for r in rows if str(r["prenom"].value).endswith("=1+1"))
        assert bruno["prenom"].data_type == "s", path  # never computed to 2
    people = load_workbook(from_xlsx)["Par salarié"]
    assert people.max_row == 4
