"""Load and validate every module under a content folder, with precise error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from companion.catalogue.bidi import is_rtl, isolate_overlay
from companion.catalogue.datasets import DataTranslation, load_data_translations
from companion.catalogue.entry_check import check_areas
from companion.catalogue.glossary import Glossary, check_glossary, load_glossary
from companion.catalogue.overlay import Report, merge, missing
from companion.catalogue.overlay import describe as _describe
from companion.catalogue.overlay import read_yaml as _read_yaml
from companion.catalogue.password_examples import check_examples
from companion.catalogue.readability import check_module, load_style
from companion.catalogue.schema import META_DATA_FIELDS, Module, ModuleMeta
from companion.catalogue.steps import STEP_TYPES, StepBase
from companion.catalogue.steps.base import BASE_DATA_FIELDS


class ContentError(RuntimeError):
    """Shipped content is invalid: the app refuses to start."""

    def __init__(self, report: Report) -> None:
        super().__init__("invalid content:\n" + "\n".join(report.errors))
        self.report = report


def _load_steps(path: Path, raw: Any, report: Report) -> list[StepBase]:
    steps: list[StepBase] = []
    if not isinstance(raw, list) or not raw:
        report.errors.append(f"{path}: must be a non-empty list of steps")
        return steps
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        label = f"step n°{n}"
        if not isinstance(item, dict):
            report.errors.append(f"{path}: {label}: must be a mapping of fields")
            continue
        if isinstance(item.get("id"), str):
            label = f"step '{item['id']}' (n°{n})"
        kind = item.get("type")
        cls = STEP_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            known = ", ".join(sorted(STEP_TYPES))
            report.errors.append(f"{path}: {label}: unknown step type {kind!r} (known: {known})")
            continue
        try:
            step = cls.model_validate(item)
        except ValidationError as exc:
            report.errors.extend(f"{path}: {label}: {m}" for m in _describe(exc))
            continue
        if step.id in seen:
            report.errors.append(f"{path}: {label}: duplicate step id '{step.id}'")
            continue
        seen.add(step.id)
        steps.append(step)
    return steps


def _check_password_examples(path: Path, steps: list[StepBase], report: Report) -> None:
    """Every password a step shows as an example gets, from the lab's estimator, the verdict
    its text gives it."""
    for step in steps:
        examples = getattr(step, "password_examples", None)
        if examples:
            report.errors.extend(check_examples(str(path), step.id, examples, step.texts()))


def _check_pictograms(
    folder: Path, pictograms: Path, names: list[tuple[str, str]], report: Report
) -> None:
    for where, name in names:
        if not ((folder / name).is_file() or (pictograms / f"{name}.svg").is_file()):
            report.errors.append(f"{where}: pictogram '{name}' not found")


def load_module(folder: Path, pictograms: Path, report: Report) -> Module | None:
    """Load one module folder; append every problem to report and return None on error."""
    before = len(report.errors)
    meta_path, steps_path = folder / "module.yaml", folder / "steps.yaml"
    raw_meta = _read_yaml(meta_path, report)
    meta: ModuleMeta | None = None
    if raw_meta is not None:
        try:
            meta = ModuleMeta.model_validate(raw_meta)
        except ValidationError as exc:
            report.errors.extend(f"{meta_path}: {m}" for m in _describe(exc))
    if meta is not None and meta.id != folder.name:
        report.errors.append(f"{meta_path}: id '{meta.id}' must match its folder '{folder.name}'")
    raw_steps = _read_yaml(steps_path, report)
    steps = _load_steps(steps_path, raw_steps, report) if raw_steps is not None else []
    if meta is None or len(report.errors) > before:
        return None
    names = [(str(meta_path), meta.pictogram)] + [
        (f"{steps_path}: step '{s.id}'", picture) for s in steps for picture, _alt in s.images()
    ]
    _check_pictograms(folder, pictograms, names, report)
    _check_password_examples(steps_path, steps, report)
    if len(report.errors) > before:
        return None
    return Module(meta=meta, steps=tuple(steps))


# Folders of the content that are not modules: the structure's diagnostic (diagnostic.py).
NOT_MODULES = frozenset({"diagnostic"})

OVERLAY_NAME = re.compile(r"^(module|steps)\.([a-z]{2,3})\.yaml$")


@dataclass
class Translation:
    """One module in one language: the merged module and the texts still in French."""

    module: Module
    missing: list[str]


@dataclass
class Content:
    """Everything loaded from a content folder, and the simulations' data in every language."""

    modules: dict[str, Module]
    # translations[lang][module_id]
    translations: dict[str, dict[str, Translation]]
    report: Report
    # data[lang][data set name]: the job offers, the town… (see datasets.py)
    data: dict[str, dict[str, DataTranslation]] = field(default_factory=dict)
    # glossary[lang], French under "fr" (see glossary.py); glossary_missing[lang]: its texts
    # still in French.
    glossary: dict[str, Glossary] = field(default_factory=dict)
    glossary_missing: dict[str, list[str]] = field(default_factory=dict)


