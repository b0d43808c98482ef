"""`make deploy-check`: the documented deployment, for real, on loopback.

nginx (Debian's package) runs deploy/nginx.conf — the file docs/deployment.md shows — over
TLS in front of two gunicorn app servers started as docs/deployment.md says, both on one
PostgreSQL database and one Redis (a key prefix of this run's own), with PROXY_COUNT=1.
Clients come from different loopback addresses (127.0.0.2, 127.0.0.3 …), as different
people would. It checks, and prints what it measured:

1. HTTPS as the app sees it: Secure cookies, HSTS, https:// links on the QR cards;
2. static files: only fingerprinted URLs (?v=<hash>) are cached for a year;
3. sign-in limits are per client and shared by the two app servers: one client's 40 wrong
   sign-ins get it 429 after 20, and another client signs in at once;
4. guessing a staff password waits longer and longer, whichever server answers, and the
   owner on a device where they signed in before is not made to wait;
5. no personal-link token in nginx's or gunicorn's access logs;
6. killing one app server (SIGKILL, master and workers) while learners answer loses no
   acknowledged answer and counts none twice.

Run from the repository root: `python -m tests.deploy.deploy_check`. Needs nginx, openssl,
PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis on 127.0.0.1:6379.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import redis

from companion import ROOT
from companion.catalogue import Module, load_catalogue
from companion.services.cards import qr_svg
from tests.live import CSRF, KEY, PG, SETUP, SHOWN, free_port, psql
from tests.steps import ANSWERERS

REDIS = "redis://127.0.0.1:6379/0"
DEMO_PASSWORD = "Demo-Compagnon-2026"
LEARNERS = 12
FINGERPRINTED_CSS = re.compile(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"')
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # /usr/sbin is not on every PATH
DOC = ROOT / "docs" / "deployment.md"


class CheckFailed(AssertionError):
    pass


def check(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def say(message: str) -> None:
    print(message, flush=True)


def documented_access_log_format() -> str:
    match = re.search(r"--access-logformat '([^']+)'", DOC.read_text(encoding="utf-8"))
    check(match, "docs/deployment.md shows no gunicorn --access-logformat")
    assert match is not None
    return match.group(1)


# What the check changes in deploy/nginx.conf: addresses, names and paths only. Each must be
# found, so that the file cannot drift away from what is checked.
def nginx_server_config(upstreams: list[int], port: int, tmp: Path) -> str:
    text = NGINX_CONF.read_text(encoding="utf-8")
    replacements = {
        "    server 10.0.0.11:8000;\n    server 10.0.0.12:8000;\n": "".join(
            f"    server 127.0.0.1:{p};\n" for p in upstreams
        ),
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "/etc/ssl/certs/compagnon.example.org.pem": str(tmp / "cert.pem"),
        "/etc/ssl/private/compagnon.example.org.key": str(tmp / "key.pem"),
        "/var/log/nginx/companion.access.log": str(tmp / "nginx-access.log"),
        "/srv/companion/static/": f"{ROOT / 'static'}/",
    }
    for old, new in replacements.items():
        check(old in text, f"deploy/nginx.conf no longer holds {old!r}: update this check")
        text = text.replace(old, new)
    return text


def nginx_main_config(tmp: Path, server: str) -> str:
    temp = "".join(
        f"    {name}_temp_path {tmp / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'nginx-error.log'};\n"
        "events { worker_connections 512; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temp}{server}\n}}\n"
    )


@dataclass
class Stack:
    tmp: Path
    database: str
    prefix: str
    port: int
    upstreams: list[int]
    servers: list[subprocess.Popen[bytes]]
    nginx: subprocess.Popen[bytes] | None
    tokens: list[str]


def _wait_for(url_check: Callable[[], bool], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(OSError, http.client.HTTPException):
            if url_check():
                return
        time.sleep(0.3)
    raise CheckFailed(f"{what} did not start in {seconds:.0f} s")


def _plain_get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def _healthy(port: int) -> bool:
    return _plain_get(port, "/health") == 200


def start_gunicorn(
    env: dict[str, str], port: int, prefix: str, tmp: Path, n: int
) -> subprocess.Popen[bytes]:
    """One app server as docs/deployment.md runs it (fewer workers: 2 cores here)."""
    bin_dir = Path(sys.executable).parent
    app = f"companion:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}'}})"
    return subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "--workers", "2",
            "--bind", f"127.0.0.1:{port}",
            "--preload",
            "--max-requests", "2000", "--max-requests-jitter", "200", "--timeout", "30",
            "--access-logfile", str(tmp / f"gunicorn-{n}-access.log"),
            "--access-logformat", documented_access_log_format(),
            "--error-logfile", str(tmp / f"gunicorn-{n}-error.log"),
            app,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killed whole, workers included
    )  # fmt: skip


@contextmanager
def stack() -> Iterator[Stack]:
    tmp = Path(tempfile.mkdtemp(prefix="companion-deploy-check-"))
    tmp.chmod(0o755)  # nginx's workers run as another user when started by root
    database = f"companion_deploy_{os.getpid()}"
    prefix = f"companion-deploy-check-{os.getpid()}"
    servers: list[subprocess.Popen[bytes]] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem"),
             "-out", str(tmp / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        psql(f"DROP DATABASE IF EXISTS {database}")
        psql(f"CREATE DATABASE {database}")
        base = {
            **os.environ,
            "DATABASE_URL": f"{PG}/{database}",
            "SECRET_KEY": "deploy-check-secret-key-0123456789abcdef",
        }
        bin_dir = Path(sys.executable).parent
        started = time.monotonic()
        subprocess.run(
            [str(bin_dir / "flask"), "--app", "companion", "db", "upgrade"],
            check=True, env=base, cwd=ROOT, capture_output=True,
        )  # fmt: skip
        # The demo refuses to run in production: it is loaded as a developer would.
        tokens = subprocess.run(
            [sys.executable, "-c", SETUP, str(LEARNERS)],
            check=True, env={**base, "COMPANION_ENV": "development"}, cwd=ROOT,
            capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        say(f"database {database} migrated, demo loaded ({time.monotonic() - started:.1f} s)")
        env = {
            **base,
            "COMPANION_ENV": "production",
            "REDIS_URL": REDIS,
            "PROXY_COUNT": "1",
        }
        upstreams = [free_port(), free_port()]
        for n, upstream in enumerate(upstreams):
            servers.append(start_gunicorn(env, upstream, prefix, tmp, n))
        for upstream in upstreams:
            _wait_for(partial(_healthy, upstream), f"gunicorn :{upstream}")
        port = free_port()
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / name).mkdir(mode=0o777)
            (tmp / name).chmod(0o777)
        conf = tmp / "nginx.conf"
        conf.write_text(
            nginx_main_config(tmp, nginx_server_config(upstreams, port, tmp)), encoding="utf-8"
        )
        tested = subprocess.run(
            [NGINX, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True
        )
        check(tested.returncode == 0, f"nginx -t refused the documented config:\n{tested.stderr}")
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack = Stack(tmp, database, prefix, port, upstreams, servers, nginx, tokens)
        _wait_for(lambda: Client(stack, "127.0.0.9").get("/health").status == 200, "nginx")
        say(
            f"nginx {port} (TLS) → gunicorn {upstreams[0]} and {upstreams[1]}, "
            f"2 workers each, PostgreSQL, Redis prefix {prefix}"
        )
        yield stack
    finally:
        if nginx is not None:
            nginx.terminate()
            with suppress(subprocess.TimeoutExpired):
                nginx.wait(timeout=10)
        for server in servers:
            with suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                server.wait(timeout=20)
        with suppress(subprocess.CalledProcessError):
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        store = redis.Redis.from_url(REDIS)
        keys = list(store.scan_iter(match=f"*{prefix}*"))
        if keys:
            store.delete(*keys)
        store.close()
        if os.environ.get("KEEP_DEPLOY_CHECK"):
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    text: str

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def cookies(self) -> dict[str, str]:
        return {v.split("=", 1)[0]: v for k, v in self.headers if k.lower() == "set-cookie"}


@dataclass
class Client:
    """A browser at its own loopback address, speaking HTTPS to nginx, keeping its cookies."""

    stack: Stack
    source: str
    cookies: dict[str, str] = field(default_factory=dict)
    retried: int = 0
    acknowledged: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retries: int = 0,
    ) -> Reply:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the check's own self-signed certificate
        origin = f"https://127.0.0.1:{self.stack.port}"
        sent = {"Referer": origin + path, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(retries + 1):
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.stack.port, timeout=60, context=context,
                source_address=(self.source, 0),
            )  # fmt: skip
            try:
                conn.request(method, path, body=data, headers=sent)
                response = conn.getresponse()
                reply = Reply(response.status, response.getheaders(), response.read().decode())
            except (OSError, http.client.HTTPException):
                reply = Reply(0, [], "")
            finally:
                conn.close()
            # A server killed under the request: nginx answers 502 (or the connection
            # drops); the browser (or the offline queue) sends the same answer again.
            if reply.status in (0, 502, 504) and attempt < retries:
                self.retried += 1
                time.sleep(0.2)
                continue
            break
        for name, value in reply.cookies().items():
            self.cookies[name] = value.split(";", 1)[0].split("=", 1)[1]
        return reply

    def get(self, path: str, retries: int = 0) -> Reply:
        return self.request("GET", path, retries=retries)

    def post_form(self, page: str, fields: dict[str, str], url: str = "") -> Reply:
        html = self.get(page).text
        token = CSRF.search(html)
        check(token, f"no CSRF token on {page}")
        assert token is not None
        return self.request("POST", url or page, {**fields, "csrf_token": token[1]})

    def staff_signin(self, email: str, password: str) -> Reply:
        return self.post_form("/staff/signin", {"email": email, "password": password})


def check_https(stack: Stack) -> None:
    client = Client(stack, "127.0.0.2")
    page = client.get("/staff/signin")
    session = page.cookies().get("session", "")
    check(page.status == 200, f"/staff/signin gave {page.status}")
    check("Secure" in session and "HttpOnly" in session, f"session cookie: {session!r}")
    check(page.header("Strict-Transport-Security"), "no HSTS")
    check("camera=()" in page.header("Permissions-Policy"), "no Permissions-Policy")
    reply = client.staff_signin("cip@atelier.example", DEMO_PASSWORD)
    check(reply.status == 302, f"CIP sign-in gave {reply.status}")
    device = reply.cookies().get("companion_device", "")
    check("Secure" in device, f"known-device cookie: {device!r}")
    # A new PIN for Amina: the card's QR code must hold an https:// link.
    amina = psql("SELECT id FROM learner WHERE first_name = 'Amina'", stack.database)
    file_url = f"/staff/learners/{amina}"
    given = client.post_form(file_url, {}, url=f"{file_url}/pin")
    check(given.status == 302, f"new PIN gave {given.status}")
    # The cards are shown once, on the page the answer sends to (reloading it is safe).
    cards = client.get(f"{file_url}/cards")
    check(cards.status == 200, f"the cards page gave {cards.status}")
    token = psql("SELECT signin_token FROM learner WHERE first_name = 'Amina'", stack.database)
    link = f"https://127.0.0.1:{stack.port}/s/{token}"
    check(qr_svg(link) in cards.text, "the QR card does not hold the https:// link")
    # Open the link, so the access logs have something to hide.
    check(Client(stack, "127.0.0.3").get(f"/s/{token}?lang=fr").status == 200, "link")
    say("HTTPS: Secure cookies, HSTS, Permissions-Policy, https:// link in the QR code")


def check_static(stack: Stack) -> None:
    client = Client(stack, "127.0.0.2")
    css = FINGERPRINTED_CSS.search(client.get("/").text)
    check(css, "no fingerprinted stylesheet link on /")
    assert css is not None
    fingerprinted = client.get(css[1])
    plain = client.get("/static/css/app.css")
    check(fingerprinted.status == plain.status == 200, "static files not served")
    year = fingerprinted.header("Cache-Control")
    check("max-age=31536000" in year and "immutable" in year, f"?v=: {year!r}")
    short = plain.header("Cache-Control")
    check("31536000" not in short and "immutable" not in short, f"no ?v=: {short!r}")
    check(fingerprinted.header("Server").startswith("nginx"), "not served by nginx")
    say(f"static: {css[1]} → {year!r}; without ?v= → {short!r}")


def check_limits_per_client(stack: Stack) -> None:
    abuser, other = Client(stack, "127.0.0.4"), Client(stack, "127.0.0.5")
    token = CSRF.search(abuser.get("/staff/signin").text)
    assert token is not None

    def wrong_signin(n: int) -> int:
        # Eight at a time, as an attacker would: all within the limit's one-minute window
        # however slow the machine (each unknown address costs a real argon2 check).
        browser = Client(stack, abuser.source, dict(abuser.cookies))
        fields = {"email": f"guess{n}@nowhere.example", "password": "x", "csrf_token": token[1]}
        return browser.request("POST", "/staff/signin", fields).status

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(wrong_signin, range(40)))
    seconds = time.monotonic() - started
    check(seconds < 55, f"40 sign-ins took {seconds:.0f} s: longer than the limit's window")
    accepted = codes.count(422)
    check(accepted == 20, f"{accepted} wrong sign-ins answered (20 expected): {codes}")
    check(codes.count(429) == 20, f"{codes}")
    # X-Forwarded-For sent by the client is kept, but the last address is nginx's view.
    spoofed = abuser.request(
        "POST",
        "/staff/signin",
        {"email": "x@nowhere.example", "password": "x", "csrf_token": token[1]},
        headers={"X-Forwarded-For": "198.51.100.77"},
    )
    check(spoofed.status == 429, f"a spoofed X-Forwarded-For escaped the limit ({spoofed.status})")
    reply = other.staff_signin("cip@atelier.example", DEMO_PASSWORD)
    check(reply.status == 302, f"another client was blocked: {reply.status}")
    served = [
        (stack.tmp / f"gunicorn-{n}-access.log")
        .read_text(encoding="utf-8")
        .count("POST /staff/signin")
        for n in range(2)
    ]
    check(min(served) >= 10, f"sign-ins were not spread over both app servers: {served}")
    say(
        f"limits: 40 wrong sign-ins from one client, 8 at a time, in {seconds:.0f} s: 20 "
        f"answered and 20 got 429, counted together by both app servers ({served[0]} + "
        f"{served[1]} posts); a spoofed X-Forwarded-For still 429; another client signed in"
    )


def check_account_waits(stack: Stack) -> None:
    owner = Client(stack, "127.0.0.6")
    check(owner.staff_signin("direction@atelier.example", DEMO_PASSWORD).status == 302, "owner")
    owner.cookies.pop("session", None)
    codes: list[int] = []
    told = ""
    started = time.monotonic()
    for n in range(12):
        guesser = Client(stack, f"127.0.0.{20 + n}")  # a new address each time
        reply = guesser.staff_signin("direction@atelier.example", f"guess-{n}")
        codes.append(reply.status)
        told = told or (reply.text if reply.status == 429 else "")
    seconds = time.monotonic() - started
    # After 5 free guesses, the k-th more waits 2**k seconds: in T seconds at most
    # log2(T + 2) - 1 more can be checked, however fast or slow this machine is.
    checked_after_five = codes[5:].count(422)
    allowed = max(0, int(math.log2(seconds + 2)) - 1)
    check(codes[:5] == [422] * 5, f"guesses: {codes}")
    check(checked_after_five <= allowed, f"{checked_after_five} > {allowed} in {seconds:.0f} s")
    check(codes.count(429) >= 12 - 5 - allowed, f"guesses: {codes}")
    check("attendez" in told, "the wait is not told")
    reply = owner.staff_signin("direction@atelier.example", DEMO_PASSWORD)
    check(reply.status == 302, f"the owner on a known device was blocked: {reply.status}")
    stranger = Client(stack, "127.0.0.40")
    check(
        stranger.staff_signin("direction@atelier.example", "guess-9").status == 422,
        "the owner's sign-in did not clear the waits",
    )
    say(
        f"account waits: 12 guesses from 12 addresses in {seconds:.0f} s: {codes}; "
        "the owner's known device signed in"
    )


def check_logs(stack: Stack) -> None:
    token = psql("SELECT signin_token FROM learner WHERE first_name = 'Amina'", stack.database)
    logs = {
        name: (stack.tmp / name).read_text(encoding="utf-8")
        for name in ("nginx-access.log", "gunicorn-0-access.log", "gunicorn-1-access.log")
    }
    for name, text in logs.items():
        check(token not in text, f"{name} holds a personal-link token")
    joined = "".join(logs.values())
    check("/s/***?lang=fr" in joined, "the masked link is not in the logs")
    check("/s/***?lang=fr" in logs["nginx-access.log"], "nginx did not log the masked link")
    say("logs: /s/*** in nginx's and gunicorn's access logs, never the token")


def _run_learner(client: Client, token: str, module: Module, errors: list[str]) -> None:
    try:
        page = client.get(f"/s/{token}", retries=5)
        csrf = CSRF.search(page.text)
        check(csrf, "no PIN form")
        assert csrf is not None
        reply = client.request(
            "POST", f"/s/{token}", {"pin": "1234", "csrf_token": csrf[1]}, retries=5
        )
        check(reply.status == 302, f"learner sign-in gave {reply.status}")
        for step in module.steps:
            path = f"/learn/modules/{module.id}/steps/{step.id}"
            page = client.get(path, retries=5)
            found = (CSRF.search(page.text), KEY.search(page.text), SHOWN.search(page.text))
            check(page.status == 200 and all(found), f"{path}: {page.status}")
            csrf_field, key, shown = found
            assert csrf_field is not None
            assert key is not None
            assert shown is not None
            body = {
                "csrf_token": csrf_field[1],
                "submission_key": key[1],
                "shown_at": shown[1],
                **ANSWERERS[step.type_name].right_answer(step),
            }
            reply = client.request("POST", path, body, retries=5)
            check(reply.status in (200, 302), f"{path}: answer gave {reply.status}")
            client.acknowledged.append(body["submission_key"])
    except CheckFailed as exc:
        errors.append(str(exc))


def check_kill_one_server(stack: Stack) -> None:
    modules, _report = load_catalogue(ROOT / "content", ROOT / "static" / "pictograms")
    module = modules["mots-de-passe"]
    clients = [Client(stack, f"127.0.1.{n + 1}") for n in range(LEARNERS)]
    errors: list[str] = []
    threads = [
        threading.Thread(target=_run_learner, args=(c, t, module, errors))
        for c, t in zip(clients, stack.tokens, strict=True)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    total = LEARNERS * len(module.steps)
    while sum(len(c.acknowledged) for c in clients) < total // 3:
        check(not errors, f"{errors}")
        check(time.monotonic() - started < 300, "the load did not progress")
        time.sleep(0.05)
    killed_at = sum(len(c.acknowledged) for c in clients)
    os.killpg(stack.servers[0].pid, signal.SIGKILL)  # master and workers at once
    before = [_answers_served(stack, n) for n in range(2)]
    for thread in threads:
        thread.join(timeout=300)
    check(errors == [], f"{errors}")
    acknowledged = [key for c in clients for key in c.acknowledged]
    check(len(acknowledged) == total, f"{len(acknowledged)} of {total} answers acknowledged")
    stored = psql(
        "SELECT submission_key FROM progress_event "
        "WHERE learner_id IN (SELECT id FROM learner WHERE first_name LIKE 'Charge%')",
        stack.database,
    ).split()
    check(len(stored) == len(set(stored)), "an answer was stored twice")
    check(sorted(stored) == sorted(acknowledged), "an acknowledged answer was lost")
    retried = sum(c.retried for c in clients)
    after = [_answers_served(stack, n) - before[n] for n in range(2)]
    check(before[0] > 0, "app server 1 had served no answer before it was killed")
    check(after[0] == 0 and after[1] > 0, f"answers served after the kill: {after}")
    say(
        f"kill: app server 1 killed (SIGKILL) after {killed_at} of {total} answers "
        f"(it had served {before[0]}, server 2 {before[1]}; server 2 served the {after[1]} "
        f"after); all {total} acknowledged answers stored once, {retried} requests sent "
        f"again after a 502 or a dropped connection; {time.monotonic() - started:.1f} s"
    )


def _answers_served(stack: Stack, n: int) -> int:
    """Answers posted to app server n, from its access log."""
    log = (stack.tmp / f"gunicorn-{n}-access.log").read_text(encoding="utf-8")
    return len(re.findall(r'"POST /learn/modules/[^ ]+/steps/', log))


def main() -> int:
    for tool in (NGINX, "openssl", "psql"):
        if shutil.which(tool) is None:
            say(f"deploy-check: {tool} is missing")
            return 2
    started = time.monotonic()
    try:
        with stack() as running:
            for step in (
                check_https,
                check_static,
                check_limits_per_client,
                check_account_waits,
                check_logs,
                check_kill_one_server,
            ):
                step(running)
    except CheckFailed as exc:
        say(f"deploy-check FAILED: {exc}")
        return 1
    say(f"deploy-check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
