"""What the direction and the platform admin change: staff, teams, kiosks, settings, structures."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from companion.extensions import db
from companion.models import (
    Assignment,
    AuditAction,
    Kiosk,
    Learner,
    LinkPurpose,
    Role,
    StaffUser,
    Structure,
    StructureKind,
    Team,
    utcnow,
)
from companion.models.names import fold
from companion.services import audit, sessions
from companion.services.staff_links import new_link


class AdminError(ValueError):
    """The change cannot be made; field names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def message_is(self, message: str) -> bool:
        return str(self.args[0]) == message


def email_taken(email: str) -> bool:
    return (
        db.session.scalar(
            select(StaffUser.id).where(func.lower(StaffUser.email) == email.strip().lower())
        )
        is not None
    )


def create_staff(
    actor: StaffUser,
    structure_id: int,
    email: str,
    role: Role,
    team_id: int | None,
) -> tuple[StaffUser, str]:
    """A new staff account, with no password: the person chooses it through the one-time
    invitation link returned here (services/staff_links.py). An encadrant needs a team."""
    if email_taken(email):
        raise AdminError("email", "taken")
    if role == Role.ADMIN:
        raise AdminError("role", "admin")
    _check_team(structure_id, team_id, role)
    user = StaffUser(
        email=email.strip().lower(),
        password_hash="",
        role=role,
        structure_id=structure_id,
        team_id=team_id,
    )
    db.session.add(user)
    db.session.flush()
    token = new_link(user, LinkPurpose.INVITATION, actor)
    audit.record(
        actor,
        AuditAction.STAFF_INVITED,
        detail=f"+ {user.email} {role}",
        commit=False,
        structure_id=structure_id,
    )
    db.session.commit()
    return user, token


def _check_team(structure_id: int, team_id: int | None, role: Role) -> None:
    if team_id is None:
        if role == Role.ENCADRANT:
            # An encadrant sees their team only: without one, an empty page.
            raise AdminError("team_id", "encadrant_team")
        return
    team = db.session.get(Team, team_id)
    if team is None or team.structure_id != structure_id:
        raise AdminError("team_id", "team")


def update_staff(
    actor: StaffUser, user: StaffUser, role: Role, team_id: int | None, active: bool
) -> None:
    """Change a colleague's role, team or activity; nobody deactivates or demotes themself.

    Deactivating ends every session of the account: reactivated later, the person signs in
    anew and the cookies of before stay dead.
    """
    if user.structure_id is None or role == Role.ADMIN:
        raise AdminError("role", "admin")
    if user.id == actor.id and (role != user.role or not active):
        raise AdminError("role", "self")
    _check_team(user.structure_id, team_id, role)
    if user.active and not active:
        sessions.end_all_sessions(user, commit=False)
    user.role = role
    user.team_id = team_id
    user.active = active
    audit.record(
        actor,
        AuditAction.STAFF_CHANGED,
        detail=f"{user.email} {role} {'actif' if active else 'désactivé'}",
        commit=False,
    )
    db.session.commit()


def colleague(structure_id: int | None, user_id: int) -> StaffUser | None:
    """A staff account of this structure, else None."""
    user = db.session.get(StaffUser, user_id)
    return user if user is not None and user.structure_id == structure_id else None


def structure_of(structure_id: int) -> Structure | None:
    return db.session.get(Structure, structure_id)


def direction_of(user_id: int) -> StaffUser | None:
    """A direction account (the platform admin manages these only), else None."""
    user = db.session.get(StaffUser, user_id)
    if user is None or user.role != Role.DIRECTION or user.structure_id is None:
        return None
    return user


def team_of(structure_id: int | None, team_id: int) -> Team | None:
    """A team of this structure, else None."""
    team = db.session.get(Team, team_id)
    return team if team is not None and team.structure_id == structure_id else None


