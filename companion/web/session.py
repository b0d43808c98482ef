"""Who is signed in: loading users, fresh sessions, kiosk inactivity and no-store pages."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Response as FlaskResponse
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from companion.models import Kiosk, Learner, StaffUser
from companion.services.accounts import learner_by_id, staff_by_id
from companion.services.kiosks import kiosk_by_token

KIOSK_COOKIE = "companion_kiosk"
# The service worker sends this header when it keeps a module's later steps for offline use
# (web/offline.py).
PRECACHE_HEADER = "X-Companion-Precache"
KIOSK_COOKIE_MAX_AGE = 400 * 24 * 3600
# The account's session version at sign-in (services/sessions.py), and when it was.
VERSION_KEY = "sv"
SIGNED_IN_KEY = "signed_in_at"


def load_user(user_id: str) -> StaffUser | Learner | None:
    kind, _sep, raw = user_id.partition(":")
    if not raw.isdigit():
        return None
    if kind == "staff":
        user = staff_by_id(int(raw))
        # A deactivated account's open sessions end at its next request, and so does every
        # session made before a sign-out, a new password or "Se déconnecter partout"
        # (services/sessions.py raises the version; a session without one is refused).
        if user is None or not user.active or session.get(VERSION_KEY) != user.session_version:
            return None
        return user
    if kind == "learner":
        learner = learner_by_id(int(raw))
        # An archived (or erased) learner's open sessions end at their next request, and
        # so do those opened with a PIN that was replaced since (a lost phone or card), and
        # those a CIP signed out (sessions opened before versions existed count as 0).
        if (
            learner is None
            or learner.archived
            or session.get("pin_mark") != pin_mark(learner)
            or session.get(VERSION_KEY, 0) != learner.session_version
        ):
            return None
        return learner
    return None


def current_kiosk() -> Kiosk | None:
    """The kiosk this browser is, if a staff member made it one and it was not revoked."""
    if "kiosk" not in g:
        g.kiosk = kiosk_by_token(request.cookies.get(KIOSK_COOKIE))
    kiosk: Kiosk | None = g.kiosk
    return kiosk


def pin_mark(learner: Learner) -> str:
    """A short fingerprint of the learner's current PIN hash, kept in their session."""
    return hashlib.sha256(learner.pin_hash.encode()).hexdigest()[:16]


def sign_in(user: StaffUser | Learner, via_kiosk: bool = False) -> None:
    """A brand-new session for every sign-in: nothing of a previous user carries over."""
    session.clear()
    login_user(user)
    if isinstance(user, Learner):
        session["pin_mark"] = pin_mark(user)
    session[VERSION_KEY] = user.session_version
    session["via_kiosk"] = via_kiosk
    now = int(time.time())
    session[SIGNED_IN_KEY] = now
    session["last_seen"] = now


def keep_session(user: StaffUser) -> None:
    """After the account's version was raised from this session (a new password): this
    session takes the new version and goes on; every other one has ended."""
    session[VERSION_KEY] = user.session_version


def sign_out() -> None:
    logout_user()
    session.clear()


# Between a right password and the second step (a code, or the enrolment that a structure
# requires), the session holds who and when, and nobody is signed in.
PENDING_KEY = "two_step_pending"
PENDING_SECONDS = 5 * 60


@dataclass(frozen=True)
class PendingSignin:
    user: StaffUser
    next: str | None
    enrol: bool  # True: must enrol first; False: must type a code


def begin_two_step(user: StaffUser, next_path: str | None, enrol: bool) -> None:
    """The password was right: end any previous session and wait for the second step."""
    sign_out()
    session[PENDING_KEY] = {
        "user": user.id,
        "at": int(time.time()),
        "next": next_path or "",
        "enrol": enrol,
    }


def pending_signin() -> tuple[PendingSignin | None, bool]:
    """The staff member waiting for their second step, and whether a wait just expired.

    Nothing is pending after 5 minutes, nor for an account deactivated meanwhile.
    """
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None, False
    user_id, started = data.get("user"), data.get("at")
    if not isinstance(user_id, int) or not isinstance(started, int):
        session.pop(PENDING_KEY, None)
        return None, False
    if time.time() - started > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None, True
    user = staff_by_id(user_id)
    if user is None or not user.active:
        session.pop(PENDING_KEY, None)
        return None, False
    return PendingSignin(user, str(data.get("next") or "") or None, bool(data.get("enrol"))), False


DEFAULT_KIOSK_IDLE_SECONDS = 180


