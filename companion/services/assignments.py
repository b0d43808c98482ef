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


class AlreadyAssigned(AssignmentError):
    """The same module is already assigned to the same person or team: update that one
    (``existing``) rather than add a second card to the learner's home."""

    def __init__(self, existing: Assignment) -> None:
        super().__init__("target", "already assigned")
        self.existing = existing


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
    update_existing: int | None = None,
) -> Assignment:
    """Assign a module to one learner or one team of the staff member's structure.

    Encadrants may only assign to their own team or to a learner of it. The same module
    for the same target raises AlreadyAssigned, unless ``update_existing`` names that
    assignment: then its date and message are updated instead.
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
    existing = db.session.scalar(
        select(Assignment)
        .where(
            Assignment.structure_id == structure_id,
            Assignment.module_id == module_id,
            Assignment.learner_id == learner_id
            if learner_id is not None
            else Assignment.team_id == team_id,
        )
        .order_by(Assignment.created_at)
        .limit(1)
    )
    if existing is not None:
        if update_existing != existing.id:
            raise AlreadyAssigned(existing)
        edit_assignment(staff, existing, due_date, message, now)
        return existing
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


def target_label(assignment: Assignment) -> str:
    """Whom the assignment is for: the team's name or the learner's display name."""
    if assignment.team_id is not None:
        team = db.session.get(Team, assignment.team_id)
        return team.name if team is not None else "–"
    learner = db.session.get(Learner, assignment.learner_id)
    return learner.display_name if learner is not None else "–"


def may_change(staff: StaffUser, assignment: Assignment) -> bool:
    """Staff of the structure change its assignments; an encadrant only their team's (the
    team's own, or one of its learners')."""
    if assignment.structure_id != staff.structure_id:
        return False
    if staff.role != Role.ENCADRANT:
        return True
    if assignment.team_id is not None:
        return assignment.team_id == staff.team_id
    learner = db.session.get(Learner, assignment.learner_id)
    return learner is not None and learner.team_id == staff.team_id and staff.team_id is not None


def assignment_of(staff: StaffUser, assignment_id: int) -> Assignment | None:
    """An assignment this staff member may change, else None."""
    assignment = db.session.get(Assignment, assignment_id)
    return assignment if assignment is not None and may_change(staff, assignment) else None


def edit_assignment(
    staff: StaffUser,
    assignment: Assignment,
    due_date: date | None,
    message: str,
    now: datetime | None = None,
) -> None:
    """A new due date or message; learners see it on their home at once. A date already
    past is kept when unchanged (a late assignment whose message is corrected)."""
    if not may_change(staff, assignment):
        raise AssignmentError("target", "not yours")
    if due_date is not None and due_date < today(now) and due_date != assignment.due_date:
        raise AssignmentError("due_date", "past")
    assignment.due_date = due_date
    assignment.message = message.strip()[:280]
    learner = db.session.get(Learner, assignment.learner_id) if assignment.learner_id else None
    audit.record(
        staff, AuditAction.ASSIGNMENT_EDITED, learner, detail=assignment.module_id, commit=False
    )
    db.session.commit()


def cancel_assignment(staff: StaffUser, assignment: Assignment) -> None:
    """The assignment goes: it leaves the learners' home; their progress stays."""
    if not may_change(staff, assignment):
        raise AssignmentError("target", "not yours")
    learner = db.session.get(Learner, assignment.learner_id) if assignment.learner_id else None
    detail = assignment.module_id
    db.session.delete(assignment)
    audit.record(staff, AuditAction.ASSIGNMENT_CANCELLED, learner, detail=detail, commit=False)
    db.session.commit()


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
