"""The README says what the repository really holds: step counts, test folders, commands."""

from __future__ import annotations

import re

from flask import Flask

from companion import ROOT
from companion.catalogue import load_catalogue

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """The text with line breaks and runs of spaces as one space (the README wraps lines)."""
    return re.sub(r"\s+", " ", text)


def test_step_counts_are_those_of_the_content() -> None:
    modules, report = load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")
    assert report.ok
    # The entry check (kind: check) is no module: the README describes it apart.
    counts = {m.meta.title: len(m.steps) for m in modules.values() if m.meta.kind != "check"}
    readme = _flat(README)
    low, high = min(counts.values()), max(counts.values())
    assert f"each {low} to {high} short steps" in readme
    for title, count in counts.items():
        assert f"*{title}* ({count} steps" in readme, (title, count)


def test_every_test_folder_is_described() -> None:
    layout = README.split("## Layout", 1)[1].split("```", 2)[1]
    described = set(re.findall(r"^  (\w+)/ ", layout, re.M))
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name[0] != "_"}
    assert described == folders


def test_every_flask_command_is_in_the_readme(app: Flask) -> None:
    ours = [
        name
        for name, command in app.cli.commands.items()
        if command.callback is not None and command.callback.__module__.startswith("companion.")
    ]
    assert "purge" in ours
    for name in ours:
        assert f"flask --app companion {name}" in README, name
