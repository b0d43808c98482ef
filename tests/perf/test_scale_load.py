"""seed-scale's fast path: the progress line, and what the bulk load (COPY on PostgreSQL,
executemany on SQLite, one transaction) leaves in the database — exact counts, valid keys,
realistic answers, pages that open — or, when it fails, leaves nothing at all."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, text

from companion import catalogue
from companion.cli.scale import PHASES, ProgressLine
from companion.extensions import db
from companion.models import (
    Learner,
    Progress,
    ProgressEvent,
    StaffUser,
    StepStatus,
    Structure,
    Team,
)
from companion.services import scale
from companion.services.scale import SCALE_PASSWORD, SCALE_PIN, ScaleReport
from tests.conftest import ENGINE, Auth, page

BAR = re.compile(
    r"seed-scale \[(#*)(\.*)\] (\d+)/(\d+) structures, ([\d,]+) learners, ([\d,]+) events"
)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _walk(line: ProgressLine, total: int, phases: tuple[str, ...]) -> None:
    """Call the progress line as seed_scale does: after each structure, then per phase."""
    report = ScaleReport(total=total)
    for _ in range(total):
        report.structures += 1
        report.learners += 100
        report.events += 10_000
        line(report, total)
    for phase in phases:
        report.phase = phase
        line(report, total)


def test_progress_line_in_a_log_is_one_line_per_tenth_then_one_per_phase() -> None:
    out = io.StringIO()
    _walk(ProgressLine(out), 350, ("indexes", "commit", "statistics"))
    lines = out.getvalue().splitlines()
    bars = [BAR.match(x) for x in lines[:-3]]
    assert all(bars), lines
    # 1/350 (tenth 0), then the first structure of each tenth, then 350/350: 11 lines.
    assert [int(m[3]) for m in bars if m] == [1, 35, 70, 105, 140, 175, 210, 245, 280, 315, 350]
    for m in bars:
        assert m is not None
        assert len(m[1]) + len(m[2]) == 30
        assert len(m[1]) == 30 * int(m[3]) // 350
        assert int(m[5].replace(",", "")) == 100 * int(m[3])
        assert int(m[6].replace(",", "")) == 10_000 * int(m[3])
    assert "about" in lines[0]
    assert lines[10].startswith("seed-scale [" + "#" * 30 + "] 350/350 structures")
    assert "left" not in lines[10]
    assert lines[-3:] == [
        f"seed-scale: {PHASES[p]}, 0 s so far" for p in ("indexes", "commit", "statistics")
    ]
    assert "\r" not in out.getvalue()


def test_progress_line_on_a_terminal_redraws_one_line() -> None:
    out = _Terminal()
    _walk(ProgressLine(out), 4, ("commit",))
    value = out.getvalue()
    # Four drawings of the same line, a line feed only after the last one, then the phase.
    assert value.count("\r") == 4
    drawn, phase = value.rsplit("\n", 2)[0], value.splitlines()[-1]
    assert [int(m[3]) for m in BAR.finditer(drawn)] == [1, 2, 3, 4]
    assert "\n" not in drawn
    assert phase == f"seed-scale: {PHASES['commit']}, 0 s so far"


def test_the_command_shows_the_bar_the_phases_and_their_times(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scale, "BULK_MIN_EVENTS", 0)
    # PostgreSQL's estimate of the demo's events depends on when it last analysed the table:
    # the load is taken as larger than what is there, so that the bulk phases run.
    monkeypatch.setattr(scale, "_existing_events", lambda: 0)
    args = ["seed-scale", "--structures", "2", "--learners", "3", "--events", "4"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "seed-scale [" + "#" * 30 + "] 2/2 structures, 6 learners, 24 events" in result.output
    assert f"seed-scale: {PHASES['commit']}" in result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("2 structures, 6 learners, 24 progress rows, 24 events in ")
    assert re.search(r"\(rows [\d.]+ s, .*commit [\d.]+ s", summary), summary
    if ENGINE == "postgresql":
        # The big tables' constraints came off for the load and went back on.
        assert f"seed-scale: {PHASES['indexes']}" in result.output
        assert f"seed-scale: {PHASES['statistics']}" in result.output
        assert "indexes " in summary
    quiet = runner.invoke(args=[*args, "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert "seed-scale" not in quiet.output
    assert quiet.output.startswith("2 structures, 6 learners")


STRUCTURES, LEARNERS, EVENTS = 3, 12, 130


def _count(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_the_bulk_load_gives_exact_counts_valid_keys_and_realistic_answers(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On PostgreSQL, through the path a full-size load takes: constraints off, COPY, back on.
    monkeypatch.setattr(scale, "BULK_MIN_EVENTS", 0)
    with app.app_context():
        before = {m: _count(m) for m in (Structure, Team, StaffUser, Learner)}
        events_before, progress_before = _count(ProgressEvent), _count(Progress)
        n_steps = sum(len(m.steps) for m in catalogue.modules().values())
        module = next(iter(catalogue.modules()))
        db.session.remove()
    assert n_steps < EVENTS  # so that learners go round the steps again
    started = datetime.now(UTC)
    result = runner.invoke(
        args=["seed-scale", "--structures", str(STRUCTURES), "--learners", str(LEARNERS),
              "--events", str(EVENTS), "--quiet"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    learners, events = STRUCTURES * LEARNERS, STRUCTURES * LEARNERS * EVENTS
    with app.app_context():
        assert _count(Structure) - before[Structure] == STRUCTURES
        assert _count(Team) - before[Team] == 2 * STRUCTURES
        assert _count(StaffUser) - before[StaffUser] == STRUCTURES
        assert _count(Learner) - before[Learner] == learners
        assert _count(ProgressEvent) - events_before == events
        # One progress row per step reached: every step, since EVENTS > n_steps.
        assert _count(Progress) - progress_before == learners * n_steps
        # Keys: no event or progress row without its learner; no submission key twice; one
        # progress row per (learner, module, step).
        for table in ("progress_event", "progress"):
            orphans = db.session.scalar(
                text(
                    f"SELECT COUNT(*) FROM {table} t LEFT JOIN learner l ON l.id = t.learner_id "  # noqa: S608
                    "WHERE l.id IS NULL"
                )
            )
            assert orphans == 0
        assert db.session.scalar(
            select(func.count(func.distinct(ProgressEvent.submission_key)))
        ) == _count(ProgressEvent)
        assert (
            db.session.scalar(
                text(
                    "SELECT COUNT(*) FROM (SELECT learner_id, module_id, step_id FROM progress "
                    "GROUP BY learner_id, module_id, step_id HAVING COUNT(*) > 1) AS twice"
                )
            )
            == 0
        )
        scaled = select(Learner.id).join(Structure).where(Structure.name.like("Échelle%"))
        rows = db.session.execute(
            select(ProgressEvent.correct, ProgressEvent.outcome, ProgressEvent.created_at).where(
                ProgressEvent.learner_id.in_(scaled)
            )
        ).all()
        assert len(rows) == events
        outcomes = {(c, o) for c, o, _at in rows}
        assert outcomes == {(True, "right"), (False, "wrong"), (None, "seen")}
        practice = [c for c, _o, _at in rows if c is not None]
        assert 0.7 < sum(practice) / len(practice) < 0.9
        moments = [at for _c, _o, at in rows]
        assert all(at.tzinfo is not None for at in moments)
        assert min(moments) >= started - timedelta(days=90, minutes=1)
        assert max(moments) <= started + timedelta(seconds=240 * EVENTS)
        # Progress: the ORM reads the rows back as its own (enum, aware datetimes).
        first = db.session.scalar(scaled.order_by(Learner.id).limit(1))
        progress = db.session.scalars(select(Progress).where(Progress.learner_id == first)).all()
        assert len(progress) == n_steps
        assert {(p.status, p.tries) for p in progress} <= {
            (StepStatus.PASSED, 1),
            (StepStatus.SEEN, 0),
        }
        assert all(20 <= p.time_spent_seconds <= 240 for p in progress)
        assert all(p.completed_at == p.updated_at for p in progress)
        cip = db.session.scalar(
            select(StaffUser.email)
            .join(Learner, Learner.structure_id == StaffUser.structure_id)
            .where(Learner.id == first)
        )
        token = db.session.scalar(select(Learner.signin_token).where(Learner.id == first))
        db.session.remove()
    assert cip is not None
    assert token is not None
    _pages_open(app, cip, first, token, module)


def _pages_open(app: Flask, cip: str, learner_id: int | None, token: str, module: str) -> None:
    """The CIP's pages and the learner's on the seeded data."""
    staff = app.test_client()
    assert Auth(staff).staff(cip, SCALE_PASSWORD).status_code == 302
    assert staff.get("/staff/", follow_redirects=True).status_code == 200
    assert page(staff.get("/staff/learners")).count("<tr") >= LEARNERS
    for url in (
        f"/staff/learners/{learner_id}",
        f"/staff/learners/{learner_id}/data",
        "/staff/bilan",
        "/staff/export",
    ):
        assert staff.get(url).status_code == 200, url
    export = staff.get("/staff/export.xlsx")
    assert export.status_code == 200
    assert export.data[:2] == b"PK"
    learner = app.test_client()
    assert Auth(learner).learner_link(f"/s/{token}", SCALE_PIN).status_code == 302
    assert learner.get("/learn/").status_code == 200
    assert learner.get(f"/learn/modules/{module}/", follow_redirects=True).status_code == 200


def _schema(app: Flask) -> set[tuple[str, ...]]:
    with app.app_context():
        if ENGINE == "postgresql":
            rows = db.session.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                    "conrelid::regclass::text IN ('progress', 'progress_event') UNION "
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE tablename IN ('progress', 'progress_event')"
                )
            ).all()
        else:
            rows = db.session.execute(
                text(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE tbl_name IN ('progress', 'progress_event')"
                )
            ).all()
        db.session.remove()
    return {tuple(str(v) for v in row) for row in rows}


def test_a_failed_load_leaves_nothing_not_even_missing_constraints(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction: the constraints dropped for the load and the rows of the structures
    already done go away with the failure."""
    monkeypatch.setattr(scale, "BULK_MIN_EVENTS", 0)
    schema = _schema(app)
    with app.app_context():
        counts = [_count(m) for m in (Structure, Learner, ProgressEvent, Progress)]
        db.session.remove()
    real = scale.add_learners
    calls: list[int] = []

    def fail_on_the_third(*args: Any, **kwargs: Any) -> tuple[int, int, int]:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(scale, "add_learners", fail_on_the_third)
    result = runner.invoke(args=["seed-scale", "--structures", "4", "--learners", "5"])
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert "2/4 structures" in result.output  # two were done before the failure
    assert _schema(app) == schema
    with app.app_context():
        assert [_count(m) for m in (Structure, Learner, ProgressEvent, Progress)] == counts
        db.session.remove()
    # And the next load works on the schema left behind.
    monkeypatch.setattr(scale, "add_learners", real)
    again = runner.invoke(args=["seed-scale", "--structures", "1", "--learners", "5", "--quiet"])
    assert again.exit_code == 0, again.output
    assert _schema(app) == schema
