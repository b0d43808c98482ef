"""The device's language and the account's, kept in step at sign-in and sign-out."""

from __future__ import annotations

from typing import Any

from flask import Flask, after_this_request, g, request, session
from flask_login import user_logged_in, user_logged_out
from werkzeug.wrappers import Response

from companion.i18n import CONTRAST_COOKIE, LANG_COOKIE, TEXT_COOKIE, supported
from companion.services.preferences import save_locale
from companion.web.session import current_kiosk


def _adopt_device_language(sender: Flask, user: Any, **extra: Any) -> None:
    """At sign-in, a language chosen on this device just before is saved on the account."""
    chosen = supported(request.cookies.get(LANG_COOKIE))
    if chosen and chosen != getattr(user, "locale", None):
        save_locale(user, chosen)
    g.pop("locale_info", None)


def _reset_kiosk_device(sender: Flask, user: Any, **extra: Any) -> None:
    """A shared kiosk goes back to French, normal text and normal contrast for the next
    person after a learner signs out ("J'ai fini" or inactivity), whichever way they
    signed in on it (its list of names, or their personal link)."""
    if not session.get("via_kiosk") and current_kiosk() is None:
        return

    @after_this_request
    def _clear(response: Response) -> Response:
        for name in (LANG_COOKIE, TEXT_COOKIE, CONTRAST_COOKIE):
            response.delete_cookie(name)
        return response


def init_app(app: Flask) -> None:
    user_logged_in.connect(_adopt_device_language, app)
    user_logged_out.connect(_reset_kiosk_device, app)
