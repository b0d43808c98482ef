"""The picture of companion's packages in docs/architecture.md, drawn from the real imports.

The layers come from the import-linter contract in pyproject.toml (one home for them), the
arrows from grimp's graph of the imports (the library import-linter itself uses). Run
`python -m tests.tools.package_graph` to print it; tests/unit/test_architecture.py fails when
the page no longer shows what the code does.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "companion"


def layers() -> list[list[str]]:
    """The layers of the contract "layers", top first, each a list of sibling names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def imports_between_packages() -> dict[str, set[str]]:
    """For each package (or module) right under companion, those it imports directly."""
    graph = grimp.build_graph(PACKAGE)
    found: dict[str, set[str]] = {}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = imported.split(".")
            if len(target) >= 2 and target[1] != parts[1]:
                found.setdefault(parts[1], set()).add(target[1])
    return found


def picture() -> str:
    """One line per package, top layer first: its name and what it imports."""
    edges = imports_between_packages()
    names = [name for layer in layers() for name in layer]
    width = max(len(name) for name in names)
    lines = []
    for n, layer in enumerate(layers(), start=1):
        for k, name in enumerate(layer):
            where = f"{n}" if k == 0 else " "
            targets = ", ".join(sorted(edges.get(name, set()))) or "(nothing of companion)"
            lines.append(f"{where} │ {name.ljust(width)} ──▶ {targets}")
        if n < len(layers()):
            lines.append("  │")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(picture() + "\n")