def kiosk_of(structure_id: int | None, kiosk_id: int) -> Kiosk | None:
    """A kiosk of this structure, else None."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    return kiosk if kiosk is not None and kiosk.structure_id == structure_id else None


def staff_of(structure_id: int) -> list[StaffUser]:
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.structure_id == structure_id)
            .order_by(StaffUser.active.desc(), StaffUser.email)
        )
    )


def _team_name_taken(structure_id: int, name: str, except_id: int | None = None) -> bool:
    """Whatever the case and accents: "espaces verts" is "Espaces verts"."""
    stmt = select(Team.id).where(Team.structure_id == structure_id, Team.name_key == fold(name))
    if except_id is not None:
        stmt = stmt.where(Team.id != except_id)
    return db.session.scalar(stmt) is not None


def create_team(actor: StaffUser, structure_id: int, name: str) -> Team:
    name = " ".join(name.split())
    if _team_name_taken(structure_id, name):
        raise AdminError("name", "taken")
    team = Team(structure_id=structure_id, name=name)
    db.session.add(team)
    audit.record(actor, AuditAction.TEAM_CHANGED, detail=f"+ {name}", commit=False)
    _commit_team_name()
    return team


def _commit_team_name() -> None:
    """Commit; two directions naming a team alike at once: the database keeps one."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AdminError("name", "taken") from None


def rename_team(actor: StaffUser, team: Team, name: str) -> None:
    name = " ".join(name.split())
    if _team_name_taken(team.structure_id, name, except_id=team.id):
        raise AdminError("name", "taken")
    if name != team.name:
        audit.record(actor, AuditAction.TEAM_CHANGED, detail=f"{team.name} → {name}", commit=False)
        team.name = name
    _commit_team_name()


@dataclass(frozen=True)
class TeamCounts:
    learners: int
    encadrants: int
    assignments: int


def team_counts(team: Team) -> TeamCounts:
    """What a merge or a deletion moves, for the page that asks first."""
    return TeamCounts(
        learners=db.session.scalar(select(func.count(Learner.id)).where(Learner.team_id == team.id))
        or 0,
        encadrants=db.session.scalar(
            select(func.count(StaffUser.id)).where(
                StaffUser.team_id == team.id, StaffUser.role == Role.ENCADRANT
            )
        )
        or 0,
        assignments=db.session.scalar(
            select(func.count(Assignment.id)).where(Assignment.team_id == team.id)
        )
        or 0,
    )


def remove_team(actor: StaffUser, team: Team, into: Team | None) -> int:
    """Delete a team, or merge it into another: nobody and nothing is lost.

    Its learners (archived ones too) and encadrants move to ``into``; its assignments
    follow (one the other team already has for the same module is kept once). Deleted
    without another team, its learners have no team and keep each team assignment as
    their own; an encadrant cannot be left without a team, so that is refused while the
    team has any. Returns how many learners moved.
    """
    if into is not None and (into.id == team.id or into.structure_id != team.structure_id):
        raise AdminError("into", "team")
    encadrants = list(
        db.session.scalars(
            select(StaffUser).where(StaffUser.team_id == team.id, StaffUser.role == Role.ENCADRANT)
        )
    )
    if into is None and encadrants:
        raise AdminError("into", "encadrants")
    learners = list(db.session.scalars(select(Learner).where(Learner.team_id == team.id)))
    team_assignments = list(
        db.session.scalars(select(Assignment).where(Assignment.team_id == team.id))
    )
    if into is not None:
        kept = set(
            db.session.scalars(select(Assignment.module_id).where(Assignment.team_id == into.id))
        )
        for assignment in team_assignments:
            if assignment.module_id in kept:
                db.session.delete(assignment)
            else:
                assignment.team_id = into.id
                kept.add(assignment.module_id)
    else:
        for assignment in team_assignments:
            for learner in learners:
                if not learner.archived:
                    db.session.add(
                        Assignment(
                            structure_id=assignment.structure_id,
                            module_id=assignment.module_id,
                            learner_id=learner.id,
                            assigned_by_id=assignment.assigned_by_id,
                            due_date=assignment.due_date,
                            message=assignment.message,
                            created_at=assignment.created_at,
                        )
                    )
            db.session.delete(assignment)
    people: list[Learner | StaffUser] = [*learners, *encadrants]
    for person in people:
        person.team_id = into.id if into is not None else None
    detail = f"{team.name} → {into.name}" if into is not None else f"- {team.name}"
    audit.record(actor, AuditAction.TEAM_CHANGED, detail=detail, commit=False)
    db.session.flush()
    db.session.delete(team)
    db.session.commit()
    return len(learners)


def teams_of(structure_id: int) -> list[Team]:
    return list(
        db.session.scalars(
            select(Team).where(Team.structure_id == structure_id).order_by(Team.name)
        )
    )


