"""Exports for reporting: learners × modules, and one row per person, as CSV or XLSX.

Sheet 1 has one row per learner and module, ordered by learner name (French order, see
services/names.py), then module order; sheet 2 ("Par salarié") one row per person. Numbers
are numbers (a score is two columns, never "13/14", which French Excel reads as a date),
dates are real date cells in XLSX and ISO days in CSV, and a stable learner id links the
two sheets and successive exports. The columns are documented in docs/exports.md; change
both together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import xlsxwriter
from sqlalchemy import select

from companion.extensions import db
from companion.models import Learner, Progress, Team
from companion.services.assignments import PARIS
from companion.services.entry_check import BeforeAfter, learning_modules, results_by_learner
from companion.services.followup import ModuleFile, module_file
from companion.services.names import name_key
from companion.services.period import Period, row_in
from companion.services.stats import confidence_rose

Value = str | int | date | None


# Who the row is about, the same first columns on both sheets.
PERSON = ["id_salarie", "prenom", "initiale", "equipe", "situation", "date_sortie"]
COLUMNS = [
    *PERSON,
    "module",
    "module_id",
    "statut",
    "debut",
    "fin",
    "score",
    "score_max",
    "pourcentage",
    "essais",
    "temps_minutes",
    "confiance_avant",
    "confiance_apres",
    "digcomp",
    "pix",
    "clea",
    # The entry check "Par où commencer ?" (services/entry_check.py): the level measured in
    # this module's area at the first take, and at the latest take after it.
    "niveau_depart",
    "date_niveau_depart",
    "niveau_fin",
    "date_niveau_fin",
]
PERSON_COLUMNS = [
    *PERSON,
    "modules_commences",
    "modules_termines",
    "temps_minutes",
    "confiance_mesuree",
    "confiance_en_hausse",
    "confiance_avant_apres",
]
STATUS_FR = {"not_started": "pas commencé", "in_progress": "en cours", "completed": "terminé"}
CONFIDENCE_FR = {"yes": "je sais faire", "some": "un peu", "not_yet": "pas encore"}
LEVEL_FR = {"to_learn": "à apprendre", "partial": "en partie", "at_ease": "à l'aise"}
SHEET_MODULES = "salaries-modules"
# What module_file(), summarise() and row_in() read of a progress row, and nothing more:
# each date read is a conversion per row (30,000 rows for 300 learners).
PROGRESS_COLUMNS = (
    "learner_id", "module_id", "step_id", "status", "tries", "time_spent_seconds", "value",
    "started_at", "updated_at",
)  # fmt: skip
SHEET_PEOPLE = "Par salarié"


@dataclass(frozen=True)
class Export:
    modules: list[list[Value]]  # sheet 1, header excluded
    people: list[list[Value]]  # sheet 2, header excluded


def export_rows(structure_id: int, f: Period) -> Export:
    """Both sheets, in a stable order, from two queries.

    With a date range, a learner × module row appears when the learner did something in
    that module during the range, and a person when they did something at all; without
    one, every learner chosen × every module.
    """
    modules = learning_modules()  # the entry check's levels are columns, not rows
    stmt = (
        select(Learner, Team.name)
        .outerjoin(Team, Team.id == Learner.team_id)
        .where(*f.learner_filter(structure_id))
    )
    learners = sorted(db.session.execute(stmt).all(), key=lambda r: name_key(r[0]))
    ids = [lr.id for lr, _t in learners]
    # Plain rows with the columns the summaries read, not ORM objects: 300 learners have
    # 30,000 progress rows, and building an object for each was half of the export's time.
    progress: dict[tuple[int, str], dict[str, Any]] = {}
    if ids:
        columns = select(*(Progress.__table__.c[name] for name in PROGRESS_COLUMNS))
        # Core, not the ORM: the rows as the driver gives them, without the ORM's loading.
        read = db.session.connection().execute
        for row in read(columns.where(Progress.learner_id.in_(ids))).all():
            progress.setdefault((row.learner_id, row.module_id), {})[row.step_id] = row
    since, until = f.bounds()
    entry = results_by_learner(ids)
    out = Export([], [])
    for learner, team_name in learners:
        who: list[Value] = [
            learner.id,
            learner.first_name,
            learner.initial,
            team_name or "",
            "sorti" if learner.archived else "présent",
            _day(learner.archived_at) if learner.archived else None,
        ]
        files: list[ModuleFile] = []
        for module in modules:
            rows = progress.get((learner.id, module.id), {})
            if f.dated and not any(row_in(r, since, until) for r in rows.values()):
                continue
            mf = module_file(module, rows)
            files.append(mf)
            scored = mf.summary.done > 0
            begun = min((r.started_at for r in rows.values()), default=None)
            finished = mf.summary.last_activity if mf.summary.state == "completed" else None
            comp = module.meta.competences
            out.modules.append(
                [
                    *who,
                    module.meta.title,
                    module.id,
                    STATUS_FR[mf.summary.state],
                    _day(begun),
                    _day(finished),
                    mf.passed if scored else None,
                    mf.practice if scored else None,
                    round(100 * mf.passed / mf.practice) if scored and mf.practice else None,
                    mf.tries,
                    mf.minutes,
                    CONFIDENCE_FR.get(mf.confidence_before or "", ""),
                    CONFIDENCE_FR.get(mf.confidence_after or "", ""),
                    " ".join(comp.digcomp),
                    " ".join(comp.pix),
                    " ".join(comp.clea),
                    *_levels(entry.get(learner.id), module.id),
                ]
            )
        if f.dated and not files:
            continue
        out.people.append([*who, *_person(files)])
    return out


def _levels(entry: BeforeAfter | None, area: str) -> list[Value]:
    """The level in one area at the first take of the entry check and the latest after it."""
    out: list[Value] = []
    for take in (entry.before, entry.after) if entry else (None, None):
        level = take.levels.get(area) if take else None
        out += [LEVEL_FR[level], _day(take.taken_at)] if take and level else ["", None]
    return out


def _person(files: list[ModuleFile]) -> list[Value]:
    started = [f for f in files if f.summary.done]
    answered = [f for f in started if f.confidence_before and f.confidence_after]
    rose = [
        f for f in answered if confidence_rose(f.module, f.confidence_before, f.confidence_after)
    ]
    journey = " ; ".join(
        f"{f.module.meta.title} : {CONFIDENCE_FR[f.confidence_before or '']} → "
        f"{CONFIDENCE_FR[f.confidence_after or '']}"
        for f in answered
    )
    return [
        len(started),
        sum(1 for f in started if f.summary.state == "completed"),
        sum(f.minutes for f in started),
        len(answered),
        len(rose),
        journey,
    ]


def _day(value: datetime | None) -> date | None:
    return value.astimezone(PARIS).date() if value else None


# --- Files -----------------------------------------------------------------------------


def _csv_text(value: Value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A first name starting with "=" must stay text, never become a formula.
        return "'" + value
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Value]]) -> bytes:
    """Semicolon-separated (what French Excel expects), UTF-8 with a BOM for the accents.

    Numbers are written bare (13, never "13/14"), days as ISO dates (2026-11-29), which
    French LibreOffice and Excel both read as dates.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_csv_text(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


Sheet = tuple[str, Sequence[str], Sequence[Sequence[Value]]]  # title, header, rows


def xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of these sheets, made in memory by XlsxWriter (about three times as fast as
    openpyxl's write-only mode for the same cells, docs/performance.md; 300 learners × 6
    modules are 45,000 cells, a few MB while the file is made). Each
    sheet: a bold header row kept in view (frozen), dates shown as days, numbers as numbers,
    every text a text cell, never a formula: a text starting like one ("=…") is kept as
    typed, with the quote prefix that shows it so (the CSV keeps its "'" guard instead)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "DD/MM/YYYY"})
    as_typed = book.add_format({"quote_prefix": True})
    for title, header, rows in sheets:
        sheet = book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        for column, name in enumerate(header):
            sheet.write_string(0, column, name, bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                _write(sheet, number, column, value, day, as_typed)
    book.close()
    return out.getvalue()


def _write(sheet: Any, row: int, column: int, value: object, day: Any, as_typed: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            sheet.write_string(row, column, value, as_typed)
        else:
            sheet.write_string(row, column, value)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, date):  # datetime too: shown as its day
        sheet.write_datetime(row, column, value, day)
    else:
        raise TypeError(f"no XLSX cell for {type(value).__name__}")


def to_xlsx(export: Export) -> bytes:
    """Two sheets: learners × modules, and "Par salarié"."""
    return xlsx(
        [(SHEET_MODULES, COLUMNS, export.modules), (SHEET_PEOPLE, PERSON_COLUMNS, export.people)]
    )


def table_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Value]]) -> bytes:
    """One sheet, for the statistics."""
    return xlsx([(title, header, rows)])
