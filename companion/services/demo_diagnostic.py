"""The demo's diagnostics: answers made from the loaded grid by a fixed rule (no randomness).

Atelier Démo: last year's diagnostic, closed, with its plan; this year's, open, answered by
its direction and its CIP. Recyclerie Démo: one in progress, half answered by its direction.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from companion.catalogue.diagnostic import load_grid
from companion.extensions import db
from companion.models import (
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticStatus,
    PlanAction,
    PlanStatus,
    StaffUser,
    Structure,
    utcnow,
)
from companion.services.assignments import today


def demo_value(staff_rank: int, question_rank: int, year_shift: int) -> int | None:
    """A fixed answer: the direction (rank 0) and the CIP (rank 1) disagree by two steps on
    one question in five; the CIP does not know one question in eleven."""
    base = (question_rank * 5 + year_shift) % 4
    if staff_rank == 0:
        return base
    if question_rank % 11 == 7:
        return None
    return (base + 2) % 4 if question_rank % 5 == 0 else base


def _answer(diagnostic: Diagnostic, staff: list[StaffUser], year_shift: int, share: float) -> None:
    questions = [q for axis in load_grid("fr").axes for q in axis.questions]
    kept = questions[: max(1, round(len(questions) * share))]
    for rank, person in enumerate(staff):
        for n, question in enumerate(kept):
            db.session.add(
                DiagnosticAnswer(
                    diagnostic_id=diagnostic.id,
                    staff_id=person.id,
                    question_id=question.id,
                    value=demo_value(rank, n, year_shift),
                    answered=True,
                )
            )


def _diagnostic(structure: Structure, year: int, opener: StaffUser, closed: bool) -> Diagnostic:
    the_grid = load_grid("fr")
    now = utcnow()
    made = Diagnostic(
        structure_id=structure.id,
        grid_id=the_grid.id,
        grid_version=the_grid.version,
        year=year,
        opened_by_id=opener.id,
        opened_at=now - timedelta(days=365 if closed else 20),
        status=DiagnosticStatus.CLOSED if closed else DiagnosticStatus.OPEN,
        closed_at=now - timedelta(days=330) if closed else None,
        meeting_note="Réunion d'équipe : priorité à la borne partagée et à la saisie unique."
        if closed
        else "",
    )
    db.session.add(made)
    db.session.flush()
    return made


def _plan(diagnostic: Diagnostic, owners: list[StaffUser]) -> None:
    """Three actions of the catalogue, one of each status (the first proposed ones)."""
    actions = load_grid("fr").actions[:3]
    statuses = [PlanStatus.DONE, PlanStatus.DOING, PlanStatus.TODO]
    for n, (action, status) in enumerate(zip(actions, statuses, strict=False)):
        db.session.add(
            PlanAction(
                diagnostic_id=diagnostic.id,
                action_id=action.id,
                owner_id=owners[n % len(owners)].id,
                due_date=today() + timedelta(days=60 * (n - 1)),
                status=status,
            )
        )


def give_diagnostics(atelier: Structure, recyclerie: Structure) -> None:
    """Once: skipped when the Atelier already has a diagnostic."""
    if db.session.scalar(select(Diagnostic.id).where(Diagnostic.structure_id == atelier.id)):
        return
    staff = {u.email: u for u in db.session.scalars(select(StaffUser))}
    atelier_team = [staff["direction@atelier.example"], staff["cip@atelier.example"]]
    year = today().year
    last = _diagnostic(atelier, year - 1, atelier_team[0], closed=True)
    _answer(last, [*atelier_team, staff["encadrant@atelier.example"]], 1, 1.0)
    _plan(last, atelier_team)
    current = _diagnostic(atelier, year, atelier_team[0], closed=False)
    _answer(current, atelier_team, 2, 1.0)
    in_progress = _diagnostic(recyclerie, year, staff["direction@recyclerie.example"], closed=False)
    _answer(in_progress, [staff["direction@recyclerie.example"]], 0, 0.5)
