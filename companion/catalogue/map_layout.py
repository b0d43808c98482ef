"""Where the simulated map writes its labels, so that they are legible and never overlap.

The map is one server-drawn SVG (viewBox 360 × 280, see steps/map.py); on a phone it spans
the screen's width, so a label of LABEL_SIZE units is 16 px on a 360 px phone and 14 px on a
320 px one. Each label (street names,
"Vous êtes ici", the numbers of the places) gets a box; labels are placed one by one, each at
the first of its candidate places whose box meets no box placed before it (nor a marker).
Text widths are estimated on the generous side; tests/browser/test_practical_modules.py
measures the real boxes in Chromium.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # steps/map.py draws the map with this module
    from companion.catalogue.steps.map import Place, Street, Town

# The town's data are drawn 1.25 times taller than written: a phone held upright, and room
# between the roads for the names of the streets that cross them.
Y_SCALE = 1.25
VIEW_WIDTH, VIEW_HEIGHT = 360, 350
LABEL_SIZE = 16  # units: 16 px on a 360 px phone
PIN_RADIUS = 14
PIN_SIZE = 18  # the number inside a pin
HERE_RADIUS = 8
MARGIN = 2  # free space kept around every box
STEP = 8  # how far apart two candidate places along a street are

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the width of a text in a sans-serif font."""
    narrow = set(" .,:;'’!|ilIjtf()-")
    wide = set("mwMWÉÈ@%")
    em = sum(0.36 if c in narrow else 0.9 if c in wide else 0.62 for c in text)
    return em * size * (1.08 if bold else 1.0)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grow(box: Box, by: float = MARGIN) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _inside(box: Box) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= VIEW_WIDTH and box[3] <= VIEW_HEIGHT


@dataclass(frozen=True)
class Label:
    """A text on the map: where its baseline starts, its turn, and the box it covers."""

    key: str
    text: str
    x: float
    y: float
    box: Box
    vertical: bool = False
    kind: str = "street"  # street, here, pin

    @property
    def transform(self) -> str:
        return f"rotate(-90 {self.x:g} {self.y:g})" if self.vertical else ""


@dataclass(frozen=True)
class MapLayout:
    labels: tuple[Label, ...]
    missing: tuple[str, ...]  # labels with no free place (none for the shipped town)

    def label(self, key: str) -> Label | None:
        return next((lab for lab in self.labels if lab.key == key), None)


STOP_OFFSET = 15  # a bus stop is drawn beside its crossroads, clear of the street names
STOP_HALF = 5


def project(x: float, y: float) -> tuple[float, float]:
    """A point of the town's data on the drawing."""
    return x, round(y * Y_SCALE, 1)


def stop_at(x: float, y: float) -> tuple[float, float]:
    """Where the sign of a bus stop at the town's point (x, y) is drawn."""
    px, py = project(x, y)
    return px + STOP_OFFSET, py - STOP_OFFSET


def stop_box(x: float, y: float) -> Box:
    sx, sy = stop_at(x, y)
    return (sx - STOP_HALF, sy - STOP_HALF, sx + STOP_HALF, sy + STOP_HALF)


def _street_candidates(street: Street, text: str) -> Iterable[tuple[float, float, Box, bool]]:
    """Places along the street, written on it (the road is drawn under the text), from the
    middle outwards: a map app writes the name where the street is clear."""
    width = text_width(text, LABEL_SIZE)
    half = LABEL_SIZE * 0.5
    (x0, y0), (x1, y1) = project(*street.points[0]), project(*street.points[-1])
    if street.vertical:
        top, bottom = min(y0, y1), max(y0, y1)
        spots = _spread(top + 6, bottom - 6 - width)
        for start in spots:  # the text runs upwards from its baseline start (x, start + width)
            y = start + width
            x = x0 + LABEL_SIZE * 0.35
            yield x, y, (x0 - half, start, x0 + half, start + width), True
    else:
        left, right = min(x0, x1), max(x0, x1)
        for start in _spread(left + 6, right - 6 - width):
            y = y0 + LABEL_SIZE * 0.35
            yield start, y, (start, y0 - half, start + width, y0 + half), False


