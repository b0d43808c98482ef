"""The schemas and checks of the screen-basics step types (tap_targets, drag_to_place,
type_text, gesture), without a server."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps import STEP_TYPES, BadAnswer, EmptyAnswer, StepContext
from companion.catalogue.steps.drag_to_place import DragToPlaceStep
from companion.catalogue.steps.gesture import GestureStep
from companion.catalogue.steps.tap_targets import TapTargetsStep
from companion.catalogue.steps.type_text import TypeTextStep, differences

CTX = StepContext(first_name="Amina", structure_name="Atelier")
COMMON = {"title": "Titre", "pictogram": "hand", "pictogram_alt": "Une main"}
PRACTICE = {**COMMON, "hint": "Un indice.", "explanation": "Une explication."}


def form(**fields: str) -> MultiDict[str, str]:
    return MultiDict(list(fields.items()))


def tap_step(**changes: Any) -> TapTargetsStep:
    data: dict[str, Any] = {
        **PRACTICE,
        "id": "tap",
        "type": "tap_targets",
        "question": "Touchez le rond.",
        "target_label": "Le rond",
        "sizes": [96, 56, 32],
    }
    data.update(changes)
    return TapTargetsStep.model_validate(data)


def drag_step(**changes: Any) -> DragToPlaceStep:
    data: dict[str, Any] = {
        **PRACTICE,
        "id": "drag",
        "type": "drag_to_place",
        "question": "Rangez les images.",
        "items": [
            {"id": "sun", "text": "Le soleil", "pictogram": "sun", "place": "photos"},
            {
                "id": "bill",
                "text": "La facture",
                "pictogram": "money",
                "place": "papers",
                "feedback": "Une facture est un papier.",
            },
        ],
        "places": [
            {"id": "photos", "text": "Photos", "pictogram": "briefcase"},
            {"id": "papers", "text": "Papiers", "pictogram": "clipboard"},
        ],
    }
    data.update(changes)
    return DragToPlaceStep.model_validate(data)


def text_step(**changes: Any) -> TypeTextStep:
    data: dict[str, Any] = {
        **PRACTICE,
        "id": "typed",
        "type": "type_text",
        "question": "Tapez ce texte.",
        "label": "Le texte",
        "expected": "Hélène",
    }
    data.update(changes)
    return TypeTextStep.model_validate(data)


def test_the_types_are_discovered_with_their_scripts() -> None:
    assert STEP_TYPES["tap_targets"] is TapTargetsStep
    assert STEP_TYPES["drag_to_place"] is DragToPlaceStep
    assert STEP_TYPES["type_text"] is TypeTextStep
    assert STEP_TYPES["gesture"] is GestureStep
    assert tap_step().script == "tap_targets.js"
    assert drag_step().script == "drag_to_place.js"
    assert text_step().script is None  # a plain form: nothing to enhance
    assert tap_step().is_practice
    assert drag_step().is_practice
    assert text_step().is_practice
    assert not GestureStep.is_practice


def test_offline_behaviour() -> None:
    """Checked by the server when the network returns; a gesture is only seen."""
    assert tap_step().offline_attributes()["offline-check"] == "later"
    assert drag_step().offline_attributes()["offline-check"] == "later"
    assert text_step().offline_attributes()["offline-check"] == "later"
    assert GestureStep.offline_check == "seen"


# ---- tap_targets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes", [[56, 96], [56, 56], [96], [96, 72, 56, 44, 32, 24, 24], [100, 50]]
)
def test_tap_sizes_must_get_smaller_from_the_allowed_ones(sizes: list[int]) -> None:
    with pytest.raises(ValidationError):
        tap_step(sizes=sizes)


def test_tap_places_never_repeat_and_are_stable() -> None:
    step = tap_step(sizes=[120, 96, 72, 56, 44, 32])
    assert len(step.places) == 6
    assert all(a != b for a, b in zip(step.places, step.places[1:], strict=False))
    assert step.places == tap_step(sizes=[120, 96, 72, 56, 44, 32]).places


def test_tap_rounds_before_the_last_only_show_the_next() -> None:
    step = tap_step()
    assert step.view_context(MultiDict(), CTX) == {"tap_round": 0}
    assert step.interact(form(hit="0"), CTX) == {"tap_round": 1}
    assert step.interact(form(hit="1"), CTX) == {"tap_round": 2}
    assert step.interact(form(hit="2"), CTX) is None  # the last press is the answer
    assert step.check(form(hit="2"), CTX).correct is True


@pytest.mark.parametrize("hit", [None, "", "3", "-1", "un", "0"])
def test_tap_anything_but_the_last_round_is_not_an_answer(hit: str | None) -> None:
    step = tap_step()
    posted = form() if hit is None else form(hit=hit)
    with pytest.raises(BadAnswer):
        step.check(posted, CTX)


# ---- drag_to_place -------------------------------------------------------------------------


def test_drag_right_and_wrong_places() -> None:
    step = drag_step()
    right = step.check(form(**{"place-sun": "photos", "place-bill": "papers"}), CTX)
    assert right.correct is True
    assert right.details["misplaced"] == ()
    wrong = step.check(form(**{"place-sun": "photos", "place-bill": "photos"}), CTX)
    assert wrong.correct is False
    assert wrong.details["misplaced"] == ("bill",)
    assert wrong.feedback == {"bill": "Une facture est un papier."}
    half = step.check(form(**{"place-sun": "photos", "place-bill": ""}), CTX)
    assert half.correct is False
    assert half.details["misplaced"] == ("bill",)


def test_drag_nothing_placed_is_asked_again_and_tampering_refused() -> None:
    step = drag_step()
    with pytest.raises(EmptyAnswer):
        step.check(form(**{"place-sun": "", "place-bill": ""}), CTX)
    with pytest.raises(BadAnswer):
        step.check(form(**{"place-sun": "photos"}), CTX)
    with pytest.raises(BadAnswer):
        step.check(form(**{"place-sun": "photos", "place-bill": "bin"}), CTX)


def test_drag_schema_refuses_unknown_places_and_duplicate_ids() -> None:
    items = drag_step().model_dump()["items"]
    with pytest.raises(ValidationError, match="not among the places"):
        drag_step(items=[{**items[0], "place": "bin"}])
    with pytest.raises(ValidationError, match="same id"):
        drag_step(items=[items[0], {**items[1], "id": "sun"}])
    with pytest.raises(ValidationError, match="same id"):
        drag_step(items=[{**items[0], "id": "photos"}])
    with pytest.raises(ValidationError):
        drag_step(places=[{"id": "photos", "text": "Photos", "pictogram": "briefcase"}])


def test_drag_texts_images_and_review() -> None:
    step = drag_step()
    assert "La facture" in step.texts()
    assert "Une facture est un papier." in step.texts()
    assert ("money", "La facture") in step.images()
    assert ("clipboard", "Papiers") in step.images()
    assert step.review_answers() == ["Le soleil → Photos", "La facture → Papiers"]
    assert "place" in DragToPlaceStep.fixed_fields()


# ---- type_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected", "found"),
    [
        ("Hélène", "Hélène", []),
        ("  Hélène  ", "Hélène", []),
        ("helene", "Hélène", [("accents", "é è"), ("capitals", "H")]),
        ("Helene", "Hélène", [("accents", "é è")]),
        ("hélène", "Hélène", [("capitals", "H")]),
        ("HÉLÈNE", "Hélène", [("small", "é l è n e")]),
        ("Hélne", "Hélène", [("shorter", "Hél")]),
        ("Hélènes", "Hélène", [("longer", "Hélène")]),
        ("Hélèna", "Hélène", [("letters", "Hélèn")]),
        ("amina.diallo.exemple.fr", "amina.diallo@exemple.fr", [("at", "@")]),
        ("aminadiallo@exemple.fr", "amina.diallo@exemple.fr", [("shorter", "amina")]),
        ("le 21 mai a 14 h", "le 12 mai à 14 h", [("digits", "12 14"), ("accents", "à")]),
        ("le 12 mai à 14h", "le 12 mai à 14 h", [("spaces", "")]),
        ("le 2 mai à 14 h", "le 12 mai à 14 h", [("digits", "12 14"), ("shorter", "le ")]),
    ],
)
def test_type_text_differences(typed: str, expected: str, found: list[tuple[str, str]]) -> None:
    assert differences(typed, expected) == found


def test_type_text_check() -> None:
    step = text_step()
    right = step.check(form(answer="Hélène"), CTX)
    assert right.correct is True
    assert right.typed == "Hélène"
    # A decomposed accent (e + combining acute), as some keyboards send it, is the same.
    assert step.check(form(answer="He\u0301le\u0300ne"), CTX).correct is True
    wrong = step.check(form(answer="Helene"), CTX)
    assert wrong.correct is False
    assert wrong.details["differences"] == (("accents", "é è"),)
    with pytest.raises(EmptyAnswer):
        step.check(form(answer="   "), CTX)
    with pytest.raises(BadAnswer):
        step.check(form(), CTX)


def test_type_text_is_not_translated_and_reviews_the_text() -> None:
    assert {"expected", "start"} <= TypeTextStep.fixed_fields()
    assert text_step().review_answers() == ["Hélène"]
    assert text_step(start="Helne").start == "Helne"


# ---- gesture -------------------------------------------------------------------------------


def test_gesture_schema_and_check() -> None:
    data: dict[str, Any] = {
        **COMMON,
        "id": "zoom",
        "type": "gesture",
        "gesture": "zoom",
        "text": "Écartez deux doigts.",
        "other_way": "Ctrl et +.",
        "success": "Bravo !",
    }
    step = GestureStep.model_validate(data)
    assert step.check(form(), CTX).correct is None
    assert step.texts() == ["Titre", "Écartez deux doigts.", "Ctrl et +.", "Bravo !"]
    assert step.script == "gesture.js"
    with pytest.raises(ValidationError):
        GestureStep.model_validate({**data, "gesture": "shake"})
    with pytest.raises(ValidationError):
        GestureStep.model_validate({**data, "success": ""})
