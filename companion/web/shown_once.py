"""A secret shown once survives a reload of its page, for the same session only, briefly.

A new PIN or a one-time link is on the screen right after it is made (post/redirect/get):
reloading the page shows it again instead of posting the form twice (a second learner, a
false "this name is taken"). It lives in the signed session cookie of the staff member who
made it, for 10 minutes, never in the database; a new sign-in clears it (web/session.py).
The cookie is HttpOnly and, in production, Secure: whoever could read it could as well use
the staff session it belongs to.
"""

from __future__ import annotations

import time

from flask import session

KEY = "shown_once"
KEPT_SECONDS = 10 * 60


def keep(kind: str, ident: int, value: str) -> None:
    """Remember one secret (the latest replaces any other) for this session."""
    session[KEY] = {"kind": kind, "id": ident, "value": value, "at": int(time.time())}


def kept(kind: str, ident: int) -> str | None:
    """The secret kept for this kind and id, if still fresh; else None (and forgotten)."""
    data = session.get(KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - int(data.get("at", 0)) > KEPT_SECONDS:
        session.pop(KEY, None)
        return None
    if data.get("kind") != kind or data.get("id") != ident:
        return None
    value = data.get("value")
    return value if isinstance(value, str) else None
