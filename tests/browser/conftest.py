"""Browser tests: a live server on a copy of the demo database, driven by real Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from werkzeug.serving import make_server

from companion.catalogue import Module
from tests.conftest import make_app

# Screenshots of the SQLite run in test-artifacts/, of the PostgreSQL run (which make test
# runs at the same time) in test-artifacts/postgresql/.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
if os.environ.get("TEST_DATABASE", "sqlite").strip().lower() == "postgresql":
    ARTIFACTS = ARTIFACTS / "postgresql"
# Screenshots are taken when asked for: SCREENSHOTS=1 (`make screenshots`).
SCREENSHOTS = os.environ.get("SCREENSHOTS", "").strip() not in ("", "0")
PHONE: ViewportSize = {"width": 360, "height": 740}
# axe-core and the Nu HTML Checker, from `make a11y-tools`.
A11Y_TOOLS = Path(
    os.environ.get("A11Y_TOOLS", Path(__file__).resolve().parents[2] / ".a11y" / "node_modules")
)
AXE = A11Y_TOOLS / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `long` (crawls, and journeys that wait for a timer or a gesture) go
    first, in their order: `make test` runs the browser tests beside both engines' runs, and
    a long test started late would end the whole run alone, two processes waiting for it.
    The same order in every process (pytest-xdist checks it)."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def chromium_path() -> str | None:
    """$CHROMIUM, else the system's Chromium headless shell (Debian's chromium-headless-shell:
    the same engine without the browser's window code, which took about 40 % less CPU for
    the same tests here), else the system Chromium, else None (Playwright's own browser)."""
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium-headless-shell"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class LiveServer:
    def __init__(self, db_path: Path, **config: Any) -> None:
        self.app = make_app(db_path, WTF_CSRF_ENABLED=True, **config)
        self.port = 0
        self._placeholder: socket.socket | None = None
        self._serve()
        self.url = f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def unplug(self) -> None:
        """The server stops listening: a request that still goes out is refused, as with no
        network at all (the browser's offline emulation lets some through, see
        tests/browser/test_offline.py). The port stays taken, bound but not listening, so
        that nothing else (another test run) gets it meanwhile."""
        self.stop()
        self.server.server_close()
        self._placeholder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._placeholder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._placeholder.bind(("127.0.0.1", self.port))

    def plug(self) -> None:
        """The server listens again on the same address."""
        if self._placeholder is not None:
            self._placeholder.close()
            self._placeholder = None
        self._serve()

    def module(self, module_id: str) -> Module:
        module: Module = self.app.extensions["companion.catalogue"][module_id]
        return module

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        if self._placeholder is not None:  # a test that ended with the server unplugged
            self._placeholder.close()
            self._placeholder = None


@pytest.fixture
def start_server(db_path: Path) -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def start(**config: Any) -> LiveServer:
        server = LiveServer(db_path, **config)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(phone: bool = True, axe: bool = False, **kwargs: Any) -> BrowserContext:
        """axe=True: axe-core is in every page of the context, for run_axe, given to the
        browser once as a script it runs in each new document (about 60 ms of CPU less per
        page than a script tag added to each page; the CSP is bypassed for it, the page is
        otherwise unchanged)."""
        options: dict[str, Any] = {"locale": "fr-FR"}
        if axe:
            options["bypass_csp"] = True
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 800})
        options.update(kwargs)
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        if axe:
            if not AXE.is_file():
                pytest.fail(f"axe-core missing at {AXE}: run `make a11y-tools`")
            context.add_init_script(path=str(AXE))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str, full_page: bool = True) -> None:
    """A picture of the page for people to look at, never a check, taken when SCREENSHOTS is
    set (`make screenshots`): `make test` does not pay for them (about 400 pictures, 30 s of
    the browser's CPU). One the browser does not take in time (seen once with no network on
    a loaded machine) is reported, not failed. full_page=False: the window alone, to see what
    is in view."""
    if not SCREENSHOTS:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page, timeout=15_000)
    except PlaywrightTimeoutError:
        print(f"screenshot {name}: not taken in 15 s")
