"""spreadsheet: a small stock grid where the learner types numbers and formulas, sorts, and
chooses a low-stock alert. The server evaluates every cell (companion.catalogue.formula), so
the grid works as a plain form; the script only recalculates as the learner types.

Form fields: `cell-D2` for each cell to fill, `order` (the rows' order after sorting, as
original indexes "2,0,1"), `rule` (the chosen alert rule), `sort_column` with `sort` = asc or
desc (sort buttons) and `action=recalc` (show the results without checking): the last two
are interactions, answered without recording anything.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.formula import (
    MAX_FORMULA_LENGTH,
    CellResult,
    Scalar,
    evaluate_sheet,
    format_value,
    parse_number,
    split_ref,
)
from companion.catalogue.steps.base import (
    STEP_ID_PATTERN,
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)
from companion.i18n import current_locale, text_direction

LETTERS = "ABCDEFGH"
CELL_PATTERN = r"^[A-H](?:[2-9]|1[0-9])$"
ORDER_RE = re.compile(r"^\d{1,2}(?:,\d{1,2}){0,15}$")


class TargetCell(BaseModel):
    """A cell the learner fills, and what it must give."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cell: str = Field(pattern=CELL_PATTERN)
    # The value the cell must show (a number, or a text such as "Commander").
    expect: float | str
    # True when the cell must hold a formula (starting with "=") and not a typed number.
    formula: bool = False
    # A right entry, shown when the answer is given (and used by the content check).
    answer: str = Field(min_length=1, max_length=MAX_FORMULA_LENGTH)
    # What the cell holds when the step opens (a formula to correct, for example).
    start: str = ""


