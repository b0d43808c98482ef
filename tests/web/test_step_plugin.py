"""A step type registered from outside the package plays through every place that shows
steps: the player, the offline list, an overlay, the follow-up and the statistics.

The toy type lives in tests/fixtures/toy_step/ (class and template) and its module in
tests/fixtures/toy_content/; nothing in companion/ names it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from companion.catalogue import load_content, steps
from companion.catalogue.steps import STEP_TYPES, register_step_type
from companion.extensions import db
from tests.conftest import AMINA_LINK, Auth, make_app, page
from tests.fixtures.toy_step import TrueFalseStep
from tests.helpers import form_fields, step_url
from tests.web.staff_helpers import learner_id

ROOT = Path(__file__).resolve().parents[2]
TOY_CONTENT = ROOT / "tests" / "fixtures" / "toy_content"
PICTOGRAMS = ROOT / "static" / "pictograms"
MODULE = "vrai-ou-faux"
STEP = "short-password"


@pytest.fixture
def toy_type() -> Iterator[type[TrueFalseStep]]:
    """The toy type, known for this test only (the others check every shipped type)."""
    register_step_type(TrueFalseStep)
    yield TrueFalseStep
    STEP_TYPES.pop("true_false")


@pytest.fixture
def app(toy_type: type[TrueFalseStep], db_path: Path) -> Iterator[Flask]:
    app = make_app(db_path, CONTENT_DIR=str(TOY_CONTENT))
    yield app
    with app.app_context():
        db.engine.dispose()


def answer(client: FlaskClient, step_id: str, fields: dict[str, str]) -> str:
    url = step_url(MODULE, step_id)
    shown = client.get(url)
    assert shown.status_code == 200
    response = client.post(
        url, data={**form_fields(shown.get_data(as_text=True)), **fields}, follow_redirects=True
    )
    assert response.status_code == 200
    return page(response)


def play_wrong_three_times(client: FlaskClient, auth: Auth) -> list[str]:
    """Amina answers the start question, then the toy step wrong until the answer shows."""
    auth.learner_link(AMINA_LINK, "2580")
    answer(client, "confidence-start", {"confidence": "some"})
    return [answer(client, STEP, {"choice": "true"}) for _ in range(3)]


def test_the_player_shows_and_checks_a_plug_in_step(client: FlaskClient, auth: Auth) -> None:
    first, second, third = play_wrong_three_times(client, auth)
    assert "Un mot de passe de 4 lettres est solide." in first  # its own template
    assert "Un indice : Plus un mot de passe est long" in first  # PracticeStep's feedback
    assert "Essai 1 sur 3" in first
    assert "Essai 2 sur 3" in second
    assert "Voici la bonne réponse" in third
    assert "Un mot de passe de 4 lettres se devine très vite." in third
    assert 'id="next-step"' in third
    # The step's form carries what the device needs to check it with no network.
    assert 'data-offline-check="choose" data-correct="false"' in first
    assert 'data-max-tries="3"' in first
    # An empty answer is asked again; a tampered one is refused, as for shipped types.
    url = step_url(MODULE, STEP)
    fields = form_fields(client.get(url).get_data(as_text=True))
    empty = client.post(url, data=fields)
    assert empty.status_code == 422
    assert "Choisissez ou tapez une réponse" in page(empty)
    assert client.post(url, data={**fields, "choice": "maybe"}).status_code == 400


def test_a_right_answer_passes_and_the_module_ends(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    answer(client, "confidence-start", {"confidence": "not_yet"})
    html = answer(client, STEP, {"choice": "false"})
    assert "Bravo, c'est juste !" in html
    html = answer(client, "confidence-end", {"confidence": "yes"})
    assert "Bravo, vous avez fini le module !" in html
    assert "Sans aide, vous avez réussi 1 exercice sur 1." in html  # a practice step, passed
    auth.signout_learner()
    auth.staff("direction@atelier.example")
    html = page(client.get("/staff/structure/stats"))
    # Started, finished, more confident at the end: the statistics count the whole module.
    row = re.search(r'<th scope="row">Vrai ou faux</th>(.*?)</tr>', html)
    assert row is not None
    # Columns: started, finished, completion, hours, confidence gained.
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert (cells[0], cells[1], cells[-1]) == ("1", "1", "1 sur 1"), cells
    assert cells[2].replace("\u202f", " ").replace("\xa0", " ") == "100 %", cells


def test_the_offline_list_keeps_a_plug_in_step(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    data = client.get(f"/learn/modules/{MODULE}/offline.json").get_json()
    assert step_url(MODULE, STEP) in data["pages"]
    assert any(a.startswith("/static/pictograms/key.svg") for a in data["assets"])
    document = "/learn/steps/true_false/answers.json"
    assert document in data["assets"]  # its documents()
    assert client.get(document).get_json() == {"answers": ["true", "false"]}
    assert client.get("/learn/steps/true_false/nope.json").status_code == 404


def test_an_overlay_translates_a_plug_in_step(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    answer(client, "confidence-start", {"confidence": "some"})
    html = page(client.get(step_url(MODULE, STEP) + "?lang=en"))
    assert "A 4-letter password is strong." in html


def test_an_overlay_may_not_change_a_plug_in_steps_data(
    toy_type: type[TrueFalseStep], tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(TOY_CONTENT, content)
    (content / MODULE / "steps.en.yaml").write_text(
        f"{STEP}:\n  truth: true\n  statement: A 4-letter password is strong.\n",
        encoding="utf-8",
    )
    report = load_content(content, PICTOGRAMS).report
    assert any(f"{STEP}.truth: this field is not text" in e for e in report.errors), report


def test_the_follow_up_and_the_statistics_read_a_plug_in_step(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    play_wrong_three_times(client, auth)
    auth.signout_learner()
    auth.staff("cip@atelier.example")
    html = page(client.get(f"/staff/learners/{learner_id(app, 'Amina')}"))
    assert "Un mot de passe court (3 essais, réponse montrée)" in html
    client.delete_cookie("session")
    auth.staff("direction@atelier.example")
    html = page(client.get("/staff/structure/stats"))
    assert "Un mot de passe court (Vrai ou faux) : 3.0 essais en moyenne" in html
    assert "réponse montrée 1 fois" in html


def test_an_entry_point_registers_a_step_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """What an installed plug-in declares in its pyproject.toml:
    [project.entry-points."companion.step_types"] true_false = "tests.fixtures.toy_step"
    """
    entry = EntryPoint(
        name="true_false", value="tests.fixtures.toy_step", group=steps.ENTRY_POINT_GROUP
    )
    monkeypatch.setattr(steps, "entry_points", lambda group: [entry] * (group == entry.group))
    monkeypatch.setattr(steps, "STEP_TYPES", {})
    steps._discover()
    assert steps.STEP_TYPES["true_false"] is TrueFalseStep
    assert steps.STEP_TYPES["choose"] is steps.ChooseStep


def test_a_second_type_under_a_taken_name_is_refused(toy_type: type[TrueFalseStep]) -> None:
    class Impostor(TrueFalseStep):
        pass

    with pytest.raises(RuntimeError, match="two step types are named 'true_false'"):
        register_step_type(Impostor)
    register_step_type(TrueFalseStep)  # the same class again: nothing happens
