"""seed-scale: bulk rows the app reads back like its own, learners who can sign in."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from companion.extensions import db
from companion.models import Learner, Progress, ProgressEvent, StaffUser, Structure
from companion.services import scale
from companion.services.scale import SCALE_PASSWORD, SCALE_PIN
from tests.conftest import ENGINE, Auth, csrf_from, page


def test_seed_scale_adds_usable_structures_learners_and_history(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(
        args=["seed-scale", "--structures", "2", "--learners", "30", "--events", "15"]
    )
    assert result.exit_code == 0, result.output
    assert "2 structures, 60 learners" in result.output
    with app.app_context():
        structures = db.session.scalars(
            select(Structure).where(Structure.name.like("Échelle%")).order_by(Structure.name)
        ).all()
        assert [s.name for s in structures] == ["Échelle 0001", "Échelle 0002"]
        learners = db.session.scalars(
            select(Learner).where(Learner.structure_id == structures[0].id)
        ).all()
        assert len(learners) == 30
        assert len({(x.first_name, x.initial) for x in learners}) == 30
        events = db.session.scalar(select(func.count()).select_from(ProgressEvent))
        assert events is not None
        assert events >= 60 * 15
        # The ORM reads the bulk rows back: enum names, aware datetimes.
        rows = db.session.scalars(
            select(Progress).where(Progress.learner_id == learners[0].id)
        ).all()
        assert rows
        assert all(r.status is not None and r.updated_at.tzinfo is not None for r in rows)
        # One argon2 hash for everyone, not one per learner.
        assert len({x.pin_hash for x in learners}) == 1
        token = learners[0].signin_token
        cip = db.session.scalar(
            select(StaffUser.email).where(StaffUser.structure_id == structures[0].id)
        )
        db.session.remove()

    learner = app.test_client()
    form = page(learner.get(f"/s/{token}"))
    response = learner.post(f"/s/{token}", data={"pin": SCALE_PIN, "csrf_token": csrf_from(form)})
    assert response.status_code == 302
    home = learner.get("/learn/")
    assert home.status_code == 200

    staff = app.test_client()
    assert cip is not None
    assert Auth(staff).staff(cip, SCALE_PASSWORD).status_code == 302
    learners_page = page(staff.get("/staff/learners"))
    assert learners_page.count("<tr") >= 30


def _schema(app: Flask) -> set[tuple[str, str, str]]:
    """Every constraint and index of the two big tables, with its definition."""
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text IN ('progress', "
                "'progress_event') UNION SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE tablename IN ('progress', 'progress_event')"
            )
        ).all()
        db.session.remove()
    return {(str(a), str(b), str(c)) for a, b, c in rows}


def test_a_large_load_puts_back_every_constraint_and_index(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL drops the big tables' constraints and plain indexes for a large load and
    builds them again (services/scale.py): afterwards the schema is exactly as before, the
    checks hold (a duplicate submission is refused), and the progress line was written."""
    if ENGINE != "postgresql":
        # SQLite has no such step: the same load, and the same schema, plainly.
        result = runner.invoke(args=["seed-scale", "--structures", "1", "--learners", "5"])
        assert result.exit_code == 0, result.output
        assert "1/1 structures" in result.output
        return
    before = _schema(app)
    assert any(name == "uq_progress_event_submission_key" for _t, name, _d in before)
    assert any(name == "ix_progress_event_learner_created" for _t, name, _d in before)
    monkeypatch.setattr(scale, "BULK_MIN_EVENTS", 0)
    result = runner.invoke(args=["seed-scale", "--structures", "2", "--learners", "5"])
    assert result.exit_code == 0, result.output
    assert "2/2 structures" in result.output
    assert _schema(app) == before
    with app.app_context():
        key = db.session.scalar(select(ProgressEvent.submission_key).limit(1))
        learner_id = db.session.scalar(select(ProgressEvent.learner_id).limit(1))
        with pytest.raises(IntegrityError):
            db.session.execute(
                text(
                    "INSERT INTO progress_event (learner_id, module_id, step_id, "
                    "submission_key, outcome, created_at) VALUES (:l, 'm', 's', :k, 'seen', "
                    "now())"
                ),
                {"l": learner_id, "k": key},
            )
        db.session.rollback()
        db.session.remove()