def _step_class(raw: dict[str, Any]) -> type[StepBase] | None:
    kind = raw.get("type")
    return STEP_TYPES.get(kind) if isinstance(kind, str) else None


def _merge_step(base: dict[str, Any], over: Any, errors: list[str]) -> dict[str, Any]:
    """A French step with its overlay's texts; fields of the step type's own kind (the grid
    of a spreadsheet) are merged by the step type."""
    cls = _step_class(base)
    special = cls.overlay_fields if cls is not None else frozenset()
    fixed = cls.fixed_fields() if cls is not None else BASE_DATA_FIELDS
    where = str(base["id"])
    if not isinstance(over, dict) or not special:
        merged: dict[str, Any] = merge(base, over, where, errors, fixed)
        return merged
    texts = {k: v for k, v in over.items() if k not in special}
    merged = merge(base, texts, where, errors, fixed)
    for name in special & over.keys():
        if name not in base:
            errors.append(f"{where}.{name}: no such field in the French text")
        elif cls is not None:
            merged = cls.merge_overlay(merged, name, over[name], f"{where}.{name}", errors)
    return merged


def _missing_step(base: dict[str, Any], over: Any) -> list[str]:
    cls = _step_class(base)
    fixed = cls.fixed_fields() if cls is not None else BASE_DATA_FIELDS
    found = missing(base, over, str(base["id"]), fixed)
    if cls is not None and cls.overlay_fields:
        given = over if isinstance(over, dict) else {}
        for name in sorted(cls.overlay_fields & base.keys()):
            found.extend(cls.overlay_missing(base, name, given.get(name), f"{base['id']}.{name}"))
    return found


def _overlay_files(folder: Path) -> dict[str, dict[str, Path]]:
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.glob("*.yaml")):
        match = OVERLAY_NAME.match(path.name)
        if match:
            found.setdefault(match.group(2), {})[match.group(1)] = path
    return found


def load_translations(folder: Path, report: Report) -> dict[str, Translation]:
    """The module in every language that has overlay files (module.<lang>.yaml, steps.<lang>.yaml).

    An overlay gives only texts, keyed by step id and option id; what it does not give stays
    in French. Each merged module is validated by the same schema as the French one.
    """
    result: dict[str, Translation] = {}
    overlays = _overlay_files(folder)
    if not overlays:
        return result
    base_meta = _read_yaml(folder / "module.yaml", report)
    base_steps = _read_yaml(folder / "steps.yaml", report)
    if not isinstance(base_meta, dict) or not isinstance(base_steps, list):
        return result
    for lang, files in overlays.items():
        rtl = is_rtl(lang)
        meta_raw, meta_over, errors = _overlay_meta(base_meta, files, report, rtl)
        steps_raw, steps_over, step_errors = _overlay_steps(base_steps, files, report, rtl)
        errors += step_errors
        if errors:
            report.errors.extend(errors)
            continue
        module = _validated(folder, lang, meta_raw, steps_raw, report)
        if module is None:
            continue
        untranslated = [f"module.{m}" for m in missing(base_meta, meta_over, "", META_DATA_FIELDS)]
        for s in base_steps:
            untranslated.extend(_missing_step(s, steps_over.get(s["id"])))
        result[lang] = Translation(module, untranslated)
    return result


