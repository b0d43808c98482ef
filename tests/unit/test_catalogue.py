"""The content format: shipped modules load; each kind of broken file fails precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from companion import ROOT, create_app
from companion.catalogue import ContentError, load_catalogue
from companion.catalogue.markdown import render_markdown
from companion.catalogue.steps.type_answer import normalise

FIXTURES = Path(__file__).parent.parent / "fixtures" / "content"
PICTOGRAMS = ROOT / "static" / "pictograms"

BROKEN = {
    "malformed-yaml": ["steps.yaml: not valid YAML (line 4)"],
    "unknown-type": ["steps.yaml: step 'a' (n°1): unknown step type 'dance'"],
    "duplicate-id": ["steps.yaml: step 'a' (n°2): duplicate step id 'a'"],
    "missing-field": ["steps.yaml: step 'intro' (n°1): field 'text': Field required"],
    "unknown-pictogram": ["steps.yaml: step 'intro': pictogram 'unicorn-rainbow' not found"],
    "folder-mismatch": ["module.yaml: id 'demo' must match its folder 'other'"],
    "no-correct-option": ["step 'pick' (n°1): field '(top)': Value error, no option is marked"],
    "missing-steps-file": ["steps.yaml: file is missing"],
    "bad-metadata": [
        "module.yaml: field 'version': Input should be greater than or equal to 1",
        "module.yaml: field 'level': Input should be 1, 2 or 3",
        "module.yaml: field 'competences.digcomp': List should have at least 1 item",
    ],
}


def test_shipped_content_is_valid() -> None:
    modules, report = load_catalogue(ROOT / "content", PICTOGRAMS)
    assert report.errors == []
    assert "mots-de-passe" in modules
    module = modules["mots-de-passe"]
    assert len(module.steps) >= 5
    assert module.steps[0].type == "confidence"  # type: ignore[attr-defined]
    assert module.steps[-1].type == "confidence"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fixture", "expected"), sorted(BROKEN.items()))
def test_each_broken_fixture_fails_precisely(fixture: str, expected: list[str]) -> None:
    _modules, report = load_catalogue(FIXTURES / fixture, PICTOGRAMS)
    assert not report.ok
    joined = "\n".join(report.errors)
    for words in expected:
        assert words in joined, joined
    assert all(str(FIXTURES / fixture) in e for e in report.errors)


def test_every_kind_of_error_has_a_fixture() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(BROKEN)


@pytest.mark.parametrize("fixture", sorted(BROKEN))
def test_content_check_command_exits_non_zero(runner: FlaskCliRunner, fixture: str) -> None:
    result = runner.invoke(args=["content", "check", str(FIXTURES / fixture)])
    assert result.exit_code == 1
    assert "error:" in result.output


def test_content_check_passes_on_shipped_content(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_app_refuses_to_start_on_invalid_content(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="unknown step type 'dance'"):
        create_app(
            {
                "CONTENT_DIR": str(FIXTURES / "unknown-type"),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            }
        )


def test_markdown_is_sanitised() -> None:
    html = str(render_markdown("**Gras** <script>alert(1)</script> [lien](javascript:x)"))
    assert "<strong>Gras</strong>" in html
    assert "<script" not in html
    assert "href" not in html  # the unsafe link stays inert text
    assert "<a" not in html


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("  DOUZE ", "douze"), ("Étoile", "etoile"), ("mot  de   passe", "mot de passe")],
)
def test_typed_answers_are_normalised(typed: str, accepted: str) -> None:
    assert normalise(typed) == normalise(accepted)
