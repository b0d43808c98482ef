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


def password_ok(password: str) -> bool:
    """12+ characters of 4 kinds, or 14+ characters of 3 kinds, or a passphrase of 7+ words."""
    if len(re.findall(r"[^\W\d_]{2,}", password)) >= MIN_WORDS:
        return True
    kinds = character_kinds(password)
    return (len(password) >= 12 and kinds >= 4) or (len(password) >= 14 and kinds >= 3)
