"""Where the time goes: each hot path profiled in-process with cProfile, on bench data.

    .venv/bin/python bench/profile_paths.py         # bench/data/bench.sqlite3
    .venv/bin/python bench/profile_paths.py --top 25 --repeat 200 --only step
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/companion_bench \
        .venv/bin/python bench/profile_paths.py

The app is the one gunicorn serves (same settings as bench/bench.py, the garbage collector set
as wsgi.py sets it), driven by Flask's test client, signed in through the real forms. For each
path it prints the mean time per request and cProfile's top functions by own time and by
cumulated time, grouped so that a reader sees session loading, CSRF, Jinja, url_for,
translations, SQL and compression; with --plain, the time per request without the profiler
and the garbage collector's share of it. Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import html
import io
import os
import pstats
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench import (  # noqa: E402 - bench/bench.py, stdlib only
    CSRF_RE,
    SCALE_PASSWORD,
    SCALE_PIN,
    SECRET_KEY,
    USER_AGENT,
)

CHOICE_RE = re.compile(r'name="choice" (?:type="\w+" )?value="([^"]+)"')

# Buckets of the profile, by where a function lives: what docs/performance.md reports.
BUCKETS: list[tuple[str, tuple[str, ...]]] = [
    ("SQL (SQLAlchemy + driver)", ("sqlalchemy", "sqlite3", "psycopg")),
    ("Jinja rendering", ("jinja2", "<template>", "templates/")),
    ("url_for / routing", ("werkzeug/routing", "url_for")),
    ("translations (Babel)", ("babel", "flask_babel", "gettext")),
    ("CSRF (Flask-WTF)", ("flask_wtf", "wtforms")),
    ("session + Flask-Login", ("flask_login", "flask/sessions", "itsdangerous", "session.py")),
    ("compression (brotli/gzip)", ("flask_compress", "brotli", "gzip", "zlib")),
]


def make_client(url: str) -> Any:
    os.environ.update(DATABASE_URL=url, SECRET_KEY=SECRET_KEY, COMPANION_ENV="development")
    from companion import create_app

    from companion.serving import settle_garbage_collector

    app = create_app()
    settle_garbage_collector()  # as wsgi.py does for gunicorn
    return app, app.test_client()


def csrf_of(page: str) -> str:
    match = CSRF_RE.search(page)
    if not match:
        raise SystemExit("no CSRF token")
    return match.group(1)


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench/data/bench.sqlite3'}")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--only", default="", help="a substring of the path names")
    parser.add_argument(
        "--plain", action="store_true", help="only time the requests, without cProfile"
    )
    parser.add_argument("--dump", default="", help="folder for .prof files (snakeviz, …)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or args.database_url
    app, _ = make_client(url)
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    with create_engine(url).connect() as c:
        big_id, big_cip = c.execute(
            sql(
                "SELECT s.id, (SELECT email FROM staff_user WHERE structure_id = s.id AND "
                "role = 'CIP' AND email LIKE 'cip-%' ORDER BY id LIMIT 1) FROM structure s "
                "JOIN learner l ON l.structure_id = s.id GROUP BY s.id ORDER BY COUNT(*) DESC "
                "LIMIT 1"
            )
        ).one()
        token, small_cip = c.execute(
            sql(
                "SELECT l.signin_token, (SELECT email FROM staff_user WHERE structure_id = "
                "l.structure_id AND role = 'CIP' ORDER BY id LIMIT 1) FROM learner l WHERE "
                f"l.signin_token LIKE 'scale-%' AND l.structure_id <> {int(big_id)} "
                "ORDER BY l.id LIMIT 1"
            )
        ).one()
    headers = {"User-Agent": USER_AGENT}  # sign-in: plain bodies to read
    wire = {"User-Agent": USER_AGENT, "Accept-Encoding": "br, gzip"}  # measured: as wrk asks

    learner = app.test_client()
    page = text(learner.get(f"/s/{token}", headers=headers))
    learner.post(
        f"/s/{token}", data={"pin": SCALE_PIN, "csrf_token": csrf_of(page)}, headers=headers
    )
    home = text(learner.get("/learn/", headers=headers))
    modules = re.findall(r'href="/learn/modules/([^/"]+)', home)
    module_id = "mots-de-passe" if "mots-de-passe" in modules else modules[0]  # as bench.py
    step_path = f"/learn/modules/{module_id}/steps/strongest"
    step_page = text(learner.get(step_path, headers=headers))
    choice = CHOICE_RE.search(step_page).group(1)  # type: ignore[union-attr]
    step_csrf = csrf_of(step_page)
    counter = iter(range(10**9))
    run = time.time_ns()  # each run's keys are new: a key already recorded is not an answer

    def answer() -> Any:
        key = f"profile{run}-{next(counter):08d}"
        return learner.post(
            step_path,
            data={
                "csrf_token": step_csrf,
                "choice": choice,
                "submission_key": key,
                "shown_at": str(int(time.time())),
            },
            headers=wire,
        )

    def staff(email: str) -> Any:
        client = app.test_client()
        page = text(client.get("/staff/signin", headers=headers))
        client.post(
            "/staff/signin",
            data={"email": email, "password": SCALE_PASSWORD, "csrf_token": csrf_of(page)},
            headers=headers,
        )
        return client

    kiosk = staff(small_cip)
    page = text(kiosk.get("/staff/kiosk", headers=headers))
    kiosk.post(
        "/staff/kiosk",
        data={"label": "Borne profil", "csrf_token": csrf_of(page)},
        headers=headers,
    )
    cip = staff(big_cip)

    paths: list[tuple[str, Callable[[], Any], int]] = [
        ("trivial /health", lambda: learner.get("/health", headers=wire), args.repeat),
        ("learner step GET", lambda: learner.get(step_path, headers=wire), args.repeat),
        ("learner answer POST", answer, args.repeat),
        ("kiosk home (100 learners)", lambda: kiosk.get("/kiosk/", headers=wire), args.repeat),
        (
            "CIP home (300 learners)",
            lambda: cip.get("/staff/learners", headers=wire),
            max(5, args.repeat // 5),
        ),
        (
            "XLSX export (300 learners)",
            lambda: cip.get("/staff/export.xlsx", headers=wire),
            max(3, args.repeat // 20),
        ),
    ]
    for name, call, repeat in paths:
        if args.only and args.only not in name:
            continue
        response = call()
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code}")
        for _ in range(3):
            call()
        if args.plain:
            collector = GarbageTimer()
            started, cpu = time.perf_counter(), time.process_time()
            with collector:
                for _ in range(repeat):
                    call()
            mean = (time.perf_counter() - started) / repeat * 1000
            cpu_ms = (time.process_time() - cpu) / repeat * 1000
            print(
                f"{name:30} {mean:8.2f} ms wall, {cpu_ms:8.2f} ms CPU per request "
                f"({repeat} requests, no profiler, load {os.getloadavg()[0]:.1f}); "
                f"garbage collector {collector.seconds / repeat * 1000:.2f} ms per request "
                f"({collector.summary()})"
            )
            continue
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(repeat):
            call()
        profile.disable()
        mean = (time.perf_counter() - started) / repeat * 1000
        report(name, profile, mean, repeat, args.top)
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            profile.dump_stats(str(Path(args.dump) / f"{slug}.prof"))


class GarbageTimer:
    """The time Python's garbage collector takes while it is installed, per generation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.runs = [0, 0, 0]
        self._started = 0.0

    def __enter__(self) -> GarbageTimer:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.runs[info["generation"]] += 1

    def summary(self) -> str:
        return ", ".join(f"gen{n} ×{count}" for n, count in enumerate(self.runs))


def report(name: str, profile: cProfile.Profile, mean: float, repeat: int, top: int) -> None:
    stats = pstats.Stats(profile)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values())
    buckets = {label: 0.0 for label, _ in BUCKETS}
    for (filename, _line, func), (_cc, _nc, tt, _ct, _callers) in raw.items():
        where = f"{filename}:{func}"
        for label, needles in BUCKETS:
            if any(n in where for n in needles):
                buckets[label] += tt
                break
    print(f"\n=== {name}: {mean:.2f} ms per request under cProfile ({repeat} requests)")
    print("own time by area:")
    for label, seconds in sorted(buckets.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * seconds / total:5.1f} %  {label}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    print("top by own time:")
    print(_trim(out.getvalue()))
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top + 10)
    print("top by cumulated time:")
    print(_trim(out.getvalue()))


def _trim(text_: str) -> str:
    lines = text_.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    root = str(ROOT) + "/"
    venv = re.compile(r"\S*/site-packages/")
    return "\n".join(venv.sub("", line.replace(root, "")) for line in lines[start:] if line)


if __name__ == "__main__":
    main()
