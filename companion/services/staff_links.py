"""Staff accounts people own: one-time links where a person sets their own password.

Nobody types another person's password. A new account (created by the direction, or a
direction by the platform admin) comes with an invitation link; a forgotten password gets
a reset link, by e-mail when SMTP is configured, else from the direction (or, for a
direction, from the platform admin). A link works once, for a limited time, and a newer
link of the same account replaces the older ones. Only a SHA-256 hash of the token is
stored: the raw token is shown once (web/shown_once.py) and never kept.

A new password ends every session of the account made before it (services/sessions.py);
the person who changes it in Mon compte keeps theirs (web/session.py ``keep_session``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update

from companion.config import MailSettings
from companion.extensions import db
from companion.models import (
    AuditAction,
    AuditEvent,
    LinkPurpose,
    Role,
    StaffLink,
    StaffUser,
    utcnow,
)
from companion.services import audit, mail, sessions
from companion.services.password_policy import password_ok
from companion.services.passwords import hash_secret, verify_secret

# Handed over in person or on paper, an invitation may wait a weekend; an e-mailed reset
# is used at once or asked again.
GIVEN_LINK_LIFETIME = timedelta(hours=72)
MAILED_LINK_LIFETIME = timedelta(hours=1)


class LinkError(ValueError):
    """The password cannot be set; reason: "invalid" (unknown, used or expired link),
    "weak" (CNIL rule), "current" (wrong current password)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(
    user: StaffUser,
    purpose: LinkPurpose,
    created_by: StaffUser | None,
    lifetime: timedelta = GIVEN_LINK_LIFETIME,
    now: datetime | None = None,
) -> str:
    """A fresh link for the account (its older unused links stop working); the raw token.

    Does not commit: the caller records why in the audit log, in the same transaction.
    """
    now = now or utcnow()
    db.session.execute(
        delete(StaffLink).where(StaffLink.user_id == user.id, StaffLink.used_at.is_(None))
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        StaffLink(
            user_id=user.id,
            token_hash=digest(token),
            purpose=purpose,
            created_by_id=created_by.id if created_by is not None else None,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def give_link(actor: StaffUser, user: StaffUser) -> str:
    """The direction (or the platform admin, for a direction) gives a new one-time link:
    an invitation again if the person never chose a password, else a reset."""
    purpose = LinkPurpose.RESET if user.password_hash else LinkPurpose.INVITATION
    token = new_link(user, purpose, actor)
    audit.record(
        actor,
        AuditAction.PASSWORD_LINK,
        detail=user.email,
        commit=False,
        structure_id=user.structure_id,
    )
    db.session.commit()
    return token


def link_by_operator(email: str, admin: bool = False) -> tuple[StaffUser, str] | None:
    """`flask staff link EMAIL`: a one-time link for an account, given by whoever runs the
    server (the platform admin's forgotten password; a structure's only direction). With
    ``admin``, the platform admin account is created first if the address has none.

    The audit log shows it with no staff member as its author. None: no such account.
    """
    address = email.strip().lower()
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == address))
    if user is None:
        if not admin:
            return None
        user = StaffUser(email=address, password_hash="", role=Role.ADMIN, structure_id=None)
        db.session.add(user)
        db.session.flush()
    if not user.active:
        return None
    purpose = LinkPurpose.RESET if user.password_hash else LinkPurpose.INVITATION
    token = new_link(user, purpose, None)
    db.session.add(
        AuditEvent(
            structure_id=user.structure_id,
            actor_id=None,
            action=AuditAction.PASSWORD_LINK,
            detail=f"{user.email} (flask staff link)",
        )
    )
    db.session.commit()
    return user, token


def valid_link(token: str, now: datetime | None = None) -> StaffLink | None:
    """The unused, unexpired link of an active account that this token opens, or None."""
    if not token or len(token) > 128:
        return None
    link = db.session.scalar(select(StaffLink).where(StaffLink.token_hash == digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= (now or utcnow()):
        return None
    if not link.user.active:
        return None
    return link


def set_password(token: str, password: str, now: datetime | None = None) -> StaffUser:
    """The person chooses their password through their link; the link is then used up."""
    now = now or utcnow()
    link = valid_link(token, now)
    if link is None:
        raise LinkError("invalid")
    if not password_ok(password):
        raise LinkError("weak")
    # One conditional UPDATE: two tabs posting the same link at once set it only once.
    claimed = cast(
        CursorResult[Any],
        db.session.execute(
            update(StaffLink)
            .where(StaffLink.id == link.id, StaffLink.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise LinkError("invalid")
    user = link.user
    user.password_hash = hash_secret(password)
    sessions.end_all_sessions(user, commit=False)
    audit.record(user, AuditAction.PASSWORD_SET, detail=str(link.purpose), commit=False)
    db.session.commit()
    return user


def change_password(user: StaffUser, current: str, new: str) -> None:
    """From "Mon compte": the current password first, then a new one that follows the rule."""
    if not verify_secret(user.password_hash, current):
        raise LinkError("current")
    if not password_ok(new):
        raise LinkError("weak")
    user.password_hash = hash_secret(new)
    # Every session made with the old password ends (the caller keeps its own).
    sessions.end_all_sessions(user, commit=False)
    # A link given earlier (forgotten, then remembered) must not reopen the account.
    db.session.execute(
        delete(StaffLink).where(StaffLink.user_id == user.id, StaffLink.used_at.is_(None))
    )
    audit.record(user, AuditAction.PASSWORD_CHANGED, commit=False)
    db.session.commit()


def request_reset(
    email: str,
    settings: MailSettings,
    compose: Callable[[StaffUser, str], tuple[str, str]],
) -> None:
    """ "Mot de passe oublié ?" with SMTP configured: a reset link by e-mail to an active
    account of that address, nothing otherwise; the caller answers the same either way.

    ``compose(user, token)`` gives the subject and body in the person's language, with the
    link built on MAIL_SITE_URL (never on the request's Host header).
    """
    user = db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower()[:254])
    )
    if user is None or not user.active:
        return
    token = new_link(user, LinkPurpose.RESET, None, lifetime=MAILED_LINK_LIFETIME)
    audit.record(user, AuditAction.RESET_REQUESTED, commit=False)
    db.session.commit()
    subject, body = compose(user, token)
    mail.send_in_background(settings, mail.message(settings, user.email, subject, body))


def open_links(user_ids: list[int], now: datetime | None = None) -> dict[int, StaffLink]:
    """Each account's unused link (expired or not), for the staff list: one query."""
    if not user_ids:
        return {}
    rows = db.session.scalars(
        select(StaffLink).where(StaffLink.user_id.in_(user_ids), StaffLink.used_at.is_(None))
    )
    return {link.user_id: link for link in rows}
