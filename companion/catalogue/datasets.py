"""The simulations' data (job offers, the town) in every language, through overlay files.

French is the source: `data/<name>.yaml`. A translation is `data/<name>.<lang>.yaml`, built
like a module overlay (see overlay.py): it gives only texts, in mappings keyed by the ids of
the French file (`offers: {jardinier-colomiers: {title: …}}`). A data set says which fields
of which list may be translated; everything else is data or a proper name that stays as
written in France (ids, towns, streets, employers, contracts, numbers, coordinates). The
merged data are validated by the same schema as the French file; a broken overlay is refused
with its place, and a text it does not give is shown in French.

A step type declares its data set (`register(DataSet(...))`) and asks for the data in the
learner's language with `data_set.get()`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from companion.catalogue.overlay import Report, describe, merge, missing, read_yaml
from companion.yamlfile import load_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class DataTranslation:
    """One data set in one language: the merged data and the texts still in French."""

    data: BaseModel
    missing: list[str]
    path: Path


@dataclass(frozen=True, eq=False)
class DataSet(Generic[M]):
    """A data file of a simulation, and what its overlays may translate."""

    # The French file, data/<name>.yaml; overlays are data/<name>.<lang>.yaml beside it.
    path: Path
    model: type[M]
    # The translatable fields of each list of things with an id: {"offers": {"title", …}}.
    texts: Mapping[str, frozenset[str]]
    # The step type that shows these data (a language that covers a module with such steps
    # must translate them).
    step_type: str
    # Why the other fields stay as they are, for the error message.
    kept: str = "data or a proper name"
    _cache: dict[str, DataTranslation | None] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.path.stem

    def overlays(self) -> dict[str, Path]:
        """The overlay files by language."""
        pattern = re.compile(rf"^{re.escape(self.name)}\.([a-z]{{2,3}})\.yaml$")
        found: dict[str, Path] = {}
        for path in sorted(self.path.parent.glob(f"{self.name}.*.yaml")):
            match = pattern.match(path.name)
            if match:
                found[match.group(1)] = path
        return found

    def french(self) -> M:
        """The French data, read and validated once."""
        data: M = french_data(self.path, self.model)
        return data

    def load(self, lang: str, report: Report, path: Path | None = None) -> DataTranslation | None:
        """The data in `lang` (its overlay merged into the French); None and errors in report
        when the overlay is broken or absent."""
        path = path or self.overlays().get(lang)
        if path is None:
            return None
        base = load_yaml(self.path.read_text(encoding="utf-8"))
        before = len(report.errors)
        over = read_yaml(path, report)
        if over is None:
            if len(report.errors) == before:
                report.errors.append(f"{path}: empty file")
            return None
        errors: list[str] = []
        merged = self._merge(base, over, errors)
        if errors:
            report.errors.extend(f"{path}: {e}" for e in errors)
            return None
        try:
            data = self.model.model_validate(merged)
        except ValidationError as exc:
            report.errors.extend(f"{path}: {m}" for m in self._describe(exc, base))
            return None
        return DataTranslation(data, self._missing(base, over), path)

    def get(self, locale: str | None = None) -> M:
        """The data in the given language: the current request's when None, French outside a
        request. A language without an overlay, or an unknown one, gets the French data."""
        if locale is None:
            from companion.i18n import current_locale

            locale = current_locale()
        if locale not in self._cache:
            translation = self.load(locale, Report()) if locale.isalpha() else None
            self._cache[locale] = translation
        translation = self._cache[locale]
        if translation is None:
            return self.french()
        data: M = translation.data  # type: ignore[assignment]  # validated by self.model
        return data

    # ------------------------------------------------------------------ merging

    def _merge(self, base: dict[str, Any], over: Any, errors: list[str]) -> dict[str, Any]:
        if not isinstance(over, dict):
            errors.append("must be a mapping of lists (for example offers:) keyed by id")
            return base
        merged = dict(base)
        for key, value in over.items():
            if key not in base:
                errors.append(f"{key}: no such field in the French file")
                continue
            if key not in self.texts:
                errors.append(f"{key}: not translated ({self.kept})")
                continue
            if not isinstance(value, dict):
                errors.append(f"{key}: must be a mapping by id")
                continue
            items = {item["id"]: item for item in base[key]}
            for item_id in value:
                if item_id not in items:
                    errors.append(f"{key}.{item_id}: no such id in the French file")
            merged[key] = [
                self._merge_item(item, value[item["id"]], f"{key}.{item['id']}", key, errors)
                if item["id"] in value
                else item
                for item in base[key]
            ]
        return merged

    def _merge_item(
        self, item: dict[str, Any], over: Any, where: str, key: str, errors: list[str]
    ) -> Any:
        allowed = self.texts[key]
        if isinstance(over, dict):
            for name in over:
                if name in item and name not in allowed:
                    errors.append(f"{where}.{name}: not translated ({self.kept})")
            over = {k: v for k, v in over.items() if k in allowed or k not in item}
        return merge(item, over, where, errors, fixed=frozenset(item) - allowed)

    def _missing(self, base: dict[str, Any], over: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for key, allowed in self.texts.items():
            found = over.get(key)
            given: dict[str, Any] = found if isinstance(found, dict) else {}
            for item in base.get(key, []):
                out.extend(
                    missing(
                        item,
                        given.get(item["id"]),
                        f"{key}.{item['id']}",
                        fixed=frozenset(item) - allowed,
                    )
                )
        return out

    @staticmethod
    def _describe(exc: ValidationError, base: dict[str, Any]) -> list[str]:
        """Pydantic's messages, with list positions replaced by the items' ids."""
        out = []
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
                items = base.get(loc[0])
                if isinstance(items, list) and loc[1] < len(items):
                    loc[1] = items[loc[1]].get("id", loc[1])
            where = ".".join(str(p) for p in loc) or "(top)"
            out.append(f"field '{where}': {err['msg']}")
        return out or describe(exc)


@cache
def french_data(path: Path, model: type[BaseModel]) -> Any:
    """A French data file, read and validated once."""
    return model.model_validate(load_yaml(path.read_text(encoding="utf-8")))


DATA_SETS: list[DataSet[Any]] = []


def register(data_set: DataSet[M]) -> DataSet[M]:
    """Declare a data set (done by the step type that uses it, when imported)."""
    if all(d.path != data_set.path for d in DATA_SETS):
        DATA_SETS.append(data_set)
    return data_set


def forget() -> None:
    """Read the data files again at the next use (after they changed)."""
    french_data.cache_clear()
    for data_set in DATA_SETS:
        data_set._cache.clear()


def load_data_translations(report: Report) -> dict[str, dict[str, DataTranslation]]:
    """Every data set in every language that has an overlay: [lang][name]."""
    result: dict[str, dict[str, DataTranslation]] = {}
    for data_set in DATA_SETS:
        for lang in data_set.overlays():
            translation = data_set.load(lang, report)
            if translation is not None:
                result.setdefault(lang, {})[data_set.name] = translation
    return result
