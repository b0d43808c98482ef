"""Public pages: the front door that sends each visitor to their own space."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.web.session import current_kiosk

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("learner.home" if current_user.is_learner else "staff.home"))
    if current_kiosk() is not None:
        return redirect(url_for("kiosk.home"))
    return render_template("public/home.html")


@bp.get("/a-propos")
def about() -> str:
    return render_template("public/about.html")
