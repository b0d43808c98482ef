"""Load benchmark: gunicorn on seed-scale data, driven by wrk from another process.

Run it through `make bench` (see bench/README.md). Standard library only; the app runs in
its own gunicorn processes and wrk is a separate program, so nothing measured shares a
Python interpreter with the load generator.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
SECRET_KEY = "bench-only-secret-key-" + "b" * 32
SCALE_PASSWORD = "Scale-Compagnon-2026"  # services/scale.py publishes these for fake data
SCALE_PIN = "2468"
MAX_DURATION = 60  # seconds per scenario
MAX_TOTAL = 15 * 60
USER_AGENT = "companion-bench"
START_TIMEOUT = 180  # seconds for the whole run, preparation excluded
XLSX_PATH = "/staff/export.xlsx"  # learners × modules and per person, every learner
BENCH_MODULE = "mots-de-passe"  # the learner scenarios' module
# Issue 18's targets: throughput as a share of the trivial endpoint's in the same run, and
# two latencies. A run that misses one exits with status 1.
RATIO_TARGETS = {
    "learner step GET": 0.50,
    "learner answer POST": 0.30,
    "kiosk home": 0.30,
    "CIP home, 300 learners": 0.15,
}
CIP_P95_TARGET_MS = 150.0
XLSX_TARGET_MS = 1000.0
SLOW3G_LOAD_TARGET_S = 1.0
SLOW3G_QUIET_TARGET_S = 1.5
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')
SHOWN_RE = re.compile(r'name="shown_at" value="([^"]+)"')
CHOICE_RE = re.compile(
    r'name="choice" (?:type="\w+" )?value="([^"]+)"|value="([^"]+)" name="choice"'
)
ASSET_RE = re.compile(r'(?:href|src)="(/static/(?:css|js)/[^"]+)"')

REPORT_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"status_errors":%d,' ..
    '"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.timeout + e.status, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""

POST_LUA = r"""
local counter = 0
local thread_no = 0
setup = function(thread)
  thread:set("thread_no", thread_no)
  thread_no = thread_no + 1
end
init = function(args)
  math.randomseed(os.time() + (thread_no or 0) * 7919)
end
request = function()
  counter = counter + 1
  local key = string.format("bench%02d%010d%08d", thread_no or 0, counter, math.random(0, 99999999))
  local body = BODY .. "&submission_key=" .. key .. "&shown_at=" .. os.time()
  return wrk.format("POST", PATH, HEADERS, body)
