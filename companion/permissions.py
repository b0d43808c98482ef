"""Roles and what they may do, in one table, checked by one decorator.

Every route declares its access in exactly one way: ``@requires(capability)`` for staff,
``@learner_required`` for learners, or a place in ``OPEN_ENDPOINTS`` for pages anyone may
open (sign-in pages, the kiosk, static files). ``access_of`` reads that declaration, and
tests/web/test_permissions.py walks ``app.url_map`` so an undeclared route fails the build.
Scope (one's own structure, one's own team) is checked by ``learner_in_scope`` and friends:
a learner of another structure is a 404, so nobody learns that the id exists.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import Learner, Role
from companion.services.accounts import learner_by_id


class Capability(enum.StrEnum):
    VIEW_PROGRESS = "view_progress"  # every learner of the structure and their module status
    VIEW_TEAM_PROGRESS = "view_team_progress"  # the learners of one's team(s)
    VIEW_LEARNER_FILE = "view_learner_file"  # scores, confidence, difficulties, timeline
    MANAGE_LEARNERS = "manage_learners"  # create, edit, reset PIN, unlock, archive, cards
    WRITE_NOTES = "write_notes"  # read and write private notes
    ASSIGN = "assign"  # assign modules (encadrants: to their team only)
    ATTESTATION = "attestation"  # print or download a learner's attestation
    EXPORT = "export"  # CSV and XLSX of learners × modules
    MANAGE_PERSONAL_DATA = "manage_personal_data"  # a learner's data: see, download, erase
    OPEN_KIOSK = "open_kiosk"  # turn this browser into a kiosk of the structure
    MANAGE_STAFF = "manage_staff"  # staff accounts: create, change role, deactivate
    MANAGE_TEAMS = "manage_teams"
    MANAGE_KIOSKS = "manage_kiosks"  # list and revoke kiosks
    MANAGE_SETTINGS = "manage_settings"  # languages, kiosk delay, retention
    VIEW_STATS = "view_stats"  # anonymous statistics of the structure
    VIEW_AUDIT = "view_audit"  # the structure's audit log
    VIEW_STRUCTURES = "view_structures"  # platform admin: structures, no named learner data
    MANAGE_STRUCTURES = "manage_structures"  # platform admin: create structures and directions
    VIEW_PLATFORM_STATS = "view_platform_stats"  # anonymous statistics across structures
    OWN_ACCOUNT = "own_account"  # one's own account: two-step verification on or off
    ANSWER_DIAGNOSTIC = "answer_diagnostic"  # answer the structure's diagnostic, see its result
    MANAGE_DIAGNOSTIC = "manage_diagnostic"  # open, close, plan, export, share with the territory
    VIEW_TERRITORY = "view_territory"  # platform admin: anonymous diagnostics across structures


_CIP = frozenset(
    {
        Capability.VIEW_PROGRESS,
        Capability.VIEW_TEAM_PROGRESS,
        Capability.VIEW_LEARNER_FILE,
        Capability.MANAGE_LEARNERS,
        Capability.WRITE_NOTES,
        Capability.ASSIGN,
        Capability.ATTESTATION,
        Capability.EXPORT,
        Capability.MANAGE_PERSONAL_DATA,
        Capability.OPEN_KIOSK,
        Capability.OWN_ACCOUNT,
    }
)

# The one table. docs/roles.md shows it to people; a test checks both agree.
CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.DIRECTION: _CIP
    | {
        Capability.MANAGE_STAFF,
        Capability.MANAGE_TEAMS,
        Capability.MANAGE_KIOSKS,
        Capability.MANAGE_SETTINGS,
        Capability.VIEW_STATS,
        Capability.VIEW_AUDIT,
    },
    Role.CIP: _CIP,
    Role.ENCADRANT: frozenset(
        {
            Capability.VIEW_TEAM_PROGRESS,
            Capability.ASSIGN,
            Capability.OPEN_KIOSK,
            Capability.OWN_ACCOUNT,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Capability.VIEW_STRUCTURES,
            Capability.MANAGE_STRUCTURES,
            Capability.VIEW_PLATFORM_STATS,
            Capability.OWN_ACCOUNT,
        }
    ),
}

# The structure's digital diagnostic (services/diagnostic.py): each staff member answers,
# the direction runs it, the platform admin sees the territory's anonymous figures.
for _role in (Role.DIRECTION, Role.CIP, Role.ENCADRANT):
    CAPABILITIES[_role] |= {Capability.ANSWER_DIAGNOSTIC}
CAPABILITIES[Role.DIRECTION] |= {Capability.MANAGE_DIAGNOSTIC}
CAPABILITIES[Role.ADMIN] |= {Capability.VIEW_TERRITORY}

PUBLIC = "public"
LEARNER = "learner"

# Endpoints anyone may open: each one checks by itself who may see what (a kiosk cookie,
# a personal link, a PIN, a staff password given less than 5 minutes ago for the second
# step). Every other endpoint must carry @requires or @learner_required.
OPEN_ENDPOINTS: frozenset[str] = frozenset(
    {
        "static",
        "public.home",
        "public.about",
        "public.privacy",
        "public.accessibility",
        "public.language",
        "public.display_settings",
        "offline.service_worker",
        "offline.offline_page",
        "learner.link_signin",
        "kiosk.home",
        "kiosk.pin",
        "kiosk.close",
        "staff.signin",
        "staff.signin_code",
        "staff.signin_enrol",
        "staff.signout",
        "staff.home",
        # A one-time password link and "Mot de passe oublié ?": the token is the key.
        "staff.password_link",
        "staff.password_forgot",
        "health.health",
    }
)


def access_of(endpoint: str, view: Callable[..., object]) -> Capability | str | None:
    """The capability a route requires, PUBLIC, LEARNER, or None when it declares nothing."""
    if endpoint in OPEN_ENDPOINTS:
        return PUBLIC
    declared: Capability | str | None = getattr(view, "required_access", None)
    return declared


def role_can(role: Role, capability: Capability) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


def can(capability: Capability) -> bool:
    """Whether the signed-in staff member has this capability."""
    if not current_user.is_authenticated or current_user.is_learner:
        return False
    return role_can(current_user.role, capability)


P = ParamSpec("P")
R = TypeVar("R")


def requires(capability: Capability) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """Staff view decorator: sign-in page when signed out, 403 without the capability."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            if not current_user.is_authenticated or current_user.is_learner:
                return redirect(url_for("staff.signin", next=request.full_path))
            if not can(capability):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_access = capability  # type: ignore[attr-defined]
        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


def learner_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Learner view decorator: back to the public home when no learner is signed in."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if not current_user.is_authenticated or not current_user.is_learner:
            return redirect(url_for("public.home"))
        return view(*args, **kwargs)

    wrapped.required_access = LEARNER  # type: ignore[attr-defined]
    return wrapped


def team_scope() -> int | None:
    """The team an encadrant is limited to; None for roles that see the whole structure."""
    if current_user.role == Role.ENCADRANT:
        team_id: int | None = current_user.team_id
        return team_id if team_id is not None else -1  # no team: sees nobody
    return None


def learner_in_scope(learner_id: int, include_archived: bool = True) -> Learner:
    """The learner if the signed-in staff member may see them, else 404 (never 403)."""
    learner = learner_by_id(learner_id)
    if (
        learner is None
        or current_user.structure_id is None
        or learner.structure_id != current_user.structure_id
        or (not include_archived and learner.archived)
    ):
        abort(404)
    scope = team_scope()
    if scope is not None and learner.team_id != scope:
        abort(404)
    return learner
