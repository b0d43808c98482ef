"""Platform admin: structures, their direction accounts and anonymous statistics.

Never a learner's name: the admin's pages read counts and averages only.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from companion.models import StructureKind
from companion.permissions import Capability, requires
from companion.services import administration, stats
from companion.services.followup import structures_with_counts
from companion.web.forms import StructureForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@requires(Capability.VIEW_STRUCTURES)
def home() -> str:
    return render_template(
        "admin/home.html",
        structures=structures_with_counts(),
        directions=administration.directions_by_structure(),
        form=StructureForm(),
    )


@bp.post("/structures")
@requires(Capability.MANAGE_STRUCTURES)
def structure_new() -> ResponseReturnValue:
    form = StructureForm()
    if form.validate_on_submit():
        try:
            administration.create_structure(
                current_user,
                form.name.data or "",
                StructureKind(form.kind.data),
                form.email.data or "",
                form.password.data or "",
            )
        except administration.AdminError as exc:
            if exc.field == "name":
                form.name.errors = [_("Une structure porte déjà ce nom.")]
            else:
                form.email.errors = [_("Cette adresse e-mail a déjà un compte.")]
        else:
            flash(_("La structure et son compte de direction sont créés."), "info")
            return redirect(url_for(".home"))
    return render_template(
        "admin/home.html",
        structures=structures_with_counts(),
        directions=administration.directions_by_structure(),
        form=form,
    ), 422


@bp.get("/stats")
@requires(Capability.VIEW_PLATFORM_STATS)
def platform_stats() -> str:
    return render_template(
        "staff/stats.html", stats=stats.statistics(None), scope=_("Toutes les structures")
    )
