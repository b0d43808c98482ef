"""The staff blueprint and what all its pages share: labels, the capability helper, safe_next."""

from __future__ import annotations

from flask import (
    Blueprint,
)
from flask_babel import gettext as _

from companion import catalogue
from companion.models import AuditAction, Role
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


def _audit_label(action: str) -> str:
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
    }
    return str(labels.get(AuditAction(action), action))


def _module_title(module_id: str) -> str:
    module = catalogue.get_module(module_id)
    return module.meta.title if module is not None else module_id


@bp.app_context_processor
def _staff_helpers() -> dict[str, object]:
    return {
        "can": lambda name: can(Capability(name)),
        "structure_endpoints": STRUCTURE_ENDPOINTS,
        "role_label": _role_label,
        "audit_label": _audit_label,
        "module_title": _module_title,
        "assigner_label": assignments.assigner_label,
    }
