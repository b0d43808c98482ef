"""Shared fixtures: an app on a fresh copy of a migrated demo database, clients, sign-in helpers."""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import MetaData, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from companion import create_app
from companion.extensions import db
from companion.services import passwords
from companion.services.demo import load_demo
from companion.serving import settle_garbage_collector
from companion.web.security import limiter
from tests.write_guard import only_services_write

# The suite signs in hundreds of times: argon2id with its cheapest parameters here, where
# the app keeps the library's recommended ones (tests/unit/test_passwords.py checks them).
passwords._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)

DEMO_PASSWORD = "Demo-Compagnon-2026"
CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


@pytest.fixture(scope="session", autouse=True)
def _only_services_write() -> Iterator[None]:
    """Only services write (tests/write_guard.py): code that changes a row elsewhere fails."""
    with only_services_write():
        yield


class _CompiledTemplates(BytecodeCache):
    """The templates compiled once per test process, for every app made in it.

    Each app has its own Jinja environment, which compiles each template again on first use
    (about 0.1 s of CPU a browser test, whose live server is a new app); Jinja checks the
    source's checksum before it reuses a compiled template, so a changed template is compiled
    again. Every app of the suite is made by create_app, with the same Jinja settings."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def make_app(database: Path | str, **overrides: Any) -> Flask:
    """The app on `database`: a SQLite file path, or a PostgreSQL URL."""
    uri = database if isinstance(database, str) else f"sqlite:///{database}"
    config: dict[str, Any] = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        # Rate limits have their own tests; elsewhere many sign-ins come from one address.
        "RATELIMIT_ENABLED": False,
    }
    if uri.startswith("postgresql"):
        # No idle pooled connections: apps a test forgets to dispose leave nothing open
        # for the garbage collector to complain about, and nothing holds a lock on the restore.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
    config.update(overrides)
    app = create_app(config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


# TEST_DATABASE=postgresql runs the whole suite on the PostgreSQL of TEST_POSTGRES_URL, in a
# database made for this run (companion_test_<pid>) and dropped after it. Each test starts
# from the migrated demo: the demo rows are put back (Snapshot, about 13 ms),
# where CREATE DATABASE … TEMPLATE took 1.5 s and DROP DATABASE 2.4 s on this machine.
ENGINE = os.environ.get("TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
# The PostgreSQL run leaves out the unit tests that cannot reach a database: they ask for
# no database fixture and their file never chooses an engine, so they would run there exactly
# as in the SQLite run, which keeps them (513 tests today).
DATABASE_FIXTURES = frozenset({"db_path", "demo_db_template", "postgres"})
ENGINE_WORDS = re.compile(r"\b(?:ENGINE|TEST_DATABASE|getfixturevalue|postgres\w*)\b", re.I)


def engine_free(item: pytest.Item) -> bool:
    """A unit test that runs the same whatever the engine (see DATABASE_FIXTURES)."""
    path = Path(str(item.path))
    if path.parent.name != "unit" or path.parent.parent.name != "tests":
        return False
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    return not ENGINE_WORDS.search(_source(path))


@functools.cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ENGINE != "postgresql":
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        (left if engine_free(item) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
if ENGINE not in {"sqlite", "postgresql"}:
    raise pytest.UsageError(f"TEST_DATABASE must be sqlite or postgresql, not {ENGINE!r}")


class PostgresServer:
    """Creates and drops the run's databases through the server's maintenance database."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"companion_test_{os.getpid()}"
        self.count = 0

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str) -> str:
        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # Test data need not survive a power cut: do not wait for the disk on commit.
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        return self.url_for(name)

    def next_name(self) -> str:
        self.count += 1
        return f"{self.prefix}_{self.count}"


