"""The module catalogue: content files validated into typed modules at start-up.

French is the source. A module may carry overlay files per language (steps.en.yaml…);
`get_module(id, locale)` gives the module in that language, each missing text in French.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app

from companion.catalogue import datasets
from companion.catalogue.glossary import Glossary
from companion.catalogue.loader import (
    Content,
    ContentError,
    Translation,
    load_catalogue,
    load_content,
)
from companion.catalogue.overlay import Report
from companion.catalogue.schema import Module

EXTENSION_KEY = "companion.catalogue"
TRANSLATIONS_KEY = "companion.catalogue.translations"
GLOSSARY_KEY = "companion.catalogue.glossary"


# Content already loaded in this process, by folder and the state of its files: an app made
# again on unchanged files (the test suite makes one per test) reuses the validated modules,
# which are never changed once loaded. A changed, added or removed file loads it all again.
_LOADED: dict[tuple[str, str], tuple[tuple[tuple[str, int, int], ...], Content]] = {}


def _files_state(*folders: Path) -> tuple[tuple[str, int, int], ...]:
    state = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                state.append((path, info.st_mtime_ns, info.st_size))
    return tuple(sorted(state))


def _load(content_dir: Path, pictograms: Path) -> Content:
    key = (str(content_dir.resolve()), str(pictograms.resolve()))
    data_folders = sorted({d.path.parent for d in datasets.DATA_SETS})
    state = _files_state(content_dir, pictograms, *data_folders)
    cached = _LOADED.get(key)
    if cached is not None and cached[0] == state:
        return cached[1]
    datasets.forget()  # the simulations' data are read again too
    content = load_content(content_dir, pictograms)
    if content.report.ok:
        _LOADED[key] = (state, content)
    return content


def init_app(app: Flask) -> None:
    """Load the content once; refuse to start when it is invalid."""
    pictograms = Path(app.static_folder or "static") / "pictograms"
    content = _load(Path(app.config["CONTENT_DIR"]), pictograms)
    if not content.report.ok:
        raise ContentError(content.report)
    app.extensions[EXTENSION_KEY] = content.modules
    app.extensions[TRANSLATIONS_KEY] = {
        lang: {module_id: t.module for module_id, t in by_module.items()}
        for lang, by_module in content.translations.items()
    }
    app.extensions[GLOSSARY_KEY] = content.glossary


def _locale(locale: str | None) -> str:
    if locale is not None:
        return locale
    from companion.i18n import current_locale

    return current_locale()


def modules(locale: str | None = None) -> dict[str, Module]:
    """Every module, in display order, in the given language.

    locale None means the language of the current request (French outside a request);
    a module without that language, or an unknown language, comes in French.
    """
    french: dict[str, Module] = current_app.extensions[EXTENSION_KEY]
    translated: dict[str, Module] = current_app.extensions[TRANSLATIONS_KEY].get(
        _locale(locale), {}
    )
    if not translated:
        return french
    return {module_id: translated.get(module_id, module) for module_id, module in french.items()}


def get_module(module_id: str, locale: str | None = None) -> Module | None:
    """One module in the given language (see modules()), or None when there is no such id."""
    french: dict[str, Module] = current_app.extensions[EXTENSION_KEY]
    if module_id not in french:
        return None
    translated: dict[str, Module] = current_app.extensions[TRANSLATIONS_KEY].get(
        _locale(locale), {}
    )
    return translated.get(module_id, french[module_id])


def glossary(locale: str | None = None) -> Glossary:
    """The glossary in the given language (see modules()); French where not translated."""
    by_lang: dict[str, Glossary] = current_app.extensions.get(GLOSSARY_KEY, {})
    return by_lang.get(_locale(locale)) or by_lang.get("fr") or Glossary()


__all__ = [
    "Content",
    "ContentError",
    "Module",
    "Report",
    "Translation",
    "get_module",
    "glossary",
    "init_app",
    "load_catalogue",
    "load_content",
    "modules",
]
