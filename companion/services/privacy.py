"""Personal data of learners: what we hold about one person, and erasing it.

Two ways lead to erasure, and both use ``erase_learner``:

- on request (right to erasure): a CIP or the direction erases one learner at once;
- after retention: ``flask --app companion purge`` erases every archived learner whose
  structure's retention period (``Structure.retention_months``) has run out since
  ``Learner.archived_at``. It is idempotent: an erased learner is never touched again.

What erasure keeps, and why. The learner row stays, anonymised ("Anonyme 12", no PIN, a new
unguessable sign-in token that no card carries), so that the anonymous aggregates keep
counting it: each step's status, tries, time spent and confidence choice (``Progress``),
its team and language. Those rows say nothing about who the person was. Everything that
could name or single out the person goes: private notes (free text), the dated answer
timeline (``ProgressEvent``), the steps done again after the first result
(``RetryProgress``, "Refaire"), the messages written on their personal assignments, and the
exact dates of their progress, which are rounded down to the first day of the month.
The audit log keeps its lines (who opened which file, when), now pointing at the
anonymised row: a structure must still be able to show who accessed the data.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, Executable, delete, select, update

from companion import catalogue
from companion.extensions import db
from companion.models import (
    Assignment,
    AuditAction,
    AuditEvent,
    EntryCheckResult,
    EntryCheckSkip,
    Learner,
    Note,
    Progress,
    ProgressEvent,
    RetryProgress,
    StaffUser,
    Structure,
    utcnow,
)

# Stored instead of a PIN hash: no PIN ever verifies against it, and it marks the erasure.
ERASED_PIN_HASH = "!erased"
ANONYMOUS_NAME = "Anonyme {id}"


def is_erased(learner: Learner) -> bool:
    return learner.pin_hash == ERASED_PIN_HASH


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _month_start(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _changed(statement: Executable) -> int:
    """Run a DELETE or UPDATE; the number of rows it touched."""
    result = cast("CursorResult[Any]", db.session.execute(statement))
    return result.rowcount or 0


@dataclass
class Erasure:
    """What erasing one learner removed, for the audit log and the purge's report."""

    learner_id: int
    notes: int = 0
    events: int = 0
    messages: int = 0


def erase_learner(
    learner: Learner,
    actor: StaffUser | None,
    reason: str,
    now: datetime | None = None,
    commit: bool = True,
) -> Erasure:
    """Erase the learner's named data (see the module docstring); safe to call twice."""
    now = now or utcnow()
    result = Erasure(learner_id=learner.id)
    if is_erased(learner):
        return result
    result.notes = _changed(delete(Note).where(Note.learner_id == learner.id))
    result.events = _changed(delete(ProgressEvent).where(ProgressEvent.learner_id == learner.id))
    # Practice after the first result ("Refaire"): dated, and counted in no aggregate.
    _changed(delete(RetryProgress).where(RetryProgress.learner_id == learner.id))
    result.messages = _changed(
        update(Assignment)
        .where(Assignment.learner_id == learner.id, Assignment.message != "")
        .values(message="")
    )
    _changed(delete(EntryCheckSkip).where(EntryCheckSkip.learner_id == learner.id))
    for taken in db.session.scalars(
        select(EntryCheckResult).where(EntryCheckResult.learner_id == learner.id)
    ):  # levels stay for the statistics, their day becomes a month like the progress's
        taken.taken_at = _month_start(taken.taken_at) or taken.taken_at
    for row in db.session.scalars(select(Progress).where(Progress.learner_id == learner.id)):
        row.started_at = _month_start(row.started_at) or row.started_at
        row.completed_at = _month_start(row.completed_at)
        row.updated_at = _month_start(row.updated_at) or row.updated_at
    learner.first_name = ANONYMOUS_NAME.format(id=learner.id)
    learner.initial = ""
    learner.full_name = None
    learner.pin_hash = ERASED_PIN_HASH
    learner.signin_token = secrets.token_urlsafe(32)
    learner.failed_pin_count = 0
    learner.pin_lockouts = 0
    learner.locked_until = None
    learner.archived = True
    learner.archived_at = learner.archived_at or now
    learner.created_at = _month_start(learner.created_at) or learner.created_at
    db.session.add(
        AuditEvent(
            structure_id=learner.structure_id,
            actor_id=actor.id if actor is not None else None,
            action=AuditAction.ERASED,
            learner_id=learner.id,
            detail=reason[:200],
            created_at=now,
        )
    )
    if commit:
        db.session.commit()
    return result


@dataclass
class PurgeReport:
    erased: list[Erasure] = field(default_factory=list)
    waiting: int = 0  # archived learners still inside their retention period

    def lines(self) -> list[str]:
        if not self.erased:
            lines = ["Nothing to erase."]
        else:
            lines = [
                f"Erased learner {e.learner_id}: {e.notes} note(s), {e.events} answer event(s), "
                f"{e.messages} assignment message(s)."
                for e in self.erased
            ]
        lines.append(
            f"{len(self.erased)} learner(s) erased; "
            f"{self.waiting} archived learner(s) still within their retention period."
        )
        return lines


