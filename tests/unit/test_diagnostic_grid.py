"""The structure's diagnostic as content: the shipped grid and actions load and are valid in
every language; each kind of broken file fails with a precise message."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from companion import ROOT
from companion.catalogue.diagnostic import (
    SCALE_VALUES,
    DiagnosticQuestion,
    grid_problems,
    load_grid,
    read_grid,
    score,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "diagnostic"

BROKEN = {
    "unknown-action": ["diagnostic/grid.yaml: question 'q1': unknown action id 'nope'"],
    "unknown-module": ["diagnostic/actions.yaml: action 'borne': unknown module 'no-such-module'"],
    "duplicate-question": ["diagnostic/grid.yaml: duplicate question id 'q1'"],
    "axis-without-question": ["diagnostic/grid.yaml: axis 'vide' has no question"],
    "overlay-data-field": [
        "diagnostic/grid.en.yaml: axes.moyens.source: this field is not text",
        "diagnostic/grid.en.yaml: axes.moyens.questions.q1.polarity: this field is not text",
        "diagnostic/actions.en.yaml: actions.borne.axis: this field is not text",
    ],
    "missing-source": ["diagnostic/grid.yaml: field 'axes.0.source': Field required"],
    "question-without-action": [
        "diagnostic/grid.yaml: question 'q1' proposes no action for a weak point"
    ],
    "unknown-answer-polarity": [
        "diagnostic/grid.yaml: field 'axes.0.questions.0.polarity': "
        "Input should be 'resource' or 'risk'"
    ],
}

# The axes of the field study (Aract Occitanie, 2017) that the grid must cover.
STUDY_AXES = {
    "projet-insertion",
    "moyens",
    "organisation",
    "competences-permanents",
    "competences-salaries",
    "accompagnement",
    "encadrement",
    "communication",
    "gouvernance",
    "risques",
    "opportunites",
}


def test_shipped_grid_is_valid() -> None:
    load = read_grid(ROOT / "content")
    assert load.report.errors == []
    assert load.report.warnings == []  # the `why` sentences pass the easy-to-read check
    assert grid_problems() == []


def test_grid_covers_every_axis_of_the_study() -> None:
    grid = load_grid()
    assert {a.id for a in grid.axes} == STUDY_AXES
    for axis in grid.axes:
        assert 4 <= len(axis.questions) <= 6, axis.id
        assert "Aract Occitanie" in axis.source, axis.id


def test_the_study_examples_are_questions() -> None:
    grid = load_grid()
    assert grid.axis_of("double-saisie-heures").id == "organisation"
    assert grid.axis_of("photo-a-distance").id == "encadrement"
    assert grid.axis_of("temps-perdu-acces").id == "moyens"
    risks = {q.id for q in grid.axis("risques").questions}
    assert {"charge-travail", "moins-echanges", "ecran-posture", "materiel-inadapte"} <= risks
    assert "manque-budget" in risks
    assert all(q.polarity == "risk" for q in grid.axis("risques").questions)
    assert all(q.polarity == "resource" for q in grid.axis("opportunites").questions)


def test_every_question_leads_to_an_action_of_the_catalogue() -> None:
    grid = load_grid()
    assert 12 <= len(grid.actions) <= 20
    for question in grid.questions():
        assert question.actions, question.id
        assert all(grid.action(a).id == a for a in question.actions)
    used = {a for q in grid.questions() for a in q.actions}
    assert used == {a.id for a in grid.actions}  # no action that no weak point proposes


def test_the_catalogue_holds_the_actions_the_issue_names() -> None:
    grid = load_grid()
    dangers = grid.action("module-dangers-internet")
    assert dangers.module == "dangers-internet"
    assert dangers.indicator == "module_completion"
    assert grid.action("borne-partagee").indicator == "kiosk_use"
    assert grid.action("parcours-numerique").indicator == "confidence_gain"
    for action_id in ("saisie-unique-heures", "photos-chantier", "plateforme-professionnalisation"):
        assert grid.action(action_id).axis in {a.id for a in grid.axes}
    modules = {p.name for p in (ROOT / "content").iterdir() if (p / "module.yaml").is_file()}
    assert {a.module for a in grid.actions if a.module} <= modules


def test_lookups_raise_key_error_on_unknown_ids() -> None:
    grid = load_grid()
    with pytest.raises(KeyError):
        grid.question("nope")
    with pytest.raises(KeyError):
        grid.action("nope")
    with pytest.raises(KeyError):
        grid.axis_of("nope")


def test_score_inverts_risks() -> None:
    resource = DiagnosticQuestion(id="r", text="t", why="w", polarity="resource", actions=("a",))
    risk = DiagnosticQuestion(id="k", text="t", why="w", polarity="risk", actions=("a",))
    assert [score(resource, v) for v in SCALE_VALUES] == [0, 1, 2, 3]
    assert [score(risk, v) for v in SCALE_VALUES] == [3, 2, 1, 0]
    with pytest.raises(ValueError, match="not on the scale"):
        score(resource, 4)


def test_scale_has_four_labels_per_polarity_and_an_unknown() -> None:
    scale = load_grid().scale
    assert scale.unknown == "Je ne sais pas"
    assert len(set(scale.labels("resource"))) == 4
    assert len(set(scale.labels("risk"))) == 4


def test_unknown_language_falls_back_to_french() -> None:
    assert load_grid("xx") == load_grid("fr")


@pytest.mark.parametrize(("fixture", "expected"), sorted(BROKEN.items()))
def test_each_broken_grid_fails_precisely(fixture: str, expected: list[str]) -> None:
    problems = grid_problems(FIXTURES / fixture)
    joined = "\n".join(problems)
    assert problems, fixture
    for words in expected:
        assert words in joined, joined
    assert all(str(FIXTURES / fixture) in p for p in problems)


def test_every_broken_grid_has_its_case() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(BROKEN)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert grid_problems(tmp_path) == [f"{tmp_path / 'diagnostic'}: diagnostic folder not found"]


@pytest.mark.parametrize("fixture", ["unknown-action", "overlay-data-field"])
def test_content_check_command_reports_the_grid(runner: FlaskCliRunner, fixture: str) -> None:
    result = runner.invoke(args=["content", "check", str(FIXTURES / fixture)])
    assert result.exit_code == 1
    assert f"error: {FIXTURES / fixture / 'diagnostic'}" in result.output


def test_content_check_validates_the_shipped_grid(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "diagnostic grid valid" in result.output
