"""A learner's attestation of training: the page and the PDF."""

from __future__ import annotations

from flask import (
    current_app,
    render_template,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import AuditAction
from companion.permissions import Capability, learner_in_scope, requires
from companion.services import (
    attestation,
    audit,
)
from companion.web.staff.blueprint import bp


def _attestation_texts(att: attestation.Attestation) -> dict[str, str]:
    return {
        "title": _("Attestation de formation au numérique"),
        "intro": _(
            "%(structure)s atteste que %(name)s a suivi les modules suivants "
            "sur Compagnon numérique.",
            structure=att.structure_name,
            name=att.learner.display_name,
        ),
        "none": _("Aucun module terminé pour le moment."),
        "dates": _("Commencé le {start}, terminé le {end}."),
        "refs": _("Compétences : DigComp {digcomp} · Pix {pix} · CléA Numérique {clea}"),
        "issued": _("Fait le %(date)s.", date=att.issued.isoformat()),
    }


@bp.get("/learners/<int:learner_id>/attestation")
@requires(Capability.ATTESTATION)
def learner_attestation(learner_id: int) -> str:
    learner = learner_in_scope(learner_id)
    att = attestation.attestation_for(learner)
    return render_template("staff/attestation.html", att=att, learner=learner)


@bp.get("/learners/<int:learner_id>/attestation.pdf")
@requires(Capability.ATTESTATION)
def learner_attestation_pdf(learner_id: int) -> Response:
    learner = learner_in_scope(learner_id)
    att = attestation.attestation_for(learner)
    audit.record(current_user, AuditAction.ATTESTATION, learner)
    body = attestation.attestation_pdf(att, _attestation_texts(att))
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="attestation-{learner.id}.pdf"'
    return response
