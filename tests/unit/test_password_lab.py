"""The password lab's estimate (tests/unit/test_password_strength.py: the script agrees)."""

from __future__ import annotations

from companion.catalogue.password_strength import resist
from companion.catalogue.steps.base import StepContext
from companion.catalogue.steps.password_lab import (
    TARGET_BITS,
    draw_words,
    estimate,
    lists,
    personal_words,
)

PERSONAL = personal_words(StepContext(first_name="Amina", structure_name="Atelier Démo"))


def test_leaked_and_short_passwords_are_weak() -> None:
    for text in ("123456", "azerty", "soleil", "motdepasse", "Azerty"):
        result = estimate(text)
        assert result.leaked, text
        assert result.bits < 20, (text, result.bits)
        assert not result.strong


def test_first_name_structure_and_year_are_spotted() -> None:
    result = estimate("Amina1990", PERSONAL)
    assert result.personal
    assert result.years == 1
    assert result.bits < 20
    assert estimate("AtelierDemo", PERSONAL).personal
    # Without knowing the learner, the same text counts letter by letter.
    assert estimate("Amina1990").bits > result.bits


def test_the_cnil_ways_reach_the_target() -> None:
    # 12 signs of 4 kinds, 14 signs of 3 kinds, 7 random words: each about 80 bits.
    assert estimate("k8$Lp.2mQ!x9").bits == TARGET_BITS
    assert estimate("Kp8mQ2xL9vTz4r").bits >= TARGET_BITS
    words = [w for w in lists().drawable if len(w) >= 4]  # 3 letters count sign by sign
    seven = " ".join(words[100:107])
    assert estimate(seven).words == 7
    assert estimate(seven).bits >= TARGET_BITS
    six = " ".join(words[100:106])
    assert estimate(six).bits < TARGET_BITS
    assert estimate("k8$Lp.2mQ!x").bits < TARGET_BITS


def test_patterns_and_dictionary_words_cost_little() -> None:
    assert estimate("aaaaaaaaaaaa").patterns >= 1
    assert estimate("aaaaaaaaaaaa").bits < 20
    assert estimate("abcdef123456").bits < 30
    french = estimate("maisonjardin")
    assert french.words == 2
    assert french.bits < estimate("xqzvkwpmrtlb").bits


def test_bad_input_gets_an_answer() -> None:
    long = estimate("x" * 10_000)
    assert long.truncated
    assert long.length == 100
    assert estimate("").bits == 0
    assert estimate("😀🔥🙂👍").kinds == ("other",)
    assert estimate("مرحبا بالعالم").length == 13


def test_resist_units() -> None:
    assert resist(10) == ("now", 0)
    assert resist(36) == ("seconds", 6)
    assert resist(80)[0] == "forever"
    assert resist(60)[0] == "years"


def test_draw_gives_seven_words_of_the_list() -> None:
    drawn = draw_words()
    assert len(drawn) == 7
    assert set(drawn) <= set(lists().drawable)


def test_lists_are_small_and_clean() -> None:
    data = lists()
    assert 1000 <= len(data.leaked) <= 5000
    assert 1000 <= len(data.words) <= 5000
    assert all(" " not in w for w in data.leaked | data.words)
