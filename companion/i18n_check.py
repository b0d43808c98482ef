"""make translations-check: the gettext catalogues and the content overlays, checked.

Placeholders and HTML tags must match the French source; a language's coverage.yaml says
which texts it promises to translate completely. Kept apart from i18n.py, which serves
requests, so that the request path never imports the content loader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from companion.i18n import SOURCE_LOCALE

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)[^>]*>")
STAFF_SOURCES = (
    "companion/templates/staff/",
    "companion/templates/admin/",
    "companion/web/staff/",
    "companion/web/admin/",
)


@dataclass
class Coverage:
    """What a language promises to translate completely (translations/<lang>/coverage.yaml)."""

    interface: str = "all"  # "all" or "learner"
    modules: list[str] | str = field(default_factory=list)  # ids or "all"


def _coverage(path: Path, errors: list[str]) -> Coverage:
    if not path.is_file():
        return Coverage()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    interface = raw.get("interface", "all")
    modules = raw.get("modules", [])
    if interface not in ("all", "learner"):
        errors.append(f"{path}: interface must be 'all' or 'learner'")
    if modules != "all" and not (
        isinstance(modules, list) and all(isinstance(m, str) for m in modules)
    ):
        errors.append(f"{path}: modules must be a list of module ids or 'all'")
        modules = []
    return Coverage(interface, modules)


def text_problems(source: str, translation: str) -> list[str]:
    """Placeholders or HTML tags that differ between a French text and its translation."""
    problems = []
    if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)) or sorted(
        m.group(0) for m in PLACEHOLDER.finditer(source)
    ) != sorted(m.group(0) for m in PLACEHOLDER.finditer(translation)):
        problems.append("placeholders differ from the French text")
    src_tags = sorted(t.lower() for t in HTML_TAG.findall(source))
    dst_tags = sorted(t.lower() for t in HTML_TAG.findall(translation))
    if src_tags != dst_tags or translation.count("<") != source.count("<"):
        problems.append("HTML differs from the French text")
    return problems


def _staff_only(locations: list[tuple[str, int | None]]) -> bool:
    return bool(locations) and all(
        str(path).replace("\\", "/").startswith(STAFF_SOURCES) for path, _line in locations
    )


def _walk_texts(french: Any, translated: Any, where: str) -> list[tuple[str, str, str]]:
    """(path, French, translation) for every text of two parallel content structures."""
    if isinstance(french, str) and isinstance(translated, str):
        return [(where, french, translated)] if french != translated else []
    if isinstance(french, dict) and isinstance(translated, dict):
        return [
            pair
            for key in french
            for pair in _walk_texts(french[key], translated.get(key), f"{where}.{key}")
        ]
    if isinstance(french, list | tuple) and isinstance(translated, list | tuple):
        return [
            pair
            for n, (a, b) in enumerate(zip(french, translated, strict=False))
            for pair in _walk_texts(a, b, f"{where}[{n}]")
        ]
    return []


def check_translations(
    translations: Path, pot: Path, content_dir: Path, pictograms: Path, strict: bool = True
) -> tuple[list[str], list[str]]:
    """Check every catalogue and content translation; return (errors, warnings)."""
    from babel.messages.pofile import read_po

    from companion.catalogue.loader import load_content

    errors: list[str] = []
    warnings: list[str] = []
    with pot.open("rb") as f:
        template = read_po(f)
    content = load_content(content_dir, pictograms)
    errors.extend(content.report.errors)
    for po_path in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        lang = po_path.parent.parent.name
        if lang == SOURCE_LOCALE:
            continue
        coverage = _coverage(po_path.parent.parent / "coverage.yaml", errors)
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        errors.extend(_catalogue_text_problems(po_path, catalog))
        _catalogue_gaps(
            po_path, catalog, template, coverage, errors, errors if strict else warnings
        )
        wanted = list(content.modules) if coverage.modules == "all" else coverage.modules
        for module_id in wanted:
            errors.extend(_module_problems(content, lang, module_id))
        for module_id in content.modules:
            if module_id not in wanted and module_id not in content.translations.get(lang, {}):
                warnings.append(f"content/{module_id}: not yet translated into '{lang}'")
        problems, notes = _check_data(content, lang, wanted)
        errors.extend(problems)
        warnings.extend(notes)
        errors.extend(_check_glossary(content, lang, bool(wanted)))
        errors.extend(_check_diagnostic(content_dir, lang, coverage.interface == "all"))
    return errors, warnings


def _catalogue_text_problems(po_path: Path, catalog: Any) -> list[str]:
    """Broken placeholders or markup in the translated interface texts of one catalogue."""
    errors: list[str] = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple | list):
            errors.extend(_plural_problems(po_path, message))
            continue
        for problem in text_problems(str(message.id), str(message.string)):
            errors.append(f"{po_path}: {message.id!r}: {problem}")
    return errors


def _plural_problems(po_path: Path, message: Any) -> list[str]:
    """Each form (Arabic has six: 0, 1, 2, 3-10, 11-99, 100…) is checked against the French
    plural, or the singular where that one fits ("la première")."""
    singular, plural = (str(s) for s in message.id[:2])
    errors: list[str] = []
    for translation in message.string:
        if not translation:
            continue
        problems = text_problems(plural, str(translation))
        if problems and not text_problems(singular, str(translation)):
            problems = []
        errors.extend(f"{po_path}: {plural!r}: {p}" for p in problems)
    return errors


def _catalogue_gaps(
    po_path: Path,
    catalog: Any,
    template: Any,
    coverage: Coverage,
    errors: list[str],
    missing: list[str],
) -> None:
    """The template's texts left untranslated or fuzzy go to errors; those not in the
    catalogue at all go to `missing` (the errors when the check is strict)."""
    for message in template:
        if not message.id:
            continue
        if coverage.interface == "learner" and _staff_only(list(message.locations)):
            continue
        found = catalog.get(message.id, message.context)
        if found is None:
            missing.append(
                f"{po_path}: {message.id!r} is not in the catalogue "
                "(run make translations-update, then translate it)"
            )
        elif not found.string or (isinstance(found.string, tuple | list) and not all(found.string)):
            errors.append(f"{po_path}: {message.id!r} is not translated")
        elif found.fuzzy:
            errors.append(f"{po_path}: {message.id!r} is marked fuzzy: check it")


def _module_problems(content: Any, lang: str, module_id: str) -> list[str]:
    """What is missing or broken in one module a language's coverage declares."""
    if module_id not in content.modules:
        return [f"{lang}: coverage names module '{module_id}', which does not exist"]
    translation_ = content.translations.get(lang, {}).get(module_id)
    if translation_ is None:
        return [f"content/{module_id}: no '{lang}' translation (steps.{lang}.yaml)"]
    errors = [f"content/{module_id}: '{lang}' text missing: {m}" for m in translation_.missing]
    french = content.modules[module_id].model_dump()
    for where, source, text in _walk_texts(french, translation_.module.model_dump(), ""):
        errors.extend(
            f"content/{module_id} ({lang}) {where}: {problem}"
            for problem in text_problems(source, text)
        )
    return errors