def purge(now: datetime | None = None) -> PurgeReport:
    """Erase every archived learner whose structure's retention period has run out."""
    now = now or utcnow()
    report = PurgeReport()
    rows = db.session.execute(
        select(Learner, Structure.retention_months)
        .join(Structure, Structure.id == Learner.structure_id)
        .where(Learner.archived.is_(True), Learner.pin_hash != ERASED_PIN_HASH)
        .order_by(Learner.id)
    ).all()
    for learner, retention_months in rows:
        # Archived before archive dates were recorded: the migration gave them one.
        archived_at = learner.archived_at or now
        if add_months(archived_at, retention_months) <= now:
            # Each learner in its own transaction: an interrupted run leaves no half-erasure.
            report.erased.append(
                erase_learner(learner, None, f"retention {retention_months} months", now)
            )
        else:
            report.waiting += 1
    return report


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# Plain words for the codes the tables hold, in the language of the request (the page and
# the JSON are made in the learner's language: web/staff/learner_data.py).
STATUS_LABELS = {
    "passed": _l("Réussie"),
    "helped": _l("Vue avec l'aide : la réponse a été montrée"),
    "seen": _l("Vue"),
}
CONFIDENCE_LABELS = {"yes": _l("Je sais faire"), "some": _l("Un peu"), "not_yet": _l("Pas encore")}
OUTCOME_LABELS = {"right": _l("Bonne réponse"), "wrong": _l("Erreur"), "seen": _l("Vue")}
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية"}


def _label(labels: Mapping[str, object], code: str | None) -> str | None:
    return str(labels[code]) if code is not None and code in labels else code


def learner_data(
    learner: Learner, action_label: Callable[[str], str] = str, locale: str | None = None
) -> dict[str, Any]:
    """Everything held about one learner, as plain JSON-ready data (right of access).

    Codes stay (``status: "passed"``) for whoever reads the file with a program; each comes
    with its label in plain words (``status_label: "Réussie"``), and module and step ids
    with their titles, in `locale` (None: the request's language).
    """
    modules = catalogue.modules(locale)

    def titles(module_id: str, step_id: str | None = None) -> dict[str, str]:
        module = modules.get(module_id)
        found = {"module_title": module.meta.title if module else module_id}
        if step_id is not None:
            step = module.step(step_id) if module else None
            found["step_title"] = step.title if step else step_id
        return found

    progress = db.session.scalars(
        select(Progress)
        .where(Progress.learner_id == learner.id)
        .order_by(Progress.module_id, Progress.started_at, Progress.step_id)
    )
    events = db.session.scalars(
        select(ProgressEvent)
        .where(ProgressEvent.learner_id == learner.id)
        .order_by(ProgressEvent.created_at, ProgressEvent.id)
    )
    retries = db.session.scalars(
        select(RetryProgress)
        .where(RetryProgress.learner_id == learner.id)
        .order_by(RetryProgress.module_id, RetryProgress.round, RetryProgress.updated_at)
    )
    assignments = db.session.scalars(
        select(Assignment)
        .where(
            (Assignment.learner_id == learner.id)
            | ((Assignment.team_id == learner.team_id) & (Assignment.team_id.is_not(None)))
        )
        .order_by(Assignment.created_at)
    )
    notes = db.session.scalars(
        select(Note).where(Note.learner_id == learner.id).order_by(Note.created_at)
    )
    audit = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.learner_id == learner.id)
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    entry_checks = db.session.scalars(
        select(EntryCheckResult)
        .where(EntryCheckResult.learner_id == learner.id)
        .order_by(EntryCheckResult.round)
    )
    return {
        "learner": {
            "first_name": learner.first_name,
            "initial": learner.initial,
            "full_name": learner.full_name,
            "structure": learner.structure.name,
            "team": learner.team.name if learner.team is not None else None,
            "language": learner.locale,
            "language_label": LANGUAGE_NAMES.get(learner.locale, learner.locale),
            "pictogram": learner.pictogram,
            "created_at": _iso(learner.created_at),
            "archived": learner.archived,
            "archived_at": _iso(learner.archived_at),
            "pin_locked_until": _iso(learner.locked_until),
            "erased": is_erased(learner),
        },
        "progress": [
            {
                "module": p.module_id,
                "step": p.step_id,
                **titles(p.module_id, p.step_id),
                "status": p.status.value if p.status is not None else None,
                "status_label": _label(
                    STATUS_LABELS, p.status.value if p.status is not None else None
                ),
                "tries": p.tries,
                "time_spent_seconds": p.time_spent_seconds,
                "confidence": p.value,
                "confidence_label": _label(CONFIDENCE_LABELS, p.value),
                "started_at": _iso(p.started_at),
                "completed_at": _iso(p.completed_at),
            }
            for p in progress
        ],
        "answers": [
            {
                "module": e.module_id,
                "step": e.step_id,
                **titles(e.module_id, e.step_id),
                "correct": e.correct,
                "outcome": e.outcome,
                "outcome_label": _label(OUTCOME_LABELS, e.outcome),
                "at": _iso(e.created_at),
            }
            for e in events
        ],
        "retries": [
            {
                "module": r.module_id,
                "round": r.round,
                "step": r.step_id,
                **titles(r.module_id, r.step_id),
                "status": r.status.value if r.status is not None else None,
                "tries": r.tries,
                "at": _iso(r.updated_at),
            }
            for r in retries
        ],
        "assignments": [
            {
                "module": a.module_id,
                **titles(a.module_id),
                "to": "learner" if a.learner_id is not None else "team",
                "due_date": a.due_date.isoformat() if a.due_date is not None else None,
                "message": a.message,
                "at": _iso(a.created_at),
            }
            for a in assignments
        ],
        "notes": [{"text": n.body, "at": _iso(n.created_at)} for n in notes],
        "access_log": [
            {
                "action": a.action.value,
                "action_label": action_label(a.action.value),
                "by": a.actor.email if a.actor is not None else None,
                "at": _iso(a.created_at),
            }
            for a in audit
        ],
        # The entry check "Par où commencer ?": the level measured per area at each take.
        "entry_check": [
            {"round": r.round, "levels": dict(r.levels), "at": _iso(r.taken_at)}
            for r in entry_checks
        ],
    }
