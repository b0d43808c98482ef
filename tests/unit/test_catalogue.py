"""The content format: shipped modules load; each kind of broken file fails precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from companion import ROOT, create_app
from companion.catalogue import ContentError, load_catalogue
from companion.catalogue.markdown import render_markdown
from companion.catalogue.readability import check_text, load_style
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
    "style-malformed-yaml": ["_style/plain-language.yaml: not valid YAML (line 4)"],
    "style-wrong-field": [
        "_style/plain-language.yaml (line 4): field 'max_explanation_words': "
        "Input should be a valid integer"
    ],
    "order-duplicate-item": [
        "steps.yaml: step 'steps-in-order' (n°1): field '(top)': "
        "Value error, two items have the same id: open"
    ],
    "spot-no-trap": [
        "steps.yaml: step 'harmless-sms' (n°1): field '(top)': Value error, the message has no trap"
    ],
    "spot-unexplained-trap": [
        "steps.yaml: step 'fine-sms' (n°1): field 'message.body.1': "
        "Value error, trap 'fine' has no explanation"
    ],
    # A taught example that the password lab measures otherwise (in French, in a
    # translation), and an example the step does not show.
    "password-example-verdict": [
        "steps.yaml: step 'rule': password_examples[1] «Jardin#Bleu7»: the text calls it "
        "strong, but the password lab measures 38 bits (target 80): weak",
        "steps.yaml: step 'pick': password_examples[3] «Azerty123»: not found in the step's text",
    ],
    "password-example-translation": [
        "steps.en.yaml: step 'pick': password_examples[2] «k8$Lp.2mQ!x»: the text calls it "
        "strong, but the password lab measures 73 bits (target 80): weak",
    ],
    # The glossary: a definition that breaks the easy-to-read rules, a picture that does not
    # exist, and a hard word a step uses with no entry.
    "glossary-broken": [
        "_glossary/glossary.yaml: entry 'prescripteur': sentence of 24 words",
        "_glossary/glossary.yaml: entry 'prescripteur': jargon «via»: say «par»",
        "_glossary/glossary.yaml: entry 'prescripteur': pictogram 'unicorn-rainbow' not found",
        "demo/steps.yaml: step 'intro': the hard word «RIB» has no entry in",
    ],
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
    assert module.steps[0].type_name == "confidence"
    assert module.steps[-1].type_name == "confidence"


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


STYLE = load_style(ROOT / "content")


def test_shipped_content_has_no_readability_warning() -> None:
    _modules, report = load_catalogue(ROOT / "content", PICTOGRAMS)
    assert report.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Vous devez toujours vérifier que le site est le bon avant de taper "
            "votre mot de passe dans le formulaire.",
            "sentence of 20 words (at most 15)",
        ),
        ("Prenez un stylo, un carnet, etc. pour noter.", "abbreviation «etc.»"),
        ("L'authentification se fait en deux temps.", "jargon «authentification»"),
        ("Papiers & carte vitale.", "special character «&»"),
    ],
)
def test_readability_problems_are_flagged(text: str, problem: str) -> None:
    assert any(problem in p for p in check_text(text, STYLE)), check_text(text, STYLE)


def test_plain_sentences_pass() -> None:
    text = "Votre mot de passe protège vos comptes. Gardez-le pour vous.\n\n- Un mot.\n- Deux."
    assert check_text(text, STYLE) == []


def test_long_explanation_is_a_warning_not_an_error(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content" / "_style", tmp_path / "_style")
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "module.yaml").write_text(
        (FIXTURES / "missing-field" / "demo" / "module.yaml")
        .read_text(encoding="utf-8")
        .replace("id: demo", "id: long"),
        encoding="utf-8",
    )
    long_text = " ".join(["Un mot simple ici."] * 20)
    (folder / "steps.yaml").write_text(
        "- id: intro\n  type: explain\n  title: Un\n  pictogram: lock\n"
        f"  pictogram_alt: Un cadenas\n  text: {long_text}\n",
        encoding="utf-8",
    )
    modules, report = load_catalogue(tmp_path, PICTOGRAMS)
    assert report.ok
    assert "long" in modules
    assert any("longer than one phone screen" in w for w in report.warnings)
