"""The device's language and the account's, kept in step at sign-in and sign-out."""

from __future__ import annotations

from typing import Any

from flask import Flask, after_this_request, g, request, session
from flask_login import user_logged_in, user_logged_out
from werkzeug.wrappers import Response

from companion.i18n import LANG_COOKIE, supported
from companion.services.preferences import save_locale


def _adopt_device_language(sender: Flask, user: Any, **extra: Any) -> None:
    """At sign-in, a language chosen on this device just before is saved on the account."""
    chosen = supported(request.cookies.get(LANG_COOKIE))
    if chosen and chosen != getattr(user, "locale", None):
        save_locale(user, chosen)
    g.pop("locale_info", None)


def _forget_kiosk_language(sender: Flask, user: Any, **extra: Any) -> None:
    """A shared kiosk goes back to French for the next person after a learner signs out."""
    if not session.get("via_kiosk"):
        return

    @after_this_request
    def _clear(response: Response) -> Response:
        response.delete_cookie(LANG_COOKIE)
        return response


def init_app(app: Flask) -> None:
    user_logged_in.connect(_adopt_device_language, app)
    user_logged_out.connect(_forget_kiosk_language, app)
