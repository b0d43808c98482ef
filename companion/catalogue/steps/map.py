"""map: a simulated maps app over an invented town, drawn in inline SVG (no tiles, offline).

Tasks: find where you are, find a place from its address, choose the route that arrives in
time, work out when to leave, share your position, choose the location permission. Every
task is a plain form (radio buttons, a text field, a GET address search), so it works with
the keyboard, without dragging and without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.datasets import DataSet, french_data, register
from companion.catalogue.steps.base import (
    STEP_ID_PATTERN,
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)
from companion.catalogue.steps.choose import Option
from companion.catalogue.steps.type_answer import normalise, search_words

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "town.yaml"
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
MAX_ADDRESS = 120
MAX_RESULTS = 6
# Leaving up to this many minutes before the latest time is right too (a little margin).
LEAVE_MARGIN = 15
_TYPED_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:h|:|\.|heures?)?\s*(\d{2})?\s*$")
_STOP_WORDS = frozenset(
    {"de", "des", "du", "la", "le", "les", "l", "d", "a", "au", "aux"}
    | {"the", "an", "of", "in", "at"}
    | {"في", "الي"}
)
# Short forms people type in addresses, and the street type they stand for.
_STREET_TYPES = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "ch": "chemin",
    "che": "chemin",
    "all": "allee",
    "pl": "place",
    "imp": "impasse",
}
_TYPE_WORDS = frozenset({"rue", *_STREET_TYPES.values()})

Point = tuple[int, int]
Mode = Literal["walk", "bus", "car"]


class Street(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    kind: str = Field(min_length=1)
    name: str = Field(min_length=1)
    points: tuple[Point, ...] = Field(min_length=2)

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def vertical(self) -> bool:
        return self.points[0][0] == self.points[-1][0]


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    name: str = Field(min_length=1)
    number: str = Field(pattern=r"^\d{1,4}( ?(bis|ter))?$")
    street: str
    x: int = Field(ge=0, le=360)
    y: int = Field(ge=0, le=280)


class BusStop(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    x: int
    y: int


class BusLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    line: str
    stops: tuple[BusStop, ...] = Field(min_length=2)


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    mode: Mode
    minutes: int | None = Field(default=None, ge=1, le=180)
    walk_to_stop: int = Field(default=0, ge=0, le=60)
    ride: int = Field(default=0, ge=0, le=120)
    walk_from_stop: int = Field(default=0, ge=0, le=60)
    stop: str | None = None
    departures: tuple[str, ...] = ()
    path: tuple[Point, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _timed(self) -> Self:
        if self.mode == "bus":
            if not self.departures or not self.ride or self.stop is None:
                raise ValueError(f"bus route {self.id} needs a stop, departures and a ride")
            if any(not re.match(TIME_PATTERN, d) for d in self.departures):
                raise ValueError(f"bus route {self.id}: departures are HH:MM")
        elif self.minutes is None:
            raise ValueError(f"route {self.id} needs its minutes")
        return self

    def arrival(self, leave: int) -> int | None:
        """Arrival time (minutes after midnight) when leaving home at `leave`; None: no bus."""
        if self.mode != "bus":
            return leave + self.door_to_door
        at_stop = leave + self.walk_to_stop
        bus = next((t for t in map(to_minutes, self.departures) if t >= at_stop), None)
        if bus is None:
            return None
        return bus + self.ride + self.walk_from_stop

    @property
    def door_to_door(self) -> int:
        if self.mode == "bus":
            return self.walk_to_stop + self.ride + self.walk_from_stop
        return self.minutes or 0  # set for every other mode (validated)


class Town(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    postcode: str = Field(pattern=r"^\d{5}$")
    here: str
    # Where every route goes (the search bar shows it when the learner plans a trip).
    destination: str | None = None
    streets: tuple[Street, ...] = Field(min_length=1)
    places: tuple[Place, ...] = Field(min_length=2)
    bus: BusLine
    routes: tuple[Route, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Self:
        streets = {s.id for s in self.streets}
        places = [p.id for p in self.places]
        if len(set(places)) != len(places):
            raise ValueError("two places have the same id")
        for place in self.places:
            if place.street not in streets:
                raise ValueError(f"place {place.id}: unknown street {place.street!r}")
        if self.here not in places:
            raise ValueError(f"unknown 'here' place {self.here!r}")
        if self.destination is not None and self.destination not in places:
            raise ValueError(f"unknown destination {self.destination!r}")
        return self

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def street(self, street_id: str) -> Street:
        return next(s for s in self.streets if s.id == street_id)

    def route(self, mode: str) -> Route | None:
        return next((r for r in self.routes if r.mode == mode), None)

    def route_for(self, mode: str) -> Route:
        """The route of a validated mode (KeyError otherwise: a bug)."""
        route = self.route(mode)
        if route is None:
            raise KeyError(mode)
        return route

    def address(self, place: Place) -> str:
        return f"{place.number} {self.street(place.street).full_name}"

    def postal_address(self, place: Place) -> tuple[str, str]:
        """The two last lines of a French postal address: street line, postcode and TOWN."""
        return self.address(place), f"{self.postcode} {self.name.upper()}"


def town_data(path: Path = DATA_FILE) -> Town:
    """The bundled town in French, read and validated once."""
    data: Town = french_data(path, Town)
    return data


# What town.<lang>.yaml may translate: the names of the places. The town, its streets and its
# bus stops are proper names written on French signs and typed in addresses: they stay.
TOWN = register(
    DataSet(
        path=DATA_FILE,
        model=Town,
        texts={"places": frozenset({"name"})},
        step_type="map",
        kept="a street, a stop, a number or data: it stays as written in France",
    )
)


def town_in(locale: str | None = None) -> Town:
    """The town in the learner's language (see TOWN.get): French where not translated."""
    return TOWN.get(locale)


