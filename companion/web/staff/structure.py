"""The direction's pages: staff accounts, teams, kiosks, settings, statistics, audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.models import AuditAction, Role, StaffUser, Team
from companion.permissions import Capability, requires
from companion.services import administration, audit, staff_links, two_step
from companion.services.period import Period
from companion.web import shown_once
from companion.web.forms import (
    ActionForm,
    AuditFilterForm,
    SettingsForm,
    StaffCreateForm,
    StaffEditForm,
    TeamForm,
    TeamRemoveForm,
    options,
    team_choices,
)
from companion.web.staff.blueprint import audit_label, bp, confirm_page, one_time_link_page


def _teams() -> list[tuple[int, str]]:
    return team_choices(administration.teams_of(current_user.structure_id), _("Aucune équipe"))


def _encadrant_needs_a_team() -> str:
    return str(
        _(
            "Choisissez l'équipe de l'encadrant : il ne voit que les salariés de son équipe "
            "(sans équipe, il ne verrait personne)."
        )
    )


@bp.route("/structure/staff", methods=["GET", "POST"])
@requires(Capability.MANAGE_STAFF)
def staff_accounts() -> ResponseReturnValue:
    """The structure's staff accounts; a new one comes with a one-time invitation link."""
    form = StaffCreateForm()
    form.team_id.choices = _teams()
    if form.validate_on_submit():
        try:
            user, token = administration.create_staff(
                current_user,
                current_user.structure_id,
                form.email.data or "",
                Role(form.role.data),
                form.team_id.data or None,
            )
        except administration.AdminError as exc:
            if exc.field == "email":
                form.email.errors = [_("Cette adresse e-mail a déjà un compte.")]
            elif exc.message_is("encadrant_team"):
                form.team_id.errors = [_encadrant_needs_a_team()]
            else:
                form.team_id.errors = [_("Choisissez une équipe de la liste.")]
        else:
            shown_once.keep("link", user.id, token)
            return redirect(url_for(".staff_link", user_id=user.id))
    status = 422 if form.is_submitted() else 200
    staff = administration.staff_of(current_user.structure_id)
    return render_template(
        "staff/structure_staff.html",
        form=form,
        staff=staff,
        links=staff_links.open_links([u.id for u in staff]),
    ), status


