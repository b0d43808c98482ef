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
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.catalogue.entry_check import SCREEN_BASICS
from companion.models import AuditAction, Learner, Note, utcnow
from companion.permissions import Capability, can, learner_in_scope, requires, team_scope
from companion.services import (
    administration,
    assignments,
    audit,
    entry_check,
    followup,
    home,
    learners,
    notes,
    sessions,
)
from companion.services.cards import qr_svg
from companion.services.privacy import is_erased
from companion.services.progress import ModuleState
from companion.web import shown_once
from companion.web.forms import (
    LEARNER_PICTOGRAMS,
    ActionForm,
    LearnerFilterForm,
    LearnerForm,
    NoteEditForm,
    NoteForm,
    language_choices,
    options,
    team_choices,
)
from companion.web.staff.blueprint import bp, confirm_page


def _filter_form() -> LearnerFilterForm:
    form = LearnerFilterForm(request.args)
    form.team.choices = options(
        [("", _("Toutes les équipes")), ("none", _("Sans équipe"))]
        + [(str(t.id), t.name) for t in home.teams(current_user.structure_id)]
    )
    form.module.choices = options(
        [("", _("Tous les modules"))]
        + [(m.id, m.meta.title) for m in entry_check.learning_modules()]
    )
    return form


def _learner_filter(form: LearnerFilterForm) -> home.LearnerFilter:
    team = form.team.data or ""
    return home.LearnerFilter(
        q=form.q.data or "",
        team_id=home.NO_TEAM if team == "none" else (int(team) if team else None),
        module_id=form.module.data or None,
        status=ModuleState(form.status.data) if form.status.data else None,
        assignment=home.AssignmentFilter(form.assignment.data) if form.assignment.data else None,
        sort=home.Sort(form.sort.data or "name"),
    )


@bp.get("/learners", endpoint="learners")
@requires(Capability.VIEW_PROGRESS)
def learners_list() -> ResponseReturnValue:
    """CIP home: who needs attention ("À suivre"), then the learners, searched and filtered.

    Filters come from the query string: a value that is not in the lists is a 422 with the
    message beside its field, never a 500.
    """
    form = _filter_form()
    valid = form.validate()
    # The learners and their progress, read once for the list and for "À suivre".
    overview = followup.structure_overview(current_user.structure_id)
    listing = home.learner_list(
        current_user.structure_id,
        _learner_filter(form) if valid else home.LearnerFilter(),
        overview,
    )
    follow = home.follow_groups(current_user.structure_id, overview=overview)
    return render_template(
        "staff/learners.html",
        listing=listing,
        follow=follow,
        form=form,
        action_form=ActionForm(),
        now=utcnow(),
    ), 200 if valid else 422


@bp.post("/learners/follow/seen")
@requires(Capability.VIEW_PROGRESS)
def follow_seen() -> Response:
    """Mark one item of "À suivre" seen (who, when): it comes back if someone new is in it."""
    form = ActionForm()
    key = request.form.get("key", "")
    if not form.validate_on_submit() or not key or len(key) > 120:
        abort(400)
    try:
        home.mark_seen(current_user, key)
    except home.UnknownItem:
        flash(_("Cette situation n'est plus à suivre."), "info")
    else:
        flash(_("Marqué comme vu. Il reviendra si la situation change."), "info")
    return redirect(url_for(".learners") + "#follow-title")


@bp.get("/team")
@requires(Capability.VIEW_TEAM_PROGRESS)
def team() -> str:
    """Encadrant home: the learners of their team and who has done what."""
    overview = followup.structure_overview(current_user.structure_id, team_id=team_scope())
    return render_template("staff/team.html", overview=overview, no_team=team_scope() == -1)


@bp.get("/learners/former")
@requires(Capability.VIEW_LEARNER_FILE)
def learners_former() -> str:
    """ "Anciens salariés": archived learners whose file, attestation and data stay
    reachable until the purge; each can be brought back."""
    return render_template(
        "staff/learners_former.html",
        former=learners.former_learners(current_user.structure),
        action_form=ActionForm(),
    )


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


