"""What the tests that run real servers share (tests/resilience, tests/deploy): free ports,
psql, a demo database with extra learners to load, and the fields of a step's form."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from companion import ROOT

PG = "postgresql+psycopg://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY = re.compile(r'name="submission_key" value="([^"]+)"')
SHOWN = re.compile(r'name="shown_at" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def psql(sql: str, database: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


# `python -c SETUP N` on DATABASE_URL: the migrations (`flask db upgrade`), the demo, plus N
# learners "ChargeNN" of the Atelier Démo with the PIN 1234; prints their personal-link tokens.
SETUP = """
import sys
from flask_migrate import upgrade
from companion import create_app
from companion.extensions import db
from companion.models import Learner, Structure
from companion.services.accounts import new_signin_token
from companion.services.demo import load_demo
from companion.services.passwords import hash_secret
from sqlalchemy import select
app = create_app()
with app.app_context(), app.test_request_context("/"):
    upgrade()
    load_demo()
    atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
    pin = hash_secret("1234")
    for n in range(int(sys.argv[1])):
        db.session.add(Learner(structure_id=atelier.id, first_name=f"Charge{n:02d}",
                               pictogram="star", pin_hash=pin, signin_token=new_signin_token()))
    db.session.commit()
    for learner in db.session.scalars(select(Learner).where(Learner.first_name.like("Charge%"))):
        print(learner.signin_token)
"""


def postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def require_postgres() -> None:
    """Skip a test that needs PostgreSQL where none answers; on CI its absence is a failure
    (`make test` runs these tests in its PostgreSQL run only)."""
    if postgres_reachable():
        return
    if os.environ.get("CI"):
        pytest.fail("PostgreSQL does not answer at 127.0.0.1:5432 on CI")
    pytest.skip("needs PostgreSQL on 127.0.0.1:5432 (CI has it)")


def demo_with_learners(env: dict[str, str], learners: int) -> list[str]:
    """Migrate DATABASE_URL, load the demo and `learners` extra learners (SETUP); their tokens.
    One process for all of it: the app is imported once (about 2 s of CPU a process)."""
    tokens = subprocess.run(
        [sys.executable, "-c", SETUP, str(learners)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(tokens) == learners
    return tokens


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 4) -> Iterator[tuple[int, int]]:
    """`app` served by gunicorn with `workers` workers on a free port, once it answers /;
    yields (port, the master's pid) and stops it after. With --preload, as
    docs/deployment.md runs it: the app is loaded once, then each worker (and one started
    again after a crash) is a fork of it."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            str(workers),
            "--preload",
            "--timeout",
            "120",
            "-b",
            f"127.0.0.1:{port}",
            app,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    else:
        server.kill()
        pytest.fail("gunicorn did not start")
    try:
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=20)
