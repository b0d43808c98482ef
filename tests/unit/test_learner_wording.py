"""Learner-facing French says "vous" without a masculine-only form (issue 15, item 9).

Amina read "Vous avez trouvé seul 10 exercices": a participle or adjective that agrees with
"vous" in the masculine only. The scan covers every string of the French content files
(modules and glossary) and every interface text extracted from the files a learner sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"

# Adjectives and participles whose masculine form differs from the feminine one, as they are
# likely addressed to a learner; any past participle in "-é" after "vous êtes" is caught too.
MASCULINE = (
    "seul|perdu|prêt|sûr|certain|inscrit|content|inquiet|assis|venu|parti|sorti|né|"
    "bienvenu|prévenu|convaincu|surpris|connu|déçu|pris|mis|tout seul"
)
_BE = r"(?:êtes|étiez|serez|seriez|soyez|restez|semblez|devenez|êtes-vous|serez-vous)"
_AFTER_BE = re.compile(
    rf"\b{_BE}\s+(?:(?:bien|très|tout|déjà|encore|pas|plus|trop|toujours|vraiment)\s+){{0,2}}"
    rf"(?:({MASCULINE})|(\w+é))\b(?![-·(]?e)",
    re.IGNORECASE,
)
# "seul" attached to "vous" elsewhere: "vous avez trouvé seul", "pour vous seul".
_SEUL = re.compile(
    r"\bvous\b(?:\s+[\w'’-]+){0,3}?\s+(?<!\bun )(?<!\ble )(?<!\bla )(?<!\bdu )(?<!\bau )"
    r"(seul|tout seul)\b(?![-·(]?e)",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?…])\s+|\n+")


def masculine_forms(text: str) -> list[str]:
    """The masculine-only forms addressed to "vous" in `text`."""
    found = []
    for sentence in _SENTENCES.split(text):
        for match in _AFTER_BE.finditer(sentence):
            found.append(match.group(0))
        if re.search(r"\bvous\b", sentence, re.IGNORECASE):
            found.extend(m.group(0) for m in _SEUL.finditer(sentence))
    return found


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def french_content() -> Iterator[tuple[str, str]]:
    for path in sorted(CONTENT.glob("*/*.yaml")):
        if path.stem.count("."):  # steps.en.yaml, module.ar.yaml: translations
            continue
        for text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield str(path.relative_to(ROOT)), text


LEARNER_FILES = [
    *sorted((ROOT / "companion/templates").glob("learner/*.html")),
    *sorted((ROOT / "companion/templates").glob("kiosk/*.html")),
    *sorted((ROOT / "companion/templates").glob("steps/*.html")),
    *sorted((ROOT / "companion/templates").glob("errors/*.html")),
    *sorted((ROOT / "companion/templates").glob("public/*.html")),
    ROOT / "companion/templates/base.html",
    ROOT / "companion/templates/macros/learner.html",
    ROOT / "companion/templates/macros/ui.html",
    ROOT / "companion/templates/macros/step_form.html",
    *sorted((ROOT / "companion/catalogue").rglob("*.py")),
    *sorted((ROOT / "companion/web/learner").glob("*.py")),
    *sorted((ROOT / "companion/web/kiosk").glob("*.py")),
    ROOT / "companion/web/pin.py",
    ROOT / "companion/web/offline.py",
    ROOT / "companion/web/session.py",
    ROOT / "companion/web/public/__init__.py",
]


KEYWORDS = {
    "_": None,
    "_l": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    "plural_forms": (1, 2),
}


def interface_messages() -> Iterator[tuple[str, str | tuple[str, ...]]]:
    """(file, message) for each text of the learner's pages; a plural message is a tuple."""
    for path in LEARNER_FILES:
        method = "jinja2" if path.suffix == ".html" else "python"
        for _line, message, _comments, _context in extract_from_file(
            method, str(path), keywords=KEYWORDS
        ):
            yield str(path.relative_to(ROOT)), message


def interface_texts() -> Iterator[tuple[str, str]]:
    for where, message in interface_messages():
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                yield where, text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Vous avez trouvé seul 3 exercices sur 5.", True),
        ("Votre mot de passe est pour vous seul.", True),
        ("Vous êtes perdu ?", True),
        ("Vous êtes bien déconnecté.", True),
        ("Sans réponse, vous serez déconnecté dans 30 secondes.", True),
        ("Êtes-vous sûr ?", True),
        ("Vous retenez un seul mot de passe.", False),
        ("Vous êtes ici.", False),
        ("Vous avez réussi sans aide 3 exercices sur 5.", False),
        ("Seul le message de votre encadrant est sûr.", False),
        ("Vous êtes connecté·e.", False),
    ],
)
def test_the_scan_tells_masculine_forms_from_neutral_ones(text: str, found: bool) -> None:
    assert bool(masculine_forms(text)) is found


def test_the_french_content_addresses_vous_without_masculine_only_forms() -> None:
    found = [(where, text, masculine_forms(text)) for where, text in french_content()]
    assert [f for f in found if f[2]] == []


def test_the_learner_interface_addresses_vous_without_masculine_only_forms() -> None:
    found = [(where, text, masculine_forms(text)) for where, text in interface_texts()]
    assert len(found) > 300  # the extraction really read the learner's pages
    assert [f for f in found if f[2]] == []


# A number followed by a French plural noun: "%(n)s minutes", "%(n)s premiers signes".
_COUNTED = re.compile(r"%\(\w+\)s (?:premiers |premières )?[a-zéèêàçû]{2,}s\b")


def test_a_counted_noun_on_a_learner_page_takes_the_plural_of_each_language() -> None:
    """Arabic has six plural forms ("3 دقائق", "25 دقيقة"): a sentence that counts something
    must be a plural message (ngettext), never one text for every number."""
    single = [
        (where, message)
        for where, message in interface_messages()
        if isinstance(message, str) and _COUNTED.search(message)
    ]
    assert single == []
