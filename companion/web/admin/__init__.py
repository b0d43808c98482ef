"""Platform admin: structures, their direction accounts and anonymous statistics.

Never a learner's name: the admin's pages read counts and averages only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from companion.models import StructureKind
from companion.permissions import Capability, requires
from companion.services import administration, staff_links, stats
from companion.services.followup import structures_with_counts
from companion.web import shown_once
from companion.web.forms import ActionForm, DirectionForm, StructureForm
from companion.web.staff.blueprint import one_time_link_page

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
            _structure, direction, token = administration.create_structure(
                current_user,
                form.name.data or "",
                StructureKind(form.kind.data),
                form.email.data or "",
            )
        except administration.AdminError as exc:
            if exc.field == "name":
                form.name.errors = [_("Une structure porte déjà ce nom.")]
            else:
                form.email.errors = [_("Cette adresse e-mail a déjà un compte.")]
        else:
            flash(_("La structure et son compte de direction sont créés."), "info")
            shown_once.keep("link", direction.id, token)
            return redirect(url_for(".direction_link", direction_id=direction.id))
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


@bp.route("/structures/<int:structure_id>", methods=["GET", "POST"])
@requires(Capability.MANAGE_STRUCTURES)
def structure(structure_id: int) -> ResponseReturnValue:
    """A structure's direction accounts; add one (a structure with none cannot manage its
    staff, nor one whose only direction left)."""
    place = administration.structure_of(structure_id)
    if place is None:
        abort(404)
    form = DirectionForm()
    if form.validate_on_submit():
        try:
            direction, token = administration.add_direction(
                current_user, place, form.email.data or ""
            )
        except administration.AdminError:
            form.email.errors = [_("Cette adresse e-mail a déjà un compte.")]
        else:
            flash(_("Le compte de direction est créé."), "info")
            shown_once.keep("link", direction.id, token)
            return redirect(url_for(".direction_link", direction_id=direction.id))
    directions = administration.directions_of(place.id)
    return render_template(
        "admin/structure.html",
        structure=place,
        directions=directions,
        links=staff_links.open_links([d.id for d in directions]),
        form=form,
        action_form=ActionForm(),
    ), 422 if form.is_submitted() else 200


@bp.route("/directions/<int:direction_id>/link", methods=["GET", "POST"])
@requires(Capability.MANAGE_STRUCTURES)
def direction_link(direction_id: int) -> ResponseReturnValue:
    """A direction's one-time link (the platform admin manages directions only): shown once
    after it is made; a POST gives a new one (a direction who forgot their password)."""
    user = administration.direction_of(direction_id)
    if user is None:
        abort(404)
    return one_time_link_page(
        current_user,
        user,
        here=url_for(".direction_link", direction_id=user.id),
        back_url=url_for(".structure", structure_id=user.structure_id),
        may_give=user.active,
    )


# The territorial view of the diagnostics registers its page on bp (imported last: it needs bp).
from companion.web.admin import territory as territory  # noqa: E402
