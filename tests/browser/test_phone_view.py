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
from companion.catalogue.steps import STEP_TYPES, StepBase, StepContext
from companion.catalogue.steps.phone import PhoneStep
from companion.catalogue.steps.spreadsheet import SpreadsheetStep
from companion.i18n import TEXT_SIZES
from companion.services import accounts, progress
from tests.browser.conftest import PHONE, LiveServer, screenshot
from tests.browser.journeys import in_view
from tests.browser.test_accessibility import run_axe, sign_in
from tests.browser.test_all_modules import FIXTURE_MODULES
from tests.conftest import CHLOE_LINK
from tests.helpers import right_answer
from tests.steps import ANSWERERS
from tests.steps.phone import sort_messages

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
             + el.textContent.trim().slice(0, 30) + '" '
             + Math.round(el.getBoundingClientRect().width));
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
            progress.record_answer(
                learner, module, step, outcome, f"setup-{module.id}-{step.id}-{n:04d}", 0
            )


# ---- item 1: the feedback in view -----------------------------------------------------------


def representatives(live: LiveServer, types: Iterable[str]) -> list[tuple[Module, StepBase]]:
    """One step of each of these types, the first met across the server's modules."""
    chosen: dict[str, tuple[Module, StepBase]] = {}
    for module in live.app.extensions["companion.catalogue"].values():
        for step in module.steps:
            if step.type_name in types:
                chosen.setdefault(step.type_name, (module, step))
    return sorted(chosen.values(), key=lambda pair: (pair[0].id, pair[0].index(pair[1].id)))


def check_each(
    page: Page, live: LiveServer, steps: list[tuple[Module, StepBase]], javascript: bool
) -> list[str]:
    """Answer each step right in the browser; what is not in view after "Je vérifie"."""
    sign_in(page, live.url, LEARNER)
    problems: list[str] = []
    for module, step in steps:
        mark_done(live, CHLOE_LINK, module, module.steps[: module.index(step.id)])
        page.goto(f"{live.url}/learn/modules/{module.id}/steps/{step.id}")
        answerer = ANSWERERS[step.type_name]
        if not step.is_practice:
            # Only seen: its button goes on to the next step, at the top of its page.
            answerer.answer_in_browser(page, step)
            here = f"/steps/{step.id}"

            def moved_on(url: str, here: str = here) -> bool:
                return here not in url

            page.wait_for_url(moved_on)
            assert page.evaluate("scrollY") == 0, step.id
            continue
        answerer.fill_in_browser(page, step)
        if hasattr(answerer, "send_in_browser"):  # a step sent by its own last press
            answerer.send_in_browser(page, step)
        else:
            page.get_by_role("button", name="Je vérifie").click()
        page.wait_for_url("**#feedback")
        expect(page.locator("#feedback .feedback--right")).to_be_visible()
        tall = page.evaluate("document.documentElement.scrollHeight")
        if javascript:
            expect(page.locator("#feedback")).to_be_focused()
            screenshot(page, f"feedback-{step.type_name}-fr-360", full_page=False)
        feedback, next_step = in_view(page, "#feedback .feedback"), in_view(page, "#next-step")
        if not (feedback["inside"] and next_step["inside"]):
            problems.append(
                f"{step.type_name} ({step.id}, page {tall} px): feedback {feedback}, "
                f"next {next_step}"
            )
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{step.type_name} ({step.id}) scrolls sideways: {width}")
        # Tab goes from the feedback to the way on.
        page.locator("#feedback").focus()
        page.keyboard.press("Tab")
        expect(page.locator("#next-step")).to_be_focused()
    return problems


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_after_checking_the_feedback_and_the_way_on_are_in_view(
    start_server: Callable[..., LiveServer],
    new_context: Callable[..., BrowserContext],
    javascript: bool,
) -> None:
    """For every step type at 360×740: after "Je vérifie" the feedback and "Étape suivante"
    are on the screen, not screens below (the SMS inbox was 6,448 px tall). One step of each
    type from the five modules; the types they do not use (order, spot) from the fixture
    module."""
    shipped = start_server()
    steps = representatives(shipped, STEP_TYPES)
    missing = set(STEP_TYPES) - {step.type_name for _module, step in steps}
    fixture = start_server(CONTENT_DIR=str(FIXTURE_MODULES))
    more = representatives(fixture, missing)
    assert {step.type_name for _module, step in steps + more} == set(STEP_TYPES)
    problems = []
    for server, pairs in ((shipped, steps), (fixture, more)):
        context = new_context(phone=False, viewport=PHONE, java_script_enabled=javascript)
        problems += check_each(context.new_page(), server, pairs, javascript)
    assert not problems, "\n".join(problems)


