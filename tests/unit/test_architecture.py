"""The layers are checked by tools, not only written down (docs/architecture.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from companion.extensions import db
from companion.models import Learner, Note
from tests.tools.package_graph import picture
from tests.write_guard import WriteOutsideServices

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept() -> None:
    """Layers, the content alone, only services touch the session, no import cycle."""
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


def test_the_picture_of_the_packages_is_the_code() -> None:
    """docs/architecture.md shows the imports the code has (python -m tests.tools.package_graph
    prints the picture to paste)."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    after = doc.split("<!-- packages:begin -->\n```\n", 1)[1]
    shown = after.split("\n```\n<!-- packages:end", 1)[0]
    assert shown == picture()


def as_if_in(module: str, code: str) -> Callable[..., Any]:
    """A function whose code runs as if written in `module` (what the guard looks at)."""
    namespace: dict[str, Any] = {"__name__": module}
    exec(f"def act(learner, session, Note):\n    {code}\n", namespace)  # noqa: S102
    act: Callable[..., Any] = namespace["act"]
    return act


WRITES = [
    "learner.first_name = 'Zoé'",
    "session.add(Note(structure_id=learner.structure_id, learner_id=learner.id, body='x'))",
    "session.commit()",
]


@pytest.mark.parametrize("code", WRITES)
def test_a_view_that_writes_fails(app: Flask, code: str) -> None:
    with app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        act = as_if_in("companion.web.learner", code)
        with pytest.raises(WriteOutsideServices, match=re.escape("from companion.web.learner:2")):
            act(amina, db.session, Note)
        db.session.rollback()


@pytest.mark.parametrize("code", WRITES)
def test_a_service_may_write(app: Flask, code: str) -> None:
    with app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        as_if_in("companion.services.learners", code)(amina, db.session, Note)
        db.session.rollback()


def test_reading_is_free_everywhere(app: Flask) -> None:
    with app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        as_if_in("companion.web.learner", "return learner.first_name")(amina, db.session, Note)
