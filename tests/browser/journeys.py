"""What a learner does in the browser, step by step, with the touch screen or the keyboard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

from companion.catalogue import Module
from tests.browser.conftest import screenshot
from tests.conftest import AMINA_LINK
from tests.steps import ANSWERERS

DEMO_PASSWORD = "Demo-Compagnon-2026"

# Where an element is against the window: whole inside it, or not.
IN_VIEW_JS = """
(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const box = el.getBoundingClientRect();
  return {top: Math.round(box.top), bottom: Math.round(box.bottom), height: innerHeight,
          inside: box.top >= 0 && box.bottom <= innerHeight && box.height > 0};
}
"""


def in_view(page: Page, selector: str) -> dict[str, Any]:
    """Whether the first element matching selector is whole on the screen, and where."""
    where: dict[str, Any] | None = page.evaluate(IN_VIEW_JS, selector)
    assert where is not None, f"{selector} is not in the page"
    return where


def tab_to(page: Page, target: Locator | str, limit: int = 120, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the target — a locator, or a CSS selector — has the
    focus, as a keyboard user does."""
    for _ in range(limit):
        if isinstance(target, str):
            focused = page.evaluate("s => document.activeElement?.matches(s) ?? false", target)
        else:
            focused = target.evaluate("el => el === document.activeElement")
        if focused:
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"Tab never reached {target}")


def learner_signin(page: Page, base: str, link: str = AMINA_LINK, pin: str = "2580") -> None:
    """A learner's personal link and PIN, typed in the plain field: the same with or without
    the keypad script."""
    page.goto(base + link)
    page.get_by_label("Tapez votre code à 4 chiffres").fill(pin)
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")


def learner_signin_by_keyboard(
    page: Page, base: str, link: str = AMINA_LINK, pin: str = "2580"
) -> None:
    """The personal link, then the PIN typed and sent with the keyboard alone (no click)."""
    page.goto(base + link)
    tab_to(page, "#pin")
    page.keyboard.type(pin)
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/")


def no_sideways_scroll(page: Page) -> None:
    """The page fits the window: nothing to scroll sideways to (a plain viewport, where
    phone emulation would grow the window to the content and hide the fault)."""
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px wide in {widths[1]} px"


def complete_module(
    page: Page,
    module: Module,
    shots: str | None = None,
    shot_steps: frozenset[str] = frozenset(),
    fits: bool = True,
) -> None:
    """Answer every step right, the way a learner taps through them: each step shows its
    place in the module and (with `fits`) fits the phone; `shots` names the screenshots of
    the first three steps and of `shot_steps`."""
    for n, step in enumerate(module.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_text(f"Étape {n} sur {len(module.steps)}").first).to_be_visible()
        if fits:
            no_sideways_scroll(page)
        if shots and (n <= 3 or step.id in shot_steps):
            screenshot(page, f"{shots}-{step.id}")
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    if module.meta.kind == "check":  # an entry check ends on the recommended modules
        page.wait_for_url("**/learn/entry-check")
        expect(page.get_by_role("heading", name="Vos modules conseillés")).to_be_visible()
    else:
        page.wait_for_url("**/done")
        heading = page.get_by_role("heading", name="Bravo, vous avez fini le module !")
        expect(heading).to_be_visible()
    if shots:
        screenshot(page, f"{shots}-done")


def staff_signin(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/staff/signin")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def cip_sees_completed(page: Page, base: str, name: str, module_id: str) -> None:
    staff_signin(page, base, "cip@atelier.example")
    page.wait_for_url("**/staff/learners")
    row = page.locator("tr", has=page.locator("th", has_text=name))
    expect(row.locator(f"td[data-module='{module_id}']")).to_have_attribute(
        "data-state", "completed"
    )
