"""Load and validate every module under a content folder, with precise error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from companion.catalogue.readability import check_module, load_style
from companion.catalogue.schema import Module, ModuleMeta
from companion.catalogue.steps import STEP_TYPES, StepBase
from companion.yamlfile import load_yaml


@dataclass
class Report:
    """What a check found: errors block, warnings only print."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ContentError(RuntimeError):
    """Shipped content is invalid: the app refuses to start."""

    def __init__(self, report: Report) -> None:
        super().__init__("invalid content:\n" + "\n".join(report.errors))
        self.report = report


def _describe(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        out.append(f"field '{where}': {err['msg']}")
    return out


def _read_yaml(path: Path, report: Report) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.errors.append(f"{path}: file is missing")
    except UnicodeDecodeError:
        report.errors.append(f"{path}: not UTF-8 text")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        report.errors.append(f"{path}: not valid YAML{line}: {getattr(exc, 'problem', exc)}")
    return None


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
        (f"{steps_path}: step '{s.id}'", s.pictogram) for s in steps
    ]
    _check_pictograms(folder, pictograms, names, report)
    if len(report.errors) > before:
        return None
    return Module(meta=meta, steps=tuple(steps))


# Fields that hold data, not words: an overlay may not change them (ids, right answers,
# references to cells, offers, places or times used by the checks).
_DATA_FIELDS = """
    id type pictogram moment correct multiple mode
    answer task contract town keyword criteria arrive_by depart duration target offers modes
    channel verdict time also
    column op other cell start direction sort number_columns
"""
FIXED_FIELDS = frozenset(_DATA_FIELDS.split())
OVERLAY_NAME = re.compile(r"^(module|steps)\.([a-z]{2,3})\.yaml$")


@dataclass
class Translation:
    """One module in one language: the merged module and the texts still in French."""

    module: Module
    missing: list[str]


@dataclass
class Content:
    """Everything loaded from a content folder."""

    modules: dict[str, Module]
    # translations[lang][module_id]
    translations: dict[str, dict[str, Translation]]
    report: Report


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_keyed_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in value)
    )