def _check_glossary(content: Any, lang: str, required: bool) -> list[str]:
    """The glossary explains the words of the modules a language covers: it is translated
    like them (content/_glossary/glossary.<lang>.yaml)."""
    if "fr" not in content.glossary or not required:
        return []
    where = f"content/_glossary/glossary.{lang}.yaml"
    if lang not in content.glossary:
        return [f"{where}: no '{lang}' translation of the glossary"]
    out = [f"{where}: '{lang}' text missing: {m}" for m in content.glossary_missing[lang]]
    french = content.glossary["fr"].model_dump()
    for path, source, text in _walk_texts(french, content.glossary[lang].model_dump(), ""):
        out.extend(f"{where} {path}: {problem}" for problem in text_problems(source, text))
    return out


def _check_diagnostic(content_dir: Path, lang: str, required: bool) -> list[str]:
    """The structure's diagnostic (content/diagnostic/) is read by staff: a language that
    translates the staff interface translates it too (grid.<lang>.yaml, actions.<lang>.yaml);
    a language that has begun its overlays finishes them. Broken files are reported by the
    content check itself."""
    from companion.catalogue.diagnostic import read_grid

    load = read_grid(content_dir)
    if "fr" not in load.grids or not load.report.ok:
        return []
    where = f"content/diagnostic (grid.{lang}.yaml, actions.{lang}.yaml)"
    if lang not in load.grids or not (content_dir / "diagnostic" / f"grid.{lang}.yaml").is_file():
        return [f"{where}: no '{lang}' translation of the diagnostic"] if required else []
    out = [f"{where}: '{lang}' text missing: {m}" for m in load.missing[lang]]
    french = load.grids["fr"].model_dump()
    for path, source, text in _walk_texts(french, load.grids[lang].model_dump(), ""):
        out.extend(f"{where} {path}: {problem}" for problem in text_problems(source, text))
    return out


def _shown(path: Path) -> str:
    """A path as the person running the check sees it (relative to the repository)."""
    root = Path(__file__).resolve().parent.parent
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _check_data(content: Any, lang: str, wanted: Iterable[str]) -> tuple[list[str], list[str]]:
    """The simulations' data (job offers, the town) that the declared modules show must be
    translated completely; the others only warn."""
    from companion.catalogue.datasets import DATA_SETS

    errors: list[str] = []
    warnings: list[str] = []
    shown = {
        step.type_name
        for module_id in wanted
        if module_id in content.modules
        for step in content.modules[module_id].steps
    }
    for data_set in DATA_SETS:
        required = data_set.step_type in shown
        out = errors if required else warnings
        overlay = data_set.path.with_name(f"{data_set.name}.{lang}.yaml")
        translation = content.data.get(lang, {}).get(data_set.name)
        if translation is None:
            if not overlay.is_file():  # a broken overlay is already reported by the loader
                out.append(f"{_shown(overlay)}: no '{lang}' translation of {data_set.name}")
            continue
        out.extend(f"{_shown(overlay)}: '{lang}' text missing: {m}" for m in translation.missing)
        french = data_set.french().model_dump()
        for where, source, text in _walk_texts(french, translation.data.model_dump(), ""):
            errors.extend(
                f"{_shown(overlay)} {where}: {problem}" for problem in text_problems(source, text)
            )
    return errors, warnings


def main(argv: list[str] | None = None) -> int:
    """make translations-check: check the catalogues against a freshly extracted POT."""
    import argparse

    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(prog="translations-check")
    parser.add_argument("pot", type=Path, help="a freshly extracted messages.pot")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="texts not yet in a catalogue only warn (while a merge brings new pages)",
    )
    args = parser.parse_args(argv)
    errors, warnings = check_translations(
        root / "translations",
        args.pot,
        root / "content",
        root / "static" / "pictograms",
        strict=not args.lenient,
    )
    for line in warnings:
        print(f"warning: {line}")
    for line in errors:
        print(f"error: {line}")
    print(f"translations: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0