class Snapshot:
    """Every row of a database, kept in a schema of its own, to put it back before each test.

    The restore is one script sent in one round trip: every table emptied (children first),
    filled again from its copy (parents first), and each id sequence set back to where it
    was. About 13 ms here (25 ms for a role that is not a superuser), where TRUNCATE …
    RESTART IDENTITY and re-inserting the rows from Python took 160–200 ms a test (DELETE is
    cheaper than TRUNCATE for a few hundred rows: TRUNCATE makes new files for each table
    and its indexes)."""

    SCHEMA = "test_snapshot"

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, poolclass=NullPool)
        metadata = MetaData()
        metadata.reflect(self.engine)
        tables = metadata.sorted_tables  # parents before children
        copy = [f'CREATE SCHEMA "{self.SCHEMA}"']
        copy += [f'CREATE TABLE "{self.SCHEMA}"."{t.name}" AS TABLE "{t.name}"' for t in tables]
        with self.engine.begin() as conn:
            conn.exec_driver_sql(";\n".join(copy))
            superuser = conn.exec_driver_sql("SHOW is_superuser").scalar() == "on"
        # Table names come from the schema itself, never from input.
        copies = {t.name: f'"{self.SCHEMA}"."{t.name}"' for t in tables}
        script = ["SET LOCAL lock_timeout = '20s'"]
        if superuser:
            # The rows put back are the demo's, consistent as a whole: no foreign key need be
            # checked row by row on the way (half of the restore's time).
            script.append("SET LOCAL session_replication_role = replica")
        script += [f'DELETE FROM "{t.name}"' for t in reversed(tables)]  # noqa: S608
        script += [f'INSERT INTO "{t.name}" SELECT * FROM {copies[t.name]}' for t in tables]  # noqa: S608
        script += [
            # The next id is the demo's next one, as after the demo was loaded (1 if empty).
            f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), "  # noqa: S608
            f"COALESCE(MAX(id), 0) + 1, false) FROM {copies[t.name]}"
            for t in tables
            if "id" in t.c and _serial(t)
        ]
        self.script = ";\n".join(script)

    def restore(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql(self.script)


def _serial(table: Any) -> bool:
    """An integer id whose default is a sequence (SERIAL), which setval can put back."""
    default = table.c.id.server_default
    return default is not None and "nextval" in str(getattr(default, "arg", ""))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(POSTGRES_URL)
    yield server
    # Every database of this run goes, a failed test's included.
    with server.engine.connect() as conn:
        names = conn.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
            {"p": f"{server.prefix}%"},
        ).scalars()
        for name in list(names):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.engine.dispose()


def _load_demo_into(database: Path | str) -> None:
    app = make_app(database)
    with app.app_context():
        upgrade()
        with app.test_request_context("/"):
            load_demo()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_db_template(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Path | Snapshot]:
    """Migrate an empty database and load the demo once; each test gets a copy."""
    if ENGINE == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres")
        url = server.create(server.prefix)
        _load_demo_into(url)
        snapshot = Snapshot(url)
        yield snapshot
        snapshot.engine.dispose()
        return
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    _load_demo_into(path)
    yield path


@pytest.fixture(scope="session")
def _run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("run")


@pytest.fixture
def db_path(demo_db_template: Path | Snapshot, _run_dir: Path) -> Path | str:
    """This test's own copy of the demo database: a file path, or a PostgreSQL URL.

    The same path (or URL) for every test, with the demo put back each time, so that the
    app made on it can serve the next test too (see `shared_app`)."""
    if isinstance(demo_db_template, Snapshot):
        demo_db_template.restore()
        return demo_db_template.engine.url.render_as_string(hide_password=False)
    path = _run_dir / "test.sqlite3"
    for leftover in (path, *(Path(f"{path}{end}") for end in ("-wal", "-shm", "-journal"))):
        leftover.unlink(missing_ok=True)  # a new file: no connection still open sees it
    shutil.copy(demo_db_template, path)
    return path


_SHARED: dict[str, tuple[Flask, dict[str, Any]]] = {}


