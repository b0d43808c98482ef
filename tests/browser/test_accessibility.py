"""WCAG 2.2 AA in Chromium: every page each role reaches, in French and Arabic, phone and desktop.

The crawl follows the links of each role's pages from its home (so new pages are crawled as
they appear), runs axe-core on each at 360×740 and 1280×800, measures learner touch targets,
and keeps the HTML the server sent; at the end of each test the Nu HTML Checker reads the
pages it kept (so that each test stands alone, whichever process runs it).
Tools come from `make a11y-tools` (npm axe-core and vnu-jar, run on the system Java).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page, ViewportSize, expect
from sqlalchemy import select

from companion.catalogue.steps import ChooseStep, ConfidenceStep, StepBase, TypeStep
from companion.catalogue.steps.password_lab import PasswordLabStep
from companion.catalogue.steps.phone import PhoneStep
from companion.extensions import db
from companion.i18n import compile_catalogues
from companion.models import Structure
from tests.browser import nu_checker
from tests.browser.conftest import A11Y_TOOLS, AXE, PHONE, LiveServer, screenshot
from tests.browser.journeys import DEMO_PASSWORD, learner_signin_by_keyboard, tab_to
from tests.conftest import AMINA_LINK, CHLOE_LINK
from tests.steps.password_lab import STRONG

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU = A11Y_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
MAX_PAGES = 25  # per role and language: enough for every page a role reaches today
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Never followed: they change state or leave the site.
SKIP_PATHS = ("/static/", "/s/", "/learn/signout", "/staff/signout")
# Files to download, not pages: the browser would start a download instead of a page.
DOWNLOADS = (".pdf", ".csv", ".xlsx", ".json")

ROLES: dict[str, dict[str, str]] = {
    "signed-out": {},
    "learner-link": {"link": CHLOE_LINK, "pin": "3690"},
    "learner-kiosk": {"kiosk_by": "cip@atelier.example", "name": "Bruno", "pin": "1357"},
    "cip": {"email": "cip@atelier.example"},
    "encadrant": {"email": "encadrant@atelier.example"},
    "direction": {"email": "direction@atelier.example"},
    "admin": {"email": "admin@compagnon.example"},
}
LEARNER_ROLES = {"learner-link", "learner-kiosk"}

# Every target a learner taps, outside running text, and how big it is.
TARGETS_JS = """
() => {
  const out = [];
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], dialog:not([open])')) continue;
    if (el.classList.contains('skip-link')) continue;
    // A radio or checkbox is tapped through its whole label.
    if (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label')) continue;
    // Links inside running text are exempt (WCAG 2.5.8 inline exception).
    if (el.tagName === 'A' && style.display === 'inline' && el.closest('p, li, td')
        && el.closest('p, li, td').textContent.trim() !== el.textContent.trim()) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    out.push({what: el.outerHTML.slice(0, 80), width: box.width, height: box.height});
  }
  return out;
}
"""


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    """The .mo files are build output (git ignores them): compile them if `make` did not."""
    compile_catalogues(ROOT / "translations")


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("html")


@pytest.fixture(scope="module")
def tools() -> None:
    if not AXE.is_file() or not VNU.is_file():
        pytest.fail(f"accessibility tools missing in {A11Y_TOOLS}: run `make a11y-tools`")
    if shutil.which("java") is None:
        pytest.fail("java is needed for the Nu HTML Checker")


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now. In a context made with new_context(axe=True)
    axe is already there; otherwise (or with JavaScript off) it is added to the page."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def sign_in(page: Page, base: str, role: str) -> str:
    """Sign in as the role the way its people do; return the path of its home."""
    how = ROLES[role]
    if "email" in how or "kiosk_by" in how:
        page.goto(base + "/staff/signin")
        page.locator("#email").fill(how.get("email") or how["kiosk_by"])
        page.locator("#password").fill(DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/signin" not in url)
    if "kiosk_by" in how:
        page.goto(base + "/staff/kiosk")
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/kiosk/")
        page.locator(".kiosk-tile", has_text=how["name"]).click()
    if "link" in how:
        page.goto(base + how["link"])
    if "pin" in how:
        page.locator("#pin").fill(how["pin"])
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/learn/")
    return urlsplit(page.url).path if role != "signed-out" else "/"


def seeds(live: LiveServer, role: str) -> list[str]:
    """Learner step pages are reached one after another, not by links: seed one of each type."""
    if role not in LEARNER_ROLES:
        return []
    module = live.module("mots-de-passe")
    one_per_type = {step.type_name: step for step in reversed(module.steps)}
    return [f"/learn/modules/{module.id}/steps/{step.id}" for step in one_per_type.values()]


# Pages that look the same whoever is signed in are checked once per language.
SHARED_PAGES = ("/a-propos", "/accessibilite")
checked_shared: set[tuple[str, str]] = set()


def crawl(
    page: Page, base: str, start: list[str], html_dir: Path, tag: str
) -> Iterator[tuple[str, Page]]:
    """Visit pages breadth first from start, following same-site links; keep their HTML."""
    queue = list(start)
    seen: set[str] = set()
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIP_PATHS) or (tag[-2:], path) in checked_shared:
            continue
        seen.add(path)
        if path in SHARED_PAGES:
            checked_shared.add((tag[-2:], path))
        response = page.goto(base + path)
        assert response is not None
        final = urlsplit(page.url)
        final_path = final.path + (f"?{final.query}" if final.query else "")
        if final_path != path and final_path in seen:
            continue
        seen.add(final_path)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited += 1
        name = f"{tag}-{visited:02d}.html"
        (html_dir / name).write_text(response.text(), encoding="utf-8")
        yield final_path, page
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url, _fragment = urldefrag(href)
            parts = urlsplit(url)
            # Step pages differ only by step type: the seeds already hold one of each type.
            if (
                url.startswith(base)
                and parts.path
                and "/steps/" not in parts.path
                and not parts.path.endswith(DOWNLOADS)
            ):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


@pytest.mark.long
@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_passes_axe_at_both_widths(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
    html_dir: Path,
    tools: None,
    role: str,
    lang: str,
) -> None:
    context = new_context(axe=True)
    context.add_cookies([{"name": "companion_lang", "value": lang, "url": live.url}])
    page = context.new_page()
    home = sign_in(page, live.url, role)
    problems: list[str] = []
    pages = 0
    for path, page_ in crawl(
        page, live.url, [home, *seeds(live, role)], html_dir, f"{role}-{lang}"
    ):
        pages += 1
        expect(page_.locator("html")).to_have_attribute("lang", lang)
        for viewport in (PHONE, DESKTOP):
            page_.set_viewport_size(viewport)
            for violation in run_axe(page_):
                problems.append(f"{path} at {viewport['width']} px: {violation}")
        page_.set_viewport_size(PHONE)
        # Skip link and landmarks on every page.
        assert page_.locator("a.skip-link[href='#main']").count() == 1, path
        assert page_.locator("main#main").count() == 1, path
        assert page_.locator("header.site-header").count() == 1, path
        if role in LEARNER_ROLES or role == "signed-out":
            small = [
                t for t in page_.evaluate(TARGETS_JS) if t["width"] < 43.5 or t["height"] < 43.5
            ]
            problems.extend(f"{path}: touch target under 44×44 px: {t}" for t in small)
            if lang == "ar" and pages <= 12:
                screenshot(page_, f"crawl-{role}-{lang}-{pages:02d}")
    print(f"{role} {lang}: {pages} pages")
    assert pages >= 2, f"{role}: the crawl reached only {pages} page(s)"
    problems += html_errors(sorted(html_dir.glob(f"{role}-{lang}-*.html")))
    assert not problems, "\n".join(problems)


def _document_get(response: Any) -> bool:
    return bool(response.request.resource_type == "document" and response.request.method == "GET")


def _check_two_step_page(page: Page, html: str, name: str, html_dir: Path) -> list[str]:
    """axe at both widths on the page as it is; its server HTML kept for the Nu checker."""
    (html_dir / f"two-step-{name}.html").write_text(html, encoding="utf-8")
    problems = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        problems += [f"{name} at {viewport['width']} px: {v}" for v in run_axe(page)]
    page.set_viewport_size(PHONE)
    return problems


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_two_step_pages_pass_axe(
    live: LiveServer,
    new_context: Callable[..., BrowserContext],
    html_dir: Path,
    tools: None,
    lang: str,
) -> None:
    """The pages the crawl cannot reach by links: the code after the password and the
    enrolment a structure requires happen between two requests; the enrolment page of
    "Mon compte", and a wrong code (422) with its error summary."""
    with live.app.app_context():
        atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
        assert atelier is not None
        atelier.require_totp_for_direction = True
        db.session.commit()
    context = new_context(axe=True)
    context.add_cookies([{"name": "companion_lang", "value": lang, "url": live.url}])
    page = context.new_page()
    problems: list[str] = []

    # A CIP enrols from "Mon compte" (they are not required to).
    sign_in(page, live.url, "cip")
    response = page.goto(live.url + "/staff/account")
    assert response is not None
    problems += _check_two_step_page(page, response.text(), f"account-off-{lang}", html_dir)
    response = page.goto(live.url + "/staff/account/two-step")
    assert response is not None
    problems += _check_two_step_page(page, response.text(), f"enrol-{lang}", html_dir)
    screenshot(page, f"two-step-enrol-{lang}-360")
    secret = page.locator("code[translate=no]").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    with page.expect_response(_document_get) as done:
        page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/account")
    problems += _check_two_step_page(page, done.value.text(), f"account-on-{lang}", html_dir)

    # Signed out, the password leads to the code page; a wrong code gives its summary.
    page.locator(".staff-nav button[type=submit]").click()
    page.goto(live.url + "/staff/signin")
    page.locator("#email").fill(ROLES["cip"]["email"])
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_response(_document_get) as done:
        page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/signin/code")
    problems += _check_two_step_page(page, done.value.text(), f"code-{lang}", html_dir)
    page.locator("#code").fill("12")
    with page.expect_response(lambda r: r.request.method == "POST") as done:
        page.locator("main button[type=submit]").click()
    assert done.value.status == 422
    expect(page.locator("#error-summary")).to_be_visible()
    problems += _check_two_step_page(page, done.value.text(), f"code-wrong-{lang}", html_dir)

    # The direction must enrol before being signed in (the structure requires it).
    other = new_context(axe=True)
    other.add_cookies([{"name": "companion_lang", "value": lang, "url": live.url}])
    direction = other.new_page()
    direction.goto(live.url + "/staff/signin")
    direction.locator("#email").fill(ROLES["direction"]["email"])
    direction.locator("#password").fill(DEMO_PASSWORD)
    with direction.expect_response(_document_get) as done:
        direction.locator("main button[type=submit]").click()
    direction.wait_for_url("**/staff/signin/two-step")
    problems += _check_two_step_page(direction, done.value.text(), f"signin-enrol-{lang}", html_dir)
    screenshot(direction, f"two-step-signin-enrol-{lang}-360")
    problems += html_errors(sorted(html_dir.glob(f"two-step-*-{lang}.html")))
    assert not problems, "\n".join(problems)


def html_errors(files: list[Path]) -> list[str]:
    """The Nu HTML Checker's errors on these pages (its service, started once per process)."""
    assert files, "no page was kept for the Nu HTML Checker"
    return nu_checker.html_errors(VNU, files)