class AlertRule(BaseModel):
    """A conditional format to choose: "red when <column> <op> <other>"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    text: str = Field(min_length=1)
    column: str = Field(pattern=r"^[A-H]$")
    op: Literal["<", ">", "<=", ">="]
    other: str = Field(pattern=r"^[A-H]$")
    correct: bool = False


class SortGoal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str = Field(pattern=r"^[A-H]$")
    direction: Literal["asc", "desc"]


@dataclass
class CellView:
    name: str
    raw: str
    display: str
    label: str
    editable: bool = False
    is_formula: bool = False
    error: str = ""
    number: float | None = None
    flagged: bool = False


@dataclass
class RowView:
    index: int  # the row's place in the step's data, kept through sorting
    number: int  # the row number the grid shows (2, 3…)
    cells: list[CellView]
    flagged: bool = False


@dataclass
class SheetView:
    letters: list[str]
    headers: list[str]
    rows: list[RowView]
    order: str
    rule: str = ""
    sort_column: str = ""
    # What the last action did, said in words (for example after sorting).
    status: str = ""
    # Plain-language notes about cells that show an error, by cell name.
    notes: dict[str, str] = field(default_factory=dict)
    # What the check found wrong, each naming its cell (after "Je vérifie").
    problems: list[str] = field(default_factory=list)


def _left_to_right(text: str) -> str:
    """A cell name or an error code kept whole in a right-to-left sentence: without the
    isolate, Arabic shows "الخانة D3: #VALEUR!" as "الخانة !D3: #VALEUR"."""
    return f"\u2066{text}\u2069" if text_direction(current_locale()) == "rtl" else text


def _is_words(value: object) -> bool:
    """A cell that holds words: not empty, not a number, not a formula."""
    return (
        isinstance(value, str)
        and bool(value.strip())
        and not value.strip().startswith("=")
        and parse_number(value.strip()) is None
    )


def _same(value: Scalar, expected: float | str) -> bool:
    if isinstance(expected, str):
        return isinstance(value, str) and value.strip().casefold() == expected.casefold()
    if isinstance(value, bool) or not isinstance(value, float):
        return False
    return math.isclose(value, float(expected), rel_tol=1e-9, abs_tol=1e-9)


def _sort_key(value: Scalar) -> tuple[int, float, str]:
    """Numbers first, then text, then empty cells, as spreadsheets sort."""
    if isinstance(value, float):
        return (0, value, "")
    if isinstance(value, str) and value:
        return (1, 0.0, value.casefold())
    return (2, 0.0, "")


class SpreadsheetStep(PracticeStep):
    type: Literal["spreadsheet"]
    question: str = Field(min_length=1)
    columns: list[str] = Field(min_length=2, max_length=len(LETTERS))
    rows: list[list[str]] = Field(min_length=1, max_length=12)
    # Letters of the columns that hold numbers: text typed there is pointed out.
    number_columns: list[str] = Field(default_factory=list)
    cells: list[TargetCell] = Field(default_factory=list, max_length=12)
    sort: SortGoal | None = None
    alert: list[AlertRule] = Field(default_factory=list, max_length=5)

    script = "spreadsheet.js"
    overlay_fields = frozenset({"rows"})
    data_fields = frozenset(
        {
            *("answer", "cell", "column", "correct", "direction", "expect"),
            *("number_columns", "op", "other", "sort", "start"),
        }
    )

    # ------------------------------------------------------------------ translation

    @staticmethod
    def grid_texts(raw: dict[str, Any]) -> dict[str, str]:
        """The words a learner reads in the grid when the step opens, by cell name.

        A translation overlay gives them as `rows: {A2: Rakes, C3: four}`. Numbers, formulas,
        and words that a formula of the step quotes ("Râteau" in SOMME.SI) are not in it:
        the answers depend on them.
        """
        found = raw.get("rows")
        rows: list[Any] = found if isinstance(found, list) else []
        targets = {
            t.get("cell"): t for t in raw.get("cells") or [] if isinstance(t, dict) and "cell" in t
        }
        formulas = [v for row in rows for v in row if isinstance(v, str) and "=" in v]
        formulas += [str(t.get(key, "")) for t in targets.values() for key in ("answer", "start")]
        quoted = " ".join(formulas).casefold()
        texts: dict[str, str] = {}
        for number, row in enumerate(rows, start=2):
            for letter, value in zip(LETTERS, row, strict=False):
                name = f"{letter}{number}"
                if name in targets:
                    value = targets[name].get("start", "")
                if _is_words(value) and f'"{value.strip().casefold()}"' not in quoted:
                    texts[name] = value
        return texts

    @classmethod
    def merge_overlay(
        cls, raw: dict[str, Any], name: str, value: Any, where: str, errors: list[str]
    ) -> dict[str, Any]:
        """rows: the grid's words by cell name; a target cell's name gives its start text."""
        if name != "rows":
            return super().merge_overlay(raw, name, value, where, errors)
        texts = cls.grid_texts(raw)
        if not isinstance(value, dict):
            errors.append(f"{where}: must be a mapping of cell names to texts (A2: …)")
            return raw
        rows = [list(row) for row in raw["rows"]]
        cells = [dict(c) for c in raw.get("cells") or []]
        for cell, text in value.items():
            here = f"{where}.{cell}"
            if cell not in texts:
                errors.append(
                    f"{here}: not a text of the grid (numbers, formulas and words that a "
                    f"formula uses stay as they are): {', '.join(texts) or 'none here'}"
                )
            elif not _is_words(text):
                errors.append(f"{here}: must be a non-empty text, not a number or a formula")
            else:
                target = next((c for c in cells if c.get("cell") == cell), None)
                if target is not None:
                    target["start"] = text
                else:
                    rows[int(cell[1:]) - 2][LETTERS.index(cell[0])] = text
        merged = {**raw, "rows": rows}
        if cells:
            merged["cells"] = cells
        return merged

    @classmethod
    def overlay_missing(cls, raw: dict[str, Any], name: str, value: Any, where: str) -> list[str]:
        given = value if isinstance(value, dict) else {}
        return [f"{where}.{cell}" for cell in cls.grid_texts(raw) if cell not in given]

    # ------------------------------------------------------------------ validation

    @model_validator(mode="after")
    def _grid_makes_sense(self) -> Self:
        width = len(self.columns)
        letters = LETTERS[:width]
        if any(len(row) != width for row in self.rows):
            raise ValueError(f"every row needs {width} cells, one per column")
        if not (self.cells or self.sort or self.alert):
            raise ValueError("a spreadsheet step needs cells to fill, a sort goal or alert rules")
        self._targets_inside(letters)
        for letter in [*self.number_columns, *(r.column for r in self.alert)]:
            if letter not in letters:
                raise ValueError(f"column {letter} is outside the grid")
        if self.alert:
            self._alert_fits(letters)
        if self.sort is not None:
            self._sort_fits(self.sort, letters)
        self._answers_give_the_expected_values()
        return self

    def _targets_inside(self, letters: str) -> None:
        names = [t.cell for t in self.cells]
        if len(set(names)) != len(names):
            raise ValueError("two target cells have the same name")
        for name in names:
            ref = split_ref(name)
            if ref is None or ref[0] not in letters or not 2 <= ref[1] <= len(self.rows) + 1:
                raise ValueError(f"target cell {name} is outside the grid")

    def _alert_fits(self, letters: str) -> None:
        if sum(r.correct for r in self.alert) != 1:
            raise ValueError("exactly one alert rule must be correct")
        if any(r.other not in letters for r in self.alert):
            raise ValueError("an alert rule compares with a column outside the grid")

    def _sort_fits(self, sort: SortGoal, letters: str) -> None:
        if sort.column not in letters:
            raise ValueError("the sort column is outside the grid")
        if self.cells or any(c.strip().startswith("=") for row in self.rows for c in row):
            raise ValueError("a sort step holds plain values only (no formulas, no cells)")
        if self._sorted(self.view({}, None, None, words=False)):
            raise ValueError("the rows are already sorted: there is nothing to do")

    def _answers_give_the_expected_values(self) -> None:
        """The given answers must give the expected values: the content check proves them."""
        solved = self.view({t.cell: t.answer for t in self.cells}, None, None, words=False)
        by_name = {c.name: c for row in solved.rows for c in row.cells}
        for target in self.cells:
            cell = by_name[target.cell]
            if cell.error or not _same(self._value(solved, target.cell), target.expect):
                raise ValueError(
                    f"the answer {target.answer!r} in {target.cell} gives {cell.display!r}, "
                    f"not {target.expect!r}"
                )

    # ------------------------------------------------------------------ the grid

    def _sheet_cells(self, entries: dict[str, str], order: list[int]) -> dict[str, str]:
        cells = {
            f"{letter}1": header for letter, header in zip(LETTERS, self.columns, strict=False)
        }
        targets = {t.cell: t for t in self.cells}
        for place, index in enumerate(order):
            for letter, raw in zip(LETTERS, self.rows[index], strict=False):
                name = f"{letter}{place + 2}"
                cells[name] = entries.get(name, targets[name].start) if name in targets else raw
        return cells

    def view(
        self,
        entries: dict[str, str],
        order: list[int] | None,
        rule: str | None,
        words: bool = True,
    ) -> SheetView:
        """The grid with every cell evaluated, in the given row order, with the chosen alert.

        words=False leaves out the translated labels and notes: the content check runs it
        outside any request.
        """
        order = order if order is not None else list(range(len(self.rows)))
        raws = self._sheet_cells(entries, order)
        results = evaluate_sheet(raws)
        targets = {t.cell for t in self.cells}
        chosen = next((r for r in self.alert if r.id == rule), None)
        rows: list[RowView] = []
        notes: dict[str, str] = {}
        for place, index in enumerate(order):
            number = place + 2
            cells = []
            for letter, header in zip(LETTERS, self.columns, strict=False):
                name = f"{letter}{number}"
                result = results.get(name, CellResult(raw=""))
                item = self.rows[index][0] or name
                cells.append(
                    CellView(
                        name=name,
                        raw=raws.get(name, ""),
                        display=result.display,
                        label=_(
                            "Case %(name)s : %(column)s, %(item)s",
                            name=name,
                            column=header,
                            item=item,
                        )
                        if words
                        else name,
                        editable=name in targets,
                        is_formula=result.is_formula,
                        error=result.error.code if result.error else "",
                        number=result.value if isinstance(result.value, float) else None,
                    )
                )
                if result.error is not None and words:
                    notes[name] = _(
                        "Case %(name)s : %(code)s. %(why)s",
                        name=_left_to_right(name),
                        code=_left_to_right(result.error.code),
                        why=result.error.text,
                    )
            flagged = False
            if chosen is not None:
                left = cells[LETTERS.index(chosen.column)].number
                right = cells[LETTERS.index(chosen.other)].number
                if left is not None and right is not None:
                    flagged = {
                        "<": left < right,
                        ">": left > right,
                        "<=": left <= right,
                        ">=": left >= right,
                    }[chosen.op]
                cells[LETTERS.index(chosen.column)].flagged = flagged
            rows.append(RowView(index=index, number=number, cells=cells, flagged=flagged))
        return SheetView(
            letters=list(LETTERS[: len(self.columns)]),
            headers=list(self.columns),
            rows=rows,
            order=",".join(str(i) for i in order),
            rule=chosen.id if chosen else "",
            notes=notes,
        )

    @staticmethod
    def _value(view: SheetView, name: str) -> Scalar:
        for row in view.rows:
            for cell in row.cells:
                if cell.name == name:
                    if cell.number is not None:
                        return cell.number
                    return cell.display if cell.display else None
        return None

    def _sorted(self, view: SheetView) -> bool:
        if self.sort is None:
            return True
        column = LETTERS.index(self.sort.column)
        keys = [_sort_key(self._cell_value(row.cells[column])) for row in view.rows]
        wanted = sorted(keys, reverse=self.sort.direction == "desc")
        return keys == wanted

    @staticmethod
    def _cell_value(cell: CellView) -> Scalar:
        return cell.number if cell.number is not None else (cell.display or None)

    # ------------------------------------------------------------------ reading the form

    def _entries(self, form: MultiDict[str, str]) -> dict[str, str]:
        entries = {}
        for target in self.cells:
            raw = form.get(f"cell-{target.cell}")
            if raw is None:
                raise BadAnswer(f"no field for {target.cell}")
            # Longer than any formula allows: cut, and the evaluator says it is too long.
            entries[target.cell] = raw[: MAX_FORMULA_LENGTH + 1]
        return entries

    def _order(self, form: MultiDict[str, str]) -> list[int]:
        raw = form.get("order")
        if raw is None:
            return list(range(len(self.rows)))
        if not ORDER_RE.match(raw):
            raise BadAnswer("bad order")
        order = [int(i) for i in raw.split(",")]
        if sorted(order) != list(range(len(self.rows))):
            raise BadAnswer("the order is not a permutation of the rows")
        return order

    def _rule(self, form: MultiDict[str, str]) -> str | None:
        rule = form.get("rule")
        if rule is None or rule == "":
            return None
        if rule not in {r.id for r in self.alert}:
            raise BadAnswer("unknown alert rule")
        return rule

    # ------------------------------------------------------------------ the plug-in contract

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        return {"sheet": self.view({}, None, None)}

    def interact(self, form: MultiDict[str, str], ctx: StepContext) -> dict[str, Any] | None:
        sort = form.get("sort")
        if sort is None and form.get("action") != "recalc":
            return None
        try:
            entries, order, rule = self._entries(form), self._order(form), self._rule(form)
        except BadAnswer:
            entries, order, rule = {}, list(range(len(self.rows))), None
        view = self.view(entries, order, rule)
        column = form.get("sort_column", "")
        if sort in ("asc", "desc") and column in view.letters:
            at = view.letters.index(column)
            ranked = sorted(
                view.rows,
                key=lambda row: _sort_key(self._cell_value(row.cells[at])),
                reverse=sort == "desc",
            )
            view = self.view(entries, [row.index for row in ranked], rule)
            view.sort_column = column
            header = self.columns[at]
            if sort == "asc":
                view.status = _(
                    "Le tableau est trié par « %(column)s », du plus petit au plus grand.",
                    column=header,
                )
            else:
                view.status = _(
                    "Le tableau est trié par « %(column)s », du plus grand au plus petit.",
                    column=header,
                )
        return {"sheet": view}

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        entries, order, rule = self._entries(form), self._order(form), self._rule(form)
        self._refuse_empty(entries, rule)
        view = self.view(entries, order, rule)
        view.sort_column = form.get("sort_column", "")
        problems = self._cell_problems(view)
        if self.sort is not None and not self._sorted(view):
            problems.append(self._unsorted_problem(self.sort))
        if self.alert:
            problems.extend(self._alert_problems(rule))
        view.problems = problems
        return Outcome(correct=not problems, details={"sheet": view})

    def _refuse_empty(self, entries: dict[str, str], rule: str | None) -> None:
        if self.cells and not self.sort and not self.alert:
            if not any(v.strip() for v in entries.values()):
                raise EmptyAnswer("no cell filled")
        elif self.alert and not self.cells and rule is None:
            raise EmptyAnswer("no alert rule chosen")

    def _cell_problems(self, view: SheetView) -> list[str]:
        cells = {c.name: c for row in view.rows for c in row.cells}
        problems: list[str] = []
        for target in self.cells:
            cell = cells[target.cell]
            if cell.error:
                problems.append(view.notes.pop(target.cell))
            else:
                problems.extend(self._judge(target, cell))
        return problems

    def _unsorted_problem(self, sort: SortGoal) -> str:
        header = self.columns[LETTERS.index(sort.column)]
        if sort.direction == "asc":
            return str(
                _(
                    "Le tableau n'est pas trié par « %(column)s » dans l'ordre croissant.",
                    column=header,
                )
            )
        return str(
            _(
                "Le tableau n'est pas trié par « %(column)s » dans l'ordre décroissant.",
                column=header,
            )
        )

    def _alert_problems(self, rule: str | None) -> list[str]:
        chosen = next((r for r in self.alert if r.id == rule), None)
        if chosen is None:
            return [_("Choisissez une règle d'alerte dans la liste.")]
        if not chosen.correct:
            return [_("Avec cette règle, les articles qui manquent ne sont pas tous en rouge.")]
        return []

    def _judge(self, target: TargetCell, cell: CellView) -> list[str]:
        raw = cell.raw.strip()
        name = target.cell
        if not raw:
            return [_("Case %(name)s : la case est vide.", name=name)]
        column = name[0]
        if column in self.number_columns and not cell.is_formula and cell.number is None:
            return [
                _(
                    "Case %(name)s : « %(text)s » est du texte. Tapez un nombre avec des chiffres.",
                    name=name,
                    text=raw,
                )
            ]
        if target.formula and not cell.is_formula:
            return [
                _(
                    "Case %(name)s : tapez une formule qui commence par le signe =.",
                    name=name,
                )
            ]
        value = cell.number if cell.number is not None else (cell.display or None)
        if not _same(value, target.expect):
            return [
                _(
                    "Case %(name)s : le résultat est %(value)s. Ce n'est pas le résultat attendu.",
                    name=name,
                    value=cell.display or "0",
                )
            ]
        return []

    def task_texts(self) -> list[str]:
        return [self.question]

    def feedback_texts(self) -> list[str]:
        return [r.text for r in self.alert]


def show_number(value: float) -> str:
    """A number as the grid shows it (for templates and tests)."""
    return format_value(value)


__all__ = ["SpreadsheetStep", "parse_number", "show_number"]
