"""Public pages: the front door, the language and reading settings, the statements."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.i18n import (
    CONTRAST_COOKIE,
    CONTRASTS,
    LANG_COOKIE,
    LANG_PARAM,
    SOURCE_LOCALE,
    TEXT_COOKIE,
    TEXT_SIZES,
    remember,
    supported,
)
from companion.services.preferences import save_locale
from companion.web.security import safe_next
from companion.web.session import current_kiosk

bp = Blueprint("public", __name__)


def back_to(target: str | None) -> str:
    """The page the setting was changed on: a path on this site, without ?lang=."""
    target = safe_next(target)
    if target is None:
        return url_for("public.home")
    parts = urlsplit(target)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != LANG_PARAM])
    return parts.path + (f"?{query}" if query else "")


@bp.get("/")
def home() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("learner.home" if current_user.is_learner else "staff.home"))
    if current_kiosk() is not None:
        return redirect(url_for("kiosk.home"))
    return render_template("public/home.html")


@bp.post("/langue")
def language() -> Response:
    """Choose the interface language: saved on the account, remembered by the device."""
    tag = supported(request.form.get("locale")) or SOURCE_LOCALE
    if current_user.is_authenticated:
        save_locale(current_user, tag)
    response = redirect(back_to(request.form.get("next")))
    remember(response, LANG_COOKIE, tag)
    return response


@bp.post("/affichage")
def display_settings() -> Response:
    """Text size and contrast, remembered by this device only (a kiosk is shared)."""
    response = redirect(back_to(request.form.get("next")))
    text = request.form.get("text")
    if text in TEXT_SIZES:
        remember(response, TEXT_COOKIE, text)
    contrast = request.form.get("contrast")
    if contrast in CONTRASTS:
        remember(response, CONTRAST_COOKIE, contrast)
    return response


@bp.get("/a-propos")
def about() -> str:
    return render_template("public/about.html")


@bp.get("/accessibilite")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/confidentialite")
def privacy() -> str:
    """The privacy notice for learners, in easy-to-read French."""
    structure = None
    if current_user.is_authenticated and current_user.is_learner:
        structure = current_user.structure
    elif (kiosk := current_kiosk()) is not None:
        structure = kiosk.structure
    months = structure.retention_months if structure is not None else None
    return render_template("public/privacy.html", months=months)
