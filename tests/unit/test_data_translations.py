"""The simulations' data in other languages: job offers, the town, the spreadsheet grids.

Overlays data/<name>.<lang>.yaml hold only texts keyed by id; what they cannot change (ids,
towns, employers, contracts, streets, numbers, formulas) is refused with its place, and a text
they do not give stays French. The checks of every step must work in every language.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from werkzeug.datastructures import MultiDict

from companion import ROOT
from companion.catalogue import datasets
from companion.catalogue.datasets import DataSet
from companion.catalogue.loader import load_content
from companion.catalogue.overlay import Report
from companion.catalogue.steps import StepContext
from companion.catalogue.steps.job_board import BOARD, Filters, JobBoardData, board, board_data
from companion.catalogue.steps.map import (
    TOWN,
    Town,
    search_address,
    spoken_time,
    town_data,
    town_in,
)
from companion.catalogue.steps.spreadsheet import SpreadsheetStep
from companion.i18n_check import check_translations

PICTOGRAMS = ROOT / "static" / "pictograms"
LANGS = ("en", "ar")
SHEETS = "tableur-stock"


def write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def offers_copy(tmp_path: Path) -> DataSet[JobBoardData]:
    """The job board's data set on a copy of its files, to break the overlays on purpose."""
    for path in BOARD.path.parent.glob("job_offers*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return DataSet(
        path=tmp_path / "job_offers.yaml",
        model=JobBoardData,
        texts=BOARD.texts,
        step_type=BOARD.step_type,
        kept=BOARD.kept,
    )


# ------------------------------------------------------------------ the shipped texts


def test_every_offer_place_and_grid_word_has_an_english_and_an_arabic_text() -> None:
    loaded = load_content(ROOT / "content", PICTOGRAMS)
    assert loaded.report.errors == []
    french_board, french_town = board_data(), town_data()
    for lang in LANGS:
        offers = loaded.data[lang]["job_offers"]
        assert offers.missing == []
        translated = offers.data
        assert isinstance(translated, JobBoardData)
        for ours, theirs in zip(translated.offers, french_board.offers, strict=True):
            assert ours.id == theirs.id
            # Data and proper names stay as written in France.
            assert (ours.town, ours.employer, ours.contract, ours.fake) == (
                theirs.town,
                theirs.employer,
                theirs.contract,
                theirs.fake,
            )
            assert ours.title != theirs.title
            assert ours.description != theirs.description
            assert ours.hours != theirs.hours
            assert len(ours.requirements) == len(theirs.requirements)
            assert len(ours.warning_signs) == len(theirs.warning_signs)
        assert translated.towns == french_board.towns
        town = loaded.data[lang]["town"]
        assert town.missing == []
        assert town.data.model_dump()["streets"] == french_town.model_dump()["streets"]
        assert isinstance(town.data, Town)
        names = {p.id: p.name for p in town.data.places}
        assert all(names[p.id] != p.name for p in french_town.places)
        sheets = loaded.translations[lang][SHEETS]
        assert sheets.missing == []
        for ours_step, theirs_step in zip(
            sheets.module.steps, loaded.modules[SHEETS].steps, strict=True
        ):
            if isinstance(theirs_step, SpreadsheetStep):
                assert isinstance(ours_step, SpreadsheetStep)
                raw = theirs_step.model_dump()
                for cell, word in SpreadsheetStep.grid_texts(raw).items():
                    translated_word = SpreadsheetStep.grid_texts(ours_step.model_dump())[cell]
                    assert translated_word != word or (lang, word) == ("en", "Total")
                # Numbers, formulas and answers are the same.
                assert [(c.cell, c.expect, c.answer) for c in ours_step.cells] == [
                    (c.cell, c.expect, c.answer) for c in theirs_step.cells
                ]
                for ours_row, theirs_row in zip(ours_step.rows, theirs_step.rows, strict=True):
                    assert ours_row[1:] == theirs_row[1:]


# Arabic says "one" and "two" of a thing in words (a dual): ساعتان is 2 hours.
ARABIC_NUMBER_WORDS = {
    "ساعة واحدة": "1",
    "شهر واحد": "1",
    "سنة واحدة": "1",
    "ساعتان": "2",
    "أسبوعين": "2",
    "شهرين": "2",
    "شهران": "2",
    "سنتين": "2",
}


