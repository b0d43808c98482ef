"""The structure's digital diagnostic, as its users meet it: open, answer axis by axis (half
answered is kept), the result (chart, table, agreement), the plan and its indicators, closing,
the comparison with last year, the PDF and XLSX, the territory and its threshold, bad input.

Every test walks the grid as loaded (companion/catalogue/diagnostic.py), never a question id
of the real content: the grid may change.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import format_decimal
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from companion.catalogue.diagnostic import DiagnosticGrid, DiagnosticQuestion, load_grid
from companion.extensions import db
from companion.models import (
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticSharing,
    DiagnosticStatus,
    Kiosk,
    Learner,
    PlanAction,
    PlanStatus,
    StaffUser,
    Structure,
)
from companion.services.assignments import today
from tests.conftest import Auth, csrf_from, make_app, page
from tests.web.staff_helpers import post_form
from tests.web.test_reports import _convert, soffice  # noqa: F401 - the LibreOffice fixture

ATELIER, RECYCLERIE = "Atelier Démo", "Recyclerie Démo"
DIRECTION, CIP, ENCADRANT = (
    "direction@atelier.example",
    "cip@atelier.example",
    "encadrant@atelier.example",
)
OTHER_DIRECTION = "direction@recyclerie.example"


@pytest.fixture
def grid() -> DiagnosticGrid:
    return load_grid("fr")


def _diagnostic(app: Flask, structure: str, status: DiagnosticStatus) -> int:
    with app.app_context():
        found = db.session.scalar(
            select(Diagnostic.id)
            .join(Structure, Structure.id == Diagnostic.structure_id)
            .where(Structure.name == structure, Diagnostic.status == status)
            .order_by(Diagnostic.id.desc())
        )
        assert found is not None
        return found


def _staff_id(app: Flask, email: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
        assert found is not None
        return found


def _answers(app: Flask, diagnostic_id: int, email: str) -> dict[str, tuple[int | None, bool]]:
    staff = _staff_id(app, email)
    with app.app_context():
        rows = db.session.scalars(
            select(DiagnosticAnswer).where(
                DiagnosticAnswer.diagnostic_id == diagnostic_id,
                DiagnosticAnswer.staff_id == staff,
            )
        )
        return {r.question_id: (r.value, r.answered) for r in rows}


def _axis_url(diagnostic_id: int, axis_id: str) -> str:
    return f"/staff/diagnostic/{diagnostic_id}/axis/{axis_id}"


def _answer_axis(
    client: FlaskClient, diagnostic_id: int, axis_id: str, values: dict[str, str], **extra: str
) -> Any:
    url = _axis_url(diagnostic_id, axis_id)
    return post_form(client, url, {**{f"q-{k}": v for k, v in values.items()}, **extra})


def _close(client: FlaskClient, diagnostic_id: int, note: str = "") -> Any:
    url = f"/staff/diagnostic/{diagnostic_id}/close"
    return post_form(client, url, {"meeting_note": note})


def _fresh(client: FlaskClient, app: Flask, auth: Auth) -> int:
    """The Atelier's direction closes this year's diagnostic and opens a new one."""
    auth.staff(DIRECTION)
    assert _close(client, _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)).status_code == 303
    response = post_form(client, "/staff/diagnostic", {"year": "2031"}, "/staff/diagnostic/open")
    assert response.status_code == 303
    return _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)


def _switch(client: FlaskClient, auth: Auth, email: str) -> None:
    client.post("/staff/signout", data={"csrf_token": csrf_from(client.get("/staff/account").text)})
    auth.staff(email)


def _worst(question: DiagnosticQuestion) -> str:
    return "3" if question.polarity == "risk" else "0"


# --- Opening ----------------------------------------------------------------------------


def test_one_open_diagnostic_at_a_time(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff(DIRECTION)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Diagnostic))
    response = post_form(client, "/staff/diagnostic", {"year": "2031"}, "/staff/diagnostic/open")
    assert response.status_code == 303
    assert "déjà ouvert" in page(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Diagnostic)) == before
    new_id = _fresh(client, app, auth)
    with app.app_context():
        made = db.session.get(Diagnostic, new_id)
        assert made is not None
        assert made.year == 2031
        assert made.opened_by_id == _staff_id(app, DIRECTION)
        assert made.grid_id == load_grid("fr").id


@pytest.mark.parametrize("year", ["", "1999", "2101", "abc"])
def test_a_bad_year_opens_nothing(app: Flask, client: FlaskClient, auth: Auth, year: str) -> None:
    auth.staff(OTHER_DIRECTION)
    recyclerie = _diagnostic(app, RECYCLERIE, DiagnosticStatus.OPEN)
    _close(client, recyclerie)
    response = post_form(client, "/staff/diagnostic", {"year": year}, "/staff/diagnostic/open")
    assert response.status_code == 400
    html = page(response)
    assert "Le formulaire a 1 erreur" in html
    expected = {
        "": "Écrivez une année.",
        "1999": "entre 2000 et 2100",
        "2101": "entre 2000 et 2100",
    }
    if year in expected:  # "abc": WTForms' own message, in French
        assert expected[year] in html
    assert 'id="year-error"' in html
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Diagnostic).where(Diagnostic.status == "OPEN")
            )
            == 1
        )  # the Atelier's only


# --- Answering --------------------------------------------------------------------------


def test_half_answered_is_kept_and_resumable(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(ENCADRANT)  # the demo's encadrant has not answered this year
    first = grid.axes[0]
    # The CIP answered; each answers on their own: nothing is ticked for the encadrant.
    html = page(client.get(_axis_url(diagnostic, first.id)))
    assert "checked" not in html
    question = first.questions[0]
    response = _answer_axis(client, diagnostic, first.id, {question.id: "2"})
    assert response.status_code == 303
    mine = _answers(app, diagnostic, ENCADRANT)
    assert mine[question.id] == (2, True)
    for other in first.questions[1:]:
        assert mine[other.id] == (None, False)  # kept as "not answered yet"
    # Back later: the answer is ticked, the rest is blank, and the summary says where to go on.
    html = client.get(_axis_url(diagnostic, first.id)).get_data(as_text=True)
    assert re.search(rf'name="q-{question.id}" value="2" checked', html)
    assert len(re.findall(r"checked", html)) == 1
    overview = page(client.get(f"/staff/diagnostic/{diagnostic}"))
    assert f"1 sur {len(first.questions)}" in overview
    first_incomplete = first if len(first.questions) > 1 else grid.axes[1]
    assert f"Continuer : {first_incomplete.title}" in overview
    # "Je ne sais pas" is an answer of its own, kept as such.
    _answer_axis(client, diagnostic, first.id, {question.id: "unknown"})
    assert _answers(app, diagnostic, ENCADRANT)[question.id] == (None, True)
    html = client.get(_axis_url(diagnostic, first.id)).get_data(as_text=True)
    assert re.search(rf'name="q-{question.id}" value="unknown" checked', html)


def test_saving_goes_on_to_the_next_axis(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(ENCADRANT)
    for axis, following in zip(grid.axes, [*grid.axes[1:], None], strict=True):
        values = {q.id: "1" for q in axis.questions}
        response = _answer_axis(client, diagnostic, axis.id, values, next="1")
        assert response.status_code == 303
        where = response.headers["Location"]
        if following is not None:
            assert where.endswith(_axis_url(diagnostic, following.id))
        else:
            assert where.endswith(f"/staff/diagnostic/{diagnostic}")
    mine = _answers(app, diagnostic, ENCADRANT)
    assert mine == {q.id: (1, True) for axis in grid.axes for q in axis.questions}
    overview = page(client.get(f"/staff/diagnostic/{diagnostic}"))
    assert overview.count("Complet") == len(grid.axes)


@pytest.mark.parametrize("bad", ["4", "-1", "1.0", "abc", "oui", "9" * 30])
def test_a_value_off_the_scale_is_a_400_and_saves_nothing(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid, bad: str
) -> None:
    diagnostic = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(ENCADRANT)
    axis = grid.axes[0]
    values = {q.id: "2" for q in axis.questions}
    values[axis.questions[-1].id] = bad
    response = _answer_axis(client, diagnostic, axis.id, values)
    assert response.status_code == 400
    assert "pas sur l'échelle" in page(response)
    assert _answers(app, diagnostic, ENCADRANT) == {}


def test_unknown_axis_is_404_and_no_csrf_is_400(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(CIP)
    assert client.get(_axis_url(diagnostic, "no-such-axis")).status_code == 404
    assert client.get("/staff/diagnostic/999999").status_code == 404
    axis = grid.axes[0]
    response = client.post(_axis_url(diagnostic, axis.id), data={f"q-{axis.questions[0].id}": "1"})
    assert response.status_code == 400


# --- The result -------------------------------------------------------------------------


def _expected_score(question: DiagnosticQuestion, values: list[int]) -> float:
    turned = [3 - v if question.polarity == "risk" else v for v in values]
    return sum(turned) / len(turned)


def test_result_shows_agreement_and_disagreement_per_question(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    """The demo's direction and CIP answered this year: each question's row says whether
    they agree, from the spread of their answers."""
    diagnostic = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    given: dict[str, list[int]] = {}
    for email in (DIRECTION, CIP):
        for qid, (value, answered) in _answers(app, diagnostic, email).items():
            if answered and value is not None:
                given.setdefault(qid, []).append(value)
    auth.staff(ENCADRANT)
    html = page(client.get(f"/staff/diagnostic/{diagnostic}/result"))
    rows = dict(re.findall(r'<tr data-question="([a-z0-9-]+)">(.*?)</tr>', html, flags=re.S))
    assert set(rows) == {q.id for axis in grid.axes for q in axis.questions}
    disagreements = 0
    for qid, row in rows.items():
        values = given.get(qid, [])
        if len(values) >= 2 and max(values) - min(values) >= 2:
            assert "Avis partagés" in row, qid
            disagreements += 1
        elif len(values) >= 2:
            assert "D'accord" in row, qid
        cells = re.findall(r"<td>(\d+)</td>", row)
        assert [int(c) for c in cells[:4]] == [values.count(v) for v in range(4)], qid
    assert disagreements > 0  # the demo gives the meeting something to discuss


def test_profile_is_an_svg_chart_and_a_table_with_the_same_figures(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _fresh(client, app, auth)
    # The direction answers 3 everywhere, the CIP 1: every question two steps apart.
    for email, value in ((DIRECTION, "3"), (CIP, "1")):
        _switch(client, auth, email)
        for axis in grid.axes:
            _answer_axis(client, diagnostic, axis.id, {q.id: value for q in axis.questions})
    response = client.get(f"/staff/diagnostic/{diagnostic}/result")
    assert response.status_code == 200
    html = page(response)
    assert html.count("Avis partagés") == sum(len(a.questions) for a in grid.axes)
    svg = re.search(r"<svg[^>]*role=\"img\".*?</svg>", html, flags=re.S)
    assert svg is not None
    assert "<script" not in html.split("<main", 1)[-1]
    table = re.search(r'<table class="progress-table" id="profile-table">(.*?)</table>', html, re.S)
    assert table is not None
    for axis in grid.axes:
        has = {q.polarity for q in axis.questions}
        row = re.search(rf"<th scope=\"row\">{re.escape(axis.title)}</th>(.*?)</tr>", table[1])
        assert row is not None, axis.id
        cells = re.findall(r"<td>([^<]*)</td>", row[1])
        # Resources and risks are the means as answered (2 each), "–" without such questions.
        assert cells[0] == ("2" if "resource" in has else "–"), axis.id
        assert cells[1] == ("2" if "risk" in has else "–"), axis.id
        score = sum(_expected_score(q, [3, 1]) for q in axis.questions) / len(axis.questions)
        assert cells[2] == format_decimal(round(score, 2), locale="fr"), axis.id
        assert axis.title in svg[0]
    # One pair of bars per axis, widths in proportion to the figures (2 of 3).
    widths = re.findall(r'<rect [^>]*width="([\d.]+)"', svg[0])
    assert len(widths) == 2 * len(grid.axes)


def test_weak_points_propose_the_catalogue_actions(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _fresh(client, app, auth)
    for axis in grid.axes:  # every point as weak as can be
        _answer_axis(client, diagnostic, axis.id, {q.id: _worst(q) for q in axis.questions})
    html = client.get(f"/staff/diagnostic/{diagnostic}/result").get_data(as_text=True)
    proposed = set(re.findall(r'data-proposed="([a-z0-9-]+)"', html))
    expected = {a for axis in grid.axes for q in axis.questions for a in q.actions}
    assert proposed == expected
    assert expected  # the grid maps weak points to actions
    # The plan's choice offers the proposed actions first.
    select = re.search(r'<select[^>]*name="action".*?</select>', html, flags=re.S)
    assert select is not None
    offered = re.findall(r'<option[^>]*value="([a-z0-9-]+)"', select[0])
    assert set(offered[: len(expected)]) == expected
    assert set(offered) == {a.id for a in grid.actions}


# --- The plan ---------------------------------------------------------------------------


def _plan_add(client: FlaskClient, diagnostic: int, **data: Any) -> Any:
    result = f"/staff/diagnostic/{diagnostic}/result"
    return post_form(client, result, data, f"/staff/diagnostic/{diagnostic}/plan")


def test_the_direction_plans_actions_with_owner_due_date_and_status(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _fresh(client, app, auth)
    action = grid.actions[0]
    cip = _staff_id(app, CIP)
    response = _plan_add(
        client, diagnostic, action=action.id, owner=cip, due_date="2031-06-30", status="doing"
    )
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(PlanAction).where(PlanAction.diagnostic_id == diagnostic))
        assert row is not None
        assert (row.action_id, row.owner_id, str(row.due_date), row.status) == (
            action.id,
            cip,
            "2031-06-30",
            PlanStatus.DOING,
        )
        plan_id = row.id
    html = page(client.get(f"/staff/diagnostic/{diagnostic}/result"))
    assert f'data-plan="{action.id}"' in html
    assert "Responsable : cip@atelier.example" in html
    assert "État : En cours" in html
    # The same action twice: refused, said so.
    again = _plan_add(client, diagnostic, action=action.id, owner=0, status="todo")
    assert "déjà dans le plan" in page(client.get(again.headers["Location"]))
    # Follow-up: done.
    update = f"/staff/diagnostic/{diagnostic}/plan/{plan_id}"
    data = {f"p{plan_id}-status": "done", f"p{plan_id}-owner": cip, f"p{plan_id}-note": "Fait"}
    result = f"/staff/diagnostic/{diagnostic}/result"
    assert post_form(client, result, data, update).status_code == 303
    with app.app_context():
        done = db.session.get(PlanAction, plan_id)
        assert done is not None
        assert (done.status, done.note, done.due_date) == (PlanStatus.DONE, "Fait", None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action", "no-such-action"),
        ("status", "finished"),
        ("due_date", "2031-13-45"),
        ("due_date", "9999-01-01"),
        ("owner", "abc"),
        ("owner", "999999"),
    ],
)
def test_bad_plan_input_is_a_400(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid, field: str, value: str
) -> None:
    diagnostic = _fresh(client, app, auth)
    data = {"action": grid.actions[0].id, "owner": "0", "status": "todo", field: value}
    response = _plan_add(client, diagnostic, **data)
    assert response.status_code == 400
    assert "n'a pas pu être enregistrée" in page(response)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(PlanAction)
                .where(PlanAction.diagnostic_id == diagnostic)
            )
            == 0
        )


def test_an_owner_from_another_structure_is_refused(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    """The select lists the structure's staff only: another structure's id is a 400 too."""
    diagnostic = _fresh(client, app, auth)
    other = _staff_id(app, OTHER_DIRECTION)
    response = _plan_add(client, diagnostic, action=grid.actions[0].id, owner=other, status="todo")
    assert response.status_code == 400


def test_indicators_fill_themselves_in(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    diagnostic = _fresh(client, app, auth)
    with_indicator = [a for a in grid.actions if a.indicator is not None]
    assert with_indicator
    for action in with_indicator:
        assert (
            _plan_add(client, diagnostic, action=action.id, owner=0, status="todo").status_code
            == 303
        )
    html = page(client.get(f"/staff/diagnostic/{diagnostic}/result"))
    with app.app_context():
        atelier = db.session.scalar(select(Structure.id).where(Structure.name == ATELIER))
        present = db.session.scalar(
            select(func.count())
            .select_from(Learner)
            .where(Learner.structure_id == atelier, Learner.archived.is_(False))
        )
        kiosks = db.session.scalar(
            select(func.count())
            .select_from(Kiosk)
            .where(Kiosk.structure_id == atelier, Kiosk.revoked_at.is_(None))
        )
    for action in with_indicator:
        block = re.search(rf'data-plan="{action.id}".*?</li>', html, flags=re.S)
        assert block is not None, action.id
        assert f'data-indicator="{action.indicator}"' in block[0], action.id
        if action.indicator == "module_completion":
            assert f"sur {present} ont terminé" in block[0], action.id
        if action.indicator == "kiosk_use":
            assert f"bornes sur {kiosks} ont servi" in block[0], action.id


# --- Closing ----------------------------------------------------------------------------


def test_a_closed_diagnostic_is_read_only(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    before = _answers(app, closed, DIRECTION)
    auth.staff(DIRECTION)
    axis = grid.axes[0]
    url = _axis_url(closed, axis.id)
    html = page(client.get(url))
    assert "Ce diagnostic est clos" in html
    assert "disabled" in html
    response = post_form(client, url, {f"q-{q.id}": "0" for q in axis.questions})
    assert response.status_code == 409
    assert "ne peuvent plus être modifiés" in page(response)
    assert _answers(app, closed, DIRECTION) == before
    result = f"/staff/diagnostic/{closed}/result"
    add = post_form(
        client,
        result,
        {"action": grid.actions[-1].id, "owner": "0", "status": "todo"},
        f"/staff/diagnostic/{closed}/plan",
    )
    assert add.status_code == 409
    assert client.get(f"/staff/diagnostic/{closed}/close").status_code == 409
    # The plan's follow-up goes on after the meeting.
    with app.app_context():
        plan = db.session.scalar(select(PlanAction).where(PlanAction.diagnostic_id == closed))
        assert plan is not None
        plan_id = plan.id
    data = {f"p{plan_id}-status": "done", f"p{plan_id}-owner": "0"}
    assert (
        post_form(client, result, data, f"/staff/diagnostic/{closed}/plan/{plan_id}").status_code
        == 303
    )


def test_closing_keeps_the_meeting_note(app: Flask, client: FlaskClient, auth: Auth) -> None:
    diagnostic = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(DIRECTION)
    assert "Clore le diagnostic" in page(client.get(f"/staff/diagnostic/{diagnostic}/close"))
    assert _close(client, diagnostic, "Borne partagée en priorité.").status_code == 303
    with app.app_context():
        closed = db.session.get(Diagnostic, diagnostic)
        assert closed is not None
        assert closed.status == DiagnosticStatus.CLOSED
        assert closed.closed_at is not None
    assert "Borne partagée en priorité." in page(
        client.get(f"/staff/diagnostic/{diagnostic}/result")
    )
    # A note too long to be a meeting's decisions: a 400, still open.
    reopened = post_form(client, "/staff/diagnostic", {"year": "2032"}, "/staff/diagnostic/open")
    new_id = int(reopened.headers["Location"].rsplit("/", 1)[-1])
    assert _close(client, new_id, "x" * 4001).status_code == 400
    with app.app_context():
        still = db.session.get(Diagnostic, new_id)
        assert still is not None
        assert still.is_open


# --- Over time --------------------------------------------------------------------------


def _axis_scores(app: Flask, diagnostic: int, grid: DiagnosticGrid) -> dict[str, float | None]:
    with app.app_context():
        rows = db.session.scalars(
            select(DiagnosticAnswer).where(
                DiagnosticAnswer.diagnostic_id == diagnostic,
                DiagnosticAnswer.answered.is_(True),
                DiagnosticAnswer.value.is_not(None),
            )
        ).all()
        values: dict[str, list[int]] = {}
        for r in rows:
            assert r.value is not None
            values.setdefault(r.question_id, []).append(r.value)
    out: dict[str, float | None] = {}
    for axis in grid.axes:
        means = [_expected_score(q, values[q.id]) for q in axis.questions if q.id in values]
        out[axis.id] = round(sum(means) / len(means), 2) if means else None
    return out


def test_this_year_is_compared_with_the_last_closed_one(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    now_id = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    before_id = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    now, before = _axis_scores(app, now_id, grid), _axis_scores(app, before_id, grid)
    auth.staff(DIRECTION)
    html = page(client.get(f"/staff/diagnostic/{now_id}/result"))
    with app.app_context():
        last = db.session.get(Diagnostic, before_id)
        assert last is not None
        assert f'<th scope="col">Diagnostic {last.year}</th>' in html
    changed = 0
    for axis in grid.axes:
        cell = re.search(rf'<td data-delta="{axis.id}">([^<]*)</td>', html)
        assert cell is not None, axis.id
        a, b = now[axis.id], before[axis.id]
        if a is None or b is None:
            assert cell[1] == "–"
            continue
        delta = round(a - b, 2)
        sign = "+" if delta > 0 else ""
        assert cell[1] == sign + format_decimal(delta, locale="fr"), axis.id
        changed += delta != 0
    assert changed  # the demo's two years differ
    # Plan progress of last year's plan shown on its result page.
    last_html = page(client.get(f"/staff/diagnostic/{before_id}/result"))
    with app.app_context():
        plan = list(
            db.session.execute(
                select(PlanAction.status, PlanAction.due_date).where(
                    PlanAction.diagnostic_id == before_id
                )
            )
        )
    statuses = [status for status, _due in plan]
    done = statuses.count(PlanStatus.DONE)
    doing = statuses.count(PlanStatus.DOING)
    todo = statuses.count(PlanStatus.TODO)
    assert f"Faites : {done}, en cours : {doing}, à faire : {todo}." in last_html
    # And over the years, on the list of diagnostics, with the actions not done whose day is
    # past. The demo's action "en cours" is due on the day the demo was loaded: late for a
    # run that crosses midnight in Paris (seen at 00:06), so the test counts them itself.
    before_day = today()
    home = page(client.get("/staff/diagnostic"))
    cell = re.search(rf'<td data-plan-progress="{before_id}">(.*?)</td>', home)
    assert cell is not None
    expected = set()
    for day in (before_day, today()):  # midnight may pass during the request
        late = sum(1 for status, due in plan if status != PlanStatus.DONE and due and due < day)
        expected.add(
            f"Plan d'action : Faites : {done} sur {len(plan)}"
            + (f" {late} en retard" if late else "")
        )
    assert re.sub(r"<[^>]+>", "", cell[1]) in expected


# --- Files ------------------------------------------------------------------------------


def test_pdf_opens_with_the_result_and_the_plan(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    auth.staff(DIRECTION)
    response = client.get(f"/staff/diagnostic/{closed}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    assert grid.title in flat
    assert "Plan d'action" in flat
    assert "Atelier Démo" in flat
    for axis in grid.axes:
        assert axis.title.split()[0] in flat, axis.id


def test_xlsx_opens_with_three_sheets_of_numbers(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    auth.staff(DIRECTION)
    response = client.get(f"/staff/diagnostic/{closed}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Profil", "Questions", "Plan"]
    profile = list(book["Profil"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in profile] == [a.title for a in grid.axes]
    scores = _axis_scores(app, closed, grid)
    for row, axis in zip(profile, grid.axes, strict=True):
        assert row[3] == scores[axis.id], axis.id
    questions = list(book["Questions"].iter_rows(min_row=2, values_only=True))
    assert len(questions) == sum(len(a.questions) for a in grid.axes)
    assert all(isinstance(v, int) for r in questions for v in r[2:6])
    with app.app_context():
        plan = db.session.scalars(
            select(PlanAction).where(PlanAction.diagnostic_id == closed).order_by(PlanAction.id)
        ).all()
        titles = {grid.action(p.action_id).title for p in plan}
    plan_rows = list(book["Plan"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in plan_rows} == titles
    assert {r[3] for r in plan_rows} <= {"À faire", "En cours", "Fait"}


def test_xlsx_opens_in_libreoffice(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    soffice: list[str],  # noqa: F811 - the fixture imported from test_reports
    tmp_path: Path,
) -> None:
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    auth.staff(DIRECTION)
    (tmp_path / "diagnostic.xlsx").write_bytes(
        client.get(f"/staff/diagnostic/{closed}/report.xlsx").data
    )
    book = load_workbook(_convert(soffice, tmp_path / "diagnostic.xlsx"))
    assert book.sheetnames == ["Profil", "Questions", "Plan"]
    assert book["Questions"].cell(row=2, column=3).data_type == "n"


# --- Who sees what ----------------------------------------------------------------------


@pytest.mark.parametrize("email", [OTHER_DIRECTION, "cip@recyclerie.example"])
def test_another_structure_gets_404(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid, email: str
) -> None:
    open_id = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    with app.app_context():
        plan = db.session.scalar(select(PlanAction.id).where(PlanAction.diagnostic_id == closed))
    auth.staff(email)
    token = csrf_from(client.get("/staff/diagnostic").get_data(as_text=True))
    for path in (
        f"/staff/diagnostic/{open_id}",
        f"/staff/diagnostic/{open_id}/result",
        _axis_url(open_id, grid.axes[0].id),
        f"/staff/diagnostic/{closed}/result",
    ):
        assert client.get(path).status_code == 404, path
    posted = client.post(
        _axis_url(open_id, grid.axes[0].id),
        data={"csrf_token": token, f"q-{grid.axes[0].questions[0].id}": "3"},
    )
    assert posted.status_code == 404
    assert _answers(app, open_id, email) == {}
    if email == OTHER_DIRECTION:
        for path in (
            f"/staff/diagnostic/{closed}/report.pdf",
            f"/staff/diagnostic/{closed}/close",
        ):
            assert client.get(path).status_code == 404, path
        upd = client.post(f"/staff/diagnostic/{closed}/plan/{plan}", data={"csrf_token": token})
        assert upd.status_code == 404
    # And the home lists only one's own diagnostics.
    assert f"/staff/diagnostic/{closed}/result" not in client.get("/staff/diagnostic").text


def test_a_plan_action_of_another_diagnostic_is_404(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    open_id = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    with app.app_context():
        plan = db.session.scalar(select(PlanAction.id).where(PlanAction.diagnostic_id == closed))
    auth.staff(DIRECTION)
    token = csrf_from(client.get("/staff/diagnostic").get_data(as_text=True))
    assert (
        client.post(
            f"/staff/diagnostic/{open_id}/plan/{plan}", data={"csrf_token": token}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("email", [CIP, ENCADRANT])
def test_cip_and_encadrant_answer_but_do_not_run_it(
    app: Flask, client: FlaskClient, auth: Auth, email: str
) -> None:
    open_id = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(email)
    assert client.get("/staff/diagnostic").status_code == 200
    assert client.get(f"/staff/diagnostic/{open_id}/result").status_code == 200
    html = page(client.get(f"/staff/diagnostic/{open_id}/result"))
    assert "Clore après la réunion" not in html
    assert "Ajouter une action au plan" not in html
    token = csrf_from(client.get("/staff/diagnostic").get_data(as_text=True))
    for path in (f"/staff/diagnostic/{open_id}/close", f"/staff/diagnostic/{open_id}/report.xlsx"):
        assert client.get(path).status_code == 403, path
    for path in (
        "/staff/diagnostic/open",
        "/staff/diagnostic/sharing",
        f"/staff/diagnostic/{open_id}/plan",
    ):
        assert client.post(path, data={"csrf_token": token, "year": "2031"}).status_code == 403
    assert client.get("/admin/territory").status_code == 403


def test_the_platform_admin_has_no_structure_diagnostic(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    open_id = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff("admin@compagnon.example")
    assert client.get("/staff/diagnostic").status_code == 403
    assert client.get(f"/staff/diagnostic/{open_id}/result").status_code == 403
    assert client.get("/admin/territory").status_code == 200


# --- The territory ----------------------------------------------------------------------


def _share(client: FlaskClient, auth: Auth, email: str, visible: bool) -> None:
    _switch(client, auth, email)
    data = {"share_results": "y", **({"visible_to_peers": "y"} if visible else {})}
    response = post_form(client, "/staff/diagnostic", data, "/staff/diagnostic/sharing")
    assert response.status_code == 303


def test_the_territory_shows_nothing_below_the_threshold(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff(DIRECTION)
    _share(client, auth, DIRECTION, visible=False)
    _share(client, auth, OTHER_DIRECTION, visible=False)
    _close(client, _diagnostic(app, RECYCLERIE, DiagnosticStatus.OPEN))
    _switch(client, auth, "admin@compagnon.example")
    html = page(client.get("/admin/territory"))
    assert "moins de 5 structures" in html
    assert 'id="distribution"' not in html
    assert "Besoins les plus fréquents" not in html


@pytest.fixture
def k2_app(db_path: Path) -> Iterator[Flask]:
    made = make_app(db_path, DIAGNOSTIC_K_ANONYMITY=2)
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def test_at_the_threshold_the_territory_shows_anonymous_figures(
    k2_app: Flask, grid: DiagnosticGrid
) -> None:
    client = k2_app.test_client()
    auth = Auth(client)
    auth.staff(DIRECTION)
    _share(client, auth, DIRECTION, visible=False)
    _switch(client, auth, "admin@compagnon.example")
    assert "moins de 2 structures" in page(client.get("/admin/territory"))
    _share(client, auth, OTHER_DIRECTION, visible=False)
    _close(client, _diagnostic(k2_app, RECYCLERIE, DiagnosticStatus.OPEN))
    _switch(client, auth, "admin@compagnon.example")
    html = page(client.get("/admin/territory"))
    assert "2 structures partagent leur diagnostic." in html
    table = re.search(r'<table class="progress-table" id="distribution">(.*?)</table>', html, re.S)
    assert table is not None
    for axis in grid.axes:
        row = re.search(rf"<th scope=\"row\">{re.escape(axis.title)}</th>(.*?)</tr>", table[1])
        assert row is not None
        bands = [int(n) for n in re.findall(r"<td>(\d+)</td>", row[1])[:4]]
        assert sum(bands) <= 2
    # Never a name: no structure, no staff member.
    for name in (ATELIER, RECYCLERIE, "@atelier.example", "@recyclerie.example"):
        assert name not in html
    with k2_app.app_context():
        chosen = set(db.session.scalars(select(PlanAction.action_id)))
    assert any(grid.action(a).title in html for a in chosen)


def test_visible_needs_shared_results(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff(DIRECTION)
    response = post_form(
        client, "/staff/diagnostic", {"visible_to_peers": "y"}, "/staff/diagnostic/sharing"
    )
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(select(DiagnosticSharing))
        assert row is not None
        assert (row.share_results, row.visible_to_peers) == (False, False)


def test_structures_with_the_same_action_see_each_other_when_both_agree(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    closed = _diagnostic(app, ATELIER, DiagnosticStatus.CLOSED)
    with app.app_context():
        shared_action = db.session.scalar(
            select(PlanAction.action_id).where(PlanAction.diagnostic_id == closed)
        )
    recyclerie = _diagnostic(app, RECYCLERIE, DiagnosticStatus.OPEN)
    auth.staff(OTHER_DIRECTION)
    assert (
        _plan_add(client, recyclerie, action=shared_action, owner=0, status="todo").status_code
        == 303
    )
    _share(client, auth, DIRECTION, visible=True)
    assert RECYCLERIE not in page(client.get("/staff/diagnostic"))  # the Recyclerie did not agree
    _share(client, auth, OTHER_DIRECTION, visible=True)
    assert (
        ATELIER in page(client.get("/staff/diagnostic")).split("Structures qui ont choisi", 1)[-1]
    )
    _switch(client, auth, DIRECTION)
    assert RECYCLERIE in page(client.get("/staff/diagnostic"))
    _switch(client, auth, CIP)
    assert RECYCLERIE not in page(client.get("/staff/diagnostic"))


def test_arabic_pdf_opens_and_the_chart_reads_right_to_left(
    app: Flask, client: FlaskClient, auth: Auth, grid: DiagnosticGrid
) -> None:
    open_id = _diagnostic(app, ATELIER, DiagnosticStatus.OPEN)
    auth.staff(DIRECTION)
    response = client.get(f"/staff/diagnostic/{open_id}/report.pdf?lang=ar")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 1
    assert reader.metadata is not None
    assert reader.metadata.title == load_grid("ar").title
    html = client.get(f"/staff/diagnostic/{open_id}/result?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    svg = re.search(r"<svg.*?</svg>", html, flags=re.S)
    assert svg is not None
    width = float(re.findall(r'viewBox="0 0 ([\d.]+)', svg[0])[0])
    # Every bar ends at the right edge: it grows from the reading side.
    for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg[0]):
        assert abs(float(x) + float(w) - width) < 0.01
