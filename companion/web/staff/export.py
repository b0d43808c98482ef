"""Reports: exports of learners × modules and per person (CSV, XLSX), the statistics as a
file, and the printable "bilan" of a period for the funders' dialogue de gestion."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from companion.models import AuditAction
from companion.permissions import Capability, requires
from companion.services import (
    administration,
    audit,
    exports,
    stats,
)
from companion.services.assignments import today
from companion.services.period import People, Period
from companion.web.forms import ExportForm, options
from companion.web.staff.blueprint import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_form() -> ExportForm:
    form = ExportForm(request.args)
    form.team_id.choices = options(
        [("0", _("Toutes les équipes"))]
        + [(str(t.id), t.name) for t in administration.teams_of(current_user.structure_id)]
    )
    return form


def _period(form: ExportForm) -> Period:
    return Period(form.start.data, form.end.data, form.team, People(form.people.data or "all"))


def _file(body: bytes, fmt: str, name: str) -> ResponseReturnValue:
    response = current_app.response_class(
        body, mimetype="text/csv; charset=utf-8" if fmt == "csv" else XLSX
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="compagnon-{name}-{today().isoformat()}.{fmt}"'
    )
    return response


@bp.get("/export")
@requires(Capability.EXPORT)
def export_page() -> ResponseReturnValue:
    form = _export_form()
    valid = form.validate() if request.args else True
    return render_template("staff/export.html", form=form), 200 if valid else 422


@bp.get("/export.<fmt>")
@requires(Capability.EXPORT)
def export_file(fmt: str) -> ResponseReturnValue:
    """XLSX: both sheets. CSV: one table, learners × modules or (sheet=people) per person."""
    if fmt not in {"csv", "xlsx"}:
        abort(404)
    form = _export_form()
    if not form.validate():
        return render_template("staff/export.html", form=form), 422
    export = exports.export_rows(current_user.structure_id, _period(form))
    people = request.args.get("sheet") == "people"
    rows = export.people if people and fmt == "csv" else export.modules
    audit.record(current_user, AuditAction.EXPORTED, detail=f"{fmt} {len(rows)}")
    if fmt == "xlsx":
        return _file(exports.to_xlsx(export), fmt, "salaries-modules")
    if people:
        return _file(exports.to_csv(exports.PERSON_COLUMNS, rows), fmt, "par-salarie")
    return _file(exports.to_csv(exports.COLUMNS, rows), fmt, "salaries-modules")


@bp.get("/structure/stats.<fmt>")
@requires(Capability.VIEW_STATS)
def structure_stats_file(fmt: str) -> ResponseReturnValue:
    """The module table of the statistics of a period and team, as CSV or XLSX."""
    if fmt not in {"csv", "xlsx"}:
        abort(404)
    form = _export_form()
    if not form.validate():
        return _stats_page(form, False), 422
    found = stats.statistics(current_user.structure_id, _period(form))
    rows = stats.stat_rows(found)
    if fmt == "csv":
        return _file(exports.to_csv(stats.STAT_COLUMNS, rows), fmt, "statistiques")
    return _file(exports.table_xlsx("statistiques", stats.STAT_COLUMNS, rows), fmt, "statistiques")


@bp.get("/structure/stats")
@requires(Capability.VIEW_STATS)
def structure_stats() -> ResponseReturnValue:
    """Anonymous statistics of the structure, for a period and a team."""
    form = _export_form()
    valid = form.validate() if request.args else True
    return _stats_page(form, valid), 200 if valid else 422


def _stats_page(form: ExportForm, valid: bool) -> str:
    """Statistics of the form's period; a refused form shows everything under its errors."""
    return render_template(
        "staff/stats.html",
        stats=stats.statistics(current_user.structure_id, _period(form) if valid else Period()),
        scope=current_user.structure.name,
        form=form,
    )


@bp.get("/bilan")
@requires(Capability.EXPORT)
def bilan() -> ResponseReturnValue:
    """One printable page for the dialogue de gestion (DREETS, Département): people
    trained per module, hours, completion, confidence gained, over a period. No name."""
    form = _export_form()
    valid = form.validate() if request.args else True
    period = _period(form) if valid else Period()
    teams = {t.id: t.name for t in administration.teams_of(current_user.structure_id)}
    return render_template(
        "staff/bilan.html",
        form=form,
        stats=stats.statistics(current_user.structure_id, period),
        structure=current_user.structure,
        team=teams.get(period.team_id or 0),
        today=today(),
    ), 200 if valid else 422
