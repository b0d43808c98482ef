"""Devices where a staff member signed in successfully before: a long-lived signed cookie.

Wrong passwords on an account make its next tries wait longer and longer
(services/staff_signin.py). Whoever guesses from elsewhere cannot lock the owner out this
way: on a device known to the account, the owner is not made to wait. The cookie only
spares the waits, it signs nobody in; a known device has its own limit on wrong passwords
(web/security.py) and forgets the account after KNOWN_DEVICE_DAYS without a sign-in.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE = "companion_device"
KNOWN_DEVICE_DAYS = 180
MAX_AGE = KNOWN_DEVICE_DAYS * 24 * 3600
# A shared office computer may be known to a few accounts; the oldest is forgotten first.
MAX_ACCOUNTS = 8


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="companion-known-device")


def _read() -> tuple[str, list[int]] | None:
    """The device's random id and the accounts it knows, from a valid, recent cookie."""
    if "known_device" not in g:
        g.known_device = None
        raw = request.cookies.get(COOKIE)
        if raw and len(raw) < 1024:
            try:
                data = _serializer().loads(raw, max_age=MAX_AGE)
            except BadSignature:
                data = None
            if isinstance(data, dict):
                device, accounts = data.get("d"), data.get("a")
                if isinstance(device, str) and isinstance(accounts, list):
                    ids = [a for a in accounts if isinstance(a, int)]
                    g.known_device = (device, ids)
    known: tuple[str, list[int]] | None = g.known_device
    return known


def device_id() -> str | None:
    """The random id of this device, when it has a valid known-device cookie."""
    known = _read()
    return known[0] if known else None


def knows(user_id: int) -> bool:
    """Whether this account signed in successfully on this device (recently enough)."""
    known = _read()
    return known is not None and user_id in known[1]


def remember(response: Response, user_id: int) -> None:
    """After a successful sign-in: this device knows the account, for KNOWN_DEVICE_DAYS more."""
    device, accounts = _read() or (secrets.token_urlsafe(16), [])
    accounts = [*[a for a in accounts if a != user_id][-(MAX_ACCOUNTS - 1) :], user_id]
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"d": device, "a": accounts}),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE") or request.is_secure),
    )
