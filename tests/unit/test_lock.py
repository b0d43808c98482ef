"""The lock files (requirements/*.lock, made by `make lock`) pin what pyproject.toml asks for.

`make run`, `make test` and CI install from them with `--require-hashes`: a dependency added
to pyproject.toml without running `make lock` would be missing there, and this fails first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", re.M)
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    pins: dict[str, str] = {canonicalize_name(n): v for n, v in PIN.findall(text)}
    assert pins, name
    # Every pinned package carries at least one hash (pip's --require-hashes needs them).
    assert len(HASH.findall(text)) >= len(pins)
    return pins


def _asked(*groups: str) -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for group in groups:
        lines += project["optional-dependencies"][group]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def test_the_run_lock_pins_every_dependency_within_its_range() -> None:
    pins = _pins("run.lock")
    for name, requirement in _asked("prod").items():
        assert name in pins, f"{name} is not in requirements/run.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_the_test_lock_pins_the_rest_and_agrees_with_the_run_lock() -> None:
    pins = _pins("test.lock")
    for name, requirement in _asked("prod", "test", "bench").items():
        assert name in pins, f"{name} is not in requirements/test.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])
    # The test install goes over the run install: the same versions, never a change.
    for name, version in _pins("run.lock").items():
        assert pins.get(name) == version, name
