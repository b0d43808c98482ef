"""Time one `seed_scale` in-process: wall, Python CPU, the PostgreSQL backend's CPU, phases.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/companion_seed \\
        .venv/bin/python bench/seed_timing.py --structures 350
    # another version of services/scale.py, e.g. main's, for a before/after pair:
    git show main:companion/services/scale.py > /tmp/scale_main.py
    DATABASE_URL=... .venv/bin/python bench/seed_timing.py --module /tmp/scale_main.py

The database must be migrated (and usually hold the demo); the rows are added to it. The
backend's CPU is read from /proc, so it is only shown when PostgreSQL runs on this machine.
Figures and load averages are in docs/performance.md, "Scale data".
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path
from types import ModuleType

from sqlalchemy import text

from companion import create_app
from companion.extensions import db


def _module(path: str | None) -> ModuleType:
    if path is None:
        from companion.services import scale

        return scale
    spec = importlib.util.spec_from_file_location("scale_under_test", Path(path))
    if spec is None or spec.loader is None:
        sys.exit(f"seed_timing.py: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["scale_under_test"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--structures", type=int, default=350)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--module", help="another services/scale.py to time instead")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        scale = _module(args.module)
        postgresql = db.session.get_bind().dialect.name == "postgresql"
        pid = db.session.scalar(text("SELECT pg_backend_pid()")) if postgresql else None
        load = os.getloadavg()
        backend, python, wall = _cpu(pid), time.process_time(), time.perf_counter()
        report = scale.seed_scale(args.structures, args.learners, args.events)
        wall = time.perf_counter() - wall
        python = time.process_time() - python
        after = _cpu(pid)
        server = f"{after - backend:.1f} s" if after is not None and backend is not None else "?"
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in getattr(report, "phases", {}).items())
        phases = phases or "no phases"
        print(
            f"{report.structures} structures, {report.learners} learners, {report.events} "
            f"events, {report.progress} progress rows: wall {wall:.1f} s ({phases}); "
            f"CPU Python {python:.1f} s, backend {server}; load average "
            f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} -> {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
