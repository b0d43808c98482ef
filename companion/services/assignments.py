"""Assignments: modules a staff member asked a learner or a team to follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from companion import catalogue
from companion.extensions import db
from companion.models import Assignment, AuditAction, Learner, Role, StaffUser, Team, utcnow
from companion.services import audit
from companion.services.progress import ModuleState
from companion.services.progress import structure_overview as _agg

PARIS = ZoneInfo("Europe/Paris")


def today(now: datetime | None = None) -> date:
    """Today's date where the structures are (due dates are French calendar days)."""
    return (now or utcnow()).astimezone(PARIS).date()


class AssignmentError(ValueError):
    """The assignment cannot be made; the message names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def assignments_for(learner: Learner) -> list[Assignment]:
    """The learner's own and their team's assignments, soonest due first, one per module."""
    conditions = [Assignment.learner_id == learner.id]
    if learner.team_id is not None:
        conditions.append(Assignment.team_id == learner.team_id)
    rows = db.session.scalars(
        select(Assignment)
        .options(joinedload(Assignment.assigned_by))
        .where(Assignment.structure_id == learner.structure_id, or_(*conditions))
        .order_by(Assignment.due_date.is_(None), Assignment.due_date, Assignment.created_at)
    )
    seen: dict[str, Assignment] = {}
    for a in rows:
        seen.setdefault(a.module_id, a)
    return list(seen.values())


def assigner_label(assignment: Assignment) -> str:
    """Who asked, as a learner reads it: the staff member's role (no e-mail addresses)."""
    from flask_babel import gettext as _

    by = assignment.assigned_by
    if by is None:
        return str(_("votre équipe"))
    label: str = {
        Role.CIP: _("votre conseillère ou votre conseiller"),
        Role.ENCADRANT: _("votre encadrant"),
        Role.DIRECTION: _("la direction"),
    }.get(by.role, _("votre équipe"))
    return label


def assign(
    staff: StaffUser,
    module_id: str,
    learner_id: int | None,
    team_id: int | None,
    due_date: date | None,
    message: str,
    now: datetime | None = None,
) -> Assignment:
    """Assign a module to one learner or one team of the staff member's structure.

    Encadrants may only assign to their own team or to a learner of it.
    """
    structure_id = staff.structure_id
    if structure_id is None:
        raise AssignmentError("target", "no structure")
    if catalogue.get_module(module_id) is None:
        raise AssignmentError("module_id", "unknown module")
    if (learner_id is None) == (team_id is None):
        raise AssignmentError("target", "one target")
    if due_date is not None and due_date < today(now):
        raise AssignmentError("due_date", "past")
    own_team = staff.team_id if staff.role == Role.ENCADRANT else None
    learner = None
    if learner_id is not None:
        learner = db.session.get(Learner, learner_id)
        if (
            learner is None
            or learner.structure_id != structure_id
            or learner.archived
            or (staff.role == Role.ENCADRANT and learner.team_id != own_team)
        ):
            raise AssignmentError("target", "not yours")
    else:
        team = db.session.get(Team, team_id)
        if (
            team is None
            or team.structure_id != structure_id
            or (staff.role == Role.ENCADRANT and team.id != own_team)
        ):
            raise AssignmentError("target", "not yours")
    assignment = Assignment(
        structure_id=structure_id,
        module_id=module_id,
        learner_id=learner_id,
        team_id=team_id,
        assigned_by_id=staff.id,
        due_date=due_date,
        message=message.strip()[:280],
    )
    db.session.add(assignment)
    audit.record(staff, AuditAction.ASSIGNED, learner, detail=module_id, commit=False)
    db.session.commit()
    return assignment


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assignment
    target: str
    done: list[Learner]
    not_done: list[Learner]
    overdue: bool


def assignment_statuses(
    structure_id: int, team_id: int | None = None, now: datetime | None = None
) -> list[AssignmentStatus]:
    """Each assignment of the structure (or of one team) with who has finished the module.

    Three queries whatever the number of learners: assignments, learners, progress.
    """
    stmt = (
        select(Assignment)
        .options(joinedload(Assignment.assigned_by))
        .where(Assignment.structure_id == structure_id)
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
    )
    learners_stmt = select(Learner).where(
        Learner.structure_id == structure_id, Learner.archived.is_(False)
    )
    if team_id is not None:
        learners_stmt = learners_stmt.where(Learner.team_id == team_id)
    learners = list(db.session.scalars(learners_stmt.order_by(Learner.first_name)))
    by_id = {learner.id: learner for learner in learners}
    if team_id is not None:
        stmt = stmt.where(
            or_(Assignment.team_id == team_id, Assignment.learner_id.in_(list(by_id)))
        )
    assignments = list(db.session.scalars(stmt))
    teams = {t.id: t.name for t in db.session.scalars(select(Team))}
    modules = [m for m in catalogue.modules().values()]
    agg = _agg(list(by_id), modules)
    day = today(now)
    out = []
    for a in assignments:
        if a.learner_id is not None:
            targets = [by_id[a.learner_id]] if a.learner_id in by_id else []
            label = targets[0].display_name if targets else "–"
        else:
            targets = [lr for lr in learners if lr.team_id == a.team_id]
            label = teams.get(a.team_id or 0, "–")
        done = [
            lr
            for lr in targets
            if (s := agg.get((lr.id, a.module_id))) and s.state == ModuleState.COMPLETED
        ]
        not_done = [lr for lr in targets if lr not in done]
        overdue = a.due_date is not None and a.due_date < day and bool(not_done)
        out.append(AssignmentStatus(a, label, done, not_done, overdue))
    return out
