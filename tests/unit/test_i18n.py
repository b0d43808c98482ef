"""Content overlays per language, and the catalogue check that guards every translation."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from companion import ROOT
from companion.catalogue.loader import load_content
from companion.catalogue.steps.choose import ChooseStep
from companion.catalogue.steps.explain import ExplainStep
from companion.i18n_check import check_translations, text_problems

PICTOGRAMS = ROOT / "static" / "pictograms"
MODULE = "mots-de-passe"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped module, to break its translations on purpose."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content" / MODULE, root / MODULE)
    shutil.copytree(ROOT / "content" / "_style", root / "_style")
    shutil.copytree(ROOT / "content" / "_glossary", root / "_glossary")
    return root


def write(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_shipped_translations_are_complete_and_keep_ids() -> None:
    loaded = load_content(ROOT / "content", PICTOGRAMS)
    assert loaded.report.errors == []
    french = loaded.modules[MODULE]
    for lang in ("en", "ar"):
        translation = loaded.translations[lang][MODULE]
        assert translation.missing == []
        module = translation.module
        assert module.step_ids == french.step_ids
        assert module.meta.title != french.meta.title
        for ours, theirs in zip(module.steps, french.steps, strict=True):
            assert ours.type_name == theirs.type_name
            assert ours.pictogram == theirs.pictogram
            if isinstance(ours, ChooseStep):
                assert isinstance(theirs, ChooseStep)
                assert [(o.id, o.correct) for o in ours.options] == [
                    (o.id, o.correct) for o in theirs.options
                ]


def test_a_missing_text_falls_back_to_french_per_string(content: Path) -> None:
    steps = yaml.safe_load((content / MODULE / "steps.en.yaml").read_text(encoding="utf-8"))
    del steps["why"]["example"]
    del steps["strongest"]["options"]["digits"]["feedback"]
    write(content / MODULE / "steps.en.yaml", steps)
    loaded = load_content(content, PICTOGRAMS)
    assert loaded.report.errors == []
    translation = loaded.translations["en"][MODULE]
    assert translation.missing == ["why.example", "strongest.options.digits.feedback"]
    module = translation.module
    why = module.step("why")
    assert why is not None
    assert why.title == "A password protects your accounts"
    french = loaded.modules[MODULE]
    french_why = french.step("why")
    french_strongest = french.step("strongest")
    assert french_why is not None
    assert french_strongest is not None
    assert isinstance(why, ExplainStep)
    assert isinstance(french_why, ExplainStep)
    assert why.example == french_why.example
    strongest = module.step("strongest")
    assert isinstance(strongest, ChooseStep)
    assert isinstance(french_strongest, ChooseStep)
    digits = strongest.options[0]
    assert digits.text == "123456"
    assert digits.feedback == french_strongest.options[0].feedback


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["why"].update(correct=True), "why.correct: no such field"),
        (lambda s: s["strongest"]["options"]["seven-words"].update(correct=False), "is not text"),
        (lambda s: s["strongest"].update(type="explain"), "strongest.type: this field is not"),
        (lambda s: s.update(nowhere={"title": "x"}), "step 'nowhere': no such step"),
        (lambda s: s["strongest"]["options"].update(ghost={"text": "x"}), "ghost: no such id"),
        (lambda s: s["why"].update(title=""), "why.title: must be a non-empty text"),
        (lambda s: s["summary"].update(points="one"), "summary.points: must be a list"),
        (lambda s: s["why"].update(title="x" * 200), "String should have at most 120"),
    ],
)
def test_a_broken_overlay_is_refused_precisely(
    content: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    path = content / MODULE / "steps.ar.yaml"
    steps = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(steps)
    write(path, steps)
    loaded = load_content(content, PICTOGRAMS)
    assert any(message in e and "steps.ar.yaml" in e for e in loaded.report.errors), (
        loaded.report.errors
    )
    assert MODULE not in loaded.translations.get("ar", {})
    assert MODULE in loaded.modules  # French still loads


@pytest.mark.parametrize(
    ("source", "translation", "problem"),
    [
        ("Étape %(n)s sur %(total)s", "Step %(n)s of %(total)s", None),
        ("Étape %(n)s sur %(total)s", "Step %(n)s of %(totl)s", "placeholders"),
        ("Étape %(n)s sur %(total)s", "Step %(n)s", "placeholders"),
        ("Bonjour {first_name}", "Hello {name}", "placeholders"),
        ("Un texte", "A <b>text</b>", "HTML"),
        ("Un <em>mot</em>", "A <em>word</em>", None),
        ("Un <em>mot</em>", "A <strong>word</strong>", "HTML"),
        ("Un texte", "A text<script>", "HTML"),
    ],
)
def test_text_problems(source: str, translation: str, problem: str | None) -> None:
    found = text_problems(source, translation)
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found


def make_catalogues(tmp_path: Path, entries: dict[str, str], scope: str = "all") -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    root = tmp_path / "translations"
    template = Catalog()
    po = Catalog(locale="en")
    for source, text in entries.items():
        location = "companion/templates/staff/x.html" if "équipe" in source else "t.html"
        template.add(source, locations=[(location, 1)])
        po.add(source, text, locations=[(location, 1)])
    (root / "en" / "LC_MESSAGES").mkdir(parents=True)
    with (root / "messages.pot").open("wb") as f:
        write_po(f, template)
    with (root / "en" / "LC_MESSAGES" / "messages.po").open("wb") as f:
        write_po(f, po)
    (root / "en" / "coverage.yaml").write_text(f"interface: {scope}\nmodules: []\n")
    return root


def run_check(root: Path, strict: bool = True) -> tuple[list[str], list[str]]:
    return check_translations(
        root, root / "messages.pot", ROOT / "content", PICTOGRAMS, strict=strict
    )


def test_check_passes_on_the_shipped_catalogues(tmp_path: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    # The shipped catalogues, checked against their own template.
    root = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", root)
    with (root / "messages.pot").open("rb") as f:
        template = read_po(f)
    with (root / "messages.pot").open("wb") as f:
        write_po(f, template)
    errors, _warnings = run_check(root)
    assert errors == []


def test_check_fails_on_placeholders_html_and_missing_texts(tmp_path: Path) -> None:
    root = make_catalogues(
        tmp_path,
        {
            "Étape %(n)s sur %(total)s": "Step %(number)s of %(total)s",
            "Bonjour": "<b>Hello</b>",
            "Continuer": "",
            "Menu de l'équipe": "",
        },
    )
    errors, _warnings = run_check(root)
    text = "\n".join(errors)
    assert "'Étape %(n)s sur %(total)s': placeholders differ" in text
    assert "'Bonjour': HTML differs" in text
    assert "'Continuer' is not translated" in text
    assert '"Menu de l\'équipe" is not translated' in text


def test_a_learner_only_language_may_leave_staff_texts_in_french(tmp_path: Path) -> None:
    root = make_catalogues(tmp_path, {"Continuer": "Continue", "Menu de l'équipe": ""}, "learner")
    errors, _warnings = run_check(root)
    assert errors == []


def test_a_text_not_yet_in_the_catalogue_fails_unless_lenient(tmp_path: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    root = make_catalogues(tmp_path, {"Continuer": "Continue"})
    with (root / "messages.pot").open("rb") as f:
        template = read_po(f)
    template.add("Une nouvelle page", locations=[("t.html", 2)])
    with (root / "messages.pot").open("wb") as f:
        write_po(f, template)
    errors, _warnings = run_check(root)
    assert any("'Une nouvelle page' is not in the catalogue" in e for e in errors)
    errors, warnings = run_check(root, strict=False)
    assert errors == []
    assert any("Une nouvelle page" in w for w in warnings)


def test_check_requires_the_declared_modules(tmp_path: Path) -> None:
    root = make_catalogues(tmp_path, {"Continuer": "Continue"})
    (root / "en" / "coverage.yaml").write_text("interface: all\nmodules: [mots-de-passe, nope]\n")
    errors, _warnings = run_check(root)
    assert any("names module 'nope', which does not exist" in e for e in errors)
    (root / "en" / "coverage.yaml").write_text("interface: all\nmodules: all\n")
    errors, _warnings = run_check(root)
    assert errors == []


@pytest.mark.parametrize(
    ("forms", "ok"),
    [
        # Arabic's six forms: "one" may leave the number out, as the French singular does.
        (
            (
                "%(num)s عرض",
                "أول عرض",
                "%(num)s عرضين",
                "%(num)s عروض",
                "%(num)s عرضًا",
                "%(num)s عرض",
            ),
            True,
        ),
        (
            (
                "%(num)s عرض",
                "أول عرض",
                "%(n)s عرضين",
                "%(num)s عروض",
                "%(num)s عرضًا",
                "%(num)s عرض",
            ),
            False,
        ),
    ],
)
def test_each_plural_form_is_checked_against_the_french_plural_or_singular(
    tmp_path: Path, forms: tuple[str, ...], ok: bool
) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    root = tmp_path / "translations"
    ids = ("Voici la première.", "Voici les %(num)s premières.")
    template = Catalog()
    template.add(ids, locations=[("t.html", 1)])
    po = Catalog(locale="ar")
    po.add(ids, forms, locations=[("t.html", 1)])
    (root / "ar" / "LC_MESSAGES").mkdir(parents=True)
    with (root / "messages.pot").open("wb") as f:
        write_po(f, template)
    with (root / "ar" / "LC_MESSAGES" / "messages.po").open("wb") as f:
        write_po(f, po)
    (root / "ar" / "coverage.yaml").write_text("interface: all\nmodules: []\n")
    errors, _warnings = run_check(root)
    placeholder_errors = [e for e in errors if "placeholders differ" in e]
    assert (placeholder_errors == []) is ok, errors
