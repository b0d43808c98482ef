"""The entry check's rules on fixed answers: levels per area and the recommended order."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.catalogue import Module, load_catalogue
from companion.catalogue.entry_check import SCREEN_BASICS, check_areas
from companion.services.entry_check import Answer, Level, levels, recommend

ROOT = Path(__file__).resolve().parents[2]
FIVE = ["mots-de-passe", "emploi-en-ligne", "gps-itineraire", "tableur-stock", "dangers-internet"]
WITH_SCREEN = [SCREEN_BASICS, *FIVE]

RIGHT = Answer("passed", 1)
RIGHT_LATER = Answer("passed", 2)
SHOWN = Answer("helped", 3)
YES, SOME, NOT_YET = (Answer("seen", 0, v) for v in ("yes", "some", "not_yet"))
PRACTICE = ["scam-sms", "password-place", "map-place", "table-number", "offer-city"]


@pytest.fixture(scope="module")
def check() -> Module:
    modules, report = load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")
    assert report.ok, report.errors
    return modules["par-ou-commencer"]


def answers(screen: tuple[Answer, Answer], **practice: Answer) -> dict[str, Answer]:
    out = {"welcome": Answer("seen"), "touchscreen": screen[0], "mouse": screen[1]}
    out.update({step: practice.get(step.replace("-", "_"), RIGHT) for step in PRACTICE})
    return out


KNOWS_NOTHING = answers((NOT_YET, NOT_YET), **{s.replace("-", "_"): SHOWN for s in PRACTICE})
STRONG = answers((YES, YES))
ONLY_SCAMS = answers((YES, YES), scam_sms=SHOWN)


def test_levels_of_a_learner_who_knows_nothing(check: Module) -> None:
    assert levels(check, KNOWS_NOTHING) == {
        SCREEN_BASICS: Level.TO_LEARN,
        "dangers-internet": Level.TO_LEARN,
        "mots-de-passe": Level.TO_LEARN,
        "gps-itineraire": Level.TO_LEARN,
        "tableur-stock": Level.TO_LEARN,
        "emploi-en-ligne": Level.TO_LEARN,
    }


def test_knows_nothing_starts_with_the_screen_basics_when_the_catalogue_has_them(
    check: Module,
) -> None:
    assert recommend(levels(check, KNOWS_NOTHING), WITH_SCREEN) == WITH_SCREEN


def test_without_the_screen_basics_module_the_five_modules_in_catalogue_order(
    check: Module,
) -> None:
    assert recommend(levels(check, KNOWS_NOTHING), FIVE) == FIVE


def test_strong_everywhere_recommends_nothing(check: Module) -> None:
    assert set(levels(check, STRONG).values()) == {Level.AT_EASE}
    assert recommend(levels(check, STRONG), WITH_SCREEN) == []
    assert recommend(levels(check, STRONG), FIVE) == []


def test_weak_only_on_scams_gives_the_dangers_module_alone(check: Module) -> None:
    assert recommend(levels(check, ONLY_SCAMS), WITH_SCREEN) == ["dangers-internet"]


def test_right_after_a_try_is_partial_and_comes_after_what_is_to_learn(check: Module) -> None:
    mixed = answers((YES, YES), map_place=RIGHT_LATER, offer_city=SHOWN)
    found = levels(check, mixed)
    assert found["gps-itineraire"] == Level.PARTIAL
    assert found["emploi-en-ligne"] == Level.TO_LEARN
    assert recommend(found, FIVE) == ["emploi-en-ligne", "gps-itineraire"]


def test_a_little_screen_practice_still_puts_the_screen_basics_first(check: Module) -> None:
    # At ease with a phone, never used a mouse: half way, so "partial", yet first.
    found = levels(check, answers((YES, NOT_YET), table_number=SHOWN))
    assert found[SCREEN_BASICS] == Level.PARTIAL
    assert recommend(found, WITH_SCREEN) == [SCREEN_BASICS, "tableur-stock"]
    assert recommend(found, FIVE) == ["tableur-stock"]


def test_some_on_both_screen_questions_is_partial(check: Module) -> None:
    assert levels(check, answers((SOME, SOME)))[SCREEN_BASICS] == Level.PARTIAL


def test_unanswered_steps_give_no_level(check: Module) -> None:
    assert levels(check, {"scam-sms": SHOWN}) == {"dangers-internet": Level.TO_LEARN}
    assert levels(check, {}) == {}


def test_the_check_is_content_of_kind_check_with_every_measured_step_in_an_area(
    check: Module,
) -> None:
    assert check.meta.kind == "check"
    assert set(check.meta.areas) == {"touchscreen", "mouse", *PRACTICE}
    assert check.meta.minutes <= 5
    assert check_areas([check]) == [
        f"par-ou-commencer/module.yaml: areas: step '{s}': unknown area '{a}'"
        for s, a in check.meta.areas.items()
        if a != SCREEN_BASICS
    ]
