"""The four "À suivre" rules, each on a fixed clock, and the password rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, select

from companion import catalogue
from companion.extensions import db
from companion.models import (
    Assignment,
    Learner,
    Progress,
    ProgressEvent,
    StaffUser,
    StepStatus,
    Structure,
    Team,
)
from companion.services.followup import FollowItem, Reason, structure_overview, to_follow
from companion.services.home import LearnerFilter, learner_list
from companion.services.password_policy import password_ok
from companion.services.progress import ModuleState

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)  # a Monday morning
MODULE = "mots-de-passe"


@pytest.fixture
def clean(app: Flask) -> Iterator[dict[str, int]]:
    """The Atelier with its learners but no assignments or progress: each test adds its own."""
    with app.app_context(), app.test_request_context("/"):
        for model in (Assignment, ProgressEvent, Progress):
            db.session.execute(delete(model))
        db.session.commit()
        atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        assert atelier is not None
        assert cip is not None
        ids = {lr.first_name: lr.id for lr in db.session.scalars(select(Learner))}
        yield {"structure": atelier.id, "cip": cip.id, **ids}
        db.session.remove()


def _assign(ids: dict[str, int], who: str, created: datetime, due: date | None) -> None:
    db.session.add(
        Assignment(
            structure_id=ids["structure"],
            module_id=MODULE,
            learner_id=ids[who],
            assigned_by_id=ids["cip"],
            due_date=due,
            created_at=created,
        )
    )
    db.session.commit()


def _event(ids: dict[str, int], who: str, step: str, at: datetime, correct: bool | None) -> None:
    db.session.add(
        ProgressEvent(
            learner_id=ids[who],
            module_id=MODULE,
            step_id=step,
            submission_key=f"{who}-{step}-{at.timestamp()}-{correct}",
            correct=correct,
            outcome="right" if correct else "wrong" if correct is False else "seen",
            created_at=at,
        )
    )
    db.session.commit()


def _reasons(ids: dict[str, int], now: datetime) -> set[tuple[str, Reason]]:
    """The items, checked to be the same when the CIP home gives its overview (the learners
    and their progress it already read) as when to_follow reads them itself."""
    alone = to_follow(ids["structure"], now=now)
    shared = to_follow(ids["structure"], now=now, overview=structure_overview(ids["structure"]))
    assert [_item_key(i) for i in shared] == [_item_key(i) for i in alone]
    return {(i.learner.first_name, i.reason) for i in alone}


def _item_key(item: FollowItem) -> tuple[object, ...]:
    return (
        item.learner.id, item.reason, item.module.id if item.module else None, item.detail,
        item.due, item.assignment.id if item.assignment else None, item.step_id, item.since,
    )  # fmt: skip


def test_the_home_refuses_an_overview_of_a_team_or_of_another_structure(
    clean: dict[str, int],
) -> None:
    team_id = db.session.scalar(select(Team.id).where(Team.structure_id == clean["structure"]))
    assert team_id is not None
    team = structure_overview(clean["structure"], team_id)
    with pytest.raises(ValueError, match="whole structure"):
        to_follow(clean["structure"], overview=team)
    with pytest.raises(ValueError, match="whole structure"):
        learner_list(clean["structure"], LearnerFilter(), team)
    with pytest.raises(ValueError, match="whole structure"):
        to_follow(clean["structure"] + 1, overview=structure_overview(clean["structure"]))


def test_each_cell_of_the_overview_is_its_own_modules(clean: dict[str, int]) -> None:
    """A row has a summary per module column, each of that module: its id and its number of
    steps, whether the learner started it (from the aggregate) or not (one summary per module,
    shared by the learners who did not start it)."""
    module = catalogue.get_module(MODULE)
    assert module is not None
    db.session.add(
        Progress(
            learner_id=clean["Amina"], module_id=MODULE, step_id=module.steps[0].id,
            status=StepStatus.SEEN, tries=1, updated_at=NOW,
        )
    )  # fmt: skip
    db.session.commit()
    overview = structure_overview(clean["structure"])
    assert len(overview.modules) > 1
    rows = {row.learner.first_name: row for row in overview.rows}
    for name in ("Amina", "Bruno"):
        for m in overview.modules:
            summary = rows[name].summaries[m.id]
            assert (summary.module_id, summary.total) == (m.id, len(m.steps))
            started = name == "Amina" and m.id == MODULE
            assert summary.state == (
                ModuleState.IN_PROGRESS if started else ModuleState.NOT_STARTED
            )
            assert summary.done == (1 if started else 0)
            assert summary.last_activity == (NOW if started else None)


def test_nothing_to_follow_on_a_quiet_day(clean: dict[str, int]) -> None:
    assert _reasons(clean, NOW) == set()


def test_overdue_assignment(clean: dict[str, int]) -> None:
    _assign(clean, "Amina", NOW - timedelta(days=3), date(2026, 3, 15))
    assert ("Amina", Reason.OVERDUE) in _reasons(clean, NOW)
    # The day before it was due, nothing to say.
    assert ("Amina", Reason.OVERDUE) not in _reasons(clean, NOW - timedelta(days=2))


def test_three_failures_on_the_same_step(clean: dict[str, int]) -> None:
    for k in range(2):
        _event(clean, "Bruno", "strongest", NOW - timedelta(minutes=10 - k), False)
    _event(clean, "Bruno", "sms-code", NOW - timedelta(minutes=5), False)
    assert ("Bruno", Reason.STUCK) not in _reasons(clean, NOW)  # 2 + 1 on different steps
    _event(clean, "Bruno", "strongest", NOW - timedelta(minutes=1), False)
    items = [i for i in to_follow(clean["structure"], now=NOW) if i.reason == Reason.STUCK]
    assert [(i.learner.first_name, i.detail) for i in items] == [
        ("Bruno", "Quel mot de passe est le plus solide ?")
    ]
    # Old failures (more than 30 days) are history, not a signal.
    assert ("Bruno", Reason.STUCK) not in _reasons(clean, NOW + timedelta(days=31))


def test_no_activity_for_14_days_after_an_assignment(clean: dict[str, int]) -> None:
    _assign(clean, "Amina", NOW - timedelta(days=13), None)
    assert ("Amina", Reason.INACTIVE) not in _reasons(clean, NOW)
    assert ("Amina", Reason.INACTIVE) in _reasons(clean, NOW + timedelta(days=1, hours=1))
    _event(clean, "Amina", "why", NOW, None)  # she started: the clock starts again
    assert ("Amina", Reason.INACTIVE) not in _reasons(clean, NOW + timedelta(days=13))
    assert ("Amina", Reason.INACTIVE) in _reasons(clean, NOW + timedelta(days=15))


def test_not_yet_confident_after_finishing(app: Flask, clean: dict[str, int]) -> None:
    module = app.extensions["companion.catalogue"][MODULE]
    for step in module.steps:
        db.session.add(
            Progress(
                learner_id=clean["Chloé"],
                module_id=MODULE,
                step_id=step.id,
                status="seen" if not step.is_practice else "passed",
                tries=1,
                value="not_yet" if step.id == "confidence-end" else None,
                started_at=NOW,
                completed_at=NOW,
                updated_at=NOW,
            )
        )
    db.session.commit()
    assert ("Chloé", Reason.NOT_CONFIDENT) in _reasons(clean, NOW)
    row = db.session.scalar(
        select(Progress).where(
            Progress.learner_id == clean["Chloé"], Progress.step_id == "confidence-end"
        )
    )
    assert row is not None
    row.value = "some"
    db.session.commit()
    assert ("Chloé", Reason.NOT_CONFIDENT) not in _reasons(clean, NOW)


def test_finished_module_clears_overdue_and_inactive(app: Flask, clean: dict[str, int]) -> None:
    _assign(clean, "Bruno", NOW - timedelta(days=30), date(2026, 3, 1))
    assert {("Bruno", Reason.OVERDUE), ("Bruno", Reason.INACTIVE)} <= _reasons(clean, NOW)
    module = app.extensions["companion.catalogue"][MODULE]
    for step in module.steps:
        db.session.add(
            Progress(
                learner_id=clean["Bruno"],
                module_id=MODULE,
                step_id=step.id,
                status="seen",
                started_at=NOW,
                updated_at=NOW,
            )
        )
    db.session.commit()
    assert _reasons(clean, NOW) == set()


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Demo-Compagnon-2026", True),  # 19 characters, 4 kinds: 93 bits
        ("k8$Lp.2mQ!x9", True),  # 12 random characters, 4 kinds: 80 bits
        ("k8$Lp.2mQ!x", False),  # 11 characters
        ("Kp8mQ2xL9vTz4r", True),  # 14 random characters, 3 kinds
        ("kp8mq2xl9vtz4r", False),  # 14 characters, 2 kinds
        ("Abcdefgh1!jk", False),  # 12 characters of 4 kinds, but a run: the lab says weak
        ("Jardin#Bleu7", False),  # 12 characters of 4 kinds, but 2 common words
        ("tulipe bus orange râteau nuage valise pain", True),  # 7 words
        ("maison jardin soleil voiture chien table", False),  # 6 common words
        ("Password2024!", False),  # long enough, but a leaked password plus a year
        ("Azerty123456!", False),  # leaked "azerty" dressed up
    ],
)
def test_cnil_password_rule(password: str, ok: bool) -> None:
    assert password_ok(password) is ok
