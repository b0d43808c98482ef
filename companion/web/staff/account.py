"""Two-step verification pages: the code after the password, enrolment, "Mon compte".

After a right password, a staff member with two-step verification is not signed in yet:
the session holds only who and when (web/session.py), and /staff/signin/code asks for the
code. A direction whose structure requires it and who has none enrols first, on
/staff/signin/two-step. Those two pages are open endpoints: they check the pending state
themselves. Someone already signed in when the requirement is turned on is sent to the
enrolment page of their account before any other staff page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import StaffUser
from companion.permissions import Capability, requires
from companion.services import sessions, staff_links, two_step
from companion.services.cards import qr_svg
from companion.web.forms import ActionForm, ChangePasswordForm, TwoStepCodeForm
from companion.web.security import limit_two_step
from companion.web.session import keep_session, pending_signin, sign_in, sign_out
from companion.web.staff.blueprint import bp

# What a direction who must enrol may still open before enrolling.
ENROL_FIRST_ALLOWED = frozenset(
    {
        "staff.account_two_step",
        "staff.signout",
        "staff.password_link",
        "staff.password_forgot",
        "staff.signin",
        "staff.signin_code",
        "staff.signin_enrol",
    }
)


@bp.before_request
def _two_step_required() -> Response | None:
    """A requirement turned on applies to sessions already open, at their next staff page."""
    if not current_user.is_authenticated or current_user.is_learner:
        return None
    if request.endpoint in ENROL_FIRST_ALLOWED or not two_step.must_enrol(current_user):
        return None
    return redirect(url_for(".account_two_step"))


def _code_error(form: TwoStepCodeForm) -> str:
    if form.code.errors:
        return str(form.code.errors[0])
    return str(_("Tapez le code à 6 chiffres de l'application."))


def _wrong_code() -> str:
    return str(
        _(
            "Ce code ne marche pas. Tapez le code que l'application affiche maintenant "
            "(il change toutes les 30 secondes)."
        )
    )


def _back_to_signin(expired: bool) -> Response:
    if expired:
        flash(_("Plus de 5 minutes sont passées. Connectez-vous de nouveau."), "info")
    return redirect(url_for(".signin"))


def _enrol_page(
    template: str, user: StaffUser, form: TwoStepCodeForm, error: str | None, status: int
) -> ResponseReturnValue:
    secret = two_step.enrolment_secret(user)
    return render_template(
        template,
        form=form,
        error=error,
        qr=qr_svg(
            two_step.provisioning_uri(user, secret),
            title=_("QR code à scanner avec l'application d'authentification"),
        ),
        secret=two_step.grouped(secret),
        required=two_step.required_for(user),
    ), status


# --- The second step of the sign-in (open endpoints: they check the pending state) ---------


@bp.route("/signin/code", methods=["GET", "POST"])
@limit_two_step
def signin_code() -> ResponseReturnValue:
    pending, expired = pending_signin()
    if pending is None or pending.enrol:
        return _back_to_signin(expired)
    form = TwoStepCodeForm()
    error = None
    if form.validate_on_submit():
        if two_step.verify(pending.user, form.code.data or ""):
            sign_in(pending.user)
            return redirect(pending.next or url_for(".home"))
        error = _wrong_code()
    elif form.is_submitted():
        error = _code_error(form)
    status = 200 if error is None else 422
    return render_template("staff/signin_code.html", form=form, error=error), status


@bp.route("/signin/two-step", methods=["GET", "POST"])
@limit_two_step
def signin_enrol() -> ResponseReturnValue:
    """A direction whose structure requires two-step verification enrols before signing in."""
    pending, expired = pending_signin()
    if pending is None or not pending.enrol or pending.user.two_step_enabled:
        return _back_to_signin(expired)
    form = TwoStepCodeForm()
    error = None
    if form.validate_on_submit():
        try:
            two_step.enable(pending.user, form.code.data or "")
        except two_step.TwoStepError:
            error = _wrong_code()
        else:
            sign_in(pending.user)
            flash(_("La vérification en deux étapes est activée."), "info")
            return redirect(pending.next or url_for(".home"))
    elif form.is_submitted():
        error = _code_error(form)
    return _enrol_page(
        "staff/signin_enrol.html", pending.user, form, error, 200 if error is None else 422
    )


# --- Mon compte ----------------------------------------------------------------------------


@bp.route("/account", methods=["GET", "POST"])
@requires(Capability.OWN_ACCOUNT)
def account() -> ResponseReturnValue:
    """Whether two-step verification is on; turning it off asks for a current code."""
    if request.method == "POST" and not current_user.two_step_enabled:
        return redirect(url_for(".account"))  # nothing to turn off
    form = TwoStepCodeForm()
    error = None
    if form.validate_on_submit():
        try:
            two_step.disable(current_user, form.code.data or "")
        except two_step.TwoStepError as exc:
            if exc.reason == "required":
                error = _(
                    "Votre structure exige la vérification en deux étapes pour la direction : "
                    "vous ne pouvez pas la désactiver."
                )
            else:
                error = _wrong_code()
        else:
            flash(_("La vérification en deux étapes est désactivée."), "info")
            return redirect(url_for(".account"))
    elif form.is_submitted():
        error = _code_error(form)
    return render_template(
        "staff/account.html",
        form=form,
        error=error,
        required=two_step.required_for(current_user),
        action_form=ActionForm(),
    ), 200 if error is None else 422


@bp.post("/account/signout-everywhere")
@requires(Capability.OWN_ACCOUNT)
def signout_everywhere() -> Response:
    """Every session of the account ends: this one, other devices, any copied cookie."""
    if not ActionForm().validate_on_submit():
        abort(400)
    sessions.sign_out_everywhere(current_user)
    sign_out()
    flash(_("Vous êtes déconnecté de tous vos appareils."), "info")
    return redirect(url_for(".signin"))


@bp.route("/account/two-step", methods=["GET", "POST"])
@requires(Capability.OWN_ACCOUNT)
def account_two_step() -> ResponseReturnValue:
    """Enrol: scan the QR code (or type the secret), then confirm with a first code."""
    if current_user.two_step_enabled:
        return redirect(url_for(".account"))
    form = TwoStepCodeForm()
    error = None
    if form.validate_on_submit():
        try:
            two_step.enable(current_user, form.code.data or "")
        except two_step.TwoStepError:
            error = _wrong_code()
        else:
            flash(_("La vérification en deux étapes est activée."), "info")
            return redirect(url_for(".account"))
    elif form.is_submitted():
        error = _code_error(form)
    return _enrol_page(
        "staff/account_two_step.html", current_user, form, error, 200 if error is None else 422
    )


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Capability.OWN_ACCOUNT)
def account_password() -> ResponseReturnValue:
    """Change one's own password: the current one first (a session left open is not
    enough to take the account)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            staff_links.change_password(
                current_user, form.current.data or "", form.password.data or ""
            )
        except staff_links.LinkError as exc:
            if exc.reason == "current":
                form.current.errors = [_("Ce n'est pas votre mot de passe actuel.")]
            else:
                form.password.errors = [_("Mot de passe trop faible.")]
        else:
            keep_session(current_user)  # every other session has ended, not this one
            flash(_("Votre mot de passe est changé."), "info")
            return redirect(url_for(".account"))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/account_password.html", form=form), status