def _colleague(user_id: int) -> StaffUser:
    """A staff account of the direction's own structure, else 404."""
    user = administration.colleague(current_user.structure_id, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/structure/staff/<int:user_id>", methods=["GET", "POST"])
@requires(Capability.MANAGE_STAFF)
def staff_account(user_id: int) -> ResponseReturnValue:
    user = _colleague(user_id)
    form = StaffEditForm(obj=user)
    form.team_id.choices = _teams()
    if not form.is_submitted():
        form.team_id.data = user.team_id or 0
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            administration.update_staff(
                current_user,
                user,
                Role(form.role.data),
                form.team_id.data or None,
                bool(form.active.data),
            )
        except administration.AdminError as exc:
            if exc.message_is("encadrant_team"):
                form.team_id.errors = [_encadrant_needs_a_team()]
            elif exc.field == "team_id":
                form.team_id.errors = [_("Choisissez une équipe de la liste.")]
            else:
                form.role.errors = [
                    _("Vous ne pouvez pas changer votre propre rôle ni vous désactiver.")
                ]
        else:
            flash(_("Les changements sont enregistrés."), "info")
            return redirect(url_for(".staff_accounts"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/structure_staff_edit.html",
        form=form,
        user=user,
        action_form=ActionForm(),
        link=staff_links.open_links([user.id]).get(user.id),
    ), status


@bp.route("/structure/staff/<int:user_id>/link", methods=["GET", "POST"])
@requires(Capability.MANAGE_STAFF)
def staff_link(user_id: int) -> ResponseReturnValue:
    """A colleague's one-time link: shown right after it is made (and on a reload, briefly),
    never again; a POST gives a new one (a forgotten password, an expired invitation)."""
    user = _colleague(user_id)
    # One's own password changes in "Mon compte"; a deactivated account is reactivated first.
    return one_time_link_page(
        current_user,
        user,
        here=url_for(".staff_link", user_id=user.id),
        back_url=url_for(".staff_account", user_id=user.id),
        may_give=user.id != current_user.id and user.active,
    )


@bp.post("/structure/staff/<int:user_id>/two-step/reset")
@requires(Capability.MANAGE_STAFF)
def staff_two_step_reset(user_id: int) -> Response:
    """A member lost their phone: they sign in with their password alone, then enrol again."""
    user = _colleague(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        two_step.reset(current_user, user)
    except two_step.TwoStepError:
        flash(_("Pour votre propre compte, passez par la page « Mon compte »."), "info")
        return redirect(url_for(".staff_account", user_id=user.id))
    flash(
        _(
            "La vérification en deux étapes de %(email)s est réinitialisée. "
            "À sa prochaine connexion, la personne pourra l'activer de nouveau.",
            email=user.email,
        ),
        "info",
    )
    return redirect(url_for(".staff_account", user_id=user.id))


@bp.route("/structure/teams", methods=["GET", "POST"])
@requires(Capability.MANAGE_TEAMS)
def teams() -> ResponseReturnValue:
    form = TeamForm()
    if form.validate_on_submit():
        try:
            administration.create_team(
                current_user, current_user.structure_id, form.name.data or ""
            )
        except administration.AdminError:
            form.name.errors = [_team_taken()]
        else:
            flash(_("L'équipe est créée."), "info")
            return redirect(url_for(".teams"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/structure_teams.html",
        form=form,
        teams=administration.teams_of(current_user.structure_id),
    ), status


def _team_taken() -> str:
    return str(_("Une équipe porte déjà ce nom (les majuscules et les accents ne comptent pas)."))


def _own_team(team_id: int) -> Team:
    team = administration.team_of(current_user.structure_id, team_id)
    if team is None:
        abort(404)
    return team


@bp.route("/structure/teams/<int:team_id>", methods=["GET", "POST"])
@requires(Capability.MANAGE_TEAMS)
def team_edit(team_id: int) -> ResponseReturnValue:
    """Rename a team; merging or deleting it is one more page (team_remove)."""
    team = _own_team(team_id)
    form = TeamForm(obj=team)
    if form.validate_on_submit():
        try:
            administration.rename_team(current_user, team, form.name.data or "")
        except administration.AdminError:
            form.name.errors = [_team_taken()]
        else:
            flash(_("L'équipe est renommée."), "info")
            return redirect(url_for(".teams"))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/team_edit.html", form=form, team=team), status


@bp.route("/structure/teams/<int:team_id>/remove", methods=["GET", "POST"])
@requires(Capability.MANAGE_TEAMS)
def team_remove(team_id: int) -> ResponseReturnValue:
    """Merge a team into another, or delete it: the page says who moves, then asks."""
    team = _own_team(team_id)
    others = [t for t in administration.teams_of(current_user.structure_id) if t.id != team.id]
    form = TeamRemoveForm()
    form.into.choices = options(
        [(0, _("Aucune équipe (supprimer l'équipe)")), *[(t.id, t.name) for t in others]]
    )
    if form.validate_on_submit():
        into = next((t for t in others if t.id == form.into.data), None)
        name = team.name
        try:
            moved = administration.remove_team(current_user, team, into)
        except administration.AdminError:
            form.into.errors = [
                _(
                    "Des encadrants sont rattachés à cette équipe : choisissez l'équipe qui "
                    "les accueille."
                )
            ]
        else:
            if into is not None:
                message = _(
                    "L'équipe %(name)s est fusionnée dans %(into)s (%(n)s salariés déplacés).",
                    name=name,
                    into=into.name,
                    n=moved,
                )
            else:
                message = _("L'équipe %(name)s est supprimée.", name=name)
            flash(message, "info")
            return redirect(url_for(".teams"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "staff/team_remove.html",
        form=form,
        team=team,
        counts=administration.team_counts(team),
    ), status


@bp.get("/structure/kiosks")
@requires(Capability.MANAGE_KIOSKS)
def kiosk_list() -> str:
    return render_template(
        "staff/structure_kiosks.html",
        kiosks=administration.kiosks_of(current_user.structure_id),
        form=ActionForm(),
    )


@bp.route("/structure/kiosks/<int:kiosk_id>/revoke", methods=["GET", "POST"])
@requires(Capability.MANAGE_KIOSKS)
def kiosk_revoke(kiosk_id: int) -> ResponseReturnValue:
    kiosk = administration.kiosk_of(current_user.structure_id, kiosk_id)
    if kiosk is None:
        abort(404)
    if request.method == "GET":
        return confirm_page(
            _("Révoquer une borne"),
            _("Révoquer la borne « %(label)s » ?", label=kiosk.label),
            _("Révoquer la borne"),
            url_for(".kiosk_list"),
            details=[
                _(
                    "Cet appareil ne montrera plus les prénoms des salariés. Pour en refaire "
                    "une borne, il faudra l'ouvrir de nouveau depuis un compte de l'équipe."
                )
            ],
        )
    if not ActionForm().validate_on_submit():
        abort(400)
    administration.revoke_kiosk(current_user, kiosk)
    flash(_("La borne « %(label)s » est révoquée.", label=kiosk.label), "info")
    return redirect(url_for(".kiosk_list"))


@bp.route("/structure/settings", methods=["GET", "POST"])
@requires(Capability.MANAGE_SETTINGS)
def settings() -> ResponseReturnValue:
    structure = current_user.structure
    form = SettingsForm()
    if not form.is_submitted():
        form.languages.data = structure.language_list
        form.kiosk_idle_seconds.data = structure.kiosk_idle_seconds
        form.kiosk_lifetime_days.data = structure.kiosk_lifetime_days
        form.retention_months.data = structure.retention_months
        form.require_totp_for_direction.data = structure.require_totp_for_direction
        form.keep_attestation_name.data = structure.keep_attestation_name
    if form.validate_on_submit():
        try:
            administration.update_settings(
                current_user,
                structure,
                list(form.languages.data or []),
                int(form.kiosk_idle_seconds.data or 180),
                int(form.retention_months.data or 24),
                require_totp_for_direction=bool(form.require_totp_for_direction.data),
                keep_attestation_name=bool(form.keep_attestation_name.data),
                kiosk_lifetime_days=form.kiosk_lifetime_days.data,
            )
        except administration.AdminError:
            form.require_totp_for_direction.errors = [
                _(
                    "Activez d'abord la vérification en deux étapes pour votre propre compte, "
                    "dans « Mon compte »."
                )
            ]
        else:
            flash(_("Les réglages sont enregistrés."), "info")
            return redirect(url_for(".settings"))
    status = 422 if form.is_submitted() else 200
    return render_template("staff/structure_settings.html", form=form), status


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


@bp.get("/structure/audit")
@requires(Capability.VIEW_AUDIT)
def audit_log() -> ResponseReturnValue:
    """The log, a page at a time, filtered by person, action and days (in Paris)."""
    structure_id = current_user.structure_id
    form = AuditFilterForm(request.args)
    form.actor.choices = options(
        [("", _("Tout le monde"))] + [(str(u.id), u.email) for u in audit.actors_of(structure_id)]
    )
    actions = sorted(((a.value, audit_label(a.value)) for a in AuditAction), key=lambda c: c[1])
    form.action.choices = options([("", _("Toutes les actions")), *actions])
    filtering = any(request.args.get(name) for name in ("actor", "action", "start", "end"))
    valid = form.validate() if filtering else True
    chosen = audit.LogFilter()
    if valid:
        since, until = Period(form.start.data, form.end.data).bounds()
        chosen = audit.LogFilter(
            actor_id=int(form.actor.data) if form.actor.data else None,
            action=AuditAction(form.action.data) if form.action.data else None,
            since=since,
            until=until,
        )
    log = audit.log_page(structure_id, chosen, _page_number(request.args.get("page")))
    # The links to other pages keep the filters.
    kept = {k: v for k, v in request.args.items() if k != "page" and v} if valid else {}
    return render_template(
        "staff/audit.html", form=form, log=log, kept=kept, filtering=filtering and valid
    ), 200 if valid else 422
