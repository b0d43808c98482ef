"""A learner's phone (issue 15, items 1-2): the feedback lands in view after "Je vérifie",
and no learner page scrolls sideways, whatever the language, width or text size.

The viewport is a plain one (no phone emulation): with `is_mobile` Chromium widens the layout
viewport to the content, `innerWidth` grows with it and a too-wide page looks as if it fit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from werkzeug.datastructures import MultiDict

from companion.catalogue import Module
from companion.catalogue.steps import StepBase, StepContext
from companion.i18n import TEXT_SIZES
from companion.services import accounts, progress
from tests.browser.conftest import PHONE, LiveServer, screenshot
from tests.browser.test_accessibility import sign_in
from tests.conftest import CHLOE_LINK
from tests.helpers import right_answer
from tests.steps import ANSWERERS

pytestmark = pytest.mark.browser

LEARNER = "learner-link"  # Chloé, through her personal link and PIN
WIDTHS = (320, 360)
LANGUAGES = ("fr", "en", "ar")

# The page's own width against the window's, at each text size, set as the reading settings
# set it (app.js swaps the class of <html>, the server writes the same class from the cookie).
OVERFLOW_JS = """
(sizes) => {
  const root = document.documentElement;
  const kept = root.className;
  const out = {};
  for (const size of sizes) {
    root.className = kept.split(/\\s+/).filter(c => c && !c.startsWith('text-'))
      .concat(['text-' + size]).join(' ');
    let wide = [];
    if (root.scrollWidth > root.clientWidth) {
      const over = [...document.querySelectorAll('body *')].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.right > root.clientWidth + 1 || box.left < -1);
      });
      // The innermost ones say what is too wide.
      wide = over.filter(el => !over.some(o => o !== el && el.contains(o))).slice(0, 3)
        .map(el => el.tagName.toLowerCase() + '.' + el.className + ' "'
             + el.textContent.trim().slice(0, 30) + '" ' + Math.round(el.getBoundingClientRect().width));
    }
    out[size] = {scroll: root.scrollWidth, client: root.clientWidth, wide: wide};
  }
  root.className = kept;
  return out;
}
"""


def learner_of(live: LiveServer, link: str) -> Any:
    learner = accounts.learner_by_token(link.rsplit("/", 1)[-1])
    assert learner is not None
    return learner


def mark_done(live: LiveServer, link: str, module: Module, steps: Iterable[StepBase]) -> None:
    """Record right answers for these steps through the progress service, so that a test can
    open a step far into a module without answering all the ones before in the browser."""
    with live.app.test_request_context():
        learner = learner_of(live, link)
        ctx = StepContext(first_name=learner.first_name, structure_name=learner.structure.name)
        for n, step in enumerate(steps):
            outcome = step.check(MultiDict(right_answer(step)), ctx)
            progress.record_answer(learner, module, step, outcome, f"setup-{module.id}-{step.id}-{n:04d}", 0)


# ---- item 2: no sideways scroll --------------------------------------------------------------


def learner_pages(live: LiveServer) -> list[str]:
    """Every page a learner reaches once every module is done: home, every step, every
    summary card and every end page."""
    pages = ["/learn/"]
    for module in live.app.extensions["companion.catalogue"].values():
        for step in module.steps:
            pages.append(f"/learn/modules/{module.id}/steps/{step.id}")
            if step.card_template is not None:
                pages.append(f"/learn/modules/{module.id}/cards/{step.id}")
        pages.append(f"/learn/modules/{module.id}/done")
    return pages


def overflows(page: Page, where: str) -> list[str]:
    """Measure the open page at each width and text size; the problems found."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        for size, m in page.evaluate(OVERFLOW_JS, list(TEXT_SIZES)).items():
            if m["scroll"] > m["client"]:
                problems.append(f"{where} at {width} px, text {size}: {m}")
    return problems


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_learner_page_scrolls_sideways(
    live: LiveServer, new_context: Callable[..., BrowserContext], lang: str
) -> None:
    started = time.monotonic()
    for module in live.app.extensions["companion.catalogue"].values():
        mark_done(live, CHLOE_LINK, module, module.steps)
    # No service worker: it would fetch every page of each module in the background.
    context = new_context(phone=False, viewport=PHONE, service_workers="block")
    context.add_cookies([{"name": "companion_lang", "value": lang, "url": live.url}])
    page = context.new_page()
    page.goto(live.url + CHLOE_LINK)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    problems = overflows(page, "PIN page")
    page.set_viewport_size(PHONE)
    sign_in(page, live.url, LEARNER)
    pages = learner_pages(live)
    for path in pages:
        response = page.goto(live.url + path, wait_until="domcontentloaded")
        assert response is not None and response.ok, path
        assert page.url == live.url + path, f"{path} sent the learner to {page.url}"
        problems += overflows(page, path)
    seconds = time.monotonic() - started
    print(f"\nno sideways scroll ({lang}): {len(pages) + 1} pages × {len(WIDTHS)} widths × "
          f"{len(TEXT_SIZES)} sizes in {seconds:.1f} s")
    assert not problems, "\n".join(problems)
