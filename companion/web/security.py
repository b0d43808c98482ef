"""Rate limits on sign-in and production-only transport headers."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from companion.web.session import PENDING_KEY

limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=False)

# Per client address: generous enough for a kiosk where a whole team signs in at 8:00.
SIGNIN_LIMITS: dict[str, str] = {
    "staff.signin": "20 per minute",
    "learner.link_signin": "30 per minute",
    "kiosk.pin": "60 per minute",
    # The second step: a code after the password, or the enrolment a structure requires.
    "staff.signin_code": "20 per minute",
    "staff.signin_enrol": "20 per minute",
    # A password link's token has 256 bits: the limit only keeps a script from hammering.
    "staff.password_link": "20 per minute",
    # Each request may send a mail: few per address, and fewer per e-mail address (below).
    "staff.password_forgot": "5 per minute",
}
# "Mot de passe oublié ?" for one e-mail address, whatever address asks: nobody's mailbox
# is flooded with reset links (docs/security.md).
FORGOT_EMAIL_LIMIT = "3 per hour"
# Per account waiting for its code, whatever address the guesses come from: 3 codes of a
# million are valid at a time, and an attacker who has the password gets at most 720
# guesses a day, about 0.2 % (see docs/security.md).
TWO_STEP_ACCOUNT_LIMIT = "5 per minute;30 per hour"


def _submitted_email() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def _forgot_email() -> str:
    return "forgot:" + (request.form.get("email") or "").strip().lower()[:254]


def _pending_user() -> int | None:
    pending = session.get(PENDING_KEY)
    user_id = pending.get("user") if isinstance(pending, dict) else None
    return user_id if isinstance(user_id, int) else None


def _pending_account() -> str:
    """The account whose code is awaited (web/session.py)."""
    return f"two-step:{_pending_user()}"


def _nothing_pending() -> bool:
    """No code awaited: the page sends back to the password, only the address limit counts."""
    return _pending_user() is None


def _limit_posts(
    app: Flask,
    endpoint: str,
    limit: str,
    key: Callable[[], str] | None,
    exempt_when: Callable[[], bool] | None = None,
) -> None:
    view = app.view_functions[endpoint]
    limited = limiter.limit(limit, methods=["POST"], key_func=key, exempt_when=exempt_when)(view)
    app.view_functions[endpoint] = limited  # type: ignore[assignment]  # sync view stays sync


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: it wraps their sign-in views."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "companion")
    limiter.init_app(app)
    for endpoint, limit in SIGNIN_LIMITS.items():
        _limit_posts(app, endpoint, limit, None)
    # A second limit on one e-mail address, whatever address the guesses come from.
    _limit_posts(app, "staff.signin", "10 per minute", _submitted_email)
    _limit_posts(app, "staff.password_forgot", FORGOT_EMAIL_LIMIT, _forgot_email)
    for endpoint in ("staff.signin_code", "staff.signin_enrol"):
        _limit_posts(app, endpoint, TWO_STEP_ACCOUNT_LIMIT, _pending_account, _nothing_pending)
    if app.config.get("PRODUCTION"):
        app.after_request(_hsts)
