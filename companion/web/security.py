"""What every request shares for safety: the client's real address behind trusted proxies,
rate limits declared on the views they guard, the security headers, where `next` may lead,
and logs without personal-link tokens."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

from companion.web import known_device
from companion.web.session import PENDING_KEY

# Behind PROXY_COUNT trusted proxies, ProxyFix has put the client's own address in
# REMOTE_ADDR: every client is counted apart, and one cannot block sign-in for the others.
limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=False)

View = TypeVar("View", bound=Callable[..., object])

# Per client address: generous enough for a kiosk where a whole team signs in at 8:00.
STAFF_SIGNIN_LIMIT = "20 per minute"
LINK_SIGNIN_LIMIT = "30 per minute"
KIOSK_PIN_LIMIT = "60 per minute"
# The second step: a code after the password, or the enrolment a structure requires.
TWO_STEP_ADDRESS_LIMIT = "20 per minute"
# A password link's token has 256 bits: the limit only keeps a script from hammering.
SET_PASSWORD_PAGE_LIMIT = "20 per minute"  # noqa: S105 - a rate, not a password
# "Mot de passe oublié ?" may send a mail: few per address, and fewer per e-mail address,
# whatever address asks, so that nobody's mailbox is flooded with reset links.
FORGOT_ADDRESS_LIMIT = "5 per minute"
FORGOT_EMAIL_LIMIT = "3 per hour"
# Per account waiting for its code, whatever address the guesses come from: 3 codes of a
# million are valid at a time, and an attacker who has the password gets at most 720
# guesses a day, about 0.2 % (see docs/security.md).
TWO_STEP_ACCOUNT_LIMIT = "5 per minute;30 per hour"
# Wrong passwords typed on a device known to the account (web/known_device.py): the owner
# is not slowed down by the account's growing waits, so the device has its own limit.
KNOWN_DEVICE_FAILURE_LIMIT = "10 per hour"


def limit_posts(
    limit: str,
    key: Callable[[], str] | None = None,
    exempt_when: Callable[[], bool] | None = None,
    deduct_when: Callable[[Response], bool] | None = None,
) -> Callable[[View], View]:
    """Declare a limit on the POSTs of the view it decorates (per address by default)."""
    decorator = limiter.limit(
        limit, methods=["POST"], key_func=key, exempt_when=exempt_when, deduct_when=deduct_when
    )
    return decorator  # type: ignore[return-value]  # the view keeps its signature


def _forgot_email() -> str:
    return "forgot:" + (request.form.get("email") or "").strip().lower()[:254]


def limit_password_forgot(view: View) -> View:
    """Per address, and per e-mail address asked for, whatever address asks."""
    view = limit_posts(FORGOT_ADDRESS_LIMIT)(view)
    return limit_posts(FORGOT_EMAIL_LIMIT, _forgot_email)(view)


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


def limit_two_step(view: View) -> View:
    """The second step's limits: per address, and per account waiting for its code."""
    view = limit_posts(TWO_STEP_ADDRESS_LIMIT)(view)
    return limit_posts(TWO_STEP_ACCOUNT_LIMIT, _pending_account, _nothing_pending)(view)


def _device_key() -> str:
    return "device:" + (known_device.device_id() or "")


def _no_known_device() -> bool:
    return known_device.device_id() is None


def _wrong_password(response: Response) -> bool:
    return response.status_code == 422


def limit_staff_signin(view: View) -> View:
    """Per address; and per known device, counting its wrong passwords only.

    The growing waits per account are kept in the database (services/staff_signin.py).
    """
    view = limit_posts(STAFF_SIGNIN_LIMIT)(view)
    return limit_posts(KNOWN_DEVICE_FAILURE_LIMIT, _device_key, _no_known_device, _wrong_password)(
        view
    )


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Powerful browser features nothing here uses: no page (nor anything injected into one)
# may ask for them. Reading aloud uses speech synthesis, which needs no permission.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), "
    "serial=(), usb=(), xr-spatial-tracking=()"
)
HSTS = "max-age=63072000; includeSubDomains"


def _headers(response: Response) -> Response:
    """Every security header of every response, set here and nowhere else."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    # The first visit's inlined stylesheet and scripts, allowed by their hashes only.
    first_visit = current_app.extensions.get("companion.first_visit")
    inlined = first_visit.csp() if first_visit is not None else ""
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY + inlined)
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config.get("PRODUCTION"):  # served over HTTPS only
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _refuse_nul() -> None:
    """A NUL character in the path, the query or a form field: 400 before any view.

    No text of this site holds one, and PostgreSQL refuses it in a text value: a view that
    looked such a value up (a personal link /s/%00, a search) would fail with a 500."""
    if "\x00" in request.path or b"%00" in request.query_string:
        abort(400)
    if request.method == "POST" and any(
        "\x00" in value for _name, value in request.form.items(multi=True)
    ):
        abort(400)


def safe_next(target: str | None) -> str | None:
    """A path of this site to go to after a form, or None: never another site.

    Browsers drop tabs, newlines and carriage returns anywhere in a URL, read '\\' as '/',
    and take '//host' or 'scheme:' to another site: '/%09/evil.example' is
    '//evil.example' to them. So only a plain path is followed: one leading '/', no control
    or invisible character, no backslash, and neither scheme nor host once parsed.
    """
    if not target or len(target) > 2000 or not target.startswith("/") or target[1:2] == "/":
        return None
    if "\\" in target or any(unicodedata.category(c) in INVISIBLE for c in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


# Control characters, invisible format marks (zero width, text direction), line and
# paragraph separators: nothing a real path of the site holds.
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})

# A learner's personal link (/s/<token>) signs in with a PIN: its token is half of the way in
# and never goes to a log, the app's or the access log (docs/deployment.md).
TOKEN_IN_PATH = re.compile(r"(/s/)[^/?#\s\"']+")
LOG_PATH = "companion.log_path"


def mask_tokens(text: str) -> str:
    return TOKEN_IN_PATH.sub(r"\1***", text)


class _MaskTokens(logging.Filter):
    """Rewrites a log record whose message holds a personal link."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class _LogPath:
    """WSGI middleware: the request's path and query, tokens masked, in the environ, where
    gunicorn's access log reads it (`%({companion.log_path}e)s`, docs/deployment.md)."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("RAW_URI") or environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        if query and "?" not in path:
            path += "?" + query
        environ[LOG_PATH] = mask_tokens(path)
        return self.app(environ, start_response)


def _mask_logs(app: Flask) -> None:
    mask = _MaskTokens()
    # The app's own logger (errors carry their URL) and werkzeug's (the development
    # server's request lines); gunicorn's access log uses the masked environ value.
    for logger in (app.logger, logging.getLogger("werkzeug")):
        if not any(isinstance(f, _MaskTokens) for f in logger.filters):
            logger.addFilter(mask)
    app.wsgi_app = _LogPath(app.wsgi_app)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Trust PROXY_COUNT proxies, start the limiter, set the headers of every response."""
    _mask_logs(app)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:
        # X-Forwarded-For (appended to by each proxy) and X-Forwarded-Proto (set by the
        # last one) only. X-Forwarded-Host is not trusted, as nginx passes on whatever a
        # client sends in it: links (QR cards, invitations) use the Host the proxy sets.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "companion")
    limiter.init_app(app)
    app.before_request(_refuse_nul)
    app.after_request(_headers)
