"""The password rule for staff accounts: the CNIL target of 80 bits (délibération 2022-100),
measured by the same estimator as the learners' password lab (catalogue/password_strength.py).

One estimator means one truth: a password the lab calls strong is accepted here, and the
ways the module teaches (12 random signs of 4 kinds, 14 of 3 kinds, 7 random words) pass.
"""

from __future__ import annotations


def is_leaked(password: str) -> bool:
    """In the bundled list of leaked passwords, alone or dressed up with digits and signs.

    "Password2024!" meets the length rule but is the leaked "password" plus a year: refused.
    """
    from companion.catalogue.password_strength import is_leaked as leaked

    return leaked(password)


def password_ok(password: str) -> bool:
    """Strong enough: at least 80 bits by the estimator (so never a leaked password)."""
    from companion.catalogue.password_strength import estimate

    return estimate(password).strong
