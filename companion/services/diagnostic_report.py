"""The diagnostic for the board and the DREETS: result, comparison and plan, as PDF or XLSX.

``build`` gathers the figures and the words once (in the interface's language); the PDF
(fpdf2 with DejaVu Sans and HarfBuzz shaping, as the attestation) and the workbook (XlsxWriter,
as the exports) print the same tables. No learner is named: only figures and staff owners.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from companion.catalogue.diagnostic import DiagnosticGrid
from companion.models import Diagnostic
from companion.services import diagnostic as service
from companion.services.assignments import PARIS, today
from companion.services.attestation import BOLD, REGULAR
from companion.services.exports import Value, xlsx

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    sheet: str  # the worksheet's name (31 characters at most)
    heading: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    lang: str
    rtl: bool
    title: str
    lines: list[str]
    tables: list[Table]


def _number(value: float | None) -> Cell:
    return None if value is None else round(value, 2)


def _shown(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return str(format_decimal(value, format="0.##"))
    return str(value)


def build(diagnostic: Diagnostic, the_grid: DiagnosticGrid, lang: str, rtl: bool) -> Report:
    result = service.result_of(diagnostic, the_grid)
    previous = service.previous_closed(diagnostic)
    before = service.result_of(previous, the_grid) if previous else None
    deltas = {d.axis.id: d for d in service.compare(result, before)} if before else {}
    plan = service.plan_of(diagnostic)
    people = {s.id: s.email for s in service.staff_of(diagnostic.structure_id)}
    progress = service.plan_progress(plan, today())
    status = {"todo": _("À faire"), "doing": _("En cours"), "done": _("Fait")}
    lines = [
        _(
            "%(structure)s · diagnostic %(year)s",
            structure=diagnostic.structure.name,
            year=diagnostic.year,
        ),
        _(
            "Ouvert le %(date)s.",
            date=format_date(diagnostic.opened_at.astimezone(PARIS).date(), "long"),
        ),
        _("%(num)s membres de l'équipe ont répondu.", num=result.respondents),
        _(
            "Plan : faites %(done)s, en cours %(doing)s, à faire %(todo)s.",
            done=progress.done,
            doing=progress.doing,
            todo=progress.todo,
        ),
    ]
    if diagnostic.closed_at is not None:
        lines.append(
            _(
                "Clos le %(date)s.",
                date=format_date(diagnostic.closed_at.astimezone(PARIS).date(), "long"),
            )
        )
    if diagnostic.meeting_note:
        lines.append(_("Décisions de la réunion : %(note)s", note=diagnostic.meeting_note))
    profile = Table(
        "Profil",
        _("Profil par axe (0 à 3)"),
        [
            _("Axe"),
            _("Ressources"),
            _("Risques"),
            _("Note globale"),
            _("Diagnostic précédent"),
            _("Évolution"),
        ],
        [
            [
                a.axis.title,
                _number(a.resources),
                _number(a.risks),
                _number(a.score),
                _number(deltas[a.axis.id].before) if a.axis.id in deltas else None,
                _number(deltas[a.axis.id].delta) if a.axis.id in deltas else None,
            ]
            for a in result.axes
        ],
    )
    questions = Table(
        "Questions",
        _("Réponses par question : accord et désaccord"),
        [_("Axe"), _("Question"), "0", "1", "2", "3", _("Je ne sais pas"), _("Écart")],
        [
            [a.axis.title, q.question.text, *q.counts, q.unknown, q.spread]
            for a in result.axes
            for q in a.questions
        ],
    )
    plan_table = Table(
        "Plan",
        _("Plan d'action"),
        [_("Action"), _("Responsable"), _("Échéance"), _("État"), _("Note")],
        [
            [
                _title(the_grid, row.action_id),
                people.get(row.owner_id or 0),
                row.due_date.isoformat() if row.due_date else None,
                status[row.status.value],
                row.note or None,
            ]
            for row in plan
        ],
    )
    return Report(lang, rtl, the_grid.title, lines, [profile, questions, plan_table])


def _title(the_grid: DiagnosticGrid, action_id: str) -> str:
    try:
        return the_grid.action(action_id).title
    except KeyError:
        return action_id


def to_pdf(report: Report) -> bytes:
    """A4, the tables as lines of text (they stay readable in any PDF reader)."""
    rtl = report.rtl
    pdf = FPDF(format="A4")
    pdf.set_lang(report.lang)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("body", "", str(REGULAR))
    pdf.add_font("body", "B", str(BOLD))
    pdf.set_text_shaping(
        use_shaping_engine=True,
        direction="rtl" if rtl else "ltr",
        script="arab" if rtl else None,
        language=report.lang,
    )
    pdf.set_title(report.title)
    pdf.set_creator("Compagnon numérique")
    pdf.add_page()
    align = Align.R if rtl else Align.L

    def line(text: str, size: float = 10, height: float = 5.5, bold: bool = False) -> None:
        pdf.set_font("body", "B" if bold else "", size=size)
        pdf.multi_cell(pdf.epw, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(report.title, 18, 10, bold=True)
    for text in report.lines:
        line(text, 11, 6.5)
    for table in report.tables:
        pdf.ln(3)
        line(table.heading, 13, 8, bold=True)
        for row in table.rows:
            line(" · ".join(f"{h} : {_shown(v)}" for h, v in zip(table.header, row, strict=True)))
            pdf.ln(1)
    return bytes(pdf.output())


def to_xlsx(report: Report) -> bytes:
    """One sheet per table: Profil, Questions, Plan; numbers stay numbers."""
    return xlsx(
        [
            (table.sheet, table.header, [[_cell(v) for v in row] for row in table.rows])
            for table in report.tables
        ]
    )


def _cell(value: Cell) -> Value:
    # Floats are written as numbers (exports._write); exports.Value names str, int and dates.
    return value  # type: ignore[return-value]
