"""Exports for reporting: learners × modules as CSV (UTF-8 with BOM) or XLSX.

One row per learner and module, ordered by learner name, then module order. The columns
are documented in docs/exports.md; change both together.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from companion import catalogue
from companion.extensions import db
from companion.models import Learner, Progress, Team
from companion.services.assignments import PARIS
from companion.services.followup import module_file

COLUMNS = [
    "prenom",
    "initiale",
    "equipe",
    "module",
    "module_id",
    "statut",
    "debut",
    "fin",
    "score",
    "essais",
    "temps_minutes",
    "confiance_avant",
    "confiance_apres",
    "digcomp",
    "pix",
    "clea",
]
STATUS_FR = {"not_started": "pas commencé", "in_progress": "en cours", "completed": "terminé"}
CONFIDENCE_FR = {"yes": "je sais faire", "some": "un peu", "not_yet": "pas encore"}


@dataclass(frozen=True)
class ExportFilter:
    start: date | None = None  # activity on or after this day
    end: date | None = None  # activity on or before this day
    team_id: int | None = None


def _bounds(f: ExportFilter) -> tuple[datetime | None, datetime | None]:
    start = datetime.combine(f.start, time.min, PARIS) if f.start else None
    end = datetime.combine(f.end + timedelta(days=1), time.min, PARIS) if f.end else None
    return start, end


def export_rows(structure_id: int, f: ExportFilter) -> list[list[str | int]]:
    """The rows, header excluded, in a stable order, from two queries.

    With a date range, a learner × module row appears when the learner did something in
    that module during the range; without one, every active learner × every module.
    """
    modules = list(catalogue.modules().values())
    stmt = (
        select(Learner, Team.name)
        .outerjoin(Team, Team.id == Learner.team_id)
        .where(Learner.structure_id == structure_id, Learner.archived.is_(False))
        .order_by(Learner.first_name, Learner.initial, Learner.id)
    )
    if f.team_id is not None:
        stmt = stmt.where(Learner.team_id == f.team_id)
    learners = db.session.execute(stmt).all()
    ids = [lr.id for lr, _t in learners]
    progress: dict[tuple[int, str], dict[str, Progress]] = {}
    if ids:
        for row in db.session.scalars(select(Progress).where(Progress.learner_id.in_(ids))):
            progress.setdefault((row.learner_id, row.module_id), {})[row.step_id] = row
    start, end = _bounds(f)
    out: list[list[str | int]] = []
    for learner, team_name in learners:
        for module in modules:
            rows = progress.get((learner.id, module.id), {})
            if start or end:
                active = [
                    r
                    for r in rows.values()
                    if (start is None or r.updated_at >= start)
                    and (end is None or r.started_at < end)
                ]
                if not active:
                    continue
            mf = module_file(module, rows)
            begun = min((r.started_at for r in rows.values()), default=None)
            finished = mf.summary.last_activity if mf.summary.state == "completed" else None
            comp = module.meta.competences
            out.append(
                [
                    learner.first_name,
                    learner.initial,
                    team_name or "",
                    module.meta.title,
                    module.id,
                    STATUS_FR[mf.summary.state],
                    _day(begun),
                    _day(finished),
                    f"{mf.passed}/{mf.practice}" if mf.summary.done else "",
                    mf.tries,
                    mf.minutes,
                    CONFIDENCE_FR.get(mf.confidence_before or "", ""),
                    CONFIDENCE_FR.get(mf.confidence_after or "", ""),
                    " ".join(comp.digcomp),
                    " ".join(comp.pix),
                    " ".join(comp.clea),
                ]
            )
    return out


def _day(value: datetime | None) -> str:
    return value.astimezone(PARIS).date().isoformat() if value else ""


def to_csv(rows: list[list[str | int]]) -> bytes:
    """Semicolon-separated (what French Excel expects), UTF-8 with a BOM for the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[str | int]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = "salaries-modules"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _safe(value: str | int) -> str | int:
    # A first name starting with "=" must stay text, never become a formula.
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value
