"""Staff sign-in (password, then a two-step code), sign-out, each role's home."""

from __future__ import annotations

from flask import (
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import Role
from companion.services import (
    accounts,
    two_step,
)
from companion.web.forms import (
    StaffSigninForm,
)
from companion.web.session import (
    begin_two_step,
    sign_in,
    sign_out,
)
from companion.web.staff.blueprint import bp, safe_next


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    form = StaffSigninForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate_staff(form.email.data or "", form.password.data or "")
        if user is not None:
            target = safe_next(request.args.get("next"))
            # Two-step verification: not signed in before the code (or the enrolment that
            # the structure requires); the session only remembers who, and when.
            if user.two_step_enabled or two_step.must_enrol(user):
                begin_two_step(user, target, enrol=not user.two_step_enabled)
                return redirect(
                    url_for(".signin_code" if user.two_step_enabled else ".signin_enrol")
                )
            sign_in(user)
            return redirect(target or url_for(".home"))
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