def kiosk_idle_seconds() -> int:
    """The signed-in learner's structure's delay (direction settings), else the app's.

    An app configured with another KIOSK_IDLE_SECONDS than the built-in default (tests,
    a deployment) keeps its own value everywhere.
    """
    configured = int(current_app.config["KIOSK_IDLE_SECONDS"])
    if configured != DEFAULT_KIOSK_IDLE_SECONDS:
        return configured
    structure = getattr(current_user, "structure", None) if current_user else None
    if structure is not None and getattr(current_user, "is_learner", False):
        return int(structure.kiosk_idle_seconds)
    return configured


def idle_limit(app: Flask) -> int:
    return kiosk_idle_seconds() + int(app.config["KIOSK_WARNING_SECONDS"])


def _enforce_kiosk_idle() -> Response | None:
    """Sign a learner out of a kiosk after inactivity, even when JavaScript is off."""
    if not session.get("via_kiosk") or not current_user.is_authenticated:
        return None
    now = int(time.time())
    last = int(session.get("last_seen", now))
    if now - last > idle_limit(current_app):
        sign_out()
        flash(_("Vous avez été déconnecté car personne n'utilisait la borne."), "info")
        return redirect(url_for("kiosk.home"))
    if request.endpoint != "static" and not _background_request():
        session["last_seen"] = now  # a page kept in the background is not someone at the kiosk
    return None


def staff_idle_seconds() -> int:
    return int(float(current_app.config["STAFF_IDLE_MINUTES"]) * 60)


def _enforce_staff_lifetime() -> Response | None:
    """A staff session ends after STAFF_IDLE_MINUTES without a request and STAFF_SESSION_HOURS
    after its sign-in, however busy: a cookie copied or left on a shared computer expires."""
    if not current_user.is_authenticated or current_user.is_learner:
        return None
    now = int(time.time())
    signed_in, last = session.get(SIGNED_IN_KEY), session.get("last_seen")
    if not isinstance(signed_in, int) or not isinstance(last, int):
        expired = True
    else:
        lifetime = int(float(current_app.config["STAFF_SESSION_HOURS"]) * 3600)
        expired = now - signed_in > lifetime or now - last > staff_idle_seconds()
    if expired:
        idle = isinstance(last, int) and now - last > staff_idle_seconds()
        sign_out()
        if idle:
            flash(_("Vous avez été déconnecté car personne n'utilisait la page."), "info")
        else:
            flash(_("Votre session a expiré. Connectez-vous de nouveau."), "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("staff.signin", next=target))
    if request.endpoint != "static" and not _background_request():
        session["last_seen"] = now
    return None


def _no_store(response: Response) -> Response:
    """Pages are never kept by the browser: after sign-out, Back shows nothing of anyone."""
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


# Requests the service worker makes on its own, in the background: the offline page and the
# worker itself (kept when it installs), a module's list of files and the pages it keeps.
BACKGROUND_ENDPOINTS = frozenset(
    {"offline.offline_page", "offline.service_worker", "offline.module_files"}
)


def _background_request() -> bool:
    return request.endpoint in BACKGROUND_ENDPOINTS or (
        request.method == "GET" and request.headers.get(PRECACHE_HEADER) == "1"
    )


def is_background_request() -> bool:
    """Whether the service worker asked for this on its own (the page must set no cookie)."""
    return _background_request()


class ForegroundSessionInterface(SecureCookieSessionInterface):
    """The session cookie is written by what the person does, never by background requests.

    A background request leaves with the cookie of the moment it was sent. If its answer
    came back after a sign-in, a sign-out or a kiosk's change of learner and set the cookie,
    it would put back the session that had just been replaced: signed out right after
    signing in, or a learner's session back on a kiosk after "J'ai fini". So their answers
    never set it (tests/web/test_offline.py).
    """

    def save_session(self, app: Flask, session: SessionMixin, response: FlaskResponse) -> None:
        if has_request_context() and _background_request():
            return
        super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        # Production, or a request that came over HTTPS (behind a trusted proxy that says so,
        # web/security.py): the cookie never travels in clear afterwards.
        return bool(super().get_cookie_secure(app) or (has_request_context() and request.is_secure))


def init_app(app: Flask) -> None:
    app.session_interface = ForegroundSessionInterface()
    login_manager: LoginManager = app.login_manager  # type: ignore[attr-defined]
    login_manager.user_loader(load_user)
    # "basic", not "strong": a phone that changes network mid-module must stay signed in.
    login_manager.session_protection = "basic"
    login_manager.login_view = None
    app.jinja_env.globals["kiosk_idle_seconds"] = kiosk_idle_seconds
    app.jinja_env.globals["staff_idle_seconds"] = staff_idle_seconds
    app.before_request(_enforce_kiosk_idle)
    app.before_request(_enforce_staff_lifetime)
    app.after_request(_no_store)