def to_minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def spoken_time(minutes: int, locale: str | None = None) -> str:
    """7 h 05, the way French timetables write it; 7:05 in the other languages.

    locale None means the current request's language (French outside a request).
    """
    if locale is None:
        from companion.i18n import current_locale

        locale = current_locale()
    minutes %= 24 * 60
    if locale == "fr":
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 60}:{minutes % 60:02d}"


def parse_time(typed: str) -> int | None:
    """'7h25', '7 h 25', '07:25', '7.25', '7h' → minutes after midnight; None if not a time."""
    match = _TYPED_TIME.match(normalise(typed))
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _words(text: str) -> list[str]:
    out = []
    for word in search_words(text):
        word = _STREET_TYPES.get(word, word)
        if word not in _STOP_WORDS:
            out.append(word)
    return out


@dataclass(frozen=True)
class AddressSearch:
    """The result of typing an address: places found and a note on what was understood."""

    typed: str
    places: tuple[Place, ...]
    # "exact", "street" (the street exists, not that number), "name", or "none".
    kind: str


def search_address(town: Town, typed: str) -> AddressSearch:
    """Find places from a typed address; any text gives places or an empty, kind result.

    A place is also found by its name, in the town's language or in French.
    """
    typed = " ".join(typed[:MAX_ADDRESS].split())
    words = _words(typed)
    ignore = {town.postcode, *_words(town.name)}
    numbers = [w for w in words if w.isdigit() and w not in ignore]
    terms = [w for w in words if not w.isdigit() and w not in ignore]
    if not terms and not numbers:
        return AddressSearch(typed, (), "none")

    def street_words(place: Place) -> set[str]:
        return set(_words(town.street(place.street).full_name))

    # A wrong street type ("rue" for "allée") still finds the street by its name.
    for wanted in (set(terms), set(terms) - _TYPE_WORDS):
        on_street = [p for p in town.places if wanted and wanted <= street_words(p)]
        if on_street:
            exact = [p for p in on_street if p.number in numbers]
            if exact:
                return AddressSearch(typed, tuple(exact), "exact")
            return AddressSearch(typed, tuple(on_street[:MAX_RESULTS]), "street")
    # No street has all the words: look at the names of places ("mairie", "pharmacie").
    french = town_data()

    def name_words(place: Place) -> set[str]:
        original = french.place(place.id) or place
        return set(_words(place.name)) | set(_words(original.name)) | street_words(place)

    by_name = [p for p in town.places if terms and set(terms) <= name_words(p)]
    if by_name:
        return AddressSearch(typed, tuple(by_name[:MAX_RESULTS]), "name")
    return AddressSearch(typed, (), "none")


