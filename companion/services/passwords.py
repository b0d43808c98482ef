"""Hashing of staff passwords and learner PINs with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2id with the library's current recommended parameters. The test settings replace
# _hasher with a cheap one; APP_HASHER stays what the app uses.
APP_HASHER = PasswordHasher()
_hasher = APP_HASHER


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_dummy_hash: str | None = None


def dummy_hash() -> str:
    """Verified against when the account does not exist, so a wrong e-mail costs the same time.

    Made on first use with the hasher in force, not at import: the test settings swap in a
    cheap hasher, and a hash made at import would keep the full cost on every unknown e-mail.
    """
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_secret("not-a-real-password-but-constant-time")
    return _dummy_hash