def test_a_wrong_try_lands_on_the_hint_with_the_button_to_try_again(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """Not finished yet, on the tallest page: the hint is in view, and "Je vérifie" to try
    again right under it."""
    module, step = next((m, s) for m, s in representatives(live, ["phone"]))
    assert isinstance(step, PhoneStep)
    mark_done(live, CHLOE_LINK, module, module.steps[: module.index(step.id)])
    page = new_context(phone=False, viewport=PHONE, axe=True).new_page()
    sign_in(page, live.url, LEARNER)
    page.goto(f"{live.url}/learn/modules/{module.id}/steps/{step.id}")
    # Nothing sorted: the message saying so is at the top, where the page opens.
    page.get_by_role("button", name="Je vérifie").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert in_view(page, ".error-summary")["inside"]
    # Every message sorted, the first one wrongly.
    sort_messages(page, step)
    first = step.messages[0]
    wrong = ANSWERERS["phone"].wrong_answer(step)[f"verdict-{first.id}"]
    box = page.locator("details[data-message]").first
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator(f"input[name='verdict-{first.id}'][value='{wrong}']").check()
    page.get_by_role("button", name="Je vérifie").click()
    page.wait_for_url("**#feedback")
    expect(page.locator("#feedback .feedback--wrong")).to_be_visible()
    expect(page.locator("#feedback")).to_be_focused()
    assert in_view(page, "#feedback .feedback")["inside"]
    assert in_view(page, "#feedback + button.button--main")["inside"]
    assert page.locator("#next-step").count() == 0
    assert run_axe(page) == []


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
        # An entry check (kind: check) ends on the learner's recommended modules.
        check = module.meta.kind == "check"
        pages.append("/learn/entry-check" if check else f"/learn/modules/{module.id}/done")
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


@pytest.mark.long
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
        assert response is not None, path
        assert response.ok, path
        assert page.url == live.url + path, f"{path} sent the learner to {page.url}"
        problems += overflows(page, path)
    seconds = time.monotonic() - started
    print(
        f"\nno sideways scroll ({lang}): {len(pages) + 1} pages × {len(WIDTHS)} widths × "
        f"{len(TEXT_SIZES)} sizes in {seconds:.1f} s"
    )
    assert not problems, "\n".join(problems)


# ---- item 2: the spreadsheet on a phone --------------------------------------------------------

# The cells to fill against the grid's visible box and the window; the column names' size.
SHEET_JS = """
() => {
  const wrap = document.querySelector('[data-sheet]').getBoundingClientRect();
  const hidden = [];
  for (const input of document.querySelectorAll('.sheet__input')) {
    const box = input.getBoundingClientRect();
    if (box.left < Math.max(wrap.left, 0) - 1 || box.right > Math.min(wrap.right, innerWidth) + 1)
      hidden.push(input.name + ' ' + Math.round(box.left) + '-' + Math.round(box.right));
  }
  const heads = [...document.querySelectorAll('.sheet__head, .sheet__letter')].map(th => ({
    text: th.textContent, size: parseFloat(getComputedStyle(th).fontSize),
    hyphens: getComputedStyle(th).hyphens, lines: Math.round(th.getBoundingClientRect().height)
  }));
  return {hidden: hidden, heads: heads};
}
"""


def sheet_steps(live: LiveServer) -> list[tuple[Module, SpreadsheetStep]]:
    return [
        (module, step)
        for module in live.app.extensions["companion.catalogue"].values()
        for step in module.steps
        if isinstance(step, SpreadsheetStep)
    ]


@pytest.mark.parametrize(
    ("lang", "javascript"), [("fr", True), ("fr", False), ("ar", True)], ids=str
)
def test_spreadsheet_cells_to_fill_and_column_names_stay_in_view(
    live: LiveServer, new_context: Callable[..., BrowserContext], lang: str, javascript: bool
) -> None:
    """At 320 and 360 px, normal and "Très grande" text: every cell to fill of every
    spreadsheet step is on the screen when the step opens (before, at "Très grande" the grid
    hid them beyond the right edge); column names are at least 14 px and not hyphenated."""
    steps = sheet_steps(live)
    for module, _step in steps:
        mark_done(live, CHLOE_LINK, module, module.steps)
    problems: list[str] = []
    for size in ("normal", "xlarge"):
        context = new_context(
            phone=False, viewport=PHONE, java_script_enabled=javascript, service_workers="block"
        )
        context.add_cookies(
            [
                {"name": "companion_lang", "value": lang, "url": live.url},
                {"name": "companion_text", "value": size, "url": live.url},
            ]
        )
        page = context.new_page()
        sign_in(page, live.url, LEARNER)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            for module, step in steps:
                page.goto(f"{live.url}/learn/modules/{module.id}/steps/{step.id}")
                found = page.evaluate(SHEET_JS)
                where = f"{step.id} at {width} px, text {size}"
                if found["hidden"]:
                    problems.append(f"{where}: cells to fill out of view {found['hidden']}")
                for head in found["heads"]:
                    if head["size"] < 14 or "\u00ad" in head["text"] or head["hyphens"] == "auto":
                        problems.append(f"{where}: column name {head}")
                if width == 360 and size == "xlarge" and step.id in ("fix-errors", "stock-left"):
                    screenshot(page, f"sheet-{step.id}-{lang}-{size}-{width}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_formula_bar_shows_a_cell_in_full(
    live: LiveServer, new_context: Callable[..., BrowserContext], javascript: bool
) -> None:
    """The cells are too narrow for "=SOMME(B2:B4)" ("=SOMM" showed): the formula bar shows
    it whole. With JavaScript it follows the cell selected and the typing; without, it lists
    every cell to fill with what it holds."""
    module, step = next((m, s) for m, s in sheet_steps(live) if s.id == "fix-errors")
    mark_done(live, CHLOE_LINK, module, module.steps[: module.index(step.id)])
    page = new_context(
        phone=False, viewport=PHONE, java_script_enabled=javascript, axe=True
    ).new_page()
    sign_in(page, live.url, LEARNER)
    page.goto(f"{live.url}/learn/modules/{module.id}/steps/{step.id}")
    if javascript:
        assert run_axe(page) == []
    bar = page.get_by_role("group", name="Barre de formule")
    lines = bar.locator("[data-bar-cell]")
    if not javascript:
        expect(lines.filter(visible=True)).to_have_count(len(step.cells))
        for target in step.cells:
            line = bar.locator(f"[data-bar-cell='{target.cell}']")
            expect(line).to_contain_text(target.cell)
            expect(line.locator(".sheet-bar__content")).to_have_text(target.start or "")
        # The cell itself is too narrow for the formula: the bar is where it reads whole.
        narrow = page.locator("#cell-B5").evaluate("i => i.scrollWidth > i.clientWidth")
        assert narrow, "the cell shows all of its formula: the bar would not be needed"
        return
    expect(lines.filter(visible=True)).to_have_count(1)
    shown = bar.locator("[data-bar-cell]:visible .sheet-bar__content")
    page.locator("#cell-B5").focus()
    expect(bar).to_contain_text("B5")
    expect(shown).to_have_text("=SOMM(B2:B4)")
    page.locator("#cell-B5").fill("=SOMME(B2:B4)")
    expect(shown).to_have_text("=SOMME(B2:B4)")
    page.locator("#cell-C3").focus()
    expect(bar).to_contain_text("C3")
    expect(shown).to_have_text("quatre")
    # A given cell, tapped: what it holds.
    page.locator("[data-cell='B2']").click()
    expect(bar).to_contain_text("B2")
    screenshot(page, "sheet-formula-bar-fr-360", full_page=False)
