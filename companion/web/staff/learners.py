"""CIP home, encadrant team page, a learner's account (create, edit, PIN, archive), file, notes."""

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
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import AuditAction, Learner, utcnow
from companion.permissions import Capability, can, learner_in_scope, requires, team_scope
from companion.services import (
    administration,
    assignments,
    audit,
    followup,
    learners,
    notes,
)
from companion.services.cards import qr_svg
from companion.web.forms import (
    LEARNER_PICTOGRAMS,
    ActionForm,
    LearnerForm,
    NoteForm,
    language_choices,
    team_choices,
)
from companion.web.staff.blueprint import bp


@bp.get("/learners", endpoint="learners")
@requires(Capability.VIEW_PROGRESS)
def learners_list() -> str:
    """CIP home: who needs attention ("À suivre"), then every learner and module."""
    overview = followup.structure_overview(current_user.structure_id)
    follow = followup.to_follow(current_user.structure_id)
    return render_template("staff/learners.html", overview=overview, follow=follow)


@bp.get("/team")
@requires(Capability.VIEW_TEAM_PROGRESS)
def team() -> str:
    """Encadrant home: the learners of their team and who has done what."""
    overview = followup.structure_overview(current_user.structure_id, team_id=team_scope())
    return render_template("staff/team.html", overview=overview)


# --- Learners: create, edit, PIN, unlock, archive ----------------------------------------


def _learner_form(learner: Learner | None = None) -> LearnerForm:
    form = LearnerForm(obj=learner)
    teams = administration.teams_of(current_user.structure_id)
    form.team_id.choices = team_choices(teams, _("Aucune équipe"))
    # Only the languages the direction offers (settings), and the learner's current one.
    offered = set(current_user.structure.language_list) | {learner.locale if learner else "fr"}
    form.locale.choices = language_choices(offered)
    if learner is not None and request.method == "GET":
        form.team_id.data = learner.team_id or 0
    return form


def _fields(form: LearnerForm) -> learners.LearnerFields:
    return learners.LearnerFields(
        first_name=form.first_name.data or "",
        initial=form.initial.data or "",
        team_id=form.team_id.data or None,
        locale=form.locale.data or "fr",
        pictogram=form.pictogram.data or LEARNER_PICTOGRAMS[0],
    )


def _duplicate(form: LearnerForm) -> None:
    form.initial.errors = [
        *form.initial.errors,
        _("Un salarié porte déjà ce prénom. Ajoutez l'initiale du nom pour les distinguer."),
    ]


def _cards(learner: Learner, pin: str, reset: bool = False) -> str:
    """The sign-in card sheet with the PIN: the only page that ever shows it."""
    link = url_for("learner.link_signin", token=learner.signin_token, _external=True)
    return render_template(
        "staff/cards.html", learner=learner, pin=pin, link=link, qr=qr_svg(link), reset=reset
    )


@bp.route("/learners/new", methods=["GET", "POST"])
@requires(Capability.MANAGE_LEARNERS)
def learner_new() -> ResponseReturnValue:
    form = _learner_form()
    if form.validate_on_submit():
        try:
            learner, pin = learners.create_learner(current_user, _fields(form))
        except learners.DuplicateName:
            _duplicate(form)
        else:
            return _cards(learner, pin)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/learner_form.html", form=form, learner=None, pictograms=LEARNER_PICTOGRAMS
    ), status


@bp.route("/learners/<int:learner_id>/edit", methods=["GET", "POST"])
@requires(Capability.MANAGE_LEARNERS)
def learner_edit(learner_id: int) -> ResponseReturnValue:
    learner = learner_in_scope(learner_id)
    form = _learner_form(learner)
    if form.validate_on_submit():
        try:
            learners.edit_learner(current_user, learner, _fields(form))
        except learners.DuplicateName:
            _duplicate(form)
        else:
            flash(_("Les changements sont enregistrés."), "info")
            return redirect(url_for(".learner_file", learner_id=learner.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/learner_form.html", form=form, learner=learner, pictograms=LEARNER_PICTOGRAMS
    ), status


@bp.post("/learners/<int:learner_id>/pin")
@requires(Capability.MANAGE_LEARNERS)
def learner_reset_pin(learner_id: int) -> ResponseReturnValue:
    learner = learner_in_scope(learner_id, include_archived=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _cards(learner, learners.reset_pin(current_user, learner), reset=True)


@bp.post("/learners/<int:learner_id>/unlock")
@requires(Capability.MANAGE_LEARNERS)
def learner_unlock(learner_id: int) -> Response:
    learner = learner_in_scope(learner_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    learners.unlock(current_user, learner)
    flash(_("Le code est débloqué. Le salarié peut se connecter."), "info")
    return redirect(url_for(".learner_file", learner_id=learner.id))


@bp.post("/learners/<int:learner_id>/archive")
@requires(Capability.MANAGE_LEARNERS)
def learner_archive(learner_id: int) -> Response:
    learner = learner_in_scope(learner_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    learners.archive(current_user, learner)
    flash(
        _("%(name)s est archivé : il ne peut plus se connecter.", name=learner.display_name),
        "info",
    )
    return redirect(url_for(".learners"))


# --- The learner file and notes ------------------------------------------------------------


@bp.get("/learners/<int:learner_id>")
@requires(Capability.VIEW_LEARNER_FILE)
def learner_file(learner_id: int) -> str:
    learner = learner_in_scope(learner_id)
    file = followup.learner_file(learner)
    audit.record(current_user, AuditAction.VIEWED_LEARNER, learner)
    return render_template(
        "staff/learner_file.html",
        file=file,
        learner=learner,
        notes=notes.notes_for(learner) if can(Capability.WRITE_NOTES) else [],
        note_form=NoteForm(),
        action_form=ActionForm(),
        assigned=assignments.assignments_for(learner),
        locked=learner.locked_until is not None and learner.locked_until > utcnow(),
    )


@bp.route("/learners/<int:learner_id>/notes", methods=["GET", "POST"])
@requires(Capability.WRITE_NOTES)
def learner_notes(learner_id: int) -> ResponseReturnValue:
    learner = learner_in_scope(learner_id)
    form = NoteForm()
    if form.validate_on_submit():
        notes.add_note(current_user, learner, form.body.data or "")
        flash(_("La note est enregistrée."), "info")
        return redirect(url_for(".learner_notes", learner_id=learner.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/notes.html", learner=learner, notes=notes.notes_for(learner), form=form
    ), status
