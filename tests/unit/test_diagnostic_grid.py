"""The structure's diagnostic as content: the shipped grid and actions load and are valid in
every language; each kind of broken file fails with a precise message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskCliRunner

from companion import ROOT
from companion.catalogue.diagnostic import (
    SCALE_VALUES,
    DiagnosticAction,
    DiagnosticAxis,
    DiagnosticQuestion,
    ScaleLabels,
    grid_problems,
    load_grid,
    read_grid,
    score,
    untranslated,
)
from companion.i18n_check import check_translations

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


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_overlays_translate_every_text(lang: str) -> None:
    french, translated = load_grid("fr"), load_grid(lang)
    assert untranslated(lang) == []
    assert translated.title != french.title
    assert translated.scale.unknown != french.scale.unknown
    for axis_fr, axis in zip(french.axes, translated.axes, strict=True):
        assert axis.id == axis_fr.id
        assert axis.source == axis_fr.source  # the study is cited in French
        assert axis.title != axis_fr.title
        for q_fr, q in zip(axis_fr.questions, axis.questions, strict=True):
            assert (q.id, q.polarity, q.actions) == (q_fr.id, q_fr.polarity, q_fr.actions)
            assert q.text != q_fr.text, q.id
            assert q.why != q_fr.why, q.id
    for a_fr, a in zip(french.actions, translated.actions, strict=True):
        data = (a.id, a.axis, a.module, a.indicator)
        assert data == (a_fr.id, a_fr.axis, a_fr.module, a_fr.indicator)
        assert a.title != a_fr.title, a.id
        assert a.description != a_fr.description, a.id


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


def _translations_check(translations: Path, content: Path) -> list[str]:
    errors, _warnings = check_translations(
        translations, translations / "messages.pot", content, ROOT / "static" / "pictograms"
    )
    return [e for e in errors if "content/diagnostic" in e]


def test_translations_check_wants_the_whole_grid_in_english(tmp_path: Path) -> None:
    translations, content = tmp_path / "translations", tmp_path / "content"
    shutil.copytree(ROOT / "translations", translations)
    shutil.copytree(ROOT / "content", content)
    assert _translations_check(translations, content) == []
    overlay = content / "diagnostic" / "grid.en.yaml"
    text = overlay.read_text(encoding="utf-8")
    removed = "        why: A photo sometimes saves a trip.\n"
    assert removed in text
    overlay.write_text(text.replace(removed, ""), encoding="utf-8")
    (content / "diagnostic" / "actions.ar.yaml").unlink()
    (content / "diagnostic" / "grid.ar.yaml").unlink()
    # English translates the staff pages: its grid must be complete. Arabic translates the
    # learner pages only: without overlays, its staff read the diagnostic in French.
    assert _translations_check(translations, content) == [
        "content/diagnostic (grid.en.yaml, actions.en.yaml): 'en' text missing: "
        "grid.axes.encadrement.questions.photo-a-distance.why"
    ]


DOC = (ROOT / "docs" / "diagnostic.md").read_text(encoding="utf-8")


def test_docs_examples_are_the_real_grid() -> None:
    grid_example, actions_example, overlay_example = (
        yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", DOC, re.S)
    )
    real, english = load_grid(), load_grid("en")
    assert ScaleLabels.model_validate(grid_example["scale"]) == real.scale
    axis = DiagnosticAxis.model_validate(grid_example["axes"][0])
    assert real.axis(axis.id).title == axis.title
    assert real.question(axis.questions[0].id) == axis.questions[0]
    action = DiagnosticAction.model_validate(actions_example["actions"][0])
    assert real.action(action.id).model_dump(exclude={"description"}) == action.model_dump(
        exclude={"description"}
    )
    question = overlay_example["axes"]["moyens"]["questions"]["temps-perdu-acces"]
    assert english.question("temps-perdu-acces").text == question["text"]
    assert english.question("temps-perdu-acces").why == question["why"]
    assert english.scale.resource == tuple(overlay_example["scale"]["resource"])
    assert (
        english.action("borne-partagee").title
        == overlay_example["actions"]["borne-partagee"]["title"]
    )


def test_docs_cite_every_axis_and_name_real_tests() -> None:
    for axis in load_grid().axes:
        assert f"(`{axis.id}`)" in DOC, axis.id
    named = re.findall(r"`tests/unit/test_diagnostic_grid\.py::(test_\w+)`", DOC)
    assert named
    assert all(name in globals() for name in named), named


def test_content_check_of_a_folder_of_modules_alone(runner: FlaskCliRunner) -> None:
    """An author checks a folder of modules with no diagnostic: only the modules are checked."""
    folder = ROOT / "tests" / "fixtures" / "modules"
    result = runner.invoke(args=["content", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert "diagnostic" not in result.output


def test_a_why_hard_to_read_is_warned(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "unknown-module", tmp_path, dirs_exist_ok=True)
    shutil.copytree(ROOT / "content" / "_style", tmp_path / "_style")  # the modules' rules
    actions = tmp_path / "diagnostic" / "actions.yaml"
    actions.write_text(
        actions.read_text(encoding="utf-8").replace("    module: no-such-module\n", ""),
        encoding="utf-8",
    )
    grid = tmp_path / "diagnostic" / "grid.yaml"
    long_why = (
        "why: Sans ordinateur libre sur place, le salarié attend longtemps "
        "et sa démarche en ligne prend alors beaucoup plus de temps, afin de rien."
    )
    grid.write_text(
        grid.read_text(encoding="utf-8").replace("why: Sans ordinateur, on attend.", long_why),
        encoding="utf-8",
    )
    report = read_grid(tmp_path).report
    assert report.errors == []
    assert any("question 'q1': why: sentence of 23 words" in w for w in report.warnings)
    assert any("question 'q1': why: jargon «afin de»" in w for w in report.warnings)
