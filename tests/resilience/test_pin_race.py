"""The PIN lock holds under parallel requests (issue 13, item 1; docs/security.md).

gunicorn with 4 workers, on SQLite and on PostgreSQL. 50 wrong PINs are posted at once to
a learner's personal link, each from its own address (127.0.1.N: the per-address rate limit
is not what is tested), then the right PIN. The right PIN must be refused, the learner must
be locked, and at most 5 PINs may have been checked (tests/resilience/pin_race_app.py
counts each argon2 check in a file the workers share).
"""

from __future__ import annotations

import http.client
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from tests.live import CSRF, PG, demo_with_learners, gunicorn, psql, require_postgres

WRONG = 50
PIN = "1234"  # the PIN tests.live.SETUP gives its learners


def _post(port: int, source: str, path: str, cookie: str, body: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=(source, 0))
    try:
        conn.request(
            "POST",
            path,
            body=urlencode(body),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[int, str, str, Path]]:
    """A migrated demo database with one learner (PIN 1234) behind gunicorn -w 4; yields
    the port, the database URL, the learner's link token and the file of PIN checks."""
    name = f"companion_pin_race_{os.getpid()}"
    if request.param == "postgresql":
        require_postgres()
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
        url = f"{PG}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    checks = tmp_path / "pin-checks.txt"
    checks.write_text("")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "pin-race-secret-key-0123456789abcdef",
        "PIN_CHECKS_FILE": str(checks),
    }
    env.pop("REDIS_URL", None)
    tokens = demo_with_learners(env, 1)
    try:
        with gunicorn("tests.resilience.pin_race_app:app", env) as (port, _pid):
            yield port, url, tokens[0], checks
    finally:
        if request.param == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {name}")


def test_50_parallel_wrong_pins_check_at_most_5_and_lock(
    server: tuple[int, str, str, Path],
) -> None:
    port, url, token, checks = server
    path = f"/s/{token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    csrf = CSRF.search(html)
    assert response.status == 200
    assert csrf
    cookie = next(
        v.split(";", 1)[0]
        for h, v in response.getheaders()
        if h.lower() == "set-cookie" and v.startswith("session=")
    )

    start = threading.Barrier(WRONG)
    statuses: list[int] = []
    errors: list[str] = []

    def guess(n: int) -> None:
        try:
            start.wait()
            status, _html = _post(
                port, f"127.0.1.{n + 1}", path, cookie, {"pin": f"{n:04d}", "csrf_token": csrf[1]}
            )
            statuses.append(status)
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=guess, args=(n + 10,)) for n in range(WRONG)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    assert sorted(set(statuses)) == [422], statuses  # refused, none signed in, no 500

    status, html = _post(port, "127.0.2.1", path, cookie, {"pin": PIN, "csrf_token": csrf[1]})
    assert status == 422, "the right PIN signed in after 50 parallel wrong ones"
    assert re.search(r"Le code est bloqué", html)

    checked = checks.read_text().split()
    print(f"PINs checked: {len(checked)} of {WRONG + 1} posted")
    assert len(checked) <= 5, f"{len(checked)} PINs were checked"
    assert PIN not in checked

    engine = create_engine(url)
    with engine.connect() as db:
        locked = db.execute(
            text("SELECT locked_until FROM learner WHERE signin_token = :t"), {"t": token}
        ).scalar()
    engine.dispose()
    assert locked is not None
