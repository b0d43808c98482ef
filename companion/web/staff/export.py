"""Exports of learners × modules for reporting: CSV and XLSX."""

from __future__ import annotations

from datetime import date

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
)
from companion.web.forms import (
    ExportForm,
    team_choices,
)
from companion.web.staff.blueprint import bp


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