def test_facts_stay_the_same_in_translation() -> None:
    """Hours, pay, durations and the scam amounts carry the same numbers in every language."""
    import re

    def numbers(text: str) -> list[str]:
        for words, digits in ARABIC_NUMBER_WORDS.items():
            text = text.replace(words, digits)
        return re.findall(r"\d+", text.replace(",", "").replace(" ", ""))

    for lang in LANGS:
        for ours, theirs in zip(BOARD.get(lang).offers, board_data().offers, strict=True):
            for field in ("pay", "description", "hours", "requirements"):
                french = numbers(str(getattr(theirs, field)))
                translated = numbers(str(getattr(ours, field)))
                # French writes 8 h or 14 h 30, translations 8:00 and 14:30.
                assert [n for n in translated if n != "00"] == [n for n in french if n != "00"], (
                    lang,
                    ours.id,
                    field,
                )


def test_an_unknown_language_gets_the_french_data() -> None:
    assert BOARD.get("zz") is board_data()
    assert TOWN.get("xx-YY") is town_data()
    assert BOARD.get("fr") is board_data()
    assert board("en").offers[0].title.startswith("Sorting worker")


# ------------------------------------------------------------------ broken overlays


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda o: o["offers"].update(nowhere={"title": "x"}), "offers.nowhere: no such id"),
        (
            lambda o: o["offers"]["tri-toulouse"].update(salary="x"),
            "offers.tri-toulouse.salary: no such field",
        ),
        (
            lambda o: o["offers"]["tri-toulouse"].update(town="Paris"),
            "offers.tri-toulouse.town: not translated",
        ),
        (
            lambda o: o["offers"]["tri-toulouse"].update(employer="Canal Recycling"),
            "offers.tri-toulouse.employer: not translated",
        ),
        (
            lambda o: o["offers"]["faux-colis"].update(fake=False),
            "offers.faux-colis.fake: not translated",
        ),
        (
            lambda o: o["offers"]["tri-toulouse"].update(contract="CDI"),
            "offers.tri-toulouse.contract: not translated",
        ),
        (
            lambda o: o["offers"]["tri-toulouse"].update(title=""),
            "offers.tri-toulouse.title: must be a non-empty text",
        ),
        (
            lambda o: o["offers"]["tri-toulouse"].update(requirements="one"),
            "offers.tri-toulouse.requirements: must be a list of non-empty texts",
        ),
        (
            lambda o: o["offers"]["tri-toulouse"].update(title="x" * 81),
            "field 'offers.tri-toulouse.title': String should have at most 80",
        ),
        (lambda o: o.update(towns={"Toulouse": {"name": "T"}}), "towns: not translated"),
        (lambda o: o.update(jobs={}), "jobs: no such field"),
        (lambda o: o.update(offers=["a list"]), "offers: must be a mapping by id"),
    ],
)
def test_a_broken_data_overlay_is_refused_with_its_place(
    offers_copy: DataSet[JobBoardData], change: Callable[[Any], None], message: str
) -> None:
    path = offers_copy.path.with_name("job_offers.ar.yaml")
    overlay = read(path)
    change(overlay)
    write(path, overlay)
    report = Report()
    assert offers_copy.load("ar", report) is None
    assert any(message in e and str(path) in e for e in report.errors), report.errors
    assert offers_copy.get("ar") is offers_copy.french()  # the learner gets French