def _spread(low: float, high: float) -> list[float]:
    """Candidate starts between low and high, the middle first."""
    if high < low:
        return []
    middle = (low + high) / 2
    count = int((high - low) // STEP)
    spots = {low, high, middle}
    spots |= {middle + k * STEP for k in range(-count, count + 1)}
    return sorted((s for s in spots if low <= s <= high), key=lambda s: (abs(s - middle), s))


def _here_candidates(place: Place, text: str) -> Iterable[tuple[float, float, Box]]:
    width = text_width(text, LABEL_SIZE, bold=True)
    gap = HERE_RADIUS + 6
    px, py = project(place.x, place.y)
    below = py + gap + LABEL_SIZE * 0.8
    above = py - gap
    for x, y in (
        (px - width / 2, below),
        (px - width / 2, above),
        (px + gap, py + LABEL_SIZE * 0.35),
        (px - gap - width, py + LABEL_SIZE * 0.35),
        (px - 4, below),
        (px - width + 4, below),
        (px - 4, above),
        (px - width + 4, above),
    ):
        for dx in (0, 8, -8, 16, -16, 24):
            yield x + dx, y, (x + dx, y - LABEL_SIZE * 0.8, x + dx + width, y + LABEL_SIZE * 0.25)


def _crossings(street: Street, box: Box, streets: Iterable[Street]) -> int:
    """How many other roads a street's name would be written across."""
    count = 0
    for other in streets:
        if other.id == street.id or other.vertical == street.vertical:
            continue
        x, y = project(*other.points[0])
        if street.vertical and box[1] - 2 <= y <= box[3] + 2:
            count += 1
        if not street.vertical and box[0] - 2 <= x <= box[2] + 2:
            count += 1
    return count


def _place_streets(town: Town, taken: list[Box]) -> tuple[list[Label], list[str]]:
    """Every street's name at a free place: a small search over the candidate places (names
    written across as few other roads as can be are tried first), so that one name placed
    early does not leave another with no room. Streets with no free place are left out."""
    streets = sorted(town.streets, key=lambda s: not s.vertical)
    options = [_free_places(street, town, taken) for street in streets]
    chosen: list[tuple[float, float, Box, bool] | None] = [None] * len(streets)
    best: list[tuple[float, float, Box, bool] | None] = list(chosen)
    budget = [20_000]  # candidate tries: the shipped town needs a few hundred

    def search(k: int, placed: int) -> bool:
        nonlocal best
        if placed > sum(c is not None for c in best):
            best = list(chosen)
        if k == len(streets):
            return placed == len(streets)
        for candidate in options[k]:
            budget[0] -= 1
            if budget[0] < 0:
                return False
            box = candidate[2]
            if any(c is not None and overlaps(_grow(box), c[2]) for c in chosen[:k]):
                continue
            chosen[k] = candidate
            if search(k + 1, placed + 1):
                return True
            chosen[k] = None
        # No free place for this street with the names before it: leave it out.
        return search(k + 1, placed) if budget[0] >= 0 else False

    search(0, 0)
    return _street_labels(streets, best)


def _free_places(
    street: Street, town: Town, taken: list[Box]
) -> list[tuple[float, float, Box, bool]]:
    """Where a street's name fits on the map clear of `taken`, fewest roads crossed first."""
    candidates = [
        c
        for c in _street_candidates(street, street.full_name)
        if _inside(c[2]) and not any(overlaps(_grow(c[2]), t) for t in taken)
    ]
    candidates.sort(key=lambda c: _crossings(street, c[2], town.streets))
    return candidates


def _street_labels(
    streets: list[Street], chosen: list[tuple[float, float, Box, bool] | None]
) -> tuple[list[Label], list[str]]:
    """The labels of the streets given a place, and the ids of those left out."""
    labels: list[Label] = []
    missing: list[str] = []
    for street, candidate in zip(streets, chosen, strict=True):
        if candidate is None:
            missing.append(f"street-{street.id}")
        else:
            x, y, box, vertical = candidate
            labels.append(Label(f"street-{street.id}", street.full_name, x, y, box, vertical))
    return labels, missing


def layout(
    town: Town,
    here_text: str,
    places: Iterable[tuple[Place, str]],
    obstacles: Iterable[Box] = (),
) -> MapLayout:
    """The labels of the map: "Vous êtes ici" first, then the numbered places, then the
    streets. places: (place, its number) for every pin drawn; obstacles: other markers
    (bus stops) that no label may cover."""
    here = town.place(town.here)
    taken: list[Box] = [_grow(b, 0) for b in obstacles]
    labels: list[Label] = []
    missing: list[str] = []
    pins = list(places)
    # Pins are where they are: their discs are obstacles for every text.
    for place, number in pins:
        r = PIN_RADIUS
        px, py = project(place.x, place.y)
        box = (px - r, py - r, px + r, py + r)
        taken.append(box)
        labels.append(Label(f"pin-{place.id}", number, px, py + PIN_SIZE * 0.35, box, kind="pin"))
    if here is not None:
        hx, hy = project(here.x, here.y)
        reach = HERE_RADIUS + 4
        taken.append((hx - reach, hy - reach, hx + reach, hy + reach))
        for x, y, box in _here_candidates(here, here_text):
            if _inside(box) and not any(overlaps(_grow(box), t) for t in taken):
                taken.append(box)
                labels.append(Label("here", here_text, x, y, box, kind="here"))
                break
        else:
            missing.append("here")
    placed, left_out = _place_streets(town, taken)
    labels.extend(placed)
    missing.extend(left_out)
    return MapLayout(tuple(labels), tuple(missing))


@dataclass(frozen=True)
class Pin:
    place: Place
    number: str
    x: float
    y: float


@dataclass(frozen=True)
class MapDrawing:
    """Everything the SVG draws, in the drawing's units (see steps/map.html)."""

    streets: tuple[tuple[str, str], ...]  # (street id, SVG points)
    park: Box
    pins: tuple[Pin, ...]
    here: tuple[float, float]
    stops: tuple[tuple[float, float, float, float], ...]  # sign (x, y), crossroads (x, y)
    routes: tuple[tuple[str, str], ...]  # (mode, SVG points)
    layout: MapLayout
    width: int = VIEW_WIDTH
    height: int = VIEW_HEIGHT


def _points(points: Iterable[tuple[int, int]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in (project(*p) for p in points))


@cache
def draw(town: Town, here_text: str, modes: tuple[str, ...] = ()) -> MapDrawing:
    """The map of the town; with modes, their routes and (by bus) the stops."""
    shown = [p for p in town.places if p.id != town.here]
    pins = tuple(Pin(p, str(n), *project(p.x, p.y)) for n, p in enumerate(shown, start=1))
    stops: tuple[tuple[float, float, float, float], ...] = ()
    if "bus" in modes:
        stops = tuple((*stop_at(s.x, s.y), *project(s.x, s.y)) for s in town.bus.stops)
    obstacles = [stop_box(s.x, s.y) for s in town.bus.stops] if stops else []
    here = town.place(town.here)
    routes = tuple(
        (route.mode, _points(route.path)) for m in modes if (route := town.route(m)) is not None
    )
    return MapDrawing(
        streets=tuple((s.id, _points(s.points)) for s in town.streets),
        park=(306, 170 * Y_SCALE, 356, 230 * Y_SCALE),
        pins=pins,
        here=project(here.x, here.y) if here is not None else (0, 0),
        stops=stops,
        routes=routes,
        layout=layout(town, here_text, [(p.place, p.number) for p in pins], obstacles),
    )
