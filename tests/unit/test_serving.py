"""The serving process (`gunicorn wsgi:app`) sets Python's garbage collector for its heap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from companion.serving import YOUNGEST_THRESHOLD

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = """
import gc, json
before, default = gc.get_freeze_count(), gc.get_threshold()
import wsgi
print(json.dumps({"before": before, "default": default, "frozen": gc.get_freeze_count(),
                  "threshold": gc.get_threshold(), "app": type(wsgi.app).__name__}))
"""


def test_wsgi_freezes_the_apps_objects_and_collects_less_often(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "COMPANION_ENV": "development",
        "SECRET_KEY": "s" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["app"] == "Flask"
    assert seen["before"] == 0
    # The app's objects (content, templates, URL rules, mappers) are out of the collector's
    # sight: far more than Python's own start-up leaves.
    assert seen["frozen"] > 50_000
    assert seen["threshold"][0] == YOUNGEST_THRESHOLD
    assert seen["threshold"][1:] == seen["default"][1:]  # the older generations as they were
