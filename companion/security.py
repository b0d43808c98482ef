"""Rate limits on sign-in and production-only transport headers."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=False)

# Per client address: generous enough for a kiosk where a whole team signs in at 8:00.
SIGNIN_LIMITS: dict[str, str] = {
    "staff.signin": "20 per minute",
    "learner.link_signin": "30 per minute",
    "kiosk.pin": "60 per minute",
}


def _submitted_email() -> str:
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


def _limit_posts(app: Flask, endpoint: str, limit: str, key: Callable[[], str] | None) -> None:
    view = app.view_functions[endpoint]
    limited = limiter.limit(limit, methods=["POST"], key_func=key)(view)
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
    if app.config.get("PRODUCTION"):
        app.after_request(_hsts)
