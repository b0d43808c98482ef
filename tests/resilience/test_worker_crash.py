"""Nothing acknowledged is lost: 4 gunicorn workers on PostgreSQL, one killed mid-load.

50 learners answer a whole module at once through real HTTP. In the middle, one worker is
killed with SIGKILL. Every answer the server acknowledged must be stored exactly once, and
answers retried after a dropped connection (same submission key) must not be counted twice.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from companion import ROOT
from companion.catalogue import load_catalogue
from companion.catalogue.schema import Module
from tests.live import CSRF, KEY, PG, SHOWN, demo_with_learners, gunicorn, psql, require_postgres
from tests.steps import ANSWERERS

LEARNERS = 50
TOKEN = re.compile(r"/s/([A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, str, list[str], int]]:
    require_postgres()
    name = f"companion_crash_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{name}",
        "SECRET_KEY": "crash-test-secret-key-0123456789abcdef",
    }
    tokens = demo_with_learners(env, LEARNERS)
    try:
        with gunicorn("wsgi:app", env) as (port, pid):
            yield port, name, tokens, pid
    finally:
        psql(f"DROP DATABASE IF EXISTS {name}")


class Learner:
    """One learner's browser: its own source address (127.0.0.N) and session cookie."""

    def __init__(self, port: int, n: int) -> None:
        self.port = port
        self.source = f"127.0.{1 + n // 200}.{1 + n % 200}"
        self.cookie = ""
        self.acknowledged: list[str] = []
        self.retried = 0

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, str]:
        for attempt in range(5):
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=90, source_address=(self.source, 0)
            )
            headers = {"Cookie": self.cookie} if self.cookie else {}
            data = None
            if body is not None:
                data = urlencode(body, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                text = response.read().decode()
            except (OSError, http.client.HTTPException):
                # The worker died under us: the browser (or our offline queue) sends again.
                self.retried += attempt == 0
                time.sleep(0.2)
                continue
            finally:
                conn.close()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith("session="):
                    self.cookie = value.split(";", 1)[0]
            return response.status, text
        raise AssertionError(f"{method} {path} failed five times")


def _sign_in(learner: Learner, token: str) -> None:
    status, html = learner.request("GET", f"/s/{token}")
    csrf = CSRF.search(html)
    assert status == 200, status
    assert csrf
    status, _ = learner.request("POST", f"/s/{token}", {"pin": "1234", "csrf_token": csrf[1]})
    assert status == 302, f"sign-in gave {status}"


def _run_learner(learner: Learner, module: Module, errors: list[str]) -> None:
    try:
        for step in module.steps:
            path = f"/learn/modules/{module.id}/steps/{step.id}"
            status, html = learner.request("GET", path)
            csrf, key, shown = CSRF.search(html), KEY.search(html), SHOWN.search(html)
            assert status == 200, f"{path}: {status}"
            assert csrf, path
            assert key, path
            assert shown, path
            body = {"csrf_token": csrf[1], "submission_key": key[1], "shown_at": shown[1]}
            body.update(ANSWERERS[step.type_name].right_answer(step))
            status, _ = learner.request("POST", path, body)
            assert status in (200, 302), f"{path}: answer gave {status}"
            learner.acknowledged.append(body["submission_key"])
    except AssertionError as exc:
        errors.append(str(exc))


def test_no_acknowledged_answer_is_lost_when_a_worker_dies(
    server: tuple[int, str, list[str], int],
) -> None:
    port, name, tokens, master = server
    modules, _report = load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")
    module = modules["mots-de-passe"]
    learners = [Learner(port, n) for n in range(LEARNERS)]
    for learner, token in zip(learners, tokens, strict=True):
        _sign_in(learner, token)  # sign-in is not what this test is about
    errors: list[str] = []
    threads = [
        threading.Thread(target=_run_learner, args=(lrn, module, errors)) for lrn in learners
    ]
    for t in threads:
        t.start()
    # Wait until about a third of all answers are in, then kill one worker outright.
    total = LEARNERS * len(module.steps)
    deadline = time.monotonic() + 300
    while sum(len(lrn.acknowledged) for lrn in learners) < total // 3:
        assert not errors, errors
        assert time.monotonic() < deadline, "load did not progress"
        time.sleep(0.05)
    workers = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=True
    ).stdout.split()
    os.kill(int(workers[0]), signal.SIGKILL)
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    retried = sum(lrn.retried for lrn in learners)
    print(f"answers: {total}, requests retried after the crash: {retried}")

    acknowledged = [key for lrn in learners for key in lrn.acknowledged]
    assert len(acknowledged) == total
    stored = psql(
        "SELECT submission_key FROM progress_event "
        "WHERE learner_id IN (SELECT id FROM learner WHERE first_name LIKE 'Charge%')",
        name,
    ).split()
    assert len(stored) == len(set(stored)), "an answer was stored twice"
    assert sorted(stored) == sorted(acknowledged), "an acknowledged answer was lost"
    done = psql(
        "SELECT count(*) FROM progress p JOIN learner l ON l.id = p.learner_id "
        "WHERE l.first_name LIKE 'Charge%' AND p.status IS NOT NULL AND p.tries <= 1",
        name,
    )
    assert int(done) == total  # each step done once, no double-counted try
