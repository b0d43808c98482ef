"""Assignments: a module given to a team or one person, with a due date."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from companion import catalogue
from companion.models import Assignment
from companion.permissions import Capability, requires, team_scope
from companion.services import (
    administration,
    assignments,
    followup,
)
from companion.web.forms import (
    ActionForm,
    AssignForm,
    AssignmentEditForm,
    options,
)
from companion.web.staff.blueprint import _module_title, bp, confirm_page


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
    duplicate = None
    if form.validate_on_submit():
        learner_id, team_id = form.parsed_target()
        update = request.form.get("update_existing", "")
        try:
            assignments.assign(
                current_user,
                form.module_id.data or "",
                learner_id,
                team_id,
                form.due_date.data,
                form.message.data or "",
                update_existing=int(update) if update.isdigit() else None,
            )
        except assignments.AlreadyAssigned as exc:
            duplicate = exc.existing
        except assignments.AssignmentError as exc:
            if exc.field == "due_date":
                form.due_date.errors = [_("Choisissez aujourd'hui ou une date à venir.")]
            elif exc.field == "module_id":
                form.module_id.errors = [_("Choisissez un module.")]
            else:
                form.target.errors = [_("Choisissez une équipe ou une personne de la liste.")]
        else:
            if update.isdigit():
                flash(_("L'attribution existante est mise à jour."), "info")
            else:
                flash(_("Le module est attribué."), "info")
            return redirect(url_for(".assignments_page"))
    statuses = assignments.assignment_statuses(current_user.structure_id, team_id=team_scope())
    status = 409 if duplicate is not None else 422 if form.is_submitted() else 200
    return render_template(
        "staff/assignments.html",
        form=form,
        statuses=statuses,
        today=assignments.today(),
        duplicate=duplicate,
        duplicate_target=assignments.target_label(duplicate) if duplicate else "",
        may_change=lambda a: assignments.may_change(current_user, a),
    ), status


def _assignment_in_scope(assignment_id: int) -> Assignment:
    """An assignment the signed-in staff member may change, else 404 (never 403)."""
    assignment = assignments.assignment_of(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


def _described(assignment: Assignment) -> str:
    target = assignments.target_label(assignment)
    return f"{_module_title(assignment.module_id)} · {target}"


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@requires(Capability.ASSIGN)
def assignment_edit(assignment_id: int) -> ResponseReturnValue:
    """A new due date or message: learners see it on their home at once."""
    assignment = _assignment_in_scope(assignment_id)
    form = AssignmentEditForm(obj=assignment)
    if form.validate_on_submit():
        try:
            assignments.edit_assignment(
                current_user, assignment, form.due_date.data, form.message.data or ""
            )
        except assignments.AssignmentError:
            form.due_date.errors = [_("Choisissez aujourd'hui ou une date à venir.")]
        else:
            flash(_("L'attribution est modifiée."), "info")
            return redirect(url_for(".assignments_page"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/assignment_edit.html",
        form=form,
        assignment=assignment,
        described=_described(assignment),
    ), status


@bp.route("/assignments/<int:assignment_id>/cancel", methods=["GET", "POST"])
@requires(Capability.ASSIGN)
def assignment_cancel(assignment_id: int) -> ResponseReturnValue:
    assignment = _assignment_in_scope(assignment_id)
    if request.method == "GET":
        details = [
            _(
                "Le module disparaît de la page des salariés concernés. Ce qu'ils ont déjà "
                "fait dans le module reste."
            )
        ]
        if assignment.due_date:
            details.insert(
                0, _("À finir avant le %(date)s", date=format_date(assignment.due_date, "long"))
            )
        return confirm_page(
            _("Annuler une attribution"),
            _("Annuler l'attribution « %(what)s » ?", what=_described(assignment)),
            _("Annuler l'attribution"),
            url_for(".assignments_page"),
            details=details,
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    assignments.cancel_assignment(current_user, assignment)
    flash(_("L'attribution est annulée."), "info")
    return redirect(url_for(".assignments_page"))
