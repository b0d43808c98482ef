"""The diagnostic's profile per axis as SVG geometry, drawn by the server (no script).

Two bars per axis on the 0..3 scale: resources (higher: more resources) and risks (higher:
the risks are higher). The template draws them and prints the same figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.services.diagnostic import DiagnosticResult

WIDTH = 320
BAR_MAX = 200  # the bar of a 3; room is left for the figure after it
ROW = 70
BAR = 17


@dataclass(frozen=True)
class Bar:
    kind: str  # "resource" or "risk"
    x: float
    y: float
    width: float
    value: float | None
    text_x: float
    text_anchor: str


@dataclass(frozen=True)
class ChartRow:
    title: str
    title_x: float
    title_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[ChartRow]
    anchor: str  # text-anchor of the titles: the reading side
    grid_lines: list[float]  # x of the 0, 1, 2, 3 lines


def _x(length: float, rtl: bool) -> float:
    """Where a bar of `length` starts: from the left, or from the right in Arabic."""
    return WIDTH - length if rtl else 0.0


def chart(result: DiagnosticResult, rtl: bool = False) -> Chart:
    rows = []
    for n, axis in enumerate(result.axes):
        top = n * ROW
        bars = []
        for i, (kind, value) in enumerate((("resource", axis.resources), ("risk", axis.risks))):
            length = round(BAR_MAX * (value or 0) / 3, 1)
            y = top + 21 + i * (BAR + 4)
            end = length + 6
            bars.append(
                Bar(
                    kind,
                    _x(length, rtl),
                    y,
                    length,
                    value,
                    WIDTH - end if rtl else end,
                    "start",  # the SVG inherits the page's direction: start is the reading side
                )
            )
        rows.append(ChartRow(axis.axis.title, WIDTH if rtl else 0, top + 15, bars))
    lines = [WIDTH - BAR_MAX * v / 3 if rtl else BAR_MAX * v / 3 for v in range(4)]
    return Chart(WIDTH, max(len(rows) * ROW, ROW), rows, "start", lines)
