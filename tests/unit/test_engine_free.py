"""Which tests the second engine's run leaves to the SQLite run (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.conftest import engine_free

TESTS = Path(__file__).resolve().parents[1]


def item(path: Path, *fixtures: str) -> Any:
    return SimpleNamespace(path=path, fixturenames=list(fixtures))


def test_a_unit_test_without_a_database_runs_once() -> None:
    assert engine_free(item(TESTS / "unit" / "test_formula.py", "tmp_path"))


def test_a_test_that_can_reach_a_database_runs_on_both_engines() -> None:
    # A database fixture, even one reached through another fixture (pytest lists them all).
    for fixture in ("db_path", "demo_db_template", "postgres"):
        assert not engine_free(item(TESTS / "unit" / "test_formula.py", "app", fixture))
    # A file that chooses its engine itself (the backup test reads the engine in use).
    assert not engine_free(item(TESTS / "unit" / "test_backup.py"))
    # This file names the database fixtures: it runs on both engines itself.
    assert not engine_free(item(Path(__file__)))
    # Anything outside tests/unit.
    assert not engine_free(item(TESTS / "web" / "test_fuzz.py"))
    assert not engine_free(item(TESTS / "perf" / "test_migrations.py"))
