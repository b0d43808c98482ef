"""Staff space: sign-in, the CIP's learners and follow-up, assignments, exports.

The direction's pages (staff accounts, teams, kiosks, settings, statistics, audit log) live
in structure.py on the same blueprint. Every view declares its capability with @requires.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
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

from companion import catalogue
from companion.extensions import db
from companion.models import AuditAction, Learner, Role, utcnow
from companion.permissions import Capability, can, learner_in_scope, requires, team_scope
from companion.services import (
    accounts,
    administration,
    assignments,
    attestation,
    audit,
    exports,
    followup,
    kiosks,
    learners,
    notes,
    two_step,
)
from companion.services.cards import qr_svg
from companion.web.forms import (
    LANGUAGES,
    LEARNER_PICTOGRAMS,
    ActionForm,
    AssignForm,
    ExportForm,
    KioskForm,
    LearnerForm,
    NoteForm,
    StaffSigninForm,
    options,
    team_choices,
)
from companion.web.session import (
    KIOSK_COOKIE,
    KIOSK_COOKIE_MAX_AGE,
    begin_two_step,
    sign_in,
    sign_out,
)

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


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: never '//host' or 'https://…' (open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    form = StaffSigninForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate_staff(form.email.data or "", form.password.data or "")
        if user is not None:
            target = safe_next(request.args.get("next"))
            # Two-step verification: not signed in before the code (or the enrolment that
            # the structure requires); the session only remembers who, and when.
            if user.two_step_enabled or two_step.must_enrol(user):
                begin_two_step(user, target, enrol=not user.two_step_enabled)
                return redirect(
                    url_for(".signin_code" if user.two_step_enabled else ".signin_enrol")
                )
            sign_in(user)
            return redirect(target or url_for(".home"))
        error = _("Adresse e-mail ou mot de passe incorrect.")
    elif form.is_submitted():
        error = _("Remplissez l'adresse e-mail et le mot de passe.")
    status = 200 if error is None else 422
    return render_template("staff/signin.html", form=form, error=error), status


@bp.post("/signout")
def signout() -> Response:
    sign_out()
    return redirect(url_for(".signin"))


@bp.get("/")
def home() -> Response:
    """Each role lands on its own home."""
    if not current_user.is_authenticated or current_user.is_learner:
        return redirect(url_for(".signin"))
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.home"))
    if current_user.role == Role.ENCADRANT:
        return redirect(url_for(".team"))
    return redirect(url_for(".learners"))


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
    form.locale.choices = options([(tag, name) for tag, name in LANGUAGES if tag in offered])
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
            db.session.rollback()
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


# --- Attestation ------------------------------------------------------------------------


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


# --- Assignments ------------------------------------------------------------------------


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


# --- Exports ----------------------------------------------------------------------------


def _export_form() -> ExportForm:
    form = ExportForm(request.args)
    form.team_id.choices = team_choices(
        administration.teams_of(current_user.structure_id), _("Toutes les équipes")
    )
    return form


@bp.get("/export")
@requires(Capability.EXPORT)
def export_page() -> ResponseReturnValue:
    form = _export_form()
    valid = form.validate() if request.args else True
    return render_template("staff/export.html", form=form), 200 if valid else 422


@bp.get("/export.<fmt>")
@requires(Capability.EXPORT)
def export_file(fmt: str) -> ResponseReturnValue:
    if fmt not in {"csv", "xlsx"}:
        abort(404)
    form = _export_form()
    if not form.validate():
        return render_template("staff/export.html", form=form), 422
    team_id = form.team_id.data or None
    rows = exports.export_rows(
        current_user.structure_id,
        exports.ExportFilter(form.start.data, form.end.data, team_id),
    )
    audit.record(current_user, AuditAction.EXPORTED, detail=f"{fmt} {len(rows)}")
    stamp = date.today().isoformat()
    if fmt == "csv":
        response = current_app.response_class(
            exports.to_csv(rows), mimetype="text/csv; charset=utf-8"
        )
    else:
        response = current_app.response_class(
            exports.to_xlsx(rows),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="compagnon-salaries-modules-{stamp}.{fmt}"'
    )
    return response


# --- Kiosk ------------------------------------------------------------------------------


@bp.route("/kiosk", methods=["GET", "POST"])
@requires(Capability.OPEN_KIOSK)
def open_kiosk() -> ResponseReturnValue:
    """Turn this browser into a kiosk of the structure, then sign the staff member out."""
    form = KioskForm()
    if form.validate_on_submit():
        _kiosk, token = kiosks.create_kiosk(current_user, form.label.data or "")
        sign_out()
        flash(_("Cet appareil est maintenant une borne."), "info")
        response = redirect(url_for("kiosk.home"))
        response.set_cookie(
            KIOSK_COOKIE,
            token,
            max_age=KIOSK_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(request.is_secure),
        )
        return response
    return render_template("staff/kiosk.html", form=form)


# Register the direction pages, the personal data pages and the account pages (two-step
# verification) on this blueprint.
from companion.web.staff import account, learner_data, structure  # noqa: E402, F401
