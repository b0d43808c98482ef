"""The module "Prendre en main l'écran" through the server, as a learner without JavaScript:
every new step type (tap_targets, drag_to_place, type_text, gesture) is completed by posts."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from companion.catalogue import Module
from companion.catalogue.steps import StepBase
from companion.catalogue.steps.drag_to_place import DragToPlaceStep
from companion.catalogue.steps.tap_targets import TapTargetsStep
from companion.catalogue.steps.type_text import TypeTextStep
from tests.conftest import AMINA_LINK, Auth, page
from tests.helpers import form_fields, right_answer, step_url, submit, wrong_answer

MODULE = "prendre-en-main-ecran"


def module_of(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][MODULE]
    return module


def reach(client: FlaskClient, module: Module, step_id: str) -> StepBase:
    """Answer every step before step_id right, so that step can be opened."""
    for step in module.steps:
        if step.id == step_id:
            return step
        response = submit(client, step_url(module.id, step.id), right_answer(step))
        assert response.status_code in (200, 302), (step.id, response.status_code)
    raise AssertionError(f"no step {step_id}")


def post(client: FlaskClient, url: str, data: dict[str, str]) -> str:
    before = client.get(url)
    assert before.status_code == 200
    response = client.post(url, data={**form_fields(page(before)), **data})
    assert response.status_code == 200, response.status_code
    return page(response)


def test_the_module_comes_first_and_uses_every_new_step_type(app: Flask) -> None:
    catalogue = app.extensions["companion.catalogue"]
    module = module_of(app)
    assert module.meta.order < min(m.meta.order for m in catalogue.values() if m is not module)
    assert module.meta.level == 1
    types = {s.type_name for s in module.steps}
    assert {"tap_targets", "drag_to_place", "type_text", "gesture"} <= types
    gestures = {getattr(s, "gesture", None) for s in module.steps}
    assert {"scroll", "swipe", "zoom", "long_press", "double_click"} <= gestures


def test_learner_completes_the_module_without_javascript(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app)
    for step in module.steps:
        if isinstance(step, TapTargetsStep):
            url = step_url(MODULE, step.id)
            # Each press but the last only shows the next, smaller round.
            for n in range(step.last_round):
                shown = post(client, url, {"hit": str(n)})
                assert f'data-round="{n + 1}"' in shown
                assert f"tap-target--s{step.sizes[n + 1]}" in shown
                assert "Bravo" not in shown
        response = submit(client, step_url(MODULE, step.id), right_answer(step))
        if step.is_practice:
            assert "Bravo, c'est juste !" in page(response), step.id
    done = client.get(f"/learn/modules/{MODULE}/")
    assert done.headers["Location"] == f"/learn/modules/{MODULE}/done"
    # The review of the finished module gives the right answers in words.
    review = html.unescape(page(client.get(f"/learn/modules/{MODULE}/review")))
    assert "La facture → Dossier Papiers" in review
    assert "Hélène" in review
    assert "amina.diallo@exemple.fr" in review


def test_a_tap_round_is_a_real_button_and_skipping_is_refused(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app)
    step = reach(client, module, "tap-phone")
    url = step_url(MODULE, step.id)
    first = page(client.get(url))
    assert re.search(r'<button type="submit" name="hit" value="0" class="tap-target', first)
    assert "Rond 1 sur 5" in first
    # A round that does not exist is not an answer.
    fields = form_fields(first)
    assert client.post(url, data={**fields, "hit": "9"}).status_code == 400
    assert client.post(url, data={**fields, "hit": "x"}).status_code == 400


def test_drag_without_javascript_says_so_and_the_lists_complete_the_step(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app)
    step = reach(client, module, "drag-photo")
    assert isinstance(step, DragToPlaceStep)
    url = step_url(MODULE, step.id)
    shown = html.unescape(page(client.get(url)))
    assert "cette page a besoin de son script" in shown
    assert "Sans glisser : choisissez la place dans la liste" in shown
    assert shown.count("<select") == len(step.items)
    wrong = post(client, url, wrong_answer(step))
    assert "Pas tout à fait." in wrong
    assert "Une facture est un papier" in html.unescape(wrong)
    # Only one item placed, the other left empty: still an answer, the empty one is wrong.
    half = {f"place-{step.items[0].id}": step.items[0].place, f"place-{step.items[1].id}": ""}
    assert "Pas tout à fait." in post(client, url, half)
    right = post(client, url, right_answer(step))
    assert "Bravo, c'est juste !" in right


def test_drag_with_nothing_placed_is_asked_again_and_tampering_refused(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, client.application.extensions["companion.catalogue"][MODULE], "drag-photo")
    assert isinstance(step, DragToPlaceStep)
    url = step_url(MODULE, step.id)
    fields = form_fields(page(client.get(url)))
    empty = client.post(url, data={**fields, **{f"place-{i.id}": "" for i in step.items}})
    assert empty.status_code == 422
    bad = {**fields, **right_answer(step), f"place-{step.items[0].id}": "nowhere"}
    assert client.post(url, data=bad).status_code == 400


def test_typed_text_says_precisely_what_differs(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app)
    step = reach(client, module, "type-name")
    assert isinstance(step, TypeTextStep)
    url = step_url(MODULE, step.id)
    answer = html.unescape(post(client, url, {"answer": "helene"}))
    assert "Regardez les accents. Il faut : é è." in answer
    assert "Il faut une majuscule : H." in answer
    assert "Essai 1 sur 3" in answer
    right = post(client, url, {"answer": "  Hélène "})
    assert "Bravo, c'est juste !" in right


def test_the_erase_step_starts_with_a_mistake_to_fix(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app)
    step = reach(client, module, "fix-date")
    assert isinstance(step, TypeTextStep)
    url = step_url(MODULE, step.id)
    assert f'value="{step.start}"' in html.unescape(page(client.get(url)))
    kept = html.unescape(post(client, url, {"answer": step.start}))
    assert "Regardez les chiffres. Il faut : 12 14." in kept
    assert "Regardez les accents. Il faut : à." in kept


def test_a_gesture_step_says_it_needs_the_script_and_goes_on(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app)
    step = reach(client, module, "zoom-phone")
    url = step_url(MODULE, step.id)
    shown = html.unescape(page(client.get(url)))
    assert "Sans son script, cette page ne voit pas votre geste." in shown
    assert "Je continue" in shown
    response = submit(client, url, {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(step_url(MODULE, "long-press-phone"))
