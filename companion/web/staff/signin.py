"""Staff sign-in (password, then a two-step code), sign-out, each role's home."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.config import MailSettings
from companion.models import LinkPurpose, Role, StaffUser
from companion.permissions import Capability, requires
from companion.services import (
    sessions,
    staff_links,
    staff_signin,
    two_step,
)
from companion.web import known_device
from companion.web.forms import (
    ForgotPasswordForm,
    SetPasswordForm,
    StaffSigninForm,
)
from companion.web.security import (
    SET_PASSWORD_PAGE_LIMIT,
    limit_password_forgot,
    limit_posts,
    limit_staff_signin,
    safe_next,
)
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
    if not form.is_submitted() and request.args.get("email"):
        form.email.data = request.args["email"][:254]  # after choosing a password
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
    """Signing out ends every session of the account, copies of this cookie included.

    Only the warning of an idle page (reason=idle) ends this browser's session alone: the
    person walked away, their other devices have their own idle clock.
    """
    if (
        current_user.is_authenticated
        and not current_user.is_learner
        and request.form.get("reason") != "idle"
    ):
        sessions.end_all_sessions(current_user)
    sign_out()
    return redirect(url_for(".signin"))


@bp.post("/still-here")
@requires(Capability.OWN_ACCOUNT)
def still_here() -> tuple[str, int]:
    """The idle warning's 'Continuer' button: the request itself resets the idle clock."""
    return "", 204


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


# --- Passwords people own: the one-time link, "Mot de passe oublié ?" -----------------------


def _reset_mail(settings: MailSettings) -> Callable[[StaffUser, str], tuple[str, str]]:
    def compose(user: StaffUser, token: str) -> tuple[str, str]:
        link = settings.site_url + url_for(".password_link", token=token)
        with force_locale(user.locale or "fr"):
            subject = _("Compagnon numérique : choisir un nouveau mot de passe")
            body = _(
                "Bonjour,\n\n"
                "Quelqu'un (vous, sans doute) a demandé un nouveau mot de passe pour le compte "
                "%(email)s sur Compagnon numérique.\n\n"
                "Pour le choisir, ouvrez ce lien dans l'heure qui vient :\n%(link)s\n\n"
                "Le lien ne marche qu'une fois. Si vous n'avez rien demandé, ne faites rien : "
                "votre mot de passe ne change pas.\n",
                email=user.email,
                link=link,
            )
        return str(subject), str(body)

    return compose


@bp.route("/password/forgot", methods=["GET", "POST"])
@limit_password_forgot
def password_forgot() -> ResponseReturnValue:
    """A reset link by e-mail when SMTP is configured; else, ask the direction. The answer
    never says whether the address has an account."""
    settings: MailSettings | None = current_app.config.get("MAIL")
    form = ForgotPasswordForm()
    sent = False
    if settings is not None and form.validate_on_submit():
        staff_links.request_reset(form.email.data or "", settings, _reset_mail(settings))
        sent = True
    status = 422 if form.errors else 200
    return render_template(
        "staff/password_forgot.html", form=form, mail=settings is not None, sent=sent
    ), status


@bp.route("/password/<token>", methods=["GET", "POST"])
@limit_posts(SET_PASSWORD_PAGE_LIMIT)
def password_link(token: str) -> ResponseReturnValue:
    """The one-time link: the person chooses their own password, then signs in with it."""
    link = staff_links.valid_link(token)
    if link is None:
        return render_template("staff/password_set.html", link=None, form=None), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = staff_links.set_password(token, form.password.data or "")
        except staff_links.LinkError as exc:
            if exc.reason == "invalid":
                return render_template("staff/password_set.html", link=None, form=None), 404
            form.password.errors = [_("Mot de passe trop faible.")]
        else:
            sign_out()  # whoever was signed in in this browser, the person signs in anew
            flash(_("Votre mot de passe est enregistré. Connectez-vous avec lui."), "info")
            return redirect(url_for(".signin", email=user.email))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/password_set.html",
        link=link,
        form=form,
        invitation=link.purpose == LinkPurpose.INVITATION,
    ), status
