"""A learner's first page on a slow link: nothing but the page while it loads (issue 18).

The server side (pictures, stylesheet and scripts inside the first page) is checked by
tests/web/test_first_visit.py; here, in Chromium, that the page draws styled and works
with its inline scripts, and that the service worker fetches nothing during the load.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import LiveServer
from tests.conftest import AMINA_LINK

pytestmark = pytest.mark.browser


def test_the_worker_waits_until_the_page_has_loaded(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context()
    starts: list[tuple[float, str]] = []
    context.on("request", lambda r: starts.append((time.monotonic(), r.url)))
    page = context.new_page()
    page.goto(live.url + AMINA_LINK, wait_until="load")
    loaded = time.monotonic()
    # The PIN page, a phone's first page here: one request, styled by its inline stylesheet.
    assert [url for _at, url in starts] == [live.url + AMINA_LINK]
    # Styled: the skip link waits above the page until it gets the focus (app.css).
    position = page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
    assert position == "absolute"
    # The inline app.js ran: it shows the keypad, hidden without JavaScript.
    expect(page.locator(".keypad")).to_be_visible()
    page.locator(".keypad").get_by_role("button", name="2", exact=True).click()
    expect(page.locator("#pin")).to_have_value("2")
    # The worker registers and keeps its shell only once the page has been shown a moment.
    worker: list[float] = []
    deadline = time.monotonic() + 15
    while not worker and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # (wait_for_function would need eval, which the CSP refuses)
        worker = [at for at, url in starts if url.endswith("/sw.js")]
    assert worker, [url for _at, url in starts]
    assert worker[0] - loaded >= 1.5, worker[0] - loaded