def _is_positional_list(value: Any) -> bool:
    """A list of mappings without ids (parts of a message): translated by position."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "id" not in v for v in value)
    )


def _is_text_map(value: Any) -> bool:
    """A mapping of texts keyed by data ids (such as feedback per job offer)."""
    return (
        isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values())
    )


def _merge(base: Any, over: Any, where: str, errors: list[str]) -> Any:
    """base (French) with over's texts in place; every problem in over goes to errors.

    over mirrors base, but lists of things with an id (options) become mappings by id.
    """
    if not isinstance(over, dict):
        errors.append(f"{where}: must be a mapping of fields")
        return base
    merged = dict(base)
    for key, value in over.items():
        here = f"{where}.{key}" if where else str(key)
        if key not in base:
            errors.append(f"{here}: no such field in the French text")
        elif key in FIXED_FIELDS or not (
            isinstance(base[key], str)
            or _is_text_list(base[key])
            or _is_keyed_list(base[key])
            or _is_text_map(base[key])
            or _is_positional_list(base[key])
        ):
            errors.append(f"{here}: this field is not text and is not translated")
        elif _is_positional_list(base[key]):
            if not isinstance(value, list) or len(value) != len(base[key]):
                errors.append(f"{here}: must be a list of {len(base[key])} items, in order")
                continue
            merged[key] = [
                _merge(item, part, f"{here}[{n}]", errors)
                for n, (item, part) in enumerate(zip(base[key], value, strict=True), start=1)
            ]
        elif _is_text_map(base[key]):
            if not isinstance(value, dict):
                errors.append(f"{here}: must be a mapping by id")
                continue
            texts = dict(base[key])
            for item_id, text in value.items():
                if item_id not in texts:
                    errors.append(f"{here}.{item_id}: no such id in the French text")
                elif isinstance(text, str) and text.strip():
                    texts[item_id] = text
                else:
                    errors.append(f"{here}.{item_id}: must be a non-empty text")
            merged[key] = texts
        elif isinstance(base[key], str):
            if isinstance(value, str) and value.strip():
                merged[key] = value
            else:
                errors.append(f"{here}: must be a non-empty text")
        elif _is_text_list(base[key]):
            if _is_text_list(value) and value and all(v.strip() for v in value):
                merged[key] = list(value)
            else:
                errors.append(f"{here}: must be a list of non-empty texts")
        elif not isinstance(value, dict):
            errors.append(f"{here}: must be a mapping by id")
        else:
            items = {item["id"]: item for item in base[key]}
            for item_id in value:
                if item_id not in items:
                    errors.append(f"{here}.{item_id}: no such id in the French text")
            merged[key] = [
                _merge(item, value[item["id"]], f"{here}.{item['id']}", errors)
                if item["id"] in value
                else item
                for item in base[key]
            ]
    return merged


def _missing(base: Any, over: Any, where: str) -> list[str]:
    """The translatable texts of base that over does not give."""
    over = over if isinstance(over, dict) else {}
    out: list[str] = []
    for key, value in base.items():
        if key in FIXED_FIELDS:
            continue
        here = f"{where}.{key}" if where else str(key)
        if isinstance(value, str) or _is_text_list(value):
            if key not in over:
                out.append(here)
        elif _is_text_map(value):
            given = over.get(key) if isinstance(over.get(key), dict) else {}
            out.extend(f"{here}.{item_id}" for item_id in value if item_id not in given)
        elif _is_positional_list(value):
            parts = over.get(key) if isinstance(over.get(key), list) else []
            for n, item in enumerate(value, start=1):
                part = parts[n - 1] if n <= len(parts) else None
                out.extend(_missing(item, part, f"{here}[{n}]"))
        elif _is_keyed_list(value):
            sub = over.get(key) if isinstance(over.get(key), dict) else {}
            for item in value:
                out.extend(_missing(item, sub.get(item["id"]), f"{here}.{item['id']}"))
    return out


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
    by_id = {s["id"]: s for s in base_steps}
    for lang, files in overlays.items():
        errors: list[str] = []
        meta_over: Any = {}
        steps_over: Any = {}
        if "module" in files:
            meta_over = _read_yaml(files["module"], report) or {}
            meta_raw = _merge(base_meta, meta_over, "", errors)
            errors = [f"{files['module']}: {e}" for e in errors]
        else:
            meta_raw = base_meta
        step_errors: list[str] = []
        steps_raw = list(base_steps)
        if "steps" in files:
            steps_over = _read_yaml(files["steps"], report) or {}
            if not isinstance(steps_over, dict):
                step_errors.append("must be a mapping of step ids")
                steps_over = {}
            for step_id in steps_over:
                if step_id not in by_id:
                    step_errors.append(f"step '{step_id}': no such step in the French text")
            steps_raw = [
                _merge(s, steps_over[s["id"]], s["id"], step_errors) if s["id"] in steps_over else s
                for s in base_steps
            ]
            errors += [f"{files['steps']}: {e}" for e in step_errors]
        if errors:
            report.errors.extend(errors)
            continue
        sub = Report()
        try:
            meta = ModuleMeta.model_validate(meta_raw)
        except ValidationError as exc:
            report.errors.extend(f"{folder}/module.{lang}.yaml: {m}" for m in _describe(exc))
            continue
        steps = _load_steps(folder / f"steps.{lang}.yaml", steps_raw, sub)
        if sub.errors:
            report.errors.extend(sub.errors)
            continue
        missing = [f"module.{m}" for m in _missing(base_meta, meta_over, "")]
        for s in base_steps:
            missing.extend(_missing(s, steps_over.get(s["id"]), s["id"]))
        result[lang] = Translation(Module(meta=meta, steps=tuple(steps)), missing)
    return result


def load_content(content_dir: Path, pictograms: Path) -> Content:
    """Load every module folder under content_dir, in display order, with its translations."""
    report = Report()
    modules: list[Module] = []
    translations: dict[str, dict[str, Translation]] = {}
    if not content_dir.is_dir():
        report.errors.append(f"{content_dir}: content folder not found")
        return Content({}, {}, report)
    style = load_style(content_dir)
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
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
    return Content({m.id: m for m in modules}, translations, report)


def load_catalogue(content_dir: Path, pictograms: Path) -> tuple[dict[str, Module], Report]:
    """Load every module folder under content_dir (French), in the modules' display order."""
    content = load_content(content_dir, pictograms)
    return content.modules, content.report
