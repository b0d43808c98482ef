"""The demo loader: the identities the README promises, loaded idempotently."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from companion.extensions import db
from companion.models import Learner, Progress, ProgressEvent, StaffUser, Structure, Team


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Structure, Team, StaffUser, Learner, Progress, ProgressEvent)
    )


def test_demo_twice_changes_nothing(ctx: None, runner: FlaskCliRunner) -> None:
    before = _counts()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert _counts() == before
    assert before[:4] == (2, 2, 6, 4)  # each structure has a direction
    assert before[4] > 0  # Chloé has a history


def test_demo_json_lists_the_accounts(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["staff_signin_path"] == "/staff/signin"
    emails = {s["email"]: s for s in data["staff"]}
    assert set(emails) == {
        "cip@atelier.example",
        "encadrant@atelier.example",
        "direction@atelier.example",
        "cip@recyclerie.example",
        "direction@recyclerie.example",
        "admin@compagnon.example",
    }
    assert all(s["password"] == "Demo-Compagnon-2026" for s in data["staff"])
    assert emails["admin@compagnon.example"]["structure"] is None
    learners = {entry["name"]: entry for entry in data["learners"]}
    assert {n: entry["pin"] for n, entry in learners.items()} == {
        "Amina": "2580",
        "Bruno": "1357",
        "Chloé": "3690",
        "Diallo": "4826",
    }
    assert learners["Diallo"]["structure"] == "Recyclerie Démo"
    assert all(entry["signin_path"].startswith("/s/") for entry in learners.values())
