"""The simulated map: the town data, the address search, times and how tasks are checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps import BadAnswer, EmptyAnswer, StepContext
from companion.catalogue.steps.map import (
    MapStep,
    parse_time,
    search_address,
    spoken_time,
    to_minutes,
    town_data,
)

TOWN = town_data()
CTX = StepContext()
BASE = {
    "type": "map",
    "id": "s",
    "title": "Titre",
    "pictogram": "map",
    "pictogram_alt": "Une carte",
    "question": "Question ?",
    "hint": "Un indice.",
    "explanation": "Une explication.",
}


@pytest.fixture
def request_ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context("/"):
        yield


def found(typed: str) -> tuple[str, list[str]]:
    result = search_address(TOWN, typed)
    return result.kind, [p.id for p in result.places]


def test_town_is_small_and_complete() -> None:
    assert TOWN.place(TOWN.here) is not None
    assert {r.mode for r in TOWN.routes} == {"walk", "bus", "car"}
    assert len(TOWN.places) >= 8
    for place in TOWN.places:
        assert 0 <= place.x <= 360
        assert 0 <= place.y <= 280
    site = TOWN.place("chantier-tilleuls")
    assert site is not None
    street, last = TOWN.postal_address(site)
    assert street == "8 allée des Tilleuls"
    assert last == "31999 VALBRUNE"
    assert len(street) <= 38


@pytest.mark.parametrize(
    ("typed", "kind", "ids"),
    [
        ("8 allée des Tilleuls", "exact", ["chantier-tilleuls"]),
        ("8 ALLEE DES TILLEULS", "exact", ["chantier-tilleuls"]),
        ("8, allée des Tilleuls, 31999 Valbrune", "exact", ["chantier-tilleuls"]),
        ("8 rue des tilleuls", "exact", ["chantier-tilleuls"]),
        ("12 r. des Lilas", "exact", ["logement"]),
        ("18 ch des Vignes", "exact", ["chantier-vignes"]),
        ("99 rue des Lilas", "street", ["logement", "boulangerie", "ecole"]),
        ("pharmacie", "name", ["pharmacie"]),
        ("Mairie", "street", ["mairie"]),
        ("zzz", "none", []),
        ("", "none", []),
        ("31999 Valbrune", "none", []),
    ],
)
def test_address_search(typed: str, kind: str, ids: list[str]) -> None:
    assert found(typed) == (kind, ids)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_typed_address_gives_places_or_none(typed: str) -> None:
    result = search_address(TOWN, typed)
    assert result.kind in {"exact", "street", "name", "none"}
    assert (result.kind == "none") == (not result.places)
    assert len(result.places) <= 6
    assert len(result.typed) <= 120


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("7h25", 445),
        ("7 h 25", 445),
        ("07:25", 445),
        ("7.25", 445),
        ("7 heures 25", 445),
        ("7h", 420),
        ("24h00", None),
        ("7h75", None),
        ("demain", None),
        ("", None),
    ],
)
def test_times_are_read_as_people_write_them(typed: str, minutes: int | None) -> None:
    assert parse_time(typed) == minutes


def test_times_are_shown_the_french_way() -> None:
    assert spoken_time(to_minutes("07:05")) == "7 h 05"
    assert spoken_time(to_minutes("23:50") + 20) == "0 h 10"


def test_bus_arrival_waits_for_the_next_bus() -> None:
    bus = TOWN.route_for("bus")
    # Leave 7:30, at the stop 7:34, bus 7:35, 12 minutes, 3 minutes on foot.
    assert bus.arrival(to_minutes("07:30")) == to_minutes("07:50")
    assert bus.arrival(to_minutes("07:32")) == to_minutes("08:10")
    assert bus.arrival(to_minutes("23:00")) is None
    assert TOWN.route_for("walk").arrival(to_minutes("07:30")) == to_minutes("08:05")


def test_steps_are_validated_against_the_town() -> None:
    with pytest.raises(ValidationError, match="unknown target place"):
        MapStep.model_validate({**BASE, "task": "find", "target": "moon"})
    with pytest.raises(ValidationError, match="no route arrives in time"):
        MapStep.model_validate(
            {**BASE, "task": "route", "depart": "07:50", "arrive_by": "08:00", "modes": ["walk"]}
        )
    with pytest.raises(ValidationError, match="exactly one mode"):
        MapStep.model_validate({**BASE, "task": "leave", "arrive_by": "08:00", "modes": ["bus"]})
    with pytest.raises(ValidationError, match="trusted person"):
        MapStep.model_validate({**BASE, "task": "share", "people": []})


@pytest.mark.usefixtures("request_ctx")
def test_route_task_accepts_every_route_that_arrives_in_time() -> None:
    step = MapStep.model_validate(
        {
            **BASE,
            "task": "route",
            "depart": "07:00",
            "arrive_by": "08:00",
            "modes": ["walk", "bus", "car"],
        }
    )
    assert step.right_routes() == {"walk", "bus", "car"}
    assert step.check(MultiDict({"route": "car"}), CTX).correct is True
    with pytest.raises(BadAnswer):
        step.check(MultiDict({"route": "plane"}), CTX)
    with pytest.raises(EmptyAnswer):
        step.check(MultiDict(), CTX)


@pytest.mark.usefixtures("request_ctx")
def test_leave_task_allows_a_little_margin_only() -> None:
    step = MapStep.model_validate({**BASE, "task": "leave", "arrive_by": "08:00", "modes": ["car"]})
    assert step.latest_leave() == to_minutes("07:51")
    assert step.check(MultiDict({"time": "7h51"}), CTX).correct is True
    assert step.check(MultiDict({"time": "7h40"}), CTX).correct is True
    assert step.check(MultiDict({"time": "7h52"}), CTX).correct is False
    assert step.check(MultiDict({"time": "6h00"}), CTX).correct is False
    with pytest.raises(EmptyAnswer):
        step.check(MultiDict({"time": "  "}), CTX)
    with pytest.raises(BadAnswer):
        step.check(MultiDict(), CTX)


@pytest.mark.usefixtures("request_ctx")
def test_permission_and_locate_tasks() -> None:
    step = MapStep.model_validate({**BASE, "task": "permission"})
    assert step.check(MultiDict({"permission": "while_open"}), CTX).correct is True
    assert step.check(MultiDict({"permission": "always"}), CTX).correct is False
    with pytest.raises(BadAnswer):
        step.check(MultiDict({"permission": "sometimes"}), CTX)
    locate = MapStep.model_validate({**BASE, "task": "locate", "target": "boulangerie"})
    wrong = locate.check(MultiDict({"place": "mairie"}), CTX)
    assert wrong.correct is False
    assert wrong.feedback["mairie"] == "Ce lieu est au 2 rue de la Mairie."


# --- the drawing: legible labels that never overlap (catalogue/map_layout.py) --------------


@pytest.mark.parametrize("here_text", ["Vous êtes ici", "You are here", "أنت هنا"])
@pytest.mark.parametrize("modes", [(), ("walk", "bus"), ("walk",), ("bus", "car")])
def test_every_label_has_a_place_of_its_own(here_text: str, modes: tuple[str, ...]) -> None:
    from companion.catalogue.map_layout import (
        LABEL_SIZE,
        VIEW_HEIGHT,
        VIEW_WIDTH,
        draw,
        overlaps,
        stop_box,
    )

    town = town_data()
    drawing = draw(town, here_text, modes)
    labels = drawing.layout.labels
    assert drawing.layout.missing == ()
    # Every street is named once, "Vous êtes ici" is written, every place has its number.
    assert {lab.key for lab in labels} == {
        "here",
        *(f"street-{s.id}" for s in town.streets),
        *(f"pin-{p.id}" for p in town.places if p.id != town.here),
    }
    assert LABEL_SIZE >= 16  # 16 px on a 360 px phone where the map spans the screen
    stops = [stop_box(s.x, s.y) for s in town.bus.stops] if "bus" in modes else []
    for n, one in enumerate(labels):
        x0, y0, x1, y1 = one.box
        assert 0 <= x0 < x1 <= VIEW_WIDTH
        assert 0 <= y0 < y1 <= VIEW_HEIGHT
        for other in labels[n + 1 :]:
            assert not overlaps(one.box, other.box), (one.key, other.key)
        if one.kind != "pin":
            assert not any(overlaps(one.box, stop) for stop in stops), one.key
