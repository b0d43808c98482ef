"""`flask purge`: archived learners' named data erased after retention, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from companion.extensions import db
from companion.models import (
    AuditAction,
    AuditEvent,
    Learner,
    Note,
    Progress,
    ProgressEvent,
    Structure,
)
from companion.services import privacy
from companion.services.accounts import check_pin, learner_by_token

ARCHIVED_AT = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)


def _learner(first_name: str) -> Learner:
    learner = db.session.scalar(select(Learner).where(Learner.first_name == first_name))
    assert learner is not None
    return learner


def _count(column: InstrumentedAttribute[int], learner_id: int) -> int:
    """Rows of the column's table that belong to the learner."""
    query = select(func.count()).select_from(column.class_).where(column == learner_id)
    return db.session.execute(query).scalar_one()


def _archive(learner: Learner, when: datetime = ARCHIVED_AT) -> None:
    learner.archived = True
    learner.archived_at = when
    db.session.commit()


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert privacy.add_months(datetime(2025, 1, 31, tzinfo=UTC), 1) == datetime(
        2025, 2, 28, tzinfo=UTC
    )
    assert privacy.add_months(datetime(2025, 11, 5, tzinfo=UTC), 24) == datetime(
        2027, 11, 5, tzinfo=UTC
    )


def test_nothing_is_erased_before_the_retention_period_ends(ctx: None) -> None:
    chloe = _learner("Chloé")
    _archive(chloe)
    report = privacy.purge(now=datetime(2027, 1, 15, 9, 29, tzinfo=UTC))  # 24 months - 1 min
    assert report.erased == []
    assert report.waiting == 1
    assert _learner("Chloé").id == chloe.id


def test_purge_erases_named_data_and_keeps_anonymous_progress(ctx: None) -> None:
    chloe = _learner("Chloé")
    chloe_id, old_token, team_id = chloe.id, chloe.signin_token, chloe.team_id
    progress_before = _count(Progress.learner_id, chloe_id)
    assert progress_before > 0, "the demo gives Chloé a finished module"
    assert _count(ProgressEvent.learner_id, chloe_id) > 0
    db.session.add(Note(structure_id=chloe.structure_id, learner_id=chloe_id, body="Chloé B."))
    _archive(chloe)

    report = privacy.purge(now=datetime(2027, 1, 15, 9, 30, tzinfo=UTC))

    assert [e.learner_id for e in report.erased] == [chloe_id]
    db.session.expire_all()
    erased = db.session.get(Learner, chloe_id)
    assert erased is not None
    assert erased.first_name == f"Anonyme {chloe_id}"
    assert erased.initial == ""
    assert privacy.is_erased(erased)
    assert erased.team_id == team_id  # aggregates by team still count this person
    assert db.session.scalar(select(Learner).where(Learner.first_name == "Chloé")) is None
    assert _count(Note.learner_id, chloe_id) == 0
    assert _count(ProgressEvent.learner_id, chloe_id) == 0
    assert _count(Progress.learner_id, chloe_id) == progress_before
    for row in db.session.scalars(select(Progress).where(Progress.learner_id == chloe_id)):
        assert row.started_at.day == 1
        assert row.started_at.hour == 0
        assert row.completed_at is None or row.completed_at.day == 1
    # The old card and PIN open nothing.
    assert learner_by_token(old_token) is None
    assert not check_pin(erased, "3690").ok
    # Recorded, by nobody (the cron job), with no name in the detail.
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.learner_id == chloe_id, AuditEvent.action == AuditAction.ERASED
        )
    )
    assert event is not None
    assert event.actor_id is None
    assert "Chloé" not in event.detail
    # Learners who are not archived are untouched.
    assert not _learner("Amina").archived


def test_purge_is_idempotent(ctx: None) -> None:
    _archive(_learner("Chloé"))
    now = datetime(2030, 6, 1, tzinfo=UTC)
    assert len(privacy.purge(now=now).erased) == 1
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    again = privacy.purge(now=now)
    assert again.erased == []
    assert again.waiting == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_each_structure_keeps_its_own_retention_period(ctx: None) -> None:
    amina, diallo = _learner("Amina"), _learner("Diallo")
    assert amina.structure_id != diallo.structure_id
    atelier = db.session.get(Structure, amina.structure_id)
    assert atelier is not None
    atelier.retention_months = 6
    _archive(amina)
    _archive(diallo)  # Recyclerie: the default 24 months
    report = privacy.purge(now=datetime(2025, 7, 16, tzinfo=UTC))
    assert [e.learner_id for e in report.erased] == [amina.id]
    assert report.waiting == 1
    assert _learner("Diallo").archived


def test_archiving_records_the_date(ctx: None) -> None:
    from companion.models import StaffUser
    from companion.services import learners

    cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
    assert cip is not None
    bruno = _learner("Bruno")
    learners.archive(cip, bruno)
    assert bruno.archived_at is not None
    assert (datetime.now(UTC) - bruno.archived_at).total_seconds() < 60


def test_purge_command_prints_what_it_did_and_runs_twice(
    runner: FlaskCliRunner, app: Flask
) -> None:
    with app.app_context():
        _archive(_learner("Chloé"))
        db.session.remove()
    first = runner.invoke(args=["purge", "--now", "2027-02-01T00:00:00"])
    assert first.exit_code == 0, first.output
    assert "1 learner(s) erased" in first.output
    assert "note(s)" in first.output
    second = runner.invoke(args=["purge", "--now", "2027-02-01T00:00:00"])
    assert second.exit_code == 0, second.output
    assert "Nothing to erase." in second.output
    assert "0 learner(s) erased" in second.output
