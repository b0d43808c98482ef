"""Two-step verification for staff (TOTP, RFC 6238): enrol, check a code, turn off, reset.

A staff member enrols with an authenticator app: the secret is made when the enrolment page
first opens (kept, not yet asked at sign-in) and two-step verification is on once a first
code from the app is confirmed. A code is accepted one 30-second step before or after the
server's clock, and never twice: the step of the last accepted code is stored and moved
forward in one conditional UPDATE, so two requests bringing the same code cannot both pass.
"""

from __future__ import annotations

import hmac
import re
import time
import unicodedata
from typing import Any, cast

import pyotp
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm.attributes import set_committed_value

from companion.extensions import db
from companion.models import AuditAction, AuditEvent, Role, StaffUser, utcnow
from companion.services import audit, sessions

ISSUER = "Compagnon numérique"
STEP_SECONDS = 30
WINDOW = 1  # steps accepted before and after the current one: a phone clock a little off
DIGITS = 6
_CODE = re.compile(rf"[0-9]{{{DIGITS}}}")


def _clock() -> float:
    """Seconds since the epoch; tests replace it to compute codes for a known step."""
    return time.time()


class TwoStepError(ValueError):
    """The change cannot be made. reason: "code" (wrong or used code), "required" (the
    structure requires it for this account), "self" (reset one's own), "enabled"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def required_for(user: StaffUser) -> bool:
    """Whether the user's structure requires two-step verification for their role."""
    return (
        user.role == Role.DIRECTION
        and user.structure is not None
        and user.structure.require_totp_for_direction
    )


def must_enrol(user: StaffUser) -> bool:
    """Required for this account but not turned on yet: enrol before anything else."""
    return required_for(user) and not user.two_step_enabled


def enrolment_secret(user: StaffUser) -> str:
    """The secret being enrolled: made on the first call, the same until confirmed or reset.

    Keeping it lets a person who scanned the QR code reload the page, or mistype a code,
    without scanning again.
    """
    if user.two_step_enabled:
        raise TwoStepError("enabled")
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32()
        user.totp_last_step = None
        db.session.commit()
    return user.totp_secret


def provisioning_uri(user: StaffUser, secret: str) -> str:
    """The otpauth:// address the QR code carries: the app shows the issuer and e-mail."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=ISSUER
    )


def grouped(secret: str) -> str:
    """The secret in groups of 4 characters, easier to type by hand into the app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str:
    """What the person typed, without the spaces or dashes some apps show in the middle,
    and with digits typed on an Arabic keyboard (٠ to ٩) read as 0 to 9."""
    return "".join(
        str(unicodedata.decimal(ch)) if ch.isdecimal() else ch
        for ch in re.sub(r"[\s-]", "", code or "")
    )


def _matching_step(secret: str, code: str, now: float) -> int | None:
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int(now // STEP_SECONDS)
    found = None
    for step in range(current - WINDOW, current + WINDOW + 1):
        # Every step is compared, in constant time: the timing says nothing of which matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def _accept(user: StaffUser, secret: str, code: str, now: float | None) -> bool:
    """Whether the code is right and newer than the last one accepted; if so, remember it."""
    step = _matching_step(secret, normalise(code), _clock() if now is None else now)
    if step is None:
        return False
    statement = (
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    result = cast("CursorResult[Any]", db.session.execute(statement))
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)  # already written by the UPDATE
    return True


def verify(user: StaffUser, code: str, now: float | None = None) -> bool:
    """A sign-in code: right for the user's secret, within one step, never used before."""
    if not user.two_step_enabled or user.totp_secret is None:
        return False
    accepted = _accept(user, user.totp_secret, code, now)
    if accepted:
        db.session.commit()
    return accepted


def enable(user: StaffUser, code: str, now: float | None = None) -> None:
    """Turn two-step verification on once a first code from the app proves the enrolment."""
    if user.two_step_enabled:
        raise TwoStepError("enabled")
    if user.totp_secret is None or not _accept(user, user.totp_secret, code, now):
        raise TwoStepError("code")
    user.totp_enabled_at = utcnow()
    audit.record(user, AuditAction.TWO_STEP_ENABLED, commit=False)
    db.session.commit()


def _clear(user: StaffUser) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None


def disable(user: StaffUser, code: str, now: float | None = None) -> None:
    """Turn it off, with a current code; refused where the structure requires it."""
    if required_for(user):
        raise TwoStepError("required")
    if not verify(user, code, now):
        raise TwoStepError("code")
    _clear(user)
    audit.record(user, AuditAction.TWO_STEP_DISABLED, commit=False)
    db.session.commit()


def reset(actor: StaffUser, user: StaffUser) -> None:
    """The direction clears a member's two-step verification (a lost or changed phone).

    The member signs in with their password alone, then enrols again (at once if their
    structure requires it for their role); the sessions they had open end (the lost phone's
    too). One's own goes through the account page, which asks for a code.
    """
    if user.id == actor.id:
        raise TwoStepError("self")
    if user.structure_id is None or user.structure_id != actor.structure_id:
        raise TwoStepError("scope")
    _clear(user)
    # The lost phone may hold an open session too: every session of the member ends.
    sessions.end_all_sessions(user, commit=False)
    audit.record(actor, AuditAction.TWO_STEP_RESET, detail=user.email, commit=False)
    db.session.commit()


def reset_by_operator(email: str) -> StaffUser | None:
    """`flask two-step reset EMAIL`: for the platform admin, or a structure's only direction.

    The structure's audit log shows the reset with no staff member as its author.
    """
    user = db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    )
    if user is None:
        return None
    _clear(user)
    sessions.end_all_sessions(user, commit=False)
    db.session.add(
        AuditEvent(
            structure_id=user.structure_id,
            actor_id=None,
            action=AuditAction.TWO_STEP_RESET,
            detail=f"{user.email} (flask two-step reset)",
        )
    )
    db.session.commit()
    return user
