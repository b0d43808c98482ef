"""Kiosk: a shared screen where learners tap their name and type their PIN."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from companion.services.kiosks import kiosk_learner, kiosk_learners
from companion.web.pin import pin_page
from companion.web.security import KIOSK_PIN_LIMIT, limit_posts
from companion.web.session import current_kiosk

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


@bp.get("/")
def home() -> ResponseReturnValue:
    kiosk = current_kiosk()
    if kiosk is None:
        return render_template("kiosk/not_a_kiosk.html"), 403
    if current_user.is_authenticated and current_user.is_learner:
        return redirect(url_for("learner.home"))
    return render_template("kiosk/home.html", kiosk=kiosk, learners=kiosk_learners(kiosk))


@bp.route("/learners/<int:learner_id>", methods=["GET", "POST"])
@limit_posts(KIOSK_PIN_LIMIT)
def pin(learner_id: int) -> ResponseReturnValue:
    kiosk = current_kiosk()
    if kiosk is None:
        return render_template("kiosk/not_a_kiosk.html"), 403
    learner = kiosk_learner(kiosk, learner_id)
    if learner is None:
        abort(404)
    return pin_page(learner, via_kiosk=True, back_url=url_for(".home"))
