"""Every test that docs/security.md and docs/privacy.md point to exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `tests/x.py::test_name`, or `::test_name` for another test of the file named just before.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(test_\w+)`")


def _references(doc: str) -> list[tuple[str, str]]:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    found, current = [], ""
    for match in REFERENCE.finditer(text):
        current = match.group(1) or current
        assert current, f"{doc}: `::{match.group(2)}` names no file before it"
        found.append((current, match.group(2)))
    return found


def _tests_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


@pytest.mark.parametrize("doc", ["security.md", "privacy.md"])
def test_every_test_named_in_the_docs_exists(doc: str) -> None:
    references = _references(doc)
    assert len(references) >= 10
    missing = [f"{path}::{name}" for path, name in references if name not in _tests_in(path)]
    assert missing == []