end
"""


class BenchError(SystemExit):
    """A reason to stop, said in one line."""

    def __init__(self, message: str) -> None:
        sys.stderr.write(f"bench: {message}\n")
        super().__init__(2)


@dataclass
class Result:
    name: str
    path: str
    connections: int
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    ratio_to_trivial: float | None = None
    note: str = ""


@dataclass
class Run:
    engine: str
    database: str
    workers: int
    duration_s: int
    machine: dict[str, Any] = field(default_factory=dict)
    data: dict[str, int] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    page_weights: dict[str, int] = field(default_factory=dict)
    single_requests: dict[str, dict[str, float]] = field(default_factory=dict)
    worker_rss_mb: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    slow3g: dict[str, Any] = field(default_factory=dict)


def require_loopback(host: str, what: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        raise BenchError(f"{what} {host!r} does not resolve.") from None
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise BenchError(
            f"{what} {host!r} is not a loopback address ({', '.join(sorted(addresses))}): "
            "this benchmark only ever loads this machine."
        )


def database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    if args.engine == "sqlite":
        return f"sqlite:///{DATA / 'bench.sqlite3'}"
    return "postgresql+psycopg://postgres@127.0.0.1:5432/companion_bench"


def app_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, SECRET_KEY=SECRET_KEY, COMPANION_ENV="development")
    env.pop("FLASK_DEBUG", None)
    return env


def flask(url: str, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "companion", *args],
        env=app_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def sql(url: str, query: str) -> list[tuple[Any, ...]]:
    """Run one query in a child Python of the app's venv (this script stays stdlib-only)."""
    code = (
        "import json, sys\n"
        "from sqlalchemy import create_engine, text\n"
        "engine = create_engine(sys.argv[1])\n"
        "with engine.connect() as c:\n"
        "    print(json.dumps([list(r) for r in c.execute(text(sys.argv[2]))], default=str))\n"
    )
    done = subprocess.run(
        [str(BIN / "python"), "-c", code, url, query],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        error = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "unknown error"
        raise RuntimeError(error)
    return [tuple(r) for r in json.loads(done.stdout)]


def prepare(url: str, args: argparse.Namespace) -> None:
    print(f"== preparing {url}", flush=True)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        code = (
            "import sys\nfrom sqlalchemy import create_engine, text\n"
            "e = create_engine(sys.argv[1], isolation_level='AUTOCOMMIT')\n"
            "with e.connect() as c:\n"
            "    c.execute(text(f'DROP DATABASE IF EXISTS \"{sys.argv[2]}\" WITH (FORCE)'))\n"
            "    c.execute(text(f'CREATE DATABASE \"{sys.argv[2]}\"'))\n"
        )
        subprocess.run([str(BIN / "python"), "-c", code, admin, name], check=True)
    flask(url, "db", "upgrade")
    flask(url, "demo")
    started = time.perf_counter()
    out = flask(
        url,
        "seed-scale",
        "--structures", str(args.structures),
        "--learners", str(args.learners),
        "--events", str(args.events),
    )  # fmt: skip
    print("  " + out.strip(), flush=True)
    # The structure the CIP-home and export figures are about: 300 learners.
    out = flask(url, "seed-scale", "--structures", "1", "--learners", "300", "--events",
                str(args.events), "--seed", "300")  # fmt: skip
    print("  " + out.strip(), flush=True)
    print(f"  prepared in {time.perf_counter() - started:.0f} s", flush=True)


def check_database(url: str) -> dict[str, int]:
    try:
        rows = sql(
            url,
            "SELECT (SELECT COUNT(*) FROM structure), (SELECT COUNT(*) FROM learner), "
            "(SELECT COUNT(*) FROM progress), (SELECT COUNT(*) FROM progress_event)",
        )
    except RuntimeError as exc:
        message = str(exc)
        if "does not exist" in message and "database" in message:
            raise BenchError(
                f"the database is missing ({message}). Build it: make bench PREPARE=1"
            ) from None
        if "no such table" in message or "UndefinedTable" in message:
            raise BenchError(
                "the database is empty (no tables). Build it: make bench PREPARE=1"
            ) from None
        raise BenchError(f"the database does not answer: {message}") from None
    structures, learners, progress, events = (int(v) for v in rows[0])
    if learners < 300:
        raise BenchError(
            f"the database is empty or too small ({learners} learners): make bench PREPARE=1"
        )
    return {
        "structures": structures,
        "learners": learners,
        "progress": progress,
        "progress_events": events,
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """A cookie jar and a few forms, through urllib (no redirects followed for POSTs)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        # wrk sends the same: Flask-Login's strong session protection ties the session to it.
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return html.unescape(response.read().decode())

    def post(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def csrf(self, path: str) -> str:
        match = CSRF_RE.search(self.get(path))
        if not match:
            raise BenchError(f"no CSRF token on {path}")
        return match.group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def staff(self, email: str, password: str) -> None:
        token = self.csrf("/staff/signin")
        self.post("/staff/signin", {"email": email, "password": password, "csrf_token": token})
        if "session" not in self.cookie_header():
            raise BenchError(f"could not sign in as {email}")


def start_gunicorn(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        raise BenchError("gunicorn is not installed: make install-bench")
    command = [
        str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--backlog", "2048", "--timeout", "60", "--log-level", "warning", "--preload",
        "wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        command,
        cwd=ROOT,
        env=app_env(url),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            os.killpg(process.pid, signal.SIGTERM)
            raise BenchError(f"gunicorn stopped at start; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    raise BenchError(f"gunicorn did not answer /health in {START_TIMEOUT} s; see {log}")


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("== installing wrk (Debian package)", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError("wrk is not installed and could not be installed: apt-get install wrk")


def wrk(
    wrk_bin: str,
    base: str,
    name: str,
    path: str,
    connections: int,
    duration: int,
    cookie: str = "",
    post_body: str | None = None,
    scripts: Path | None = None,
) -> Result:
    assert scripts is not None
    script = scripts / f"{name}.lua"
    lua = REPORT_LUA
    if post_body is not None:
        headers = (
            "{['Content-Type'] = 'application/x-www-form-urlencoded', "
            f"['Cookie'] = {json.dumps(cookie)}, ['User-Agent'] = {json.dumps(USER_AGENT)}}}"
        )
        lua = (
            f"BODY = {json.dumps(post_body)}\nPATH = {json.dumps(path)}\nHEADERS = {headers}\n"
            + POST_LUA
            + REPORT_LUA
        )
    script.write_text(lua)
    if post_body is None:
        # The page itself, not a redirect to a sign-in page, is what gets measured.
        check = urllib.request.Request(
            base + path, headers={"Cookie": cookie, "User-Agent": USER_AGENT}
        )
        opener = urllib.request.build_opener(NoRedirect())
        try:
            status = opener.open(check, timeout=30).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status != 200:
            raise BenchError(f"{path} answers {status} to the signed-in cookie, not 200")
    command = [
        wrk_bin, "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
        "--timeout", "10s", "-s", str(script),
        "-H", "Accept-Encoding: br, gzip", "-H", f"User-Agent: {USER_AGENT}",
    ]  # fmt: skip
    if cookie and post_body is None:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(base + path)
    done = subprocess.run(  # noqa: S603 - wrk with our own arguments
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise BenchError(f"wrk gave no result for {name}: {done.stdout[-400:]} {done.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    seconds = data["duration_us"] / 1e6
    return Result(
        name=name,
        path=path,
        connections=connections,
        requests_per_s=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=round(data["p50_ms"], 1),
        p95_ms=round(data["p95_ms"], 1),
        p99_ms=round(data["p99_ms"], 1),
        max_ms=round(data["max_ms"], 1),
        requests=data["requests"],
        errors=data["errors"],
    )


def timed_gets(browser: Browser, path: str, times: int) -> dict[str, float]:
    samples = []
    size = 0
    for _ in range(times):
        started = time.perf_counter()
        size = len(browser.get(path))
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "bytes": size,
    }


def transferred(base: str, path: str, cookie: str = "") -> int:
    request = urllib.request.Request(
        base + path,
        headers={"Accept-Encoding": "br, gzip", "Cookie": cookie, "User-Agent": USER_AGENT},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return len(response.read()) + sum(len(k) + len(v) + 4 for k, v in response.headers.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--database-url", help="default: bench/data/bench.sqlite3 or companion_bench"
    )
    parser.add_argument("--host", default="127.0.0.1", help="where gunicorn listens (loopback)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--duration", type=int, default=10, help=f"seconds per scenario, ≤ {MAX_DURATION}"
    )
    parser.add_argument("--connections", type=int, default=50, help="learner scenarios")
    parser.add_argument("--staff-connections", type=int, default=5, help="CIP home and export")
    parser.add_argument("--prepare", action="store_true", help="(re)build the database first")
    parser.add_argument("--structures", type=int, default=350)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--events", type=int, default=100)
    args = parser.parse_args()

    if not 1 <= args.duration <= MAX_DURATION:
        raise BenchError(f"--duration must be between 1 and {MAX_DURATION} seconds.")
    if not 1 <= args.connections <= 500 or not 1 <= args.staff_connections <= 500:
        raise BenchError("--connections must be between 1 and 500.")
    require_loopback(args.host, "the benchmark target")
    url = database_url(args)
    if not url.startswith("sqlite"):
        host = urllib.parse.urlsplit(url.replace("+psycopg", "")).hostname or "localhost"
        require_loopback(host, "the database host")
    wrk_bin = ensure_wrk()
    if args.prepare:
        prepare(url, args)
    data = check_database(url)

    cores = os.cpu_count() or 1
    workers = args.workers or 2
    run = Run(engine=args.engine, database=url, workers=workers, duration_s=args.duration)
    run.data = data
    run.machine = {
        "cores": cores,
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "unknown",
        ),
        "memory_mb": int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20),
        # 1, 5 and 15 minutes: the machine is shared, read every figure with these.
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
        "python": sys.version.split()[0],
    }

    # The 300-learner structure, its CIP, and a learner of a 100-learner structure.
    big = sql(
        url,
        "SELECT s.id, (SELECT email FROM staff_user WHERE structure_id = s.id AND role = 'CIP' "
        "AND email LIKE 'cip-%' ORDER BY id LIMIT 1) FROM structure s JOIN learner l ON "
        "l.structure_id = s.id GROUP BY s.id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    if not big or not big[0][1]:
        raise BenchError("no seed-scale structure with a CIP: make bench PREPARE=1")
    big_id, big_cip = big[0]
    small = sql(
        url,
        "SELECT l.signin_token, l.structure_id, (SELECT email FROM staff_user WHERE "
        "structure_id = l.structure_id AND role = 'CIP' ORDER BY id LIMIT 1) FROM learner l "
        f"WHERE l.signin_token LIKE 'scale-%' AND l.structure_id <> {int(big_id)} "
        "ORDER BY l.id LIMIT 1",
    )
    if not small:
        raise BenchError("no seed-scale learner: make bench PREPARE=1")
    token, _small_id, small_cip = small[0]

    port = args.port or free_port()
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = RESULTS / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(BenchError("run too long")))
    signal.alarm(MAX_TOTAL)
    process = start_gunicorn(url, port, workers, log)
    try:
        measure(run, base, wrk_bin, args, token, small_cip, big_cip, process.pid)
    finally:
        signal.alarm(0)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    run.machine["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    run.targets = check_targets(run)
    print_run(run)
    out = RESULTS / f"{args.engine}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(asdict(run), indent=2, ensure_ascii=False))
    print(f"\nsaved {out.relative_to(ROOT)}")
    missed = [t["target"] for t in run.targets if not t["met"]]
    if missed:
        print(f"bench: {len(missed)} target(s) missed: {'; '.join(missed)}", file=sys.stderr)
        raise SystemExit(1)


def check_targets(run: Run) -> list[dict[str, Any]]:
    """Each target of issue 18, with the figure measured in this run and whether it is met."""
    out: list[dict[str, Any]] = []
    by_name = {r.name: r for r in run.results}
    for name, target in RATIO_TARGETS.items():
        result = by_name.get(name)
        ratio = result.ratio_to_trivial if result else None
        out.append(
            {
                "target": f"{name} ≥ {target:.0%} of /health",
                "measured": f"{ratio:.1%}" if ratio is not None else "not measured",
                "met": ratio is not None and ratio >= target,
            }
        )
    cip = by_name.get("CIP home, 300 learners")
    out.append(
        {
            "target": f"CIP home, 300 learners, p95 ≤ {CIP_P95_TARGET_MS:.0f} ms at "
            f"{cip.connections if cip else 5} connections",
            "measured": f"{cip.p95_ms:.1f} ms" if cip else "not measured",
            "met": cip is not None and cip.p95_ms <= CIP_P95_TARGET_MS,
        }
    )
    for key, target, label in (
        ("load_event_s", SLOW3G_LOAD_TARGET_S, "load event"),
        ("network_quiet_s", SLOW3G_QUIET_TARGET_S, "network quiet"),
    ):
        value = run.slow3g.get(key)
        out.append(
            {
                "target": f"step's first visit on slow 3G, {label} ≤ {target} s",
                "measured": f"{value:.2f} s" if value is not None else "not measured",
                "met": value is not None and value <= target,
            }
        )
    xlsx = run.single_requests.get("xlsx_300")
    out.append(
        {
            "target": f"XLSX export of 300 learners ≤ {XLSX_TARGET_MS / 1000:.0f} s (median)",
            "measured": f"{xlsx['median_ms']:.0f} ms" if xlsx else "not measured",
            "met": xlsx is not None and xlsx["median_ms"] <= XLSX_TARGET_MS,
        }
    )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(
    run: Run,
    base: str,
    wrk_bin: str,
    args: argparse.Namespace,
    token: str,
    small_cip: str,
    big_cip: str,
    master: int,
) -> None:
    duration, conns, staff_conns = args.duration, args.connections, args.staff_connections
    with tempfile.TemporaryDirectory() as tmp:
        scripts = Path(tmp)

        learner = Browser(base)
        csrf = learner.csrf(f"/s/{token}")
        if learner.post(f"/s/{token}", {"pin": SCALE_PIN, "csrf_token": csrf}) != 200:
            raise BenchError("the scale learner could not sign in")
        home = learner.get("/learn/")
        modules = re.findall(r'href="/learn/modules/([^/"]+)', home)
        if not modules:
            raise BenchError("no module on the learner home")
        # The passwords module, where the scale learners answered (the screen basics and
        # the entry check, when the catalogue has them, come first on the home).
        module_id = BENCH_MODULE if BENCH_MODULE in modules else modules[0]
        # A multiple-choice step: every scale learner has reached every step.
        step_path, step_html = "", ""
        for candidate in ("strongest", "sms-code", "shared-computer"):
            path = f"/learn/modules/{module_id}/steps/{candidate}"
            page = learner.get(path)
            if CHOICE_RE.search(page):
                step_path, step_html = path, page
                break
        if not step_path:
            raise BenchError("no multiple-choice step found to answer")
        choice = CHOICE_RE.search(step_html)
        assert choice is not None
        body = urllib.parse.urlencode(
            {"csrf_token": CSRF_RE.search(step_html).group(1),  # type: ignore[union-attr]
             "choice": choice.group(1) or choice.group(2)}
        )  # fmt: skip
        learner_cookie = learner.cookie_header()

        kiosk = Browser(base)
        kiosk.staff(small_cip, SCALE_PASSWORD)
        csrf = kiosk.csrf("/staff/kiosk")
        kiosk.post("/staff/kiosk", {"label": "Borne banc d'essai", "csrf_token": csrf})
        if "companion_kiosk" not in kiosk.cookie_header():
            raise BenchError("could not open a kiosk")
        kiosk_cookie = kiosk.cookie_header()

        cip = Browser(base)
        cip.staff(big_cip, SCALE_PASSWORD)
        cip_cookie = cip.cookie_header()
        rows = cip.get("/staff/learners").count("<tr")
        run.notes.append(f"CIP home of the big structure lists {rows - 1} rows")

        # Page weights, bytes on the wire with brotli/gzip.
        step_html_raw = learner.get(step_path)
        assets = sorted(set(ASSET_RE.findall(step_html_raw)))
        run.page_weights = {
            "step_page_html": transferred(base, step_path, learner_cookie),
            "css_js_compressed": sum(transferred(base, a) for a in assets),
            "kiosk_home_html": transferred(base, "/kiosk/", kiosk_cookie),
            "cip_home_300_html": transferred(base, "/staff/learners", cip_cookie),
        }
        run.single_requests["cip_home_300"] = timed_gets(cip, "/staff/learners", 5)
        run.single_requests["xlsx_300"] = timed_download(cip, XLSX_PATH, 3)
        run.slow3g = slow3g(base, step_path, learner_cookie)

        print(f"== load: {duration} s per scenario", flush=True)
        scenarios: list[tuple[str, str, int, str, str | None]] = [
            ("trivial /health", "/health", conns, "", None),
            ("learner step GET", step_path, conns, learner_cookie, None),
            ("learner answer POST", step_path, conns, learner_cookie, body),
            ("kiosk home", "/kiosk/", conns, kiosk_cookie, None),
            ("CIP home, 300 learners", "/staff/learners", staff_conns, cip_cookie, None),
        ]
        peak: list[float] = []
        for name, path, c, cookie, post in scenarios:
            print(f"   {name} …", flush=True)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            result = wrk(wrk_bin, base, slug, path, c, duration, cookie, post, scripts)
            result.name = name
            run.results.append(result)
            peak.extend(rss_mb(pid) for pid in children(master))
        trivial = run.results[0].requests_per_s
        for result in run.results[1:]:
            result.ratio_to_trivial = round(result.requests_per_s / trivial, 3) if trivial else None
        run.worker_rss_mb = sorted(round(v, 1) for v in peak)[-workers_count(master) :]


def workers_count(master: int) -> int:
    return max(1, len(children(master)))


def slow3g(base: str, path: str, cookie: str) -> dict[str, Any]:
    """The step's first visit on slow 3G in Chromium (bench/slow3g.py), when Playwright and
    a Chromium are installed (make install-test); an empty result otherwise."""
    print("== slow 3G first visit of the step (Chromium, 360 px)", flush=True)
    try:
        done = subprocess.run(  # noqa: S603 - our own script
            [str(BIN / "python"), str(ROOT / "bench" / "slow3g.py"), "--base", base,
             "--path", path, "--cookie", cookie, "--user-agent", USER_AGENT],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    line = next((x for x in done.stdout.splitlines() if x.startswith("SLOW3G ")), None)
    if line is None:
        return {"error": (done.stderr.strip().splitlines() or ["no result"])[-1][:300]}
    return dict(json.loads(line.removeprefix("SLOW3G ")))


def timed_download(browser: Browser, path: str, times: int) -> dict[str, float]:
    """A file (the XLSX export), fetched whole `times` times one after the other."""
    samples = []
    size = 0
    for _ in range(times):
        started = time.perf_counter()
        with browser.opener.open(browser.base + path, timeout=60) as response:
            body = response.read()
            if response.status != 200 or not body.startswith(b"PK"):
                raise BenchError(f"{path} did not send an XLSX file")
        samples.append((time.perf_counter() - started) * 1000)
        size = len(body)
    return {
        "median_ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "bytes": size,
    }


def print_run(run: Run) -> None:
    print(f"\nengine {run.engine}, {run.workers} gunicorn sync workers, {run.duration_s} s each")
    print(f"machine {run.machine}")
    print(f"data {run.data}")
    head = f"{'scenario':26} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print("\n" + head + f" {'errors':>7} {'ratio':>6}")
    for r in run.results:
        ratio = f"{r.ratio_to_trivial:.3f}" if r.ratio_to_trivial is not None else "1.00"
        print(
            f"{r.name:26} {r.connections:>5} {r.requests_per_s:>8.1f} {r.p50_ms:>8.1f} "
            f"{r.p95_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>7} {ratio:>6}"
        )
    print(f"\npage weights (bytes transferred, brotli): {run.page_weights}")
    print(f"single requests: {run.single_requests}")
    print(f"worker RSS (MB, after load): {run.worker_rss_mb}")
    print(f"slow 3G first visit: {run.slow3g}")
    for note in run.notes:
        print(f"note: {note}")
    print("\ntargets (issue 18):")
    for t in run.targets:
        print(f"  {'met   ' if t['met'] else 'MISSED'}  {t['target']}: {t['measured']}")


if __name__ == "__main__":
    main()
