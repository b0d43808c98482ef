"""The order and spot step types through the server, on a small fixture module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.catalogue import Module
from companion.catalogue.steps.order import OrderStep
from companion.catalogue.steps.spot import SpotStep
from companion.extensions import db
from companion.models import Learner, Progress, ProgressEvent
from tests.conftest import AMINA_LINK, Auth, make_app, page
from tests.helpers import form_fields, right_answer, step_url, submit, wrong_answer

FIXTURE_MODULES = Path(__file__).resolve().parents[1] / "fixtures" / "modules"
MODULE = "pieges-demo"


@pytest.fixture
def app(db_path: Path) -> Iterator[Flask]:
    app = make_app(db_path, CONTENT_DIR=str(FIXTURE_MODULES))
    yield app
    with app.app_context():
        db.engine.dispose()


def the_module(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][MODULE]
    return module


def order_step(app: Flask) -> OrderStep:
    step = next(s for s in the_module(app).steps if isinstance(s, OrderStep))
    return step


def spot_step(app: Flask, kind: str) -> SpotStep:
    return next(
        s for s in the_module(app).steps if isinstance(s, SpotStep) and s.message.kind == kind
    )


def reach(app: Flask, client: FlaskClient, auth: Auth, step_id: str) -> str:
    """Sign Amina in and answer every step before step_id right; return the step's URL."""
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    for earlier in module.steps[: module.index(step_id)]:
        response = submit(client, step_url(MODULE, earlier.id), right_answer(earlier))
        assert response.status_code in (200, 302)
    return step_url(MODULE, step_id)


