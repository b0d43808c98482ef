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
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import Role
from companion.services import (
    staff_signin,
    two_step,
)
from companion.web import known_device
from companion.web.forms import (
    StaffSigninForm,
)
from companion.web.security import limit_staff_signin, safe_next
from companion.web.session import (
    begin_two_step,
    sign_in,
    sign_out,
)
from companion.web.staff.blueprint import bp


def _wait_text(seconds: int) -> str:
    """'12 secondes', '3 minutes': how long the next try waits, rounded up."""
    if seconds < 60:
        return str(ngettext("%(num)s seconde", "%(num)s secondes", seconds))
    minutes = -(-seconds // 60)
    return str(ngettext("%(num)s minute", "%(num)s minutes", minutes))


@bp.route("/signin", methods=["GET", "POST"])
@limit_staff_signin
def signin() -> ResponseReturnValue:
    form = StaffSigninForm()
    error = None
    status = 200
    headers: dict[str, str] = {}
    if form.validate_on_submit():
        result = staff_signin.authenticate(
            form.email.data or "", form.password.data or "", known_device.knows
        )
        user = result.user
        if user is not None:
            target = safe_next(request.args.get("next"))
            # Two-step verification: not signed in before the code (or the enrolment that
            # the structure requires); the session only remembers who, and when.
            if user.two_step_enabled or two_step.must_enrol(user):
                begin_two_step(user, target, enrol=not user.two_step_enabled)
                response = redirect(
                    url_for(".signin_code" if user.two_step_enabled else ".signin_enrol")
                )
            else:
                sign_in(user)
                response = redirect(target or url_for(".home"))
            # The password was right on this device: its owner is never made to wait here.
            known_device.remember(response, user.id)
            return response
        status = 422
        if result.refused:
            status = 429
            headers["Retry-After"] = str(result.wait_seconds)
            error = _(
                "Plusieurs mots de passe incorrects ont été tapés pour ce compte. Pour le "
                "protéger, attendez %(wait)s avant de réessayer.",
                wait=_wait_text(result.wait_seconds),
            )
        elif result.wait:
            error = _(
                "Adresse e-mail ou mot de passe incorrect. Pour protéger ce compte, attendez "
                "%(wait)s avant le prochain essai.",
                wait=_wait_text(result.wait_seconds),
            )
        else:
            error = _("Adresse e-mail ou mot de passe incorrect.")
    elif form.is_submitted():
        error = _("Remplissez l'adresse e-mail et le mot de passe.")
        status = 422
    return render_template("staff/signin.html", form=form, error=error), status, headers


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
