"""Opening a kiosk: this browser becomes a kiosk of the structure."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from companion.permissions import Capability, requires
from companion.services import (
    kiosks,
)
from companion.web.forms import (
    KioskForm,
)
from companion.web.session import (
    KIOSK_COOKIE,
    KIOSK_COOKIE_MAX_AGE,
    sign_out,
)
from companion.web.staff.blueprint import bp


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