def kiosks_of(structure_id: int) -> list[Kiosk]:
    return list(
        db.session.scalars(
            select(Kiosk)
            .where(Kiosk.structure_id == structure_id)
            .order_by(Kiosk.revoked_at.is_not(None), Kiosk.created_at.desc())
        )
    )


def revoke_kiosk(actor: StaffUser, kiosk: Kiosk) -> None:
    """The browser stops being a kiosk at its next request."""
    if kiosk.revoked_at is None:
        kiosk.revoked_at = utcnow()
        audit.record(actor, AuditAction.KIOSK_REVOKED, detail=kiosk.label, commit=False)
        db.session.commit()


def update_settings(
    actor: StaffUser,
    structure: Structure,
    languages: list[str],
    kiosk_idle_seconds: int,
    retention_months: int,
    require_totp_for_direction: bool,
    keep_attestation_name: bool | None = None,
    kiosk_lifetime_days: int | None = None,
) -> None:
    """The direction's settings. Requiring two-step verification for the direction is
    refused to a direction who has not turned it on: they would lock themselves out.
    Keeping the attestation's full names off again forgets every name kept."""
    if (
        require_totp_for_direction
        and not structure.require_totp_for_direction
        and not actor.two_step_enabled
    ):
        raise AdminError("require_totp_for_direction", "two_step_first")
    if "fr" not in languages:
        languages = ["fr", *languages]
    detail = ""
    if require_totp_for_direction != structure.require_totp_for_direction:
        detail = (
            "vérification en deux étapes exigée pour la direction"
            if require_totp_for_direction
            else "vérification en deux étapes plus exigée"
        )
    structure.languages = ",".join(languages)
    structure.kiosk_idle_seconds = kiosk_idle_seconds
    if kiosk_lifetime_days is not None:
        structure.kiosk_lifetime_days = kiosk_lifetime_days  # open kiosks follow at once
    structure.retention_months = retention_months
    structure.require_totp_for_direction = require_totp_for_direction
    if keep_attestation_name is not None:
        if structure.keep_attestation_name and not keep_attestation_name:
            db.session.execute(
                update(Learner).where(Learner.structure_id == structure.id).values(full_name=None)
            )
        structure.keep_attestation_name = keep_attestation_name
    audit.record(actor, AuditAction.SETTINGS_CHANGED, detail=detail, commit=False)
    db.session.commit()


def create_structure(
    actor: StaffUser, name: str, kind: StructureKind, direction_email: str
) -> tuple[Structure, StaffUser, str]:
    """Platform admin: a new structure and its first direction account, together; the
    direction's invitation link is returned (shown once to the admin)."""
    name = name.strip()
    if db.session.scalar(select(Structure.id).where(Structure.name == name)) is not None:
        raise AdminError("name", "taken")
    if email_taken(direction_email):
        raise AdminError("email", "taken")
    # Every language the app has a catalogue for; the direction may offer fewer.
    languages = ",".join(current_app.config["LOCALES"])
    structure = Structure(name=name, kind=kind, languages=languages)
    db.session.add(structure)
    db.session.flush()
    direction, token = create_staff(actor, structure.id, direction_email, Role.DIRECTION, None)
    return structure, direction, token


def add_direction(actor: StaffUser, structure: Structure, email: str) -> tuple[StaffUser, str]:
    """Platform admin: one more direction account for an existing structure (one that has
    none, or whose only direction left), with its invitation link."""
    return create_staff(actor, structure.id, email, Role.DIRECTION, None)


def directions_of(structure_id: int) -> list[StaffUser]:
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.structure_id == structure_id, StaffUser.role == Role.DIRECTION)
            .order_by(StaffUser.active.desc(), StaffUser.email)
        )
    )


def directions_by_structure() -> dict[int, list[str]]:
    """Each structure's direction e-mail addresses (staff, not learners)."""
    out: dict[int, list[str]] = {}
    for sid, email in db.session.execute(
        select(StaffUser.structure_id, StaffUser.email)
        .where(StaffUser.role == Role.DIRECTION, StaffUser.active.is_(True))
        .order_by(StaffUser.email)
    ):
        if sid is not None:
            out.setdefault(sid, []).append(email)
    return out
