"""What a learner does in the browser, step by step, with the touch screen or the keyboard."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from companion.catalogue import Module
from tests.browser.conftest import screenshot
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


def complete_module(page: Page, module: Module, shots: str | None = None) -> None:
    """Answer every step right, the way a learner taps through them."""
    for n, step in enumerate(module.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_text(f"Étape {n} sur {len(module.steps)}").first).to_be_visible()
        if shots and n <= 3:
            screenshot(page, f"{shots}-step-{n}")
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()


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
