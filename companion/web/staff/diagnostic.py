"""The structure's digital diagnostic: open it, answer it axis by axis, read the result, plan.

Thin views over services/diagnostic.py. Each staff member answers on their own, one axis per
page, saved page by page (half-answered is kept). The direction opens and closes it, makes
the plan and exports it; a closed diagnostic refuses changes with a clear message (409).
Another structure's diagnostic is a 404.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from companion.catalogue.diagnostic import DiagnosticAction, DiagnosticAxis, DiagnosticGrid
from companion.i18n import current_locale, text_direction
from companion.models import Diagnostic, PlanStatus
from companion.permissions import Capability, can, requires
from companion.services import diagnostic as service
from companion.services import diagnostic_report
from companion.services.assignments import today
from companion.web.diagnostic_forms import (
    PLAN_STATUS_LABELS,
    CloseDiagnosticForm,
    OpenDiagnosticForm,
    PlanAddForm,
    PlanEditForm,
    SharingForm,
)
from companion.web.forms import ActionForm, options
from companion.web.staff.blueprint import bp
from companion.web.staff.diagnostic_chart import chart


def _diagnostic(diagnostic_id: int) -> Diagnostic:
    found = service.diagnostic_of(current_user.structure_id, diagnostic_id)
    if found is None:
        abort(404)
    return found


def _axis(the_grid: DiagnosticGrid, axis_id: str) -> tuple[DiagnosticAxis, DiagnosticAxis | None]:
    """The axis and the one after it (None for the last); 404 for an unknown id."""
    ids = [a.id for a in the_grid.axes]
    if axis_id not in ids:
        abort(404)
    n = ids.index(axis_id)
    following = the_grid.axes[n + 1] if n + 1 < len(ids) else None
    return the_grid.axes[n], following


def _closed_page(diagnostic: Diagnostic) -> ResponseReturnValue:
    return render_template("staff/diagnostic_closed.html", diagnostic=diagnostic), 409


def _person(user_id: int | None, people: dict[int, str]) -> str:
    return people.get(user_id or 0, "–")


def _home(open_form: OpenDiagnosticForm | None = None) -> str:
    structure_id = current_user.structure_id
    diagnostics = service.diagnostics_of(structure_id)
    sharing = service.sharing_of(structure_id)
    sharing_form = SharingForm(
        formdata=None,
        share_results=sharing.share_results,
        visible_to_peers=sharing.visible_to_peers,
    )
    the_grid = service.grid()
    return render_template(
        "staff/diagnostic_home.html",
        grid=the_grid,
        diagnostics=diagnostics,
        has_open=any(d.is_open for d in diagnostics),
        plans=service.plans_progress(diagnostics, today()),
        open_form=open_form or OpenDiagnosticForm(formdata=None, year=today().year),
        sharing_form=sharing_form,
        peers=service.peers(structure_id) if can(Capability.MANAGE_DIAGNOSTIC) else {},
        action_title=lambda action_id: _action_title(the_grid, action_id),
    )


@bp.get("/diagnostic")
@requires(Capability.ANSWER_DIAGNOSTIC)
def diagnostic_home() -> str:
    return _home()


def _action_title(the_grid: DiagnosticGrid, action_id: str) -> str:
    try:
        return the_grid.action(action_id).title
    except KeyError:
        return action_id


@bp.post("/diagnostic/open")
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_open() -> ResponseReturnValue:
    form = OpenDiagnosticForm()
    if not form.validate_on_submit() or form.year.data is None:
        return _home(form), 400
    try:
        made = service.open_diagnostic(current_user, form.year.data, form.label.data or "")
    except service.DiagnosticError:
        flash(_("Un diagnostic est déjà ouvert : clôturez-le avant d'en ouvrir un autre."), "error")
        return redirect(url_for(".diagnostic_home")), 303
    flash(_("Le diagnostic est ouvert : chaque membre de l'équipe peut y répondre."), "info")
    return redirect(url_for(".diagnostic_overview", diagnostic_id=made.id)), 303


@bp.post("/diagnostic/sharing")
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_sharing() -> ResponseReturnValue:
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400)
    service.set_sharing(
        current_user, bool(form.share_results.data), bool(form.visible_to_peers.data)
    )
    flash(_("Vos choix de partage sont enregistrés."), "info")
    return redirect(url_for(".diagnostic_home")), 303


@bp.get("/diagnostic/<int:diagnostic_id>")
@requires(Capability.ANSWER_DIAGNOSTIC)
def diagnostic_overview(diagnostic_id: int) -> str:
    diagnostic = _diagnostic(diagnostic_id)
    the_grid = service.grid()
    mine = service.answers_of(diagnostic, current_user)
    progress = service.progress_of(the_grid, mine)
    next_axis = next((p.axis for p in progress if not p.complete), the_grid.axes[0])
    return render_template(
        "staff/diagnostic_overview.html",
        diagnostic=diagnostic,
        grid=the_grid,
        progress=progress,
        next_axis=next_axis,
        result=service.result_of(diagnostic, the_grid),
    )


@bp.route("/diagnostic/<int:diagnostic_id>/axis/<axis_id>", methods=["GET", "POST"])
@requires(Capability.ANSWER_DIAGNOSTIC)
def diagnostic_axis(diagnostic_id: int, axis_id: str) -> ResponseReturnValue:
    """One axis of the questionnaire: saved as it is (blanks allowed), then the next axis."""
    diagnostic = _diagnostic(diagnostic_id)
    the_grid = service.grid()
    axis, following = _axis(the_grid, axis_id)
    error = None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        if not diagnostic.is_open:
            return _closed_page(diagnostic)
        try:
            service.save_axis(diagnostic, current_user, axis, request.form)
        except service.DiagnosticError:
            error = _("Une réponse n'est pas sur l'échelle proposée : choisissez une des cases.")
        else:
            flash(_("Vos réponses sont enregistrées."), "info")
            if following is not None and "next" in request.form:
                target = url_for(
                    ".diagnostic_axis", diagnostic_id=diagnostic.id, axis_id=following.id
                )
            else:
                target = url_for(".diagnostic_overview", diagnostic_id=diagnostic.id)
            return redirect(target), 303
    answers = request.form if error else service.answers_of(diagnostic, current_user)
    position = [a.id for a in the_grid.axes].index(axis.id) + 1
    return render_template(
        "staff/diagnostic_axis.html",
        diagnostic=diagnostic,
        grid=the_grid,
        axis=axis,
        following=following,
        position=position,
        answers={q.id: answers.get(f"q-{q.id}" if error else q.id, "") for q in axis.questions},
        error=error,
        form=ActionForm(),
    ), 400 if error else 200


def _plan_view(
    diagnostic: Diagnostic, the_grid: DiagnosticGrid, proposed: list[DiagnosticAction]
) -> dict[str, object]:
    plan = service.plan_of(diagnostic)
    people = {s.id: s.email for s in service.staff_of(diagnostic.structure_id)}
    owners = list(people.items())
    none = _("Personne pour l'instant")
    edit_forms = {}
    for row in plan:
        form = PlanEditForm(
            prefix=f"p{row.id}",
            formdata=None,
            owner=row.owner_id or 0,
            due_date=row.due_date,
            status=row.status.value,
            note=row.note,
        )
        form.set_owners(owners, none)
        edit_forms[row.id] = form
    in_plan = {row.action_id for row in plan}
    add_form = PlanAddForm(formdata=None, status=PlanStatus.TODO.value)
    add_form.set_owners(owners, none)
    # The actions proposed for the weak points first, then the rest of the catalogue.
    ordered = [*proposed, *(a for a in the_grid.actions if a not in proposed)]
    add_form.action.choices = options([(a.id, a.title) for a in ordered if a.id not in in_plan])
    actions = [a for row in plan if (a := _find_action(the_grid, row.action_id))]
    return {
        "plan": plan,
        "plan_progress": service.plan_progress(plan, today()),
        "edit_forms": edit_forms,
        "add_form": add_form,
        "in_plan": in_plan,
        "people": people,
        "person": lambda user_id: _person(user_id, people),
        "indicators": service.indicators_for(diagnostic.structure_id, actions),
        "status_label": lambda status: PLAN_STATUS_LABELS[PlanStatus(status)],
        "action_title": lambda action_id: _action_title(the_grid, action_id),
        "action_of": lambda action_id: _find_action(the_grid, action_id),
    }


def _find_action(the_grid: DiagnosticGrid, action_id: str) -> DiagnosticAction | None:
    try:
        return the_grid.action(action_id)
    except KeyError:
        return None


@bp.get("/diagnostic/<int:diagnostic_id>/result")
@requires(Capability.ANSWER_DIAGNOSTIC)
def diagnostic_result(diagnostic_id: int) -> str:
    diagnostic = _diagnostic(diagnostic_id)
    the_grid = service.grid()
    result = service.result_of(diagnostic, the_grid)
    previous = service.previous_closed(diagnostic)
    deltas = service.compare(result, service.result_of(previous, the_grid)) if previous else []
    return render_template(
        "staff/diagnostic_result.html",
        diagnostic=diagnostic,
        grid=the_grid,
        result=result,
        chart=chart(result, rtl=text_direction(current_locale()) == "rtl"),
        previous=previous,
        deltas=deltas,
        **_plan_view(diagnostic, the_grid, result.proposed),
    )


@bp.route("/diagnostic/<int:diagnostic_id>/close", methods=["GET", "POST"])
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_close(diagnostic_id: int) -> ResponseReturnValue:
    diagnostic = _diagnostic(diagnostic_id)
    if not diagnostic.is_open:
        return _closed_page(diagnostic)
    form = CloseDiagnosticForm()
    if form.validate_on_submit():
        service.close_diagnostic(diagnostic, form.meeting_note.data or "")
        flash(_("Le diagnostic est clos. Le plan d'action reste à suivre."), "info")
        return redirect(url_for(".diagnostic_result", diagnostic_id=diagnostic.id)), 303
    return render_template(
        "staff/diagnostic_close.html", diagnostic=diagnostic, form=form
    ), 400 if form.is_submitted() else 200


def _plan_choice(form: PlanEditForm) -> service.PlanChoice:
    return service.PlanChoice(
        owner_id=form.owner_id,
        due_date=form.due_date.data,
        status=PlanStatus(form.status.data),
        note=form.note.data or "",
    )


def _plan_refused(diagnostic: Diagnostic, reason: str) -> ResponseReturnValue:
    messages = {
        "in_plan": _("Cette action est déjà dans le plan."),
        "owner": _("Choisissez un responsable parmi les membres de l'équipe."),
        "action": _("Choisissez une action du catalogue."),
    }
    flash(messages.get(reason, _("La demande n'a pas pu être enregistrée.")), "error")
    return redirect(url_for(".diagnostic_result", diagnostic_id=diagnostic.id) + "#plan"), 303


@bp.post("/diagnostic/<int:diagnostic_id>/plan")
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_plan_add(diagnostic_id: int) -> ResponseReturnValue:
    diagnostic = _diagnostic(diagnostic_id)
    if not diagnostic.is_open:
        return _closed_page(diagnostic)
    the_grid = service.grid()
    form = PlanAddForm()
    form.set_owners([(s.id, s.email) for s in service.staff_of(diagnostic.structure_id)], "")
    form.action.choices = options([(a.id, a.title) for a in the_grid.actions])
    if not form.validate_on_submit():
        return render_template(
            "staff/diagnostic_bad_input.html", diagnostic=diagnostic, form=form
        ), 400
    try:
        service.add_to_plan(diagnostic, the_grid, form.action.data or "", _plan_choice(form))
    except service.DiagnosticError as exc:
        return _plan_refused(diagnostic, exc.reason)
    flash(_("L'action est ajoutée au plan."), "info")
    return redirect(url_for(".diagnostic_result", diagnostic_id=diagnostic.id) + "#plan"), 303


@bp.post("/diagnostic/<int:diagnostic_id>/plan/<int:plan_id>")
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_plan_update(diagnostic_id: int, plan_id: int) -> ResponseReturnValue:
    """The follow-up of one action: also once the diagnostic is closed (the plan lives on)."""
    diagnostic = _diagnostic(diagnostic_id)
    row = service.plan_action_of(diagnostic, plan_id)
    if row is None:
        abort(404)
    form = PlanEditForm(prefix=f"p{row.id}")
    form.set_owners([(s.id, s.email) for s in service.staff_of(diagnostic.structure_id)], "")
    if not form.validate_on_submit():
        return render_template(
            "staff/diagnostic_bad_input.html", diagnostic=diagnostic, form=form
        ), 400
    try:
        service.update_plan_action(diagnostic, row, _plan_choice(form))
    except service.DiagnosticError as exc:
        return _plan_refused(diagnostic, exc.reason)
    flash(_("Le suivi de l'action est enregistré."), "info")
    return redirect(url_for(".diagnostic_result", diagnostic_id=diagnostic.id) + "#plan"), 303


def _report_file(diagnostic_id: int, fmt: str) -> ResponseReturnValue:
    diagnostic = _diagnostic(diagnostic_id)
    lang = current_locale()
    rtl = text_direction(lang) == "rtl"
    report = diagnostic_report.build(diagnostic, service.grid(lang), lang, rtl)
    if fmt == "pdf":
        body, mimetype = diagnostic_report.to_pdf(report), "application/pdf"
    else:
        body = diagnostic_report.to_xlsx(report)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="diagnostic-{diagnostic.year}-{diagnostic.id}.{fmt}"'
    )
    return response


@bp.get("/diagnostic/<int:diagnostic_id>/report.pdf")
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_report_pdf(diagnostic_id: int) -> ResponseReturnValue:
    """The result, the comparison and the plan to print, for the board and the DREETS."""
    return _report_file(diagnostic_id, "pdf")


@bp.get("/diagnostic/<int:diagnostic_id>/report.xlsx")
@requires(Capability.MANAGE_DIAGNOSTIC)
def diagnostic_report_xlsx(diagnostic_id: int) -> ResponseReturnValue:
    """The same tables as a workbook: Profil, Questions, Plan."""
    return _report_file(diagnostic_id, "xlsx")