def test_the_nu_html_checker_finds_errors_and_passes_a_served_page(
    live: LiveServer, new_context: Callable[..., BrowserContext], tmp_path: Path, tools: None
) -> None:
    """The check the crawls end with is not blind: it names a broken page's errors (a
    repeated id, a stray end tag) and finds none in a page the server sends."""
    page = new_context().new_page()
    response = page.goto(live.url + "/")
    assert response is not None
    served = tmp_path / "served.html"
    served.write_text(response.text(), encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!doctype html><html lang="fr"><head><title>x</title></head>'
        '<body><p id="a">un</p><p id="a">deux</p></div></body></html>',
        encoding="utf-8",
    )
    errors = html_errors([served, broken])
    assert errors, "the checker found nothing in a broken page"
    assert all(e.startswith("broken.html:") for e in errors), errors
    assert any("Duplicate ID" in e for e in errors), errors


def test_focus_is_visible_and_never_hidden(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    page.goto(live.url + AMINA_LINK)
    page.keyboard.press("Tab")  # the PIN field has focus first; move on through the page
    for _ in range(25):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const s = getComputedStyle(el);
              const box = el.getBoundingClientRect();
              return {tag: el.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                      top: box.top, bottom: box.bottom, height: innerHeight};
            }"""
        )
        if state is None:
            continue
        assert state["outline"] != "none", state
        assert state["width"] >= 2, state
        assert state["bottom"] > 0, state  # scrolled into view, not hidden above
        assert state["top"] < state["height"], state


def _keyboard_confidence(page: Page, step: ConfidenceStep) -> None:
    tab_to(page, "input[name=confidence]")
    page.keyboard.press("Space")


def _keyboard_choose(page: Page, step: ChooseStep) -> None:
    if step.multiple:
        for option in step.options:
            if option.correct:
                tab_to(page, f"input[name=choice][value='{option.id}']")
                page.keyboard.press("Space")
        return
    # One answer: a radio group, moved through with the arrows.
    tab_to(page, "input[name=choice]")
    right = next(o.id for o in step.options if o.correct)
    page.keyboard.press("Space")
    for _ in step.options:
        if page.evaluate("() => document.activeElement.value") == right:
            break
        page.keyboard.press("ArrowDown")


def _keyboard_type(page: Page, step: TypeStep) -> None:
    tab_to(page, "#answer")
    page.keyboard.type(step.accepted[0])


def _keyboard_password_lab(page: Page, step: PasswordLabStep) -> None:
    tab_to(page, "#lab-text")
    page.keyboard.type(STRONG[step.mode])


def _keyboard_phone(page: Page, step: PhoneStep) -> None:
    for message in step.messages:
        tab_to(page, f"details[data-message]:has(input[name='verdict-{message.id}']) summary")
        if (
            page.locator(
                f"details[data-message]:has(input[name='verdict-{message.id}'])"
            ).get_attribute("open")
            is None
        ):
            page.keyboard.press("Enter")
        for n in sorted(message.sign_indexes):
            tab_to(page, f"input[name='signs-{message.id}'][value='{n}']")
            page.keyboard.press("Space")
        tab_to(page, f"input[name='verdict-{message.id}'][value='{message.verdict}']")
        page.keyboard.press("Space")


def _answer_by_keyboard(page: Page, step: StepBase) -> None:
    """The right answer with the keyboard only; a step only read (explain) needs none."""
    if isinstance(step, ConfidenceStep):
        _keyboard_confidence(page, step)
    elif isinstance(step, ChooseStep):
        _keyboard_choose(page, step)
    elif isinstance(step, TypeStep):
        _keyboard_type(page, step)
    elif isinstance(step, PasswordLabStep):
        _keyboard_password_lab(page, step)
    elif isinstance(step, PhoneStep):
        _keyboard_phone(page, step)


def test_keyboard_only_completes_a_module(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """Tab, Shift+Tab, Space, Enter and arrows only: no click from the PIN to the end."""
    page = new_context(phone=False).new_page()
    learner_signin_by_keyboard(page, live.url)
    tab_to(page, "a.module-card__link[href*='mots-de-passe']")
    page.keyboard.press("Enter")
    module = live.module("mots-de-passe")
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        _answer_by_keyboard(page, step)
        tab_to(page, "main button[type=submit].button--main")
        page.keyboard.press("Enter")
        if step.is_practice:
            expect(page.locator(".feedback--right")).to_be_visible()
            tab_to(page, "#next-step")
            page.keyboard.press("Enter")
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()
    tab_to(page, "a.skip-link", back=True)  # Shift+Tab goes back up to the skip link
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