def _duplicate(form: LearnerForm, existing: str) -> None:
    message = (
        _(
            "%(name)s est déjà inscrit (les majuscules et les accents ne comptent pas). "
            "Ajoutez l'initiale du nom pour les distinguer.",
            name=existing,
        )
        if existing
        else _("Un salarié porte déjà ce prénom. Ajoutez l'initiale du nom pour les distinguer.")
    )
    form.initial.errors = [*form.initial.errors, message]


@bp.get("/learners/<int:learner_id>/cards")
@requires(Capability.MANAGE_LEARNERS)
def learner_cards(learner_id: int) -> ResponseReturnValue:
    """The sign-in card sheet with the PIN, after a creation or a new PIN (post/redirect/
    get): a reload shows it again for 10 minutes, to this session only; then never."""
    learner = learner_in_scope(learner_id, include_archived=False)
    kept = shown_once.kept("pin", learner.id)
    if kept is None:
        return render_template(
            "staff/cards_gone.html", learner=learner, action_form=ActionForm()
        ), 410
    reset, pin = kept.startswith("r"), kept[1:]
    link = url_for("learner.link_signin", token=learner.signin_token, _external=True)
    return render_template(
        "staff/cards.html", learner=learner, pin=pin, link=link, qr=qr_svg(link), reset=reset
    )


def _show_cards(learner: Learner, pin: str, reset: bool) -> Response:
    # "r" or "n" says whether the page is for a new PIN or a new account.
    shown_once.keep("pin", learner.id, ("r" if reset else "n") + pin)
    return redirect(url_for(".learner_cards", learner_id=learner.id))