def test_town_streets_and_stops_are_proper_names(tmp_path: Path) -> None:
    for path in TOWN.path.parent.glob("town*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    copy = DataSet(path=tmp_path / "town.yaml", model=TOWN.model, texts=TOWN.texts, step_type="map")
    overlay = read(tmp_path / "town.en.yaml")
    overlay["streets"] = {"gare": {"name": "Station Avenue"}}
    overlay["places"]["pharmacie"]["number"] = "31"
    overlay["places"]["ghost"] = {"name": "Ghost"}
    write(tmp_path / "town.en.yaml", overlay)
    report = Report()
    assert copy.load("en", report) is None
    text = "\n".join(report.errors)
    assert "streets: not translated" in text
    assert "places.pharmacie.number: not translated" in text
    assert "places.ghost: no such id" in text


def test_a_text_an_overlay_does_not_give_stays_french(
    offers_copy: DataSet[JobBoardData],
) -> None:
    path = offers_copy.path.with_name("job_offers.en.yaml")
    overlay = read(path)
    del overlay["offers"]["tri-toulouse"]["description"]
    del overlay["offers"]["faux-colis"]["warning_signs"]
    write(path, overlay)
    report = Report()
    translation = offers_copy.load("en", report)
    assert report.errors == []
    assert translation is not None
    assert translation.missing == [
        "offers.tri-toulouse.description",
        "offers.faux-colis.warning_signs",
    ]
    data = offers_copy.get("en")
    tri = data.offer("tri-toulouse")
    french = board_data().offer("tri-toulouse")
    assert tri is not None
    assert french is not None
    assert tri.title == "Sorting worker (Agent de tri)"
    assert tri.description == french.description


def test_the_content_check_reports_a_broken_data_overlay(
    offers_copy: DataSet[JobBoardData], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = offers_copy.path.with_name("job_offers.en.yaml")
    overlay = read(path)
    overlay["offers"]["tri-toulouse"]["town"] = "Paris"
    write(path, overlay)
    monkeypatch.setattr(datasets, "DATA_SETS", [offers_copy])
    loaded = load_content(ROOT / "content", PICTOGRAMS)
    assert any("job_offers.en.yaml: offers.tri-toulouse.town" in e for e in loaded.report.errors)
    assert "job_offers" not in loaded.data.get("en", {})


# ------------------------------------------------------------------ the spreadsheet grid

SHEET: dict[str, Any] = {
    "id": "grid",
    "type": "spreadsheet",
    "columns": ["Article", "Entrées", "Sorties", "Stock restant"],
    "rows": [
        ["Râteau", "12", "4", "=B2-C2"],
        ["Pelle", "6", "quatre", "=B3-C3"],
        ["Total", "", "", ""],
    ],
    "cells": [
        {"cell": "C3", "expect": 4, "answer": "4", "start": "quatre"},
        {"cell": "D4", "expect": 2, "formula": True, "answer": '=SOMME.SI(A2:A3;"Pelle";D2:D3)'},
    ],
}


def test_grid_words_are_translatable_but_not_numbers_formulas_or_quoted_words() -> None:
    # "Pelle" is quoted by the answer's formula: translating it would change the answer.
    assert SpreadsheetStep.grid_texts(SHEET) == {"A2": "Râteau", "C3": "quatre", "A4": "Total"}
    errors: list[str] = []
    merged = SpreadsheetStep.merge_overlay(
        SHEET, "rows", {"A2": "Rake", "C3": "four", "A4": "Total"}, "grid.rows", errors
    )
    assert errors == []
    assert merged["rows"][0] == ["Rake", "12", "4", "=B2-C2"]
    assert merged["cells"][0]["start"] == "four"
    assert SHEET["rows"][0][0] == "Râteau"  # the French step is not changed
    assert SpreadsheetStep.overlay_missing(SHEET, "rows", {"A2": "Rake"}, "grid.rows") == [
        "grid.rows.C3",
        "grid.rows.A4",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"B2": "twelve"}, "grid.rows.B2: not a text of the grid"),
        ({"D2": "=B2+C2"}, "grid.rows.D2: not a text of the grid"),
        ({"A3": "Shovel"}, "grid.rows.A3: not a text of the grid"),
        ({"A9": "Nothing"}, "grid.rows.A9: not a text of the grid"),
        ({"A2": ""}, "grid.rows.A2: must be a non-empty text"),
        ({"A2": "=A3"}, "grid.rows.A2: must be a non-empty text, not a number or a formula"),
        ({"A2": "12"}, "not a number or a formula"),
        (["Rake", "Shovel"], "grid.rows: must be a mapping of cell names"),
    ],
)
def test_a_broken_grid_overlay_is_refused_with_its_place(value: Any, message: str) -> None:
    errors: list[str] = []
    SpreadsheetStep.merge_overlay(SHEET, "rows", value, "grid.rows", errors)
    assert any(message in e for e in errors), errors


