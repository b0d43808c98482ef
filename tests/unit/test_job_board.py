"""The simulated job board: its offers, its filters, and how a step checks an answer."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from companion import ROOT
from companion.catalogue.readability import check_text, load_style
from companion.catalogue.steps import BadAnswer, EmptyAnswer, StepContext
from companion.catalogue.steps.job_board import (
    CONTRACTS,
    DISTANCES,
    Filters,
    JobBoardData,
    JobBoardStep,
    board_data,
    distance_km,
)

DATA = board_data()
CTX = StepContext()
BASE = {
    "type": "job_board",
    "id": "s",
    "title": "Titre",
    "pictogram": "search",
    "pictogram_alt": "Une loupe",
    "question": "Question ?",
    "hint": "Un indice.",
    "explanation": "Une explication.",
}


@pytest.fixture
def request_ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context("/"):
        yield


def search(**args: str) -> list[str]:
    return [o.id for o in Filters.from_args(MultiDict(args), DATA).search(DATA)]


def test_about_forty_offers_with_every_contract_and_a_few_fakes() -> None:
    assert 35 <= len(DATA.offers) <= 45
    assert {o.contract for o in DATA.offers} == set(CONTRACTS)
    fakes = [o for o in DATA.offers if o.fake]
    assert 3 <= len(fakes) <= 6
    assert all(o.warning_signs for o in fakes)
    sectors = {o.sector for o in DATA.offers}
    assert {"espaces verts", "collecte et tri", "nettoyage", "second œuvre", "restauration"} <= (
        sectors
    )


def test_offer_texts_are_easy_to_read() -> None:
    style = load_style(ROOT / "content")
    problems = [
        (o.id, p)
        for o in DATA.offers
        for t in [*o.texts(), *o.warning_signs]
        for p in check_text(t, style)
    ]
    assert problems == []


def test_distances_are_true_to_the_map() -> None:
    toulouse, colomiers = DATA.town_named("Toulouse"), DATA.town_named("Colomiers")
    assert distance_km(toulouse, colomiers) == 9
    assert 190 <= distance_km(toulouse, DATA.town_named("Montpellier")) <= 200
    assert distance_km(toulouse, toulouse) == 0


def test_filters_combine() -> None:
    assert search(q="espaces verts", ville="Toulouse", distance="30", contrat="CDDI") == [
        "jardinier-colomiers"
    ]
    near = search(ville="Toulouse", distance="30")
    assert "jardinier-muret" in near
    assert "tri-montauban" not in near
    # Nearest first: offers in Toulouse itself come before Colomiers and Muret.
    offers = [DATA.offer(i) for i in near]
    towns = [offer.town for offer in offers if offer is not None]
    assert towns == sorted(
        towns, key=lambda t: distance_km(DATA.town_named("Toulouse"), DATA.town_named(t))
    )
    assert towns[0] == "Toulouse"
    assert set(search(ville="Albi")) == {o.id for o in DATA.offers if o.town == "Albi"}
    interim = [DATA.offer(i) for i in search(contrat="intérim")]
    assert interim
    assert all(o is not None and o.contract == "intérim" for o in interim)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ESPACES VERTS", "jardinier-colomiers"),
        ("espace vert", "jardinier-colomiers"),
        ("maraîcher", "maraichage-castres"),
        ("maraicher", "maraichage-castres"),
        ("cuisine", "commis-toulouse"),
    ],
)
def test_keywords_ignore_case_accents_and_plurals(typed: str, expected: str) -> None:
    assert expected in search(q=typed)


def test_nonsense_filters_are_ignored_not_errors() -> None:
    filters = Filters.from_args(
        MultiDict({"ville": "Paris", "distance": "7", "contrat": "stage", "q": " a " * 100}), DATA
    )
    assert filters.town == ""
    assert filters.distance is None
    assert filters.contract == ""
    assert len(filters.keyword) <= 80
    assert search(q="astronaute") == []


def test_every_combination_of_the_menus_answers() -> None:
    towns = ["", *(t.name for t in DATA.towns)]
    distances = ["", *(str(d) for d in DISTANCES)]
    contracts = ["", *CONTRACTS]
    empty = 0
    for town, distance, contract in itertools.product(towns, distances, contracts):
        found = search(ville=town, distance=distance, contrat=contract)
        empty += not found
        for offer_id in found:
            offer = DATA.offer(offer_id)
            assert offer is not None
            assert not contract or offer.contract == contract
    assert empty > 0  # some combinations really give "aucun résultat"


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["q", "ville", "distance", "contrat", "other"]), st.text(max_size=300)
    )
)
def test_any_query_gives_a_subset_of_the_board(args: dict[str, str]) -> None:
    found = search(**args)
    assert set(found) <= {o.id for o in DATA.offers}
    assert len(found) == len(set(found))


def test_steps_are_validated_against_the_board() -> None:
    with pytest.raises(ValidationError, match="unknown offer"):
        JobBoardStep.model_validate({**BASE, "task": "choose", "offers": ["nope", "tri-toulouse"]})
    with pytest.raises(ValidationError, match="no offer fits"):
        JobBoardStep.model_validate(
            {**BASE, "task": "search", "criteria": {"keyword": "astronaute"}}
        )
    with pytest.raises(ValidationError, match="exactly one offer"):
        JobBoardStep.model_validate({**BASE, "task": "read", "offers": []})
    with pytest.raises(ValidationError, match="feedback for each offer"):
        JobBoardStep.model_validate(
            {
                **BASE,
                "task": "choose",
                "offers": ["tri-toulouse", "faux-colis"],
                "answer": "faux-colis",
            }
        )


def test_bad_data_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "offers.yaml"
    bad.write_text(
        "towns: [{name: A, lat: 43, lon: 1}, {name: B, lat: 43, lon: 2}]\n"
        "offers:\n  - {id: x, title: T, employer: E, sector: S, town: Nowhere, contract: CDI,"
        " hours: H, pay: P, requirements: [R], description: D}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="unknown town"):
        board_data(bad)
    assert isinstance(DATA, JobBoardData)


@pytest.mark.usefixtures("request_ctx")
def test_search_check_accepts_any_fitting_offer_and_explains_others() -> None:
    step = JobBoardStep.model_validate(
        {**BASE, "task": "search", "criteria": {"town": "Toulouse", "distance": 30}}
    )
    used = {"ville": "Toulouse", "distance": "30"}
    assert step.check(MultiDict({"offer": "jardinier-muret", **used}), CTX).correct is True
    # The same offer without the filters the task teaches: not yet the answer.
    unfiltered = step.check(MultiDict({"offer": "jardinier-muret"}), CTX)
    assert unfiltered.correct is False
    assert "Choisissez la ville : Toulouse." in unfiltered.feedback["jardinier-muret"]
    wider = step.check(MultiDict({"offer": "jardinier-muret", "ville": "Toulouse"}), CTX)
    assert wider.correct is False
    nearer = {"ville": "Toulouse", "distance": "10"}
    assert step.check(MultiDict({"offer": "jardinier-colomiers", **nearer}), CTX).correct
    wrong = step.check(MultiDict({"offer": "tri-nimes"}), CTX)
    assert wrong.correct is False
    assert wrong.feedback["tri-nimes"] == "Nîmes est trop loin de Toulouse."
    with pytest.raises(EmptyAnswer):
        step.check(MultiDict(), CTX)
    with pytest.raises(BadAnswer):
        step.check(MultiDict({"offer": "nope"}), CTX)
    with pytest.raises(BadAnswer):
        step.check(MultiDict([("offer", "tri-nimes"), ("offer", "jardinier-muret")]), CTX)


@pytest.mark.usefixtures("request_ctx")
def test_view_context_reads_the_query() -> None:
    step = JobBoardStep.model_validate({**BASE, "task": "search", "criteria": {"contract": "CDDI"}})
    view = step.view_context(MultiDict({"contrat": "CDDI", "distance": "30"}), CTX)
    assert all(o.contract == "CDDI" for o in view["results"])
    assert view["distance_ignored"] is True
