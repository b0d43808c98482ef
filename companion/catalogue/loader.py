"""Load and validate every module under a content folder, with precise error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from companion.catalogue.readability import check_module, load_style
from companion.catalogue.schema import Module, ModuleMeta
from companion.catalogue.steps import STEP_TYPES, StepBase


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
        return yaml.safe_load(path.read_text(encoding="utf-8"))
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


def load_catalogue(content_dir: Path, pictograms: Path) -> tuple[dict[str, Module], Report]:
    """Load every module folder under content_dir, in the modules' display order."""
    report = Report()
    modules: list[Module] = []
    if not content_dir.is_dir():
        report.errors.append(f"{content_dir}: content folder not found")
        return {}, report
    style = load_style(content_dir)
    for folder in sorted(p for p in content_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        module = load_module(folder, pictograms, report)
        if module is not None:
            modules.append(module)
            report.warnings.extend(check_module(module, str(folder), style))
    if not modules and not report.errors:
        report.errors.append(f"{content_dir}: no module found")
    modules.sort(key=lambda m: (m.meta.order, m.meta.title))
    return {m.id: m for m in modules}, report