def test_a_broken_grid_in_a_module_overlay_stops_the_translation(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content" / SHEETS, root / SHEETS)
    shutil.copytree(ROOT / "content" / "_style", root / "_style")
    path = root / SHEETS / "steps.en.yaml"
    steps = read(path)
    steps["stock-left"]["rows"]["B2"] = "twelve"
    write(path, steps)
    loaded = load_content(root, PICTOGRAMS)
    assert any(
        "steps.en.yaml: stock-left.rows.B2: not a text of the grid" in e
        for e in loaded.report.errors
    ), loaded.report.errors
    assert SHEETS not in loaded.translations.get("en", {})
    assert SHEETS in loaded.translations["ar"]


# ------------------------------------------------------------------ translations-check


def _catalogues(tmp_path: Path, modules: str) -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    root = tmp_path / "translations"
    (root / "en" / "LC_MESSAGES").mkdir(parents=True)
    with (root / "messages.pot").open("wb") as f:
        write_po(f, Catalog())
    with (root / "en" / "LC_MESSAGES" / "messages.po").open("wb") as f:
        write_po(f, Catalog(locale="en"))
    (root / "en" / "coverage.yaml").write_text(f"interface: all\nmodules: {modules}\n")
    return root


def test_translations_check_requires_the_data_texts_of_the_declared_modules(
    tmp_path: Path, offers_copy: DataSet[JobBoardData], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = offers_copy.path.with_name("job_offers.en.yaml")
    overlay = read(path)
    del overlay["offers"]["tri-toulouse"]["pay"]
    write(path, overlay)
    offers_copy.path.with_name("job_offers.ar.yaml").unlink()
    monkeypatch.setattr(datasets, "DATA_SETS", [offers_copy])

    def check(modules: str) -> tuple[list[str], list[str]]:
        root = _catalogues(tmp_path / modules.strip("[]"), modules)
        return check_translations(root, root / "messages.pot", ROOT / "content", PICTOGRAMS)

    errors, _warnings = check("all")
    assert any(
        "job_offers.en.yaml: 'en' text missing: offers.tri-toulouse.pay" in e for e in errors
    ), errors
    # A language that does not show the job board yet is only warned.
    errors, warnings = check("[mots-de-passe]")
    assert not any("job_offers" in e for e in errors), errors
    assert any("offers.tri-toulouse.pay" in w for w in warnings)
    errors, _warnings = check("[emploi-en-ligne]")
    assert any("offers.tri-toulouse.pay" in e for e in errors)


def test_translations_check_reports_a_missing_data_file(
    tmp_path: Path, offers_copy: DataSet[JobBoardData], monkeypatch: pytest.MonkeyPatch
) -> None:
    offers_copy.path.with_name("job_offers.en.yaml").unlink()
    monkeypatch.setattr(datasets, "DATA_SETS", [offers_copy])
    root = _catalogues(tmp_path, "all")
    errors, _warnings = check_translations(
        root, root / "messages.pot", ROOT / "content", PICTOGRAMS
    )
    assert any("job_offers.en.yaml: no 'en' translation of job_offers" in e for e in errors)


# ------------------------------------------------------------------ searching and checking


@pytest.mark.parametrize(
    ("lang", "keyword"),
    [
        ("fr", "espaces verts"),
        ("en", "green spaces"),
        ("en", "espaces verts"),
        ("ar", "مساحات خضراء"),
        ("ar", "المساحات الخضراء"),
        ("ar", "espaces verts"),
    ],
)
def test_a_keyword_finds_the_same_offers_in_the_learners_words_or_in_french(
    lang: str, keyword: str
) -> None:
    french = [o.id for o in Filters(keyword="espaces verts").search(board_data())]
    assert len(french) == 6
    data = board(lang)
    assert [o.id for o in Filters(keyword=keyword).search(data)] == french


@pytest.mark.parametrize(
    ("lang", "typed", "place"),
    [
        ("en", "pharmacy", "pharmacie"),
        ("en", "pharmacie", "pharmacie"),
        ("en", "the town hall", "mairie"),
        ("ar", "صيدلية", "pharmacie"),
        ("ar", "الصيدلية", "pharmacie"),
        ("ar", "8 allée des Tilleuls", "chantier-tilleuls"),
    ],
)
def test_a_place_is_found_by_its_name_in_the_learners_words(
    lang: str, typed: str, place: str
) -> None:
    found = search_address(town_in(lang), typed)
    assert [p.id for p in found.places] == [place]


@pytest.mark.parametrize("lang", LANGS)
def test_the_checks_work_on_the_translated_steps(app: Flask, lang: str) -> None:
    from tests.helpers import right_answer, wrong_answer

    translations = app.extensions["companion.catalogue.translations"][lang]
    with app.test_request_context(f"/?lang={lang}"):
        for module_id in ("emploi-en-ligne", "gps-itineraire", SHEETS):
            for step in translations[module_id].steps:
                if not step.is_practice:
                    continue
                right = step.check(MultiDict(right_answer(step)), StepContext())
                assert right.correct is True, (lang, step.id)
                wrong = step.check(MultiDict(wrong_answer(step)), StepContext())
                assert wrong.correct is False, (lang, step.id)
        assert spoken_time(7 * 60 + 5) == "7:05"
    with app.test_request_context("/"):
        assert spoken_time(7 * 60 + 5) == "7 h 05"


def test_error_codes_stay_whole_in_a_right_to_left_sentence(app: Flask) -> None:
    step = SpreadsheetStep.model_validate(
        {
            **SHEET,
            "title": "T",
            "pictogram": "p",
            "pictogram_alt": "P",
            "question": "Q",
            "hint": "H",
            "explanation": "E",
        }
    )
    entries = {"C3": "four", "D4": "=SOMM(D2)"}
    with app.test_request_context("/?lang=ar"):
        notes = step.view(entries, None, None).notes
        assert "\u2066#VALEUR!\u2069" in notes["D3"]
        assert "\u2066D3\u2069" in notes["D3"]
    with app.test_request_context("/?lang=en"):
        assert "\u2066" not in step.view(entries, None, None).notes["D3"]
