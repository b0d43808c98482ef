"""Assignments: a module given to a team or one person, with a due date."""

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

from companion import catalogue
from companion.permissions import Capability, requires, team_scope
from companion.services import (
    administration,
    assignments,
    followup,
)
from companion.web.forms import (
    AssignForm,
    options,
)
from companion.web.staff.blueprint import bp


def _assign_form() -> AssignForm:
    form = AssignForm()
    form.module_id.choices = options(
        [("", _("Choisissez…")), *[(m.id, m.meta.title) for m in catalogue.modules().values()]]
    )
    scope = team_scope()
    teams = [
        t
        for t in administration.teams_of(current_user.structure_id)
        if scope is None or t.id == scope
    ]
    overview = followup.structure_overview(current_user.structure_id, team_id=scope)
    form.target.choices = options(
        [("", _("Choisissez…"))]
        + [(f"team:{t.id}", _("Toute l'équipe %(name)s", name=t.name)) for t in teams]
        + [(f"learner:{r.learner.id}", r.learner.display_name) for r in overview.rows]
    )
    if request.method == "GET" and request.args.get("learner", "").isdigit():
        form.target.data = f"learner:{request.args['learner']}"
    return form


@bp.route("/assignments", methods=["GET", "POST"])
@requires(Capability.ASSIGN)
def assignments_page() -> ResponseReturnValue:
    """Assign a module to a team or one person; see who has finished each assignment."""
    form = _assign_form()
    if form.validate_on_submit():
        learner_id, team_id = form.parsed_target()
        try:
            assignments.assign(
                current_user,
                form.module_id.data or "",
                learner_id,
                team_id,
                form.due_date.data,
                form.message.data or "",
            )
        except assignments.AssignmentError as exc:
            if exc.field == "due_date":
                form.due_date.errors = [_("Choisissez aujourd'hui ou une date à venir.")]
            elif exc.field == "module_id":
                form.module_id.errors = [_("Choisissez un module.")]
            else:
                form.target.errors = [_("Choisissez une équipe ou une personne de la liste.")]
        else:
            flash(_("Le module est attribué."), "info")
            return redirect(url_for(".assignments_page"))
    statuses = assignments.assignment_statuses(current_user.structure_id, team_id=team_scope())
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/assignments.html", form=form, statuses=statuses, today=assignments.today()
    ), status
