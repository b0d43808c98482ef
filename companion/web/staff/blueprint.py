"""The staff blueprint and what all its pages share: labels, the capability helper, safe_next."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from companion import catalogue
from companion.models import AuditAction, Role, StaffUser
from companion.permissions import Capability, can
from companion.services import (
    assignments,
)

# Where a form may send on to: one function for the whole site, kept importable from here.
from companion.web.security import safe_next as safe_next

bp = Blueprint("staff", __name__, url_prefix="/staff")

STRUCTURE_ENDPOINTS = frozenset(
    {
        "staff.staff_accounts",
        "staff.staff_account",
        "staff.staff_link",
        "staff.team_edit",
        "staff.team_remove",
        "staff.kiosk_revoke",
        "staff.teams",
        "staff.kiosk_list",
        "staff.settings",
        "staff.structure_stats",
        "staff.audit_log",
    }
)


def _role_label(role: str) -> str:
    labels = {
        Role.CIP: _("CIP"),
        Role.ENCADRANT: _("Encadrant technique"),
        Role.DIRECTION: _("Direction"),
        Role.ADMIN: _("Administration de la plateforme"),
    }
    return str(labels.get(Role(role), role))


def audit_label(action: str) -> str:
    labels = {
        AuditAction.VIEWED_LEARNER: _("A consulté la fiche"),
        AuditAction.CREATED_LEARNER: _("A créé le compte"),
        AuditAction.EDITED_LEARNER: _("A modifié le compte"),
        AuditAction.WROTE_NOTE: _("A écrit une note"),
        AuditAction.RESET_PIN: _("A donné un nouveau code"),
        AuditAction.UNLOCKED: _("A débloqué le code"),
        AuditAction.ARCHIVED: _("A archivé"),
        AuditAction.ASSIGNED: _("A attribué un module"),
        AuditAction.EXPORTED: _("A exporté"),
        AuditAction.ATTESTATION: _("A téléchargé une attestation"),
        AuditAction.STAFF_CHANGED: _("A changé un compte de l'équipe"),
        AuditAction.KIOSK_REVOKED: _("A révoqué une borne"),
        AuditAction.SETTINGS_CHANGED: _("A changé les réglages"),
        AuditAction.EXPORTED_LEARNER: _("A consulté ou téléchargé les données personnelles"),
        AuditAction.ERASED: _("A effacé les données personnelles"),
        AuditAction.TWO_STEP_ENABLED: _("A activé la vérification en deux étapes"),
        AuditAction.TWO_STEP_DISABLED: _("A désactivé la vérification en deux étapes"),
        AuditAction.TWO_STEP_RESET: _("A réinitialisé la vérification en deux étapes"),
        AuditAction.STAFF_INVITED: _("A créé un compte de l'équipe et son lien d'invitation"),
        AuditAction.PASSWORD_LINK: _("A donné un lien pour choisir un mot de passe"),
        AuditAction.PASSWORD_SET: _("A choisi son mot de passe avec un lien à usage unique"),
        AuditAction.PASSWORD_CHANGED: _("A changé son mot de passe"),
        AuditAction.RESET_REQUESTED: _("A demandé un lien par e-mail (mot de passe oublié)"),
        AuditAction.ASSIGNMENT_EDITED: _("A modifié un module attribué"),
        AuditAction.ASSIGNMENT_CANCELLED: _("A annulé un module attribué"),
        AuditAction.NOTE_EDITED: _("A corrigé une note"),
        AuditAction.NOTE_DELETED: _("A supprimé une note"),
        AuditAction.TEAM_CHANGED: _("A changé les équipes"),
        AuditAction.UNARCHIVED: _("A réintégré (désarchivé)"),
        AuditAction.SIGNED_OUT_EVERYWHERE: _("S'est déconnecté de tous ses appareils"),
        AuditAction.LEARNER_SIGNED_OUT: _("A déconnecté les téléphones et bornes du salarié"),
        AuditAction.VIEWED_NOTES: _("A ouvert les notes privées"),
        AuditAction.VIEWED_ATTESTATION: _("A ouvert la page de l'attestation"),
        AuditAction.KIOSK_OPENED: _("A ouvert une borne"),
    }
    return str(labels.get(AuditAction(action), action))


def _from_iso(text: str) -> datetime:
    """A stored ISO moment back to a datetime, for |datetimeformat (the structure's zone)."""
    return datetime.fromisoformat(text)


def _module_title(module_id: str) -> str:
    module = catalogue.get_module(module_id)
    return module.meta.title if module is not None else module_id


@bp.app_context_processor
def _staff_helpers() -> dict[str, object]:
    return {
        "can": lambda name: can(Capability(name)),
        "structure_endpoints": STRUCTURE_ENDPOINTS,
        "role_label": _role_label,
        "audit_label": audit_label,
        "from_iso": _from_iso,
        "module_title": _module_title,
        "assigner_label": assignments.assigner_label,
    }


def confirm_page(
    title: str,
    question: str,
    button: str,
    cancel_url: str,
    details: list[str] | None = None,
    danger: bool = True,
) -> str:
    """The page a GET on an action's URL shows: what will happen, then the button that
    posts to the same URL. A confirmation that works without JavaScript."""
    from companion.web.forms import ActionForm

    return render_template(
        "staff/confirm.html",
        title=title,
        question=question,
        details=details or [],
        button=button,
        cancel_url=cancel_url,
        danger=danger,
        form=ActionForm(),
    )


def link_url(token: str) -> str:
    """The full address of a one-time password link, as shown to copy or print."""
    return url_for("staff.password_link", token=token, _external=True)


def one_time_link_page(
    actor: StaffUser, user: StaffUser, here: str, back_url: str, may_give: bool
) -> ResponseReturnValue:
    """An account's one-time link page, for the direction and the platform admin alike.

    GET shows the link right after it was made (and on a reload, to the same session, for
    10 minutes: web/shown_once.py), never again. POST gives a new one, where ``may_give``.
    """
    from companion.services import staff_links
    from companion.web import shown_once
    from companion.web.forms import ActionForm

    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        if not may_give:
            abort(409)
        shown_once.keep("link", user.id, staff_links.give_link(actor, user))
        return redirect(here)
    token = shown_once.kept("link", user.id)
    return render_template(
        "staff/link.html",
        user=user,
        link=link_url(token) if token else None,
        expires=staff_links.open_links([user.id]).get(user.id),
        back_url=back_url,
        new_link_url=here if may_give else None,
        form=ActionForm(),
    )
