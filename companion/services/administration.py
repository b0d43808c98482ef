"""What the direction and the platform admin change: staff, teams, kiosks, settings, structures."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from companion.extensions import db
from companion.models import (
    AuditAction,
    Kiosk,
    Role,
    StaffUser,
    Structure,
    StructureKind,
    Team,
    utcnow,
)
from companion.services import audit
from companion.services.password_policy import password_ok
from companion.services.passwords import hash_secret


class AdminError(ValueError):
    """The change cannot be made; field names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
    password: str,
    role: Role,
    team_id: int | None,
) -> StaffUser:
    """A new staff account; its password must follow the CNIL rule and is hashed (argon2id)."""
    if email_taken(email):
        raise AdminError("email", "taken")
    if not password_ok(password):
        raise AdminError("password", "weak")
    if role == Role.ADMIN:
        raise AdminError("role", "admin")
    _check_team(structure_id, team_id)
    user = StaffUser(
        email=email.strip().lower(),
        password_hash=hash_secret(password),
        role=role,
        structure_id=structure_id,
        team_id=team_id,
    )
    db.session.add(user)
    audit.record(actor, AuditAction.STAFF_CHANGED, detail=f"+ {user.email} {role}", commit=False)
    db.session.commit()
    return user


def _check_team(structure_id: int, team_id: int | None) -> None:
    if team_id is None:
        return
    team = db.session.get(Team, team_id)
    if team is None or team.structure_id != structure_id:
        raise AdminError("team_id", "team")


def update_staff(
    actor: StaffUser, user: StaffUser, role: Role, team_id: int | None, active: bool
) -> None:
    """Change a colleague's role, team or activity; nobody deactivates or demotes themself."""
    if user.structure_id is None or role == Role.ADMIN:
        raise AdminError("role", "admin")
    if user.id == actor.id and (role != user.role or not active):
        raise AdminError("role", "self")
    _check_team(user.structure_id, team_id)
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


def create_team(actor: StaffUser, structure_id: int, name: str) -> Team:
    name = name.strip()
    exists = db.session.scalar(
        select(Team.id).where(Team.structure_id == structure_id, Team.name == name)
    )
    if exists is not None:
        raise AdminError("name", "taken")
    team = Team(structure_id=structure_id, name=name)
    db.session.add(team)
    db.session.commit()
    return team


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
) -> None:
    """The direction's settings. Requiring two-step verification for the direction is
    refused to a direction who has not turned it on: they would lock themselves out."""
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
    structure.retention_months = retention_months
    structure.require_totp_for_direction = require_totp_for_direction
    audit.record(actor, AuditAction.SETTINGS_CHANGED, detail=detail, commit=False)
    db.session.commit()


def create_structure(
    actor: StaffUser, name: str, kind: StructureKind, direction_email: str, password: str
) -> Structure:
    """Platform admin: a new structure and its first direction account, together."""
    name = name.strip()
    if db.session.scalar(select(Structure.id).where(Structure.name == name)) is not None:
        raise AdminError("name", "taken")
    if email_taken(direction_email):
        raise AdminError("email", "taken")
    if not password_ok(password):
        raise AdminError("password", "weak")
    # Every language the app has a catalogue for; the direction may offer fewer.
    languages = ",".join(current_app.config["LOCALES"])
    structure = Structure(name=name, kind=kind, languages=languages)
    db.session.add(structure)
    db.session.flush()
    db.session.add(
        StaffUser(
            email=direction_email.strip().lower(),
            password_hash=hash_secret(password),
            role=Role.DIRECTION,
            structure_id=structure.id,
        )
    )
    db.session.commit()
    return structure


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
