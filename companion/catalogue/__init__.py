"""The module catalogue: content files validated into typed modules at start-up."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from companion.catalogue.loader import ContentError, Report, load_catalogue
from companion.catalogue.schema import Module

EXTENSION_KEY = "companion.catalogue"


def init_app(app: Flask) -> None:
    """Load the content once; refuse to start when it is invalid."""
    pictograms = Path(app.static_folder or "static") / "pictograms"
    modules, report = load_catalogue(Path(app.config["CONTENT_DIR"]), pictograms)
    if not report.ok:
        raise ContentError(report)
    app.extensions[EXTENSION_KEY] = modules


def modules() -> dict[str, Module]:
    """Every module, in display order."""
    result: dict[str, Module] = current_app.extensions[EXTENSION_KEY]
    return result


def get_module(module_id: str) -> Module | None:
    return modules().get(module_id)


__all__ = [
    "ContentError",
    "Module",
    "Report",
    "get_module",
    "init_app",
    "load_catalogue",
    "modules",
]
