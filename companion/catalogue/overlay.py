"""Merging a translation overlay into its French text: the rules every overlay follows.

An overlay holds only texts. It mirrors the French structure, except that lists of things
with an id (options, offers, places) become mappings by id, and lists of things without an
id (the parts of a message) are given in order. Fields that hold data (ids, right answers,
references, numbers) are fixed: an overlay that gives one is refused with its place. Which
fields are fixed is said by their owner: each step type (StepBase.data_fields), the module's
metadata (schema.META_DATA_FIELDS) and each data set (datasets.py). Used by the module
overlays (loader.py) and the simulations' data overlays (datasets.py).
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from pydantic import ValidationError

from companion.yamlfile import load_yaml


@dataclass
class Report:
    """What a check found: errors block, warnings only print."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def describe(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        out.append(f"field '{where}': {err['msg']}")
    return out


def read_yaml(path: Path, report: Report) -> Any:
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


def is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def is_keyed_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and isinstance(v.get("id"), str) for v in value)
    )


def is_positional_list(value: Any) -> bool:
    """A list of mappings without ids (parts of a message): translated by position."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and "id" not in v for v in value)
    )


def is_text_map(value: Any) -> bool:
    """A mapping of texts keyed by data ids (such as feedback per job offer)."""
    return (
        isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values())
    )


def _translatable(value: Any) -> bool:
    return (
        isinstance(value, str)
        or is_text_list(value)
        or is_keyed_list(value)
        or is_text_map(value)
        or is_positional_list(value)
    )


def merge(base: Any, over: Any, where: str, errors: list[str], fixed: Set[str]) -> Any:
    """base (French) with over's texts in place; every problem in over goes to errors.

    over mirrors base, but lists of things with an id (options) become mappings by id.
    A field named in `fixed`, at any depth, is data and may not be given.
    """
    if not isinstance(over, dict):
        errors.append(f"{where}: must be a mapping of fields")
        return base
    merged = dict(base)
    for key, value in over.items():
        here = f"{where}.{key}" if where else str(key)
        if key not in base:
            errors.append(f"{here}: no such field in the French text")
        elif key in fixed or not _translatable(base[key]):
            errors.append(f"{here}: this field is not text and is not translated")
        else:
            merger = next((m for kind, m in _MERGERS if kind(base[key])), _merge_keyed)
            merged[key] = merger(base[key], value, here, errors, fixed)
    return merged


# Each merger gives one translatable field's merged value, or the French one where the
# overlay's is wrong (the problem goes to errors).
Merger: TypeAlias = Callable[[Any, Any, str, list[str], Set[str]], Any]


def _merge_positional(base: Any, value: Any, here: str, errors: list[str], fixed: Set[str]) -> Any:
    if not isinstance(value, list) or len(value) != len(base):
        errors.append(f"{here}: must be a list of {len(base)} items, in order")
        return base
    return [
        merge(item, part, f"{here}[{n}]", errors, fixed)
        for n, (item, part) in enumerate(zip(base, value, strict=True), start=1)
    ]


def _merge_text_map(base: Any, value: Any, here: str, errors: list[str], fixed: Set[str]) -> Any:
    if not isinstance(value, dict):
        errors.append(f"{here}: must be a mapping by id")
        return base
    texts = dict(base)
    for item_id, text in value.items():
        if item_id not in texts:
            errors.append(f"{here}.{item_id}: no such id in the French text")
        elif isinstance(text, str) and text.strip():
            texts[item_id] = text
        else:
            errors.append(f"{here}.{item_id}: must be a non-empty text")
    return texts


def _merge_text(base: Any, value: Any, here: str, errors: list[str], fixed: Set[str]) -> Any:
    if isinstance(value, str) and value.strip():
        return value
    errors.append(f"{here}: must be a non-empty text")
    return base


def _merge_text_list(base: Any, value: Any, here: str, errors: list[str], fixed: Set[str]) -> Any:
    if is_text_list(value) and value and all(v.strip() for v in value):
        return list(value)
    errors.append(f"{here}: must be a list of non-empty texts")
    return base


def _merge_keyed(base: Any, value: Any, here: str, errors: list[str], fixed: Set[str]) -> Any:
    """A list of things with an id (options), given as a mapping by id."""
    if not isinstance(value, dict):
        errors.append(f"{here}: must be a mapping by id")
        return base
    items = {item["id"]: item for item in base}
    for item_id in value:
        if item_id not in items:
            errors.append(f"{here}.{item_id}: no such id in the French text")
    return [
        merge(item, value[item["id"]], f"{here}.{item['id']}", errors, fixed)
        if item["id"] in value
        else item
        for item in base
    ]


# The kinds of translatable field, in the order they are told apart (a keyed list is the rest).
_MERGERS: tuple[tuple[Callable[[Any], bool], Merger], ...] = (
    (is_positional_list, _merge_positional),
    (is_text_map, _merge_text_map),
    (lambda v: isinstance(v, str), _merge_text),
    (is_text_list, _merge_text_list),
)


def missing(base: Any, over: Any, where: str, fixed: Set[str]) -> list[str]:
    """The translatable texts of base that over does not give."""
    over = over if isinstance(over, dict) else {}
    out: list[str] = []
    for key, value in base.items():
        if key in fixed:
            continue
        here = f"{where}.{key}" if where else str(key)
        if isinstance(value, str) or is_text_list(value):
            if key not in over:
                out.append(here)
        elif is_text_map(value):
            given = over.get(key) if isinstance(over.get(key), dict) else {}
            out.extend(f"{here}.{item_id}" for item_id in value if item_id not in given)
        elif is_positional_list(value):
            parts = over.get(key) if isinstance(over.get(key), list) else []
            for n, item in enumerate(value, start=1):
                part = parts[n - 1] if n <= len(parts) else None
                out.extend(missing(item, part, f"{here}[{n}]", fixed))
        elif is_keyed_list(value):
            sub = over.get(key) if isinstance(over.get(key), dict) else {}
            for item in value:
                out.extend(missing(item, sub.get(item["id"]), f"{here}.{item['id']}", fixed))
    return out
