"""Ending sessions: every cookie of an account at once, wherever it is.

A session keeps the version its account had at sign-in (web/session.py compares it at each
request). Raising the version ends every session made before, on every device and in every
copy of the cookie: sign-out, deactivation, a new password, "Se déconnecter partout", and a
CIP signing a learner's phones out all come here.
"""

from __future__ import annotations

from sqlalchemy import update

from companion.extensions import db
from companion.models import AuditAction, Learner, StaffUser
from companion.services import audit


def end_all_sessions(user: StaffUser, commit: bool = True) -> int:
    """Every session of this staff account ends at its next request; the new version.

    One UPDATE adding 1, so two servers ending sessions at once never both write the same
    version (one of the old cookies would otherwise match it again).
    """
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(session_version=StaffUser.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["session_version"])
    if commit:
        db.session.commit()
    return user.session_version


def sign_out_everywhere(user: StaffUser) -> None:
    """ "Se déconnecter partout" in Mon compte: this browser too, and a line in the log."""
    end_all_sessions(user, commit=False)
    audit.record(user, AuditAction.SIGNED_OUT_EVERYWHERE, commit=False)
    db.session.commit()


def end_learner_sessions(actor: StaffUser, learner: Learner) -> None:
    """A CIP signs a learner out of their phones (and of any kiosk); the PIN and the personal
    link stay the same, so the learner signs in again as before."""
    db.session.execute(
        update(Learner)
        .where(Learner.id == learner.id)
        .values(session_version=Learner.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(learner, ["session_version"])
    audit.record(actor, AuditAction.LEARNER_SIGNED_OUT, learner, commit=False)
    db.session.commit()
