"""The checkers of the order and spot step types, without a server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from companion import ROOT
from companion.catalogue.readability import check_text, load_style
from companion.catalogue.schema import ModuleMeta
from companion.catalogue.steps import STEP_TYPES, BadAnswer, EmptyAnswer, StepContext
from companion.catalogue.steps.order import OrderStep
from companion.catalogue.steps.spot import SpotStep

CTX = StepContext(first_name="Amina", structure_name="Atelier")
COMMON = {"title": "Titre", "pictogram": "key", "pictogram_alt": "Une clé"}


def order_step(**changes: Any) -> OrderStep:
    data: dict[str, Any] = {
        **COMMON,
        "id": "order-me",
        "type": "order",
        "question": "Dans quel ordre ?",
        "items": [
            {"id": "one", "text": "Un", "feedback": "Un vient en premier."},
            {"id": "two", "text": "Deux"},
            {"id": "three", "text": "Trois"},
        ],
        "hint": "Comptez.",
        "explanation": "Un, deux, trois.",
    }
    data.update(changes)
    return OrderStep.model_validate(data)


def spot_step(**changes: Any) -> SpotStep:
    data: dict[str, Any] = {
        **COMMON,
        "id": "spot-me",
        "type": "spot",
        "question": "Touchez les pièges.",
        "message": {
            "kind": "mail",
            "sender": {"id": "from", "text": "banque@banque.example"},
            "subject": {
                "id": "subject",
                "text": "Urgent : compte bloqué",
                "trap": True,
                "explanation": "L'urgence est un piège.",
            },
            "body": [
                {"id": "hello", "text": "Bonjour,", "feedback": "Un bonjour est normal."},
                {"id": "code", "text": "Donnez votre code.", "trap": True, "explanation": "Non."},
            ],
        },
        "hint": "Cherchez l'urgence.",
        "explanation": "Deux pièges.",
    }
    data.update(changes)
    return SpotStep.model_validate(data)


def form(**fields: Any) -> MultiDict[str, str]:
    return MultiDict([(k, v) for k, vs in fields.items() for v in vs])


def test_both_types_are_discovered_plug_ins() -> None:
    assert STEP_TYPES["order"] is OrderStep
    assert STEP_TYPES["spot"] is SpotStep
    assert OrderStep.is_practice
    assert SpotStep.is_practice
    assert order_step().template == "steps/order.html"
    assert spot_step().script == "spot.js"


# ---- order -------------------------------------------------------------------------------


def test_order_starts_mixed_and_the_same_every_time() -> None:
    step = order_step()
    assert step.start_order != step.right_order
    assert sorted(step.start_order) == sorted(step.right_order)
    assert step.start_order == order_step().start_order
    two = order_step(items=[{"id": "a", "text": "A"}, {"id": "b", "text": "B"}])
    assert two.start_order == ("b", "a")


def test_order_right_answer() -> None:
    outcome = order_step().check(form(order=["one", "two", "three"]), CTX)
    assert outcome.correct is True
    assert outcome.details["misplaced"] == ()
    assert outcome.selected == ("one", "two", "three")


def test_order_wrong_answer_names_each_misplaced_item() -> None:
    outcome = order_step().check(form(order=["two", "one", "three"]), CTX)
    assert outcome.correct is False
    assert outcome.details["misplaced"] == ("two", "one")
    assert outcome.feedback == {"one": "Un vient en premier."}


@pytest.mark.parametrize(
    "order",
    [
        [],
        ["one", "two"],
        ["one", "two", "two"],
        ["one", "two", "four"],
        ["one", "two", "three", "x"],
    ],
)
def test_order_tampered_answers_are_refused(order: list[str]) -> None:
    with pytest.raises(BadAnswer):
        order_step().check(form(order=order), CTX)


def test_order_a_move_is_never_an_answer() -> None:
    with pytest.raises(BadAnswer):
        order_step().check(form(order=["one", "two", "three"], move=["up:nowhere"]), CTX)


@pytest.mark.parametrize(
    ("move", "expected"),
    [
        ("up:two", ("two", "one", "three")),
        ("down:two", ("one", "three", "two")),
        ("up:one", ("one", "two", "three")),
        ("down:three", ("one", "two", "three")),
    ],
)
def test_order_moves(move: str, expected: tuple[str, ...]) -> None:
    result = order_step().interact(form(order=["one", "two", "three"], move=[move]), CTX)
    assert result is not None
    assert result["order_ids"] == expected
    assert result["moved"] == move.split(":")[1]


@pytest.mark.parametrize(
    ("order", "move"),
    [
        (["one", "two", "three"], "up:four"),
        (["one", "two", "three"], "left:one"),
        (["one", "two", "three"], "up"),
        (["one", "one", "three"], "up:one"),
    ],
)
def test_order_bad_moves_fall_through_to_a_refused_check(order: list[str], move: str) -> None:
    step = order_step()
    posted = form(order=order, move=[move])
    assert step.interact(posted, CTX) is None
    with pytest.raises(BadAnswer):
        step.check(posted, CTX)


def test_order_without_a_move_is_an_answer() -> None:
    assert order_step().interact(form(order=["one", "two", "three"]), CTX) is None


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"id": "a", "text": "A"}, {"id": "a", "text": "B"}], "two items have the same id: a"),
        ([{"id": "a", "text": "A"}, {"id": "b", "text": "A "}], "two items have the same text"),
        ([{"id": "a", "text": "A"}], "at least 2 items"),
    ],
)
def test_order_schema_errors(items: list[dict[str, str]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        order_step(items=items)


def test_order_texts_include_item_feedback() -> None:
    texts = order_step().texts()
    assert "Un vient en premier." in texts
    assert "Trois" in texts


# ---- spot --------------------------------------------------------------------------------


def test_spot_right_answer() -> None:
    outcome = spot_step().check(form(part=["code", "subject"]), CTX)
    assert outcome.correct is True
    assert outcome.details["found"] == ("subject", "code")
    assert outcome.details["missed"] == ()
    assert outcome.feedback == {"subject": "L'urgence est un piège.", "code": "Non."}


def test_spot_partly_right_answer() -> None:
    outcome = spot_step().check(form(part=["code", "hello"]), CTX)
    assert outcome.correct is False
    assert outcome.details == {"found": ("code",), "missed": ("subject",), "harmless": ("hello",)}
    assert outcome.feedback["hello"] == "Un bonjour est normal."


def test_spot_every_segment_ticked_is_wrong() -> None:
    outcome = spot_step().check(form(part=["from", "subject", "hello", "code"]), CTX)
    assert outcome.correct is False


def test_spot_nothing_ticked_is_asked_again() -> None:
    with pytest.raises(EmptyAnswer):
        spot_step().check(form(), CTX)


@pytest.mark.parametrize("parts", [["nope"], ["code", "code"], ["code", "nope"]])
def test_spot_tampered_answers_are_refused(parts: list[str]) -> None:
    with pytest.raises(BadAnswer):
        spot_step().check(form(part=parts), CTX)


def _message(**changes: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "kind": "sms",
        "sender": {"id": "from", "text": "Numéro inconnu"},
        "body": [{"id": "pay", "text": "Payez.", "trap": True, "explanation": "Non."}],
    }
    message.update(changes)
    return message


@pytest.mark.parametrize(
    ("message", "error"),
    [
        (
            _message(body=[{"id": "hi", "text": "Salut."}]),
            "the message has no trap",
        ),
        (
            _message(body=[{"id": "pay", "text": "Payez.", "trap": True}]),
            "trap 'pay' has no explanation",
        ),
        (
            _message(body=[{"id": "hi", "text": "Salut.", "explanation": "Rien."}]),
            "has an explanation but is not a trap",
        ),
        (
            _message(body=[{"id": "from", "text": "Payez.", "trap": True, "explanation": "N."}]),
            "two segments have the same id: from",
        ),
        (
            _message(sender={"id": "from", "text": "X", "trap": True, "explanation": "N."}),
            "every segment is a trap",
        ),
        (_message(subject={"id": "s", "text": "Objet"}), "an SMS has no subject"),
        (_message(kind="fax"), "Input should be 'mail', 'sms' or 'web'"),
        (_message(body=[]), "at least 1 item"),
    ],
)
def test_spot_schema_errors(message: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        spot_step(message=message)


def test_spot_web_page_has_an_address_and_a_title() -> None:
    step = spot_step(
        message=_message(kind="web", subject={"id": "title", "text": "Connexion"}),
    )
    assert [s.id for s in step.message.segments] == ["from", "title", "pay"]


def test_spot_texts_leave_the_simulated_message_out() -> None:
    texts = spot_step().texts()
    assert "L'urgence est un piège." in texts
    assert "Un bonjour est normal." in texts
    assert "Donnez votre code." not in texts


# ---- the examples of docs/content.md -----------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "content.md"
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def _doc_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    for block in YAML_BLOCK.findall(DOCS.read_text(encoding="utf-8")):
        data = yaml.safe_load(block)
        if isinstance(data, list):
            steps.extend(data)
    return steps


def test_docs_show_an_example_of_every_step_type() -> None:
    assert sorted({s["type"] for s in _doc_steps()}) == sorted(STEP_TYPES)


@pytest.mark.parametrize("example", _doc_steps(), ids=lambda s: f"{s['type']}-{s['id']}")
def test_docs_step_examples_are_valid_and_easy_to_read(example: dict[str, Any]) -> None:
    step = STEP_TYPES[example["type"]].model_validate(example)
    assert (ROOT / "static" / "pictograms" / f"{step.pictogram}.svg").is_file()
    style = load_style(ROOT / "content")
    assert [p for text in step.texts() for p in check_text(text, style)] == []


def test_docs_module_example_is_valid() -> None:
    block = next(b for b in YAML_BLOCK.findall(DOCS.read_text(encoding="utf-8")) if "id: " in b)
    ModuleMeta.model_validate(yaml.safe_load(block))