@bp.route("/learners/new", methods=["GET", "POST"])
@requires(Capability.MANAGE_LEARNERS)
def learner_new() -> ResponseReturnValue:
    form = _learner_form()
    if form.validate_on_submit():
        try:
            learner, pin = learners.create_learner(current_user, _fields(form))
        except learners.DuplicateName as exc:
            _duplicate(form, exc.existing)
        else:
            return _show_cards(learner, pin, reset=False)
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
        except learners.DuplicateName as exc:
            _duplicate(form, exc.existing)
        else:
            flash(_("Les changements sont enregistrés."), "info")
            return redirect(url_for(".learner_file", learner_id=learner.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/learner_form.html", form=form, learner=learner, pictograms=LEARNER_PICTOGRAMS
    ), status


@bp.route("/learners/<int:learner_id>/pin", methods=["GET", "POST"])
@requires(Capability.MANAGE_LEARNERS)
def learner_reset_pin(learner_id: int) -> ResponseReturnValue:
    learner = learner_in_scope(learner_id, include_archived=False)
    if request.method == "GET":
        return confirm_page(
            _("Nouveau code"),
            _("Donner un nouveau code à %(name)s ?", name=learner.display_name),
            _("Donner un nouveau code"),
            url_for(".learner_file", learner_id=learner.id),
            details=[
                _(
                    "Son code actuel, son lien personnel et ses cartes ne marcheront plus. "
                    "Il faudra lui donner les nouvelles cartes."
                )
            ],
            danger=False,
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    return _show_cards(learner, learners.reset_pin(current_user, learner), reset=True)


@bp.post("/learners/<int:learner_id>/unlock")
@requires(Capability.MANAGE_LEARNERS)
def learner_unlock(learner_id: int) -> Response:
    learner = learner_in_scope(learner_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    learners.unlock(current_user, learner)
    flash(_("Le code est débloqué. Le salarié peut se connecter."), "info")
    if request.form.get("back") == "home":  # the button of "À suivre"
        return redirect(url_for(".learners") + "#follow-title")
    return redirect(url_for(".learner_file", learner_id=learner.id))


@bp.post("/learners/<int:learner_id>/signout-phones")
@requires(Capability.MANAGE_LEARNERS)
def learner_signout_phones(learner_id: int) -> Response:
    """A lost or lent phone: the learner's open sessions end; PIN and link stay the same."""
    learner = learner_in_scope(learner_id, include_archived=False)
    if not ActionForm().validate_on_submit():
        abort(400)
    sessions.end_learner_sessions(current_user, learner)
    flash(
        _("Les téléphones et bornes de %(name)s sont déconnectés.", name=learner.display_name),
        "info",
    )
    return redirect(url_for(".learner_file", learner_id=learner.id))


@bp.route("/learners/<int:learner_id>/archive", methods=["GET", "POST"])
@requires(Capability.MANAGE_LEARNERS)
def learner_archive(learner_id: int) -> ResponseReturnValue:
    learner = learner_in_scope(learner_id)
    if request.method == "GET":
        return confirm_page(
            _("Archiver"),
            _("Archiver %(name)s ?", name=learner.display_name),
            _("Archiver"),
            url_for(".learner_file", learner_id=learner.id),
            details=[
                _(
                    "Il ne pourra plus se connecter et quitte les listes. Sa fiche, son "
                    "attestation et ses données restent dans « Anciens salariés » jusqu'à "
                    "la fin de la durée de conservation (%(months)s mois) ; vous pourrez "
                    "l'y réintégrer.",
                    months=learner.structure.retention_months,
                )
            ],
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    learners.archive(current_user, learner)
    flash(
        _("%(name)s est archivé : il ne peut plus se connecter.", name=learner.display_name),
        "info",
    )
    return redirect(url_for(".learners"))


@bp.post("/learners/<int:learner_id>/unarchive")
@requires(Capability.MANAGE_LEARNERS)
def learner_unarchive(learner_id: int) -> Response:
    learner = learner_in_scope(learner_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        learners.unarchive(current_user, learner)
    except learners.NotRestorable:
        abort(409)
    flash(
        _(
            "%(name)s est réintégré : il se connecte de nouveau avec son code et sa carte.",
            name=learner.display_name,
        ),
        "info",
    )
    return redirect(url_for(".learner_file", learner_id=learner.id))


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
        may_change=lambda note: notes.may_change(current_user, note),
        note_form=NoteForm(),
        action_form=ActionForm(),
        assigned=assignments.assignments_for(learner),
        locked=learner.locked_until is not None and learner.locked_until > utcnow(),
        erased=is_erased(learner),
        entry=entry_check.results_for(learner),
        entry_areas=entry_check.areas(),
        screen_area=SCREEN_BASICS,
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
    if not form.is_submitted():
        audit.record(current_user, AuditAction.VIEWED_NOTES, learner)  # read, not only written
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/notes.html",
        learner=learner,
        notes=notes.notes_for(learner),
        form=form,
        may_change=lambda note: notes.may_change(current_user, note),
    ), status


def _note_in_scope(note_id: int) -> Note:
    """A note the signed-in staff member may correct or delete, else 404 (another
    structure) or 403 (a colleague's note, for a CIP)."""
    note = notes.note_of(current_user.structure_id, note_id)
    if note is None:
        abort(404)
    if not notes.may_change(current_user, note):
        abort(403)
    return note


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
@requires(Capability.WRITE_NOTES)
def note_edit(note_id: int) -> ResponseReturnValue:
    """Correct a note (rectification): its author or the direction; in the audit log."""
    note = _note_in_scope(note_id)
    form = NoteEditForm(obj=note)
    if form.validate_on_submit():
        notes.edit_note(current_user, note, form.body.data or "")
        flash(_("La note est corrigée."), "info")
        return redirect(url_for(".learner_notes", learner_id=note.learner_id))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/note_edit.html", form=form, note=note), status


@bp.route("/notes/<int:note_id>/delete", methods=["GET", "POST"])
@requires(Capability.WRITE_NOTES)
def note_delete(note_id: int) -> ResponseReturnValue:
    note = _note_in_scope(note_id)
    learner_id = note.learner_id
    if request.method == "GET":
        return confirm_page(
            _("Supprimer une note"),
            _(
                "Supprimer la note du %(date)s sur %(name)s ?",
                date=format_datetime(note.created_at, "short"),
                name=note.learner.display_name,
            ),
            _("Supprimer la note"),
            url_for(".learner_notes", learner_id=learner_id),
            details=[note.body[:300]],
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    notes.delete_note(current_user, note)
    flash(_("La note est supprimée."), "info")
    return redirect(url_for(".learner_notes", learner_id=learner_id))
