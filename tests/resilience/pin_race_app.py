"""The app as `gunicorn wsgi:app` serves it, with one line appended to $PIN_CHECKS_FILE each
time a PIN is really checked (argon2): tests/resilience/test_pin_race.py counts them across
the workers. Appends of one short line are atomic, whatever worker writes."""

from __future__ import annotations

import os

from companion import create_app
from companion.services import accounts, passwords

_verify = passwords.verify_secret


def _counted(stored_hash: str, secret: str) -> bool:
    with open(os.environ["PIN_CHECKS_FILE"], "a", encoding="utf-8") as checks:
        checks.write(secret + "\n")
    return _verify(stored_hash, secret)


# The name accounts checks PINs with (imported from passwords), replaced for this app only.
setattr(accounts, "verify_secret", _counted)  # noqa: B010
app = create_app()