def text_of(html: str) -> str:
    """The page's text without tags, spaces collapsed: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def shown_order(html: str) -> list[str]:
    return re.findall(r'name="order" value="([^"]+)"', html)


def rows_for(app: Flask, step_id: str) -> tuple[Progress | None, int]:
    with app.app_context():
        amina = db.session.scalar(select(Learner.id).where(Learner.first_name == "Amina"))
        row = db.session.scalar(
            select(Progress).where(Progress.learner_id == amina, Progress.step_id == step_id)
        )
        events = db.session.scalars(
            select(ProgressEvent).where(
                ProgressEvent.learner_id == amina, ProgressEvent.step_id == step_id
            )
        ).all()
        if row is not None:
            db.session.expunge(row)
        return row, len(events)


def post(client: FlaskClient, url: str, fields: dict[str, Any]) -> Any:
    return client.post(url, data={**form_fields(client.get(url).text), **fields})


# ---- order -------------------------------------------------------------------------------


def test_order_starts_mixed_with_move_buttons(app: Flask, client: FlaskClient, auth: Auth) -> None:
    step = order_step(app)
    html = page(client.get(reach(app, client, auth, step.id)))
    assert shown_order(html) == list(step.start_order)
    assert shown_order(html) != list(step.right_order)
    assert html.count('name="move" value="up:') == len(step.items)
    assert html.count('name="move" value="down:') == len(step.items)
    assert "js/steps/order.js" in html


def test_a_move_without_javascript_reorders_and_records_nothing(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    step = order_step(app)
    url = reach(app, client, auth, step.id)
    start = list(step.start_order)
    moved = start[2]
    response = post(client, url, {"order": start, "move": f"up:{moved}"})
    assert response.status_code == 200
    html = page(response)
    expected = [*start[:1], moved, start[1], *start[3:]]
    assert shown_order(html) == expected
    # Focus stays on the moved item's button; the learner hears where it went.
    assert re.search(rf'value="up:{moved}"[^>]*autofocus', html)
    text = step.items_in([moved])[0].text
    assert f"« {text} » est à la place 2 sur {len(start)}." in html
    # Moving the first item up changes nothing; the list of the form is what moves.
    again = page(post(client, url, {"order": expected, "move": f"up:{expected[0]}"}))
    assert shown_order(again) == expected
    down = page(post(client, url, {"order": expected, "move": f"down:{expected[0]}"}))
    assert shown_order(down)[:2] == [expected[1], expected[0]]
    assert rows_for(app, step.id) == (None, 0)


@pytest.mark.parametrize(
    "tamper",
    [
        {"move": "up:no-such-item"},
        {"move": "sideways:{first}"},
        {"order": ["{first}", "{first}", "{first}", "{first}"]},
        {"order": ["{first}"]},
        {"order": ["a", "b", "c", "d"]},
        {"order": ["{first}", "{first}", "{first}", "{first}"], "move": "up:{first}"},
    ],
)
def test_tampered_order_posts_get_400_and_change_nothing(
    app: Flask, client: FlaskClient, auth: Auth, tamper: dict[str, Any]
) -> None:
    step = order_step(app)
    url = reach(app, client, auth, step.id)
    first = step.start_order[0]
    fields: dict[str, Any] = {"order": list(step.start_order)}
    for key, value in tamper.items():
        if isinstance(value, list):
            fields[key] = [v.format(first=first) for v in value]
        else:
            fields[key] = value.format(first=first)
    assert post(client, url, fields).status_code == 400
    assert rows_for(app, step.id) == (None, 0)


def test_order_right_answer_passes(app: Flask, client: FlaskClient, auth: Auth) -> None:
    step = order_step(app)
    url = reach(app, client, auth, step.id)
    html = page(submit(client, url, right_answer(step)))
    assert "Bravo, c'est juste !" in html
    assert step.explanation in html
    assert 'name="move"' not in html
    assert "Étape suivante" in html
    row, events = rows_for(app, step.id)
    assert row is not None
    assert (row.status, row.tries, events) == ("passed", 1, 1)


def test_order_wrong_answer_marks_each_misplaced_item(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    step = order_step(app)
    url = reach(app, client, auth, step.id)
    right = list(step.right_order)
    # Swap the last two: the first two stay well placed.
    answer = [*right[:2], right[3], right[2]]
    html = page(submit(client, url, {"order": answer}))
    assert "Pas tout à fait." in html
    assert step.hint in html
    assert shown_order(html) == answer  # the learner goes on from their own order
    assert html.count("✘ Pas à sa place.") == 2
    assert html.count("✔ Bien placée.") == 2
    open_link = step.items_in(["open-link"])[0]
    assert open_link.feedback
    assert open_link.feedback in html
    assert "Étape suivante" not in html
    row, _events = rows_for(app, step.id)
    assert row is not None
    assert (row.status, row.tries) == (None, 1)


def test_order_three_wrong_tries_show_the_right_order(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    step = order_step(app)
    url = reach(app, client, auth, step.id)
    for _ in range(2):
        submit(client, url, wrong_answer(step))
    html = page(submit(client, url, wrong_answer(step)))
    assert "Voici la bonne réponse" in html
    assert shown_order(html) == list(step.right_order)
    assert 'name="move"' not in html
    row, _events = rows_for(app, step.id)
    assert row is not None
    assert (row.status, row.tries) == ("helped", 3)


# ---- spot --------------------------------------------------------------------------------


def test_spot_shows_a_labelled_simulation(app: Flask, client: FlaskClient, auth: Auth) -> None:
    step = spot_step(app, "mail")
    html = page(client.get(reach(app, client, auth, step.id)))
    assert "Simulation : ce message est faux." in html
    assert "Mail reçu" in html
    assert "Objet :" in html
    for segment in step.message.segments:
        assert f'name="part" value="{segment.id}"' in html
        assert segment.text in html
        assert segment.explanation is None or segment.explanation not in html


def test_spot_right_answer_names_every_trap(app: Flask, client: FlaskClient, auth: Auth) -> None:
    step = spot_step(app, "sms")
    url = reach(app, client, auth, step.id)
    html = text_of(page(submit(client, url, right_answer(step))))
    assert "Bravo, c'est juste !" in html
    for trap in step.traps:
        assert f"✔ Piège trouvé : « {trap.text} » {trap.explanation}" in html
    row, _events = rows_for(app, step.id)
    assert row is not None
    assert row.status == "passed"


def test_spot_wrong_answer_names_found_traps_and_counts_the_rest(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    step = spot_step(app, "sms")
    url = reach(app, client, auth, step.id)
    found, *missed = step.traps
    raw = page(submit(client, url, {"part": [found.id, "hello"]}))
    html = text_of(raw)
    assert "Pas tout à fait." in html
    assert f"✔ Piège trouvé : « {found.text} » {found.explanation}" in html
    assert "Cette partie est normale : « Bonjour, » Un bonjour est normal" in html
    assert f"Il reste {len(missed)} pièges à trouver." in html
    for trap in missed:  # not given away before the third try
        assert trap.explanation is not None
        assert trap.explanation not in html
    assert re.search(rf'value="{found.id}" checked', raw)  # the ticks stay


def test_spot_third_wrong_try_names_missed_traps(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    step = spot_step(app, "mail")
    url = reach(app, client, auth, step.id)
    for _ in range(2):
        submit(client, url, wrong_answer(step))
    html = text_of(page(submit(client, url, wrong_answer(step))))
    assert "Voici la bonne réponse" in html
    for trap in step.traps:
        assert f"⚠ Piège à voir : « {trap.text} » {trap.explanation}" in html
    row, _events = rows_for(app, step.id)
    assert row is not None
    assert (row.status, row.tries) == ("helped", 3)


def test_spot_empty_answer_is_asked_again(app: Flask, client: FlaskClient, auth: Auth) -> None:
    step = spot_step(app, "sms")
    url = reach(app, client, auth, step.id)
    response = submit(client, url, {})
    assert response.status_code == 422
    assert "Choisissez ou tapez une réponse" in page(response)
    assert rows_for(app, step.id) == (None, 0)


@pytest.mark.parametrize("parts", [["no-such-part"], ["hello", "hello"], ["expires", "subject"]])
def test_tampered_spot_posts_get_400_and_change_nothing(
    app: Flask, client: FlaskClient, auth: Auth, parts: list[str]
) -> None:
    step = spot_step(app, "sms")
    url = reach(app, client, auth, step.id)
    assert post(client, url, {"part": parts}).status_code == 400
    assert rows_for(app, step.id) == (None, 0)


def test_the_fixture_module_can_be_finished(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    for step in the_module(app).steps:
        submit(client, step_url(MODULE, step.id), right_answer(step))
    done = client.get(f"/learn/modules/{MODULE}/")
    assert done.headers["Location"] == f"/learn/modules/{MODULE}/done"
