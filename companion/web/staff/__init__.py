"""Staff space: sign-in, the CIP home, the encadrant's team, opening a kiosk."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import Role
from companion.permissions import Capability, requires
from companion.services import accounts, followup, kiosks
from companion.web.forms import KioskForm, StaffSigninForm
from companion.web.session import KIOSK_COOKIE, KIOSK_COOKIE_MAX_AGE, sign_in, sign_out

bp = Blueprint("staff", __name__, url_prefix="/staff")


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: never '//host' or 'https://…' (open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    form = StaffSigninForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate_staff(form.email.data or "", form.password.data or "")
        if user is not None:
            sign_in(user)
            return redirect(safe_next(request.args.get("next")) or url_for(".home"))
        error = _("Adresse e-mail ou mot de passe incorrect.")
    elif form.is_submitted():
        error = _("Remplissez l'adresse e-mail et le mot de passe.")
    status = 200 if error is None else 422
    return render_template("staff/signin.html", form=form, error=error), status


@bp.post("/signout")
def signout() -> Response:
    sign_out()
    return redirect(url_for(".signin"))


@bp.get("/")
def home() -> Response:
    """Each role lands on its own home."""
    if not current_user.is_authenticated or current_user.is_learner:
        return redirect(url_for(".signin"))
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.home"))
    if current_user.role == Role.ENCADRANT:
        return redirect(url_for(".team"))
    return redirect(url_for(".learners"))


@bp.get("/learners")
@requires(Capability.VIEW_PROGRESS)
def learners() -> str:
    """CIP home: every learner of the structure and their status in each module."""
    overview = followup.structure_overview(current_user.structure_id)
    return render_template("staff/learners.html", overview=overview)


@bp.get("/team")
@requires(Capability.VIEW_TEAM_PROGRESS)
def team() -> str:
    """Encadrant home: the learners of their team and who has done what."""
    overview = followup.structure_overview(
        current_user.structure_id,
        team_id=current_user.team_id if current_user.role == Role.ENCADRANT else None,
    )
    return render_template("staff/team.html", overview=overview)


@bp.route("/kiosk", methods=["GET", "POST"])
@requires(Capability.OPEN_KIOSK)
def open_kiosk() -> ResponseReturnValue:
    """Turn this browser into a kiosk of the structure, then sign the staff member out."""
    form = KioskForm()
    if form.validate_on_submit():
        _kiosk, token = kiosks.create_kiosk(current_user, form.label.data or "")
        sign_out()
        flash(_("Cet appareil est maintenant une borne."), "info")
        response = redirect(url_for("kiosk.home"))
        response.set_cookie(
            KIOSK_COOKIE,
            token,
            max_age=KIOSK_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(request.is_secure),
        )
        return response
    return render_template("staff/kiosk.html", form=form)
