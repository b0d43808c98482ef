"""The CNIL password rule for staff accounts (délibération 2022-100, about 80 bits)."""

from __future__ import annotations

import re

MIN_WORDS = 7


def character_kinds(password: str) -> int:
    """How many of the four kinds appear: capitals, small letters, digits, other signs."""
    kinds = [
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() and not c.isspace() for c in password),
    ]
    return sum(kinds)


def is_leaked(password: str) -> bool:
    """In the bundled list of leaked passwords, alone or dressed up with digits and signs.

    "Password2024!" meets the length rule but is the leaked "password" plus a year: refused.
    """
    from companion.catalogue.steps.password_lab import lists

    leaked = lists().leaked
    folded = password.casefold().strip()
    if folded in leaked:
        return True
    core = re.sub(r"[\W\d_]+", "", folded)
    return len(core) >= 4 and core in leaked


def password_ok(password: str) -> bool:
    """12+ characters of 4 kinds, or 14+ characters of 3 kinds, or a passphrase of 7+ words;
    and not a leaked password."""
    if is_leaked(password):
        return False
    if len(re.findall(r"[^\W\d_]{2,}", password)) >= MIN_WORDS:
        return True
    kinds = character_kinds(password)
    return (len(password) >= 12 and kinds >= 4) or (len(password) >= 14 and kinds >= 3)
