"""A person's saved preferences: the interface language on their account."""

from __future__ import annotations

from companion.extensions import db
from companion.models import Learner, StaffUser


def save_locale(user: Learner | StaffUser, tag: str) -> None:
    """Save the language a learner or a staff member chose (a code the app ships)."""
    user.locale = tag
    db.session.commit()
