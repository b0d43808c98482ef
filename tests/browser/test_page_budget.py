"""Page budget on a phone: bytes really transferred, as Chromium's network layer counts them.

Budgets (issue 8): CSS and JS together ≤ 25 KB compressed; a step page ≤ 40 KB on a first
visit (empty cache); the next step ≤ 10 KB once assets are cached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Page

from tests.browser.conftest import LiveServer, screenshot
from tests.conftest import AMINA_LINK
from tests.steps import ANSWERERS

pytestmark = pytest.mark.browser
MODULE = "mots-de-passe"
KB = 1024
ASSETS_BUDGET = 25 * KB
FIRST_VISIT_BUDGET = 40 * KB
NEXT_STEP_BUDGET = 10 * KB


@dataclass
class Transfer:
    """Bytes on the wire per request (headers and encoded body), from the DevTools protocol."""

    urls: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    cdp: CDPSession | None = None  # the DevTools session that reports them

    def clear_browser_cache(self) -> None:
        assert self.cdp is not None
        self.cdp.send("Network.clearBrowserCache")

    def reset(self) -> None:
        self.urls.clear()
        self.types.clear()
        self.encodings.clear()
        self.bytes.clear()

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    def of_type(self, *types: str) -> int:
        return sum(n for rid, n in self.bytes.items() if self.types.get(rid) in types)

    def report(self) -> str:
        return ", ".join(
            f"{self.urls.get(rid, rid).rsplit('/', 1)[-1]}={n}" for rid, n in self.bytes.items()
        )


def watch(page: Page) -> Transfer:
    transfer = Transfer()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def on_response(event: dict[str, Any]) -> None:
        rid = event["requestId"]
        transfer.urls[rid] = event["response"]["url"]
        transfer.types[rid] = event["type"]
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        transfer.encodings[rid] = headers.get("content-encoding", "")

    def on_finished(event: dict[str, Any]) -> None:
        transfer.bytes[event["requestId"]] = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    transfer.cdp = cdp
    return transfer


def sign_in(page: Page, base: str) -> None:
    page.goto(base + AMINA_LINK)
    keypad = page.locator(".keypad")
    for digit in "2580":
        keypad.get_by_role("button", name=digit, exact=True).click()
    page.wait_for_url("**/learn/")  # four digits submit by themselves


def test_step_pages_fit_the_budget(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    module = live.module(MODULE)
    first, second = module.steps[0], module.steps[1]
    # A first visit on a new device: no service worker has cached anything yet.
    page = new_context(service_workers="block").new_page()
    transfer = watch(page)
    sign_in(page, live.url)
    # A first visit: nothing in the cache (the session cookie stays).
    transfer.clear_browser_cache()
    transfer.reset()
    page.goto(f"{live.url}/learn/modules/{MODULE}/steps/{first.id}", wait_until="load")
    page.wait_for_load_state("networkidle")
    print("URL", page.url, page.title())
    first_visit = transfer.total
    assets = transfer.of_type("Stylesheet", "Script")
    screenshot(page, "budget-first-step")
    first_report = transfer.report()
    assert "br" in transfer.encodings.values() or "gzip" in transfer.encodings.values()

    transfer.reset()
    ANSWERERS[first.type_name].answer_in_browser(page, first)
    page.wait_for_url(f"**/steps/{second.id}")
    page.wait_for_load_state("networkidle")
    next_step = transfer.total
    next_report = transfer.report()
    screenshot(page, "budget-next-step")

    print(
        f"\npage budget: CSS+JS {assets} B, first visit {first_visit} B ({first_report}), "
        f"next step {next_step} B ({next_report})"
    )
    assert assets > 0, "no stylesheet or script was measured"
    assert assets <= ASSETS_BUDGET, f"CSS+JS {assets} B > {ASSETS_BUDGET} B"
    assert first_visit <= FIRST_VISIT_BUDGET, f"first visit {first_visit} B: {first_report}"
    assert next_step <= NEXT_STEP_BUDGET, f"next step {next_step} B: {next_report}"
    # The next step reloaded no stylesheet or script: they came from the cache.
    assert transfer.of_type("Stylesheet", "Script") == 0, next_report