SHARE_DURATIONS = ("15min", "1h", "always")
PERMISSIONS = ("always", "while_open", "never")


class MapStep(PracticeStep):
    type: Literal["map"]
    task: Literal["locate", "find", "route", "leave", "share", "permission"]
    question: str = Field(min_length=1)
    # locate, find: the place to pick.
    target: str | None = None
    # route: when the learner leaves home; route, leave: when they must arrive.
    depart: str | None = Field(default=None, pattern=TIME_PATTERN)
    arrive_by: str | None = Field(default=None, pattern=TIME_PATTERN)
    # route: the ways shown; leave: exactly one.
    modes: list[Mode] = Field(default_factory=list, max_length=3)
    # share: how long, and with whom (correct = people you trust).
    duration: Literal["15min", "1h", "always"] = "1h"
    people: list[Option] = Field(default_factory=list, max_length=5)

    script = "map.js"
    data_fields = frozenset(
        {"arrive_by", "correct", "depart", "duration", "modes", "target", "task"}
    )

    @model_validator(mode="after")
    def _task_fits(self) -> Self:
        town = town_data()
        if self.task in ("locate", "find") and (
            self.target is None or town.place(self.target) is None
        ):
            raise ValueError(f"unknown target place {self.target!r}")
        if self.task in ("route", "leave"):
            if self.arrive_by is None or not self.modes:
                raise ValueError(f"a {self.task} task needs arrive_by and modes")
            if any(town.route(m) is None for m in self.modes):
                raise ValueError("a mode has no route in the town")
        if self.task == "route":
            if self.depart is None:
                raise ValueError("a route task needs depart")
            if not self.right_routes():
                raise ValueError("no route arrives in time")
        if self.task == "leave" and (len(self.modes) != 1 or self.modes[0] == "bus"):
            raise ValueError("a leave task has exactly one mode, on foot or by car")
        if self.task == "share" and sum(p.correct for p in self.people) < 1:
            raise ValueError("a share task needs at least one trusted person")
        return self

    def right_routes(self) -> set[str]:
        if self.depart is None or self.arrive_by is None:
            return set()
        town, deadline = town_data(), to_minutes(self.arrive_by)
        right: set[str] = set()
        for mode in self.modes:
            route = town.route_for(mode)
            arrival = route.arrival(to_minutes(self.depart))
            if arrival is not None and arrival <= deadline:
                right.add(mode)
        return right

    def latest_leave(self) -> int:
        route = town_data().route_for(self.modes[0])
        return to_minutes(self.arrive_by or "00:00") - route.door_to_door

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        from companion.catalogue.map_layout import draw

        town = town_in()
        # "Itinéraire": a GET link, so it works without JavaScript; the mode is a tab.
        trip = args.get("trajet", "")
        trip = trip if self.task in ("route", "leave") and trip in self.modes else ""
        extra: dict[str, Any] = {
            "town": town,
            "trip": trip,
            "drawing": draw(town, _("Vous êtes ici"), tuple(self.modes) if trip else ()),
            "destination": town.place(town.destination) if town.destination else None,
            "here": town.place(town.here),
            "routes": [town.route(m) for m in self.modes],
            "spoken_time": spoken_time,
            "to_minutes": to_minutes,
            "share_durations": SHARE_DURATIONS,
            "permissions": PERMISSIONS,
            "found": None,
        }
        if self.task == "find" and "adresse" in args:
            extra["found"] = search_address(town, args.get("adresse", ""))
        return extra

    def _one(self, form: MultiDict[str, str], name: str, allowed: set[str]) -> str:
        values = form.getlist(name)
        if not values:
            raise EmptyAnswer(f"no {name}")
        if len(values) != 1 or values[0] not in allowed:
            raise BadAnswer(f"unknown {name}")
        return values[0]

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        if self.task in ("locate", "find"):
            return self._check_place(form, town_in())
        if self.task == "route":
            return self._check_route(form, town_in())
        if self.task == "leave":
            return self._check_leave(form)
        if self.task == "share":
            return self._check_share(form)
        return self._check_permission(form)

    def _check_place(self, form: MultiDict[str, str], town: Town) -> Outcome:
        place_id = self._one(form, "place", {p.id for p in town.places})
        right = place_id == self.target
        place = next(p for p in town.places if p.id == place_id)
        note = (
            _("Oui, c'est ici.")
            if right
            else _("Ce lieu est au %(address)s.") % {"address": town.address(place)}
        )
        return Outcome(correct=right, selected=(place_id,), feedback={place_id: note})

    def _check_route(self, form: MultiDict[str, str], town: Town) -> Outcome:
        mode = self._one(form, "route", set(self.modes))
        route = town.route_for(mode)
        arrival = route.arrival(to_minutes(self.depart or "00:00"))
        right = mode in self.right_routes()
        if arrival is None:
            note = _("Il n'y a plus de bus.")
        elif right:
            note = _("Vous arrivez à %(time)s. Vous êtes à l'heure.") % {
                "time": spoken_time(arrival)
            }
        else:
            note = _("Vous arrivez à %(time)s. C'est trop tard.") % {"time": spoken_time(arrival)}
        return Outcome(correct=right, selected=(mode,), feedback={mode: note})

    def _check_leave(self, form: MultiDict[str, str]) -> Outcome:
        typed = form.get("time")
        if typed is None:
            raise BadAnswer("no time field")
        typed = typed[:20]
        if not typed.strip():
            raise EmptyAnswer("nothing typed")
        leave = parse_time(typed)
        latest = self.latest_leave()
        if leave is None:
            note = _("Écrivez une heure. Par exemple : 7 h 10.")
            right = False
        elif leave > latest:
            note = _("En partant à %(time)s, vous arrivez en retard.") % {
                "time": spoken_time(leave)
            }
            right = False
        elif leave < latest - LEAVE_MARGIN:
            note = _("Vous partez bien trop tôt. Vous pouvez partir plus tard.")
            right = False
        else:
            note = _("Vous partez à %(time)s. Vous arrivez à l'heure.") % {
                "time": spoken_time(leave)
            }
            right = True
        return Outcome(correct=right, typed=typed, details={"note": note})

    def _check_share(self, form: MultiDict[str, str]) -> Outcome:
        duration = self._one(form, "duration", set(SHARE_DURATIONS))
        person = self._one(form, "person", {p.id for p in self.people})
        option = next(p for p in self.people if p.id == person)
        right = duration == self.duration and option.correct
        return Outcome(
            correct=right,
            selected=(duration, person),
            feedback={person: option.feedback},
            details={"duration_right": duration == self.duration},
        )

    def _check_permission(self, form: MultiDict[str, str]) -> Outcome:
        permission = self._one(form, "permission", set(PERMISSIONS))
        return Outcome(correct=permission == "while_open", selected=(permission,))

    def task_texts(self) -> list[str]:
        return [self.question]

    def feedback_texts(self) -> list[str]:
        return [t for p in self.people for t in (p.text, p.feedback)]