def shared_app(database: Path | str) -> Flask:
    """The app on the run's test database, made once and given to each test as new.

    Making an app costs about half a second (werkzeug compiles a builder for each of the
    ~80 URL rules), paid by every test otherwise. Each test gets back the settings it was
    made with, no session and no pooled connection (the `app` fixture disposes them);
    a test that needs other settings makes its own app with `make_app(…, SETTING=…)`."""
    key = str(database)
    if key not in _SHARED:
        # A pool of connections, not make_app's NullPool: the `app` fixture closes them after
        # each test, and a test's requests need not open a connection each (4 ms apiece).
        made = make_app(database, SQLALCHEMY_ENGINE_OPTIONS={})
        _SHARED[key] = (made, dict(made.config))
    app, settings = _SHARED[key]
    app.config.clear()
    app.config.update(settings)
    # Flask-Limiter keeps "enabled" on its one object, set by the last app made: a test
    # that made an app with its limits on must not leave them on for this one.
    limiter.enabled = bool(settings["RATELIMIT_ENABLED"])
    return app


@pytest.fixture(scope="session")
def sqlite_demo_template(
    demo_db_template: Path | Snapshot, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A SQLite demo database whatever the run's engine, for what only SQLite has (its
    online backup, its files on disk): the run's template, or one made for PostgreSQL runs."""
    if isinstance(demo_db_template, Path):
        return demo_db_template
    path = tmp_path_factory.mktemp("sqlite-template") / "demo.sqlite3"
    _load_demo_into(path)
    return path


@pytest.fixture
def sqlite_db_path(sqlite_demo_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of a SQLite demo database, whatever the run's engine."""
    path = tmp_path / "sqlite-only.sqlite3"
    shutil.copy(sqlite_demo_template, path)
    return path


def own_demo_database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A demo database nobody else uses while it lives (for module-scoped apps): a SQLite
    copy, or on PostgreSQL a database of its own, dropped with the run's others."""
    template = request.getfixturevalue("demo_db_template")
    if isinstance(template, Snapshot):
        server: PostgresServer = request.getfixturevalue("postgres")
        url = server.create(server.next_name())
        _load_demo_into(url)
        return url
    path = tmp_path / "own.sqlite3"
    shutil.copy(template, path)
    return path


@pytest.fixture
def app(db_path: Path) -> Iterator[Flask]:
    """The app, with no context pushed: each request gets its own, as in production."""
    app = shared_app(db_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for tests that query the database directly (push it after requests)."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


_GLOSSARY_LINK = re.compile(r'<a class="glossary-term"[^>]*>(.*?)</a>')


def page(response: Any) -> str:
    """The response's HTML with entities decoded, to search for interface text (a word the
    glossary links is searched as the plain word it is: tests/web/test_glossary.py)."""
    return _GLOSSARY_LINK.sub(r"\1", html.unescape(response.get_data(as_text=True)))


def csrf_from(text: str) -> str:
    match = CSRF_RE.search(text)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class Auth:
    """Sign-in helpers that go through the real forms, CSRF token included."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def staff(self, email: str, password: str = DEMO_PASSWORD) -> Any:
        page = self.client.get("/staff/signin")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(
            "/staff/signin", data={"email": email, "password": password, "csrf_token": token}
        )

    def learner_link(self, signin_path: str, pin: str) -> Any:
        page = self.client.get(signin_path)
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post(signin_path, data={"pin": pin, "csrf_token": token})

    def signout_learner(self) -> Any:
        page = self.client.get("/learn/")
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post("/learn/signout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


AMINA_LINK = "/s/demo-amina-2k7Qx9Lm3Vb"
CHLOE_LINK = "/s/demo-chloe-5Rt7Yk1Qs9F"
DIALLO_LINK = "/s/demo-diallo-3Jf6Uv8Ne2T"


def pytest_collection_finish(session: pytest.Session) -> None:
    """The garbage collector set as `wsgi.py` sets it for a server, once every test module is
    imported: the suite's long-lived objects (modules, apps, compiled templates) are not
    walked again by each full collection (the SQLite run: 85–90 s → 82–84 s,
    docs/performance.md)."""
    settle_garbage_collector()
