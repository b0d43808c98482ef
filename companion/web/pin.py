"""The PIN page shared by the personal link and the kiosk."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_time
from flask_babel import gettext as _

from companion.models import Learner
from companion.services.accounts import check_pin
from companion.web.forms import PinForm
from companion.web.session import sign_in


def pin_page(learner: Learner, via_kiosk: bool, back_url: str | None) -> ResponseReturnValue:
    """Show the PIN form; on the right PIN, a fresh session and the learner's home."""
    form = PinForm()
    error = None
    if form.validate_on_submit():
        result = check_pin(learner, form.pin.data or "")
        if result.ok:
            sign_in(learner, via_kiosk=via_kiosk)
            return redirect(url_for("learner.home"))
        if result.for_good:
            error = _("Le code est bloqué. Demandez à votre conseiller de le débloquer.")
        elif result.locked_until is not None:
            error = _(
                "Le code est bloqué jusqu'à %(time)s. Demandez de l'aide à votre conseiller.",
                time=format_time(result.locked_until, "short"),
            )
        else:
            error = _("Ce code n'est pas le bon. Essayez encore.")
    elif form.is_submitted():
        error = form.pin.errors[0] if form.pin.errors else _("Tapez votre code à 4 chiffres.")
    form.pin.data = ""
    status = 200 if error is None else 422
    return (
        render_template(
            "learner/pin.html", learner=learner, form=form, error=error, back_url=back_url
        ),
        status,
    )
