"""Roles and what they may do, in one table, checked by one decorator."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import Role


class Capability(enum.StrEnum):
    VIEW_PROGRESS = "view_progress"  # the structure's learners and their module status
    VIEW_TEAM_PROGRESS = "view_team_progress"  # only the learners of one's team(s)
    OPEN_KIOSK = "open_kiosk"  # turn this browser into a kiosk of the structure
    VIEW_STRUCTURES = "view_structures"  # platform admin: structures, no named learner data


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.DIRECTION: frozenset(
        {Capability.VIEW_PROGRESS, Capability.VIEW_TEAM_PROGRESS, Capability.OPEN_KIOSK}
    ),
    Role.CIP: frozenset(
        {Capability.VIEW_PROGRESS, Capability.VIEW_TEAM_PROGRESS, Capability.OPEN_KIOSK}
    ),
    Role.ENCADRANT: frozenset({Capability.VIEW_TEAM_PROGRESS, Capability.OPEN_KIOSK}),
    Role.ADMIN: frozenset({Capability.VIEW_STRUCTURES}),
}


def can(capability: Capability) -> bool:
    """Whether the signed-in staff member has this capability."""
    if not current_user.is_authenticated or current_user.is_learner:
        return False
    return capability in CAPABILITIES.get(current_user.role, frozenset())


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

    return wrapped
