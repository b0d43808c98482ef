"""A learner's attestation of training: the page to print and the PDF.

The CIP types the person's full name (the learner file holds a first name and an initial)
and chooses the language; the name is not stored unless the structure chose so in its
settings. Both come by POST, so a full name never sits in a URL or a server log.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from companion.catalogue.competences import FRAMEWORKS, named
from companion.i18n import supported, text_direction
from companion.models import AuditAction, Learner
from companion.permissions import Capability, learner_in_scope, requires
from companion.services import attestation, audit
from companion.web.forms import AttestationForm
from companion.web.staff.blueprint import bp


def _form(learner: Learner) -> AttestationForm:
    form = AttestationForm()
    if not form.is_submitted():
        form.full_name.data = learner.full_name or ""
        form.lang.data = _current_lang()
    return form


def _current_lang() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "fr"


SEPARATORS = {"fr": " ; ", "ar": "؛ "}  # French spaces its semicolon; Arabic has its own


def _line(framework: str, codes: list[str], lang: str) -> str:
    names = SEPARATORS.get(lang, "; ").join(named(framework, c) for c in codes)
    return str(_("%(framework)s : %(names)s", framework=FRAMEWORKS[framework], names=names))


def texts_for(
    att: attestation.Attestation, full_name: str, lang: str
) -> attestation.AttestationTexts:
    """Every word of the attestation in `lang` (the dates too: "29 novembre 2026")."""
    rtl = text_direction(lang) == "rtl"
    with force_locale(lang):
        name = full_name.strip() or att.learner.display_name
        modules = []
        for item in att.modules:
            comp = item.module.meta.competences
            modules.append(
                attestation.ModuleLines(
                    title=item.module.meta.title,
                    dates=_(
                        "Commencé le %(start)s, terminé le %(end)s.",
                        start=format_date(item.started, "long"),
                        end=format_date(item.completed, "long"),
                    ),
                    competences=[
                        _line(fw, list(getattr(comp, fw)), lang)
                        for fw in FRAMEWORKS
                        if getattr(comp, fw)
                    ],
                )
            )
        return attestation.AttestationTexts(
            lang=lang,
            rtl=rtl,
            title=_("Attestation de formation au numérique"),
            intro=_(
                "%(structure)s atteste que %(name)s a suivi et terminé les modules suivants "
                "sur Compagnon numérique.",
                structure=att.structure_name,
                name=name,
            ),
            modules_heading=_("Modules terminés"),
            modules=modules,
            none=_("Aucun module terminé pour le moment."),
            competences_heading=_("Compétences travaillées"),
            competences=[
                _line(fw, att.competences(fw), lang) for fw in FRAMEWORKS if att.competences(fw)
            ],
            issued=_("Fait le %(date)s.", date=format_date(att.issued, "long")),
            signer=_("Nom et fonction du signataire :"),
            signature=_("Signature :"),
            stamp=_("Cachet de la structure :"),
            footer=_(
                "Compétences : DigComp 2.2, cadre européen des compétences numériques ; Pix, "
                "cadre de référence des compétences numériques (CRCN) ; CléA Numérique, "
                "certification des compétences numériques professionnelles."
            ),
        )


def _prepare(
    learner_id: int,
) -> tuple[Learner, AttestationForm, attestation.AttestationTexts, bool]:
    learner = learner_in_scope(learner_id)
    form = _form(learner)
    valid = not form.is_submitted() or form.validate_on_submit()
    lang = (supported(form.lang.data) if valid else None) or _current_lang()
    full_name = (form.full_name.data or "") if valid else ""
    if valid and form.is_submitted():
        attestation.remember_full_name(current_user, learner, full_name)
    att = attestation.attestation_for(learner, lang)
    return learner, form, texts_for(att, full_name, lang), valid


@bp.route("/learners/<int:learner_id>/attestation", methods=["GET", "POST"])
@requires(Capability.ATTESTATION)
def learner_attestation(learner_id: int) -> ResponseReturnValue:
    learner, form, texts, valid = _prepare(learner_id)
    # The page shows the learner's results: opening it is in the log, as the PDF is.
    audit.record(current_user, AuditAction.VIEWED_ATTESTATION, learner, detail=texts.lang)
    return render_template(
        "staff/attestation.html", learner=learner, form=form, texts=texts
    ), 200 if valid else 422


@bp.route("/learners/<int:learner_id>/attestation.pdf", methods=["GET", "POST"])
@requires(Capability.ATTESTATION)
def learner_attestation_pdf(learner_id: int) -> ResponseReturnValue:
    learner, form, texts, valid = _prepare(learner_id)
    if not valid:
        return render_template(
            "staff/attestation.html", learner=learner, form=form, texts=texts
        ), 422
    audit.record(current_user, AuditAction.ATTESTATION, learner, detail=texts.lang)
    response = current_app.response_class(
        attestation.attestation_pdf(texts), mimetype="application/pdf"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="attestation-{learner.id}-{texts.lang}.pdf"'
    )
    return response
