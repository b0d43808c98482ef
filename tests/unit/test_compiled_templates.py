"""The templates compiled once per test process for every app of the suite (tests/conftest.py):
never a stale one."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from tests.conftest import COMPILED_TEMPLATES, make_app


def environment(name: str, source: str) -> Environment:
    """An environment as an app of the suite has, with one template."""
    return Environment(
        loader=DictLoader({name: source}), bytecode_cache=COMPILED_TEMPLATES, autoescape=True
    )


def never_compile(*_args: Any, **_kwargs: Any) -> None:
    raise AssertionError("compiled again")


def test_every_app_of_the_suite_shares_the_compiled_templates(tmp_path: Path) -> None:
    app = make_app(tmp_path / "unused.sqlite3")
    assert app.jinja_env.bytecode_cache is COMPILED_TEMPLATES


def test_a_template_compiled_for_one_app_is_not_compiled_for_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = f"{uuid.uuid4()}.html"
    first = environment(name, "Bonjour {{ name }}")
    assert first.get_template(name).render(name="Amina") == "Bonjour Amina"
    second = environment(name, "Bonjour {{ name }}")
    monkeypatch.setattr(second, "compile", never_compile)
    assert second.get_template(name).render(name="Bruno") == "Bonjour Bruno"


def test_a_changed_template_is_compiled_again() -> None:
    name = f"{uuid.uuid4()}.html"
    assert environment(name, "Bonjour {{ name }}").get_template(name).render(name="A") == (
        "Bonjour A"
    )
    changed = environment(name, "Au revoir {{ name }}")
    assert changed.get_template(name).render(name="Chloé") == "Au revoir Chloé"
