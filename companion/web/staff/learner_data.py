"""A learner's personal data: the readable page, the JSON download, and erasure on request.

The CIPs and the direction answer a learner's requests (right of access, right to erasure)
here. Every opening, download and erasure is written to the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import BooleanField
from wtforms.validators import DataRequired

from companion.i18n import languages, supported, text_direction
from companion.models import AuditAction, Learner
from companion.permissions import Capability, learner_in_scope, requires
from companion.services import audit, privacy
from companion.web.forms import Form
from companion.web.staff.blueprint import audit_label, bp


class EraseForm(Form):
    """Erasure cannot be undone: the staff member ticks a box to confirm."""

    confirm = BooleanField(
        _l("Je confirme : effacer les données de cette personne. C'est définitif."),
        validators=[DataRequired(_l("Cochez la case pour confirmer l'effacement."))],
    )


def _lang(learner: Learner) -> str:
    """The learner's language, or the one chosen on the page to show it in (?language=en;
    not ?lang=, which changes the whole interface's language)."""
    return supported(request.args.get("language")) or learner.locale


def _data(learner: Learner, lang: str) -> dict[str, Any]:
    with force_locale(lang):
        return privacy.learner_data(learner, action_label=audit_label, locale=lang)


def _page(learner_id: int, form: EraseForm) -> str:
    """The staff page around the data, the data itself in the person's language."""
    learner = learner_in_scope(learner_id)
    lang = _lang(learner)
    with force_locale(lang):
        body = render_template(
            "staff/_learner_data_body.html",
            learner=learner,
            data=privacy.learner_data(learner, action_label=audit_label, locale=lang),
            lang=lang,
            rtl=text_direction(lang) == "rtl",
        )
    return render_template(
        "staff/learner_data.html",
        learner=learner,
        body=Markup(body),  # noqa: S704 - our own template's output, escaped there
        lang=lang,
        data_languages=[(language.tag, language.name) for language in languages()],
        erased=privacy.is_erased(learner),
        form=form,
    )


@bp.get("/learners/<int:learner_id>/data")
@requires(Capability.MANAGE_PERSONAL_DATA)
def learner_data(learner_id: int) -> str:
    learner = learner_in_scope(learner_id)
    audit.record(current_user, AuditAction.EXPORTED_LEARNER, learner, detail="page")
    return _page(learner_id, EraseForm())


@bp.get("/learners/<int:learner_id>/data.json")
@requires(Capability.MANAGE_PERSONAL_DATA)
def learner_data_json(learner_id: int) -> Response:
    learner = learner_in_scope(learner_id)
    audit.record(current_user, AuditAction.EXPORTED_LEARNER, learner, detail="json")
    body = json.dumps(_data(learner, _lang(learner)), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="compagnon-donnees-{learner.id}.json"'
    )
    return response


@bp.post("/learners/<int:learner_id>/erase")
@requires(Capability.MANAGE_PERSONAL_DATA)
def learner_erase(learner_id: int) -> ResponseReturnValue:
    learner = learner_in_scope(learner_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _page(learner_id, form), 422
    if not privacy.is_erased(learner):
        privacy.erase_learner(learner, current_user, "request")
        flash(_("Les données de cette personne sont effacées."), "info")
    return redirect(url_for(".learner_data", learner_id=learner.id))
