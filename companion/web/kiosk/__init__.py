"""Kiosk: a shared screen where learners tap their name and type their PIN."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from companion.permissions import Capability, role_can
from companion.services import administration, staff_signin
from companion.services.kiosks import kiosk_learner, kiosk_learners
from companion.web import known_device
from companion.web.forms import StaffSigninForm
from companion.web.pin import pin_page
from companion.web.security import KIOSK_PIN_LIMIT, STAFF_SIGNIN_LIMIT, limit_posts
from companion.web.session import KIOSK_COOKIE, current_kiosk

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


@bp.route("/close", methods=["GET", "POST"])
@limit_posts(STAFF_SIGNIN_LIMIT)
def close() -> ResponseReturnValue:
    """ "Fermer la borne": a staff member of the kiosk's structure who may open kiosks ends
    the kiosk mode here with their e-mail and password. The kiosk is revoked and this
    browser forgets it; nobody is signed in (wrong passwords count as at the sign-in)."""
    kiosk = current_kiosk()
    if kiosk is None:
        return render_template("kiosk/not_a_kiosk.html"), 403
    form = StaffSigninForm()
    error = None
    status = 200
    if form.validate_on_submit():
        result = staff_signin.authenticate(
            form.email.data or "", form.password.data or "", known_device.knows
        )
        user = result.user
        if (
            user is not None
            and user.structure_id == kiosk.structure_id
            and role_can(user.role, Capability.OPEN_KIOSK)
        ):
            administration.revoke_kiosk(user, kiosk)
            flash(_("Cet appareil n'est plus une borne."), "info")
            response = redirect(url_for("public.home"))
            response.delete_cookie(KIOSK_COOKIE)
            return response
        status = 429 if result.refused else 422
        error = _(
            "Adresse e-mail ou mot de passe incorrect, ou ce compte ne peut pas fermer cette borne."
        )
    elif form.is_submitted():
        error = _("Remplissez l'adresse e-mail et le mot de passe.")
        status = 422
    return render_template("kiosk/close.html", kiosk=kiosk, form=form, error=error), status