def _overlay_meta(
    base_meta: dict[str, Any], files: dict[str, Path], report: Report, rtl: bool = False
) -> tuple[Any, Any, list[str]]:
    """(merged module metadata, the overlay as written, errors naming the file); in a
    right-to-left language, numbers and formulas in the prose are isolated (bidi.py)."""
    if "module" not in files:
        return base_meta, {}, []
    errors: list[str] = []
    meta_over = _read_yaml(files["module"], report) or {}
    if rtl:
        meta_over = isolate_overlay(meta_over)
    meta_raw = merge(base_meta, meta_over, "", errors, META_DATA_FIELDS)
    return meta_raw, meta_over, [f"{files['module']}: {e}" for e in errors]


def _overlay_steps(
    base_steps: list[Any], files: dict[str, Path], report: Report, rtl: bool = False
) -> tuple[list[Any], Any, list[str]]:
    """(merged raw steps, the overlay as written, errors naming the file); in a
    right-to-left language, numbers and formulas in the prose are isolated (bidi.py)."""
    if "steps" not in files:
        return list(base_steps), {}, []
    step_errors: list[str] = []
    steps_over = _read_yaml(files["steps"], report) or {}
    if rtl:
        steps_over = isolate_overlay(steps_over)
    if not isinstance(steps_over, dict):
        step_errors.append("must be a mapping of step ids")
        steps_over = {}
    by_id = {s["id"]: s for s in base_steps}
    for step_id in steps_over:
        if step_id not in by_id:
            step_errors.append(f"step '{step_id}': no such step in the French text")
    steps_raw = [
        _merge_step(s, steps_over[s["id"]], step_errors) if s["id"] in steps_over else s
        for s in base_steps
    ]
    return steps_raw, steps_over, [f"{files['steps']}: {e}" for e in step_errors]


def _validated(
    folder: Path, lang: str, meta_raw: Any, steps_raw: list[Any], report: Report
) -> Module | None:
    """The merged module checked by the same schema as the French one (None: errors reported)."""
    sub = Report()
    try:
        meta = ModuleMeta.model_validate(meta_raw)
    except ValidationError as exc:
        report.errors.extend(f"{folder}/module.{lang}.yaml: {m}" for m in _describe(exc))
        return None
    steps = _load_steps(folder / f"steps.{lang}.yaml", steps_raw, sub)
    _check_password_examples(folder / f"steps.{lang}.yaml", steps, sub)
    if sub.errors:
        report.errors.extend(sub.errors)
        return None
    return Module(meta=meta, steps=tuple(steps))


def load_content(content_dir: Path, pictograms: Path) -> Content:
    """Load every module folder under content_dir, in display order, with its translations."""
    report = Report()
    modules: list[Module] = []
    translations: dict[str, dict[str, Translation]] = {}
    if not content_dir.is_dir():
        report.errors.append(f"{content_dir}: content folder not found")
        return Content({}, {}, report)
    style = load_style(content_dir, report)
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")) or folder.name in NOT_MODULES:
            continue
        module = load_module(folder, pictograms, report)
        if module is not None:
            modules.append(module)
            report.warnings.extend(check_module(module, str(folder), style))
            for lang, translation in load_translations(folder, report).items():
                translations.setdefault(lang, {})[module.id] = translation
    if not modules and not report.errors:
        report.errors.append(f"{content_dir}: no module found")
    modules.sort(key=lambda m: (m.meta.order, m.meta.title))
    report.errors.extend(check_areas(modules))
    data = load_data_translations(report)
    glossaries = load_glossary(content_dir, report)
    by_lang: dict[str, dict[str, Any]] = {"fr": {m.id: m for m in modules}}
    for lang, by_module in translations.items():
        by_lang[lang] = {module_id: t.module for module_id, t in by_module.items()}
    check_glossary(glossaries, by_lang, pictograms, style, content_dir, report)
    return Content(
        {m.id: m for m in modules},
        translations,
        report,
        data,
        glossary={lang: g.glossary for lang, g in glossaries.items()},
        glossary_missing={lang: g.missing for lang, g in glossaries.items()},
    )


def load_catalogue(content_dir: Path, pictograms: Path) -> tuple[dict[str, Module], Report]:
    """Load every module folder under content_dir (French), in the modules' display order."""
    content = load_content(content_dir, pictograms)
    return content.modules, content.report
