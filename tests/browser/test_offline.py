"""A bad connection loses nothing: a module finished offline, sent once; a kiosk left clean."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from companion.catalogue import Module
from companion.catalogue.steps import ChooseStep
from companion.catalogue.steps.password_lab import PasswordLabStep
from companion.extensions import db
from companion.models import Learner, Progress, ProgressEvent, StepStatus
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.journeys import (
    cip_sees_completed,
    complete_module,
    in_view,
    learner_signin,
    staff_signin,
)
from tests.steps import ANSWERERS
from tests.steps.password_lab import STRONG
from tests.steps.phone import sort_messages

pytestmark = pytest.mark.browser
# A module whose every step can be answered offline (the password lab never is: what is
# typed there must not stay on the device).
MODULE = "dangers-internet"
OFFLINE_LINE = "Hors connexion — vos réponses sont gardées."

# Everything of a learner the browser could still hold, apart from cookies.
STORAGE_SCRIPT = """async () => {
  const caches_ = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      caches_.push({cache: name, url: request.url, text: await response.text()});
    }
  }
  const databases = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  return {caches: caches_, databases, local: Object.keys(localStorage),
          session: Object.keys(sessionStorage)};
}"""


def set_offline(context: BrowserContext, live: LiveServer, offline: bool) -> None:
    """No network: the browser is offline and the server stops listening.

    Chromium's offline emulation does not cover the service worker's requests, and a page
    just loaded from the worker's cache may see `navigator.onLine` true for a moment: an
    answer could then reach the server "offline" through the worker, which a real lost
    network never allows (https://github.com/microsoft/playwright/issues/2311).
    """
    if offline:
        context.set_offline(True)
        live.unplug()
    else:
        live.plug()
        context.set_offline(False)


def open_module_and_keep_it(page: Page, module: Module) -> None:
    """Open the module online and wait until the service worker has kept all of it."""
    # The module's card in the list (the entry check's advice may link the same module).
    page.locator("a.module-card__link", has_text=module.meta.title).click()
    page.wait_for_url(f"**/steps/{module.steps[0].id}")
    expect(page.locator("html")).to_have_attribute("data-offline-module", module.id, timeout=30_000)
    expect(page.get_by_text("Ce module est gardé sur l'appareil.")).to_be_visible()


def waiting(page: Page) -> int:
    return len(page.evaluate("JSON.parse(localStorage.getItem('companion-offline-queue') || '[]')"))


def answer_offline(page: Page, step: Any) -> None:
    """What a learner does on a step with no network; every step ends with the next page."""
    if step.type_name in ("summary", "password_lab", "phone"):
        # Nothing to check on the device for these types: the server will do it later.
        if step.type_name == "password_lab":
            page.locator("#lab-text").fill(STRONG[step.mode])
        elif step.type_name == "phone":
            sort_messages(page, step)
        page.locator("main button[type=submit].button--main").click()
        expect(page.get_by_text("Je vérifierai quand le réseau revient.")).to_be_visible()
        page.get_by_role("link", name="Étape suivante").click()
    else:
        ANSWERERS[step.type_name].answer_in_browser(page, step)


def learner_id(live: LiveServer, first_name: str) -> int:
    with live.app.app_context():
        learner = db.session.scalar(select(Learner).where(Learner.first_name == first_name))
        assert learner is not None
        return learner.id


def events(live: LiveServer, learner: int) -> list[ProgressEvent]:
    with live.app.app_context():
        return list(
            db.session.scalars(
                select(ProgressEvent).where(
                    ProgressEvent.learner_id == learner, ProgressEvent.module_id == MODULE
                )
            )
        )


@pytest.mark.long
def test_module_finished_offline_is_counted_once(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    module = live.module(MODULE)
    context = new_context()
    page = context.new_page()
    learner_signin(page, live.url)
    open_module_and_keep_it(page, module)

    set_offline(context, live, True)
    expect(page.get_by_text(OFFLINE_LINE)).to_be_visible()
    wrong_once = next(s for s in module.steps if isinstance(s, ChooseStep))
    for n, step in enumerate(module.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_text(f"Étape {n} sur {len(module.steps)}").first).to_be_visible()
        if step is wrong_once:
            # Checked on the device: the same hint and try count as the server gives.
            wrong = next(o for o in wrong_once.options if not o.correct)
            page.locator(f"input[name=choice][value='{wrong.id}']").check()
            page.get_by_role("button", name="Je vérifie").click()
            expect(page.get_by_text("Pas tout à fait.")).to_be_visible()
            expect(page.get_by_text("Essai 1 sur 3")).to_be_visible()
            expect(page.get_by_role("link", name="Étape suivante")).to_have_count(0)
            screenshot(page, "offline-wrong-answer")
            if wrong_once.multiple:
                page.locator(f"input[name=choice][value='{wrong.id}']").uncheck()
            for option in wrong_once.options:
                if option.correct:
                    page.locator(f"input[name=choice][value='{option.id}']").check()
            page.get_by_role("button", name="Je vérifie").click()
            expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
            expect(page.get_by_text("Pas tout à fait.")).to_have_count(0)
            expect(page.get_by_role("button", name="Je vérifie")).to_be_hidden()
            # Shown where the learner is, with the way on right under it (issue 15).
            expect(page.locator("#feedback")).to_be_focused()
            assert in_view(page, "#feedback .feedback--right")["inside"]
            assert in_view(page, "#feedback #next-step")["inside"]
            screenshot(page, "offline-right-answer")
            page.get_by_role("link", name="Étape suivante").click()
            continue
        answer_offline(page, step)
        if n == 3:
            expect(page.get_by_text("réponses attendent le réseau.")).to_be_visible()
            screenshot(page, "offline-step")
    # The end page needs the server: the device says so, and the answers wait.
    expect(page.get_by_role("heading", name="Vous êtes hors connexion")).to_be_visible()
    screenshot(page, "offline-page")
    answers = len(module.steps) + 1
    assert waiting(page) == answers
    amina = learner_id(live, "Amina")
    assert events(live, amina) == []  # nothing reached the server yet

    set_offline(context, live, False)
    expect(page.locator("html")).to_have_attribute("data-offline-waiting", "0")
    recorded = events(live, amina)
    assert len(recorded) == answers
    assert len({e.submission_key for e in recorded}) == answers
    per_step = Counter(e.step_id for e in recorded)
    assert per_step == Counter({s.id: 2 if s is wrong_once else 1 for s in module.steps})
    with live.app.app_context():
        rows = db.session.scalars(select(Progress).where(Progress.learner_id == amina)).all()
        by_step = {r.step_id: r for r in rows if r.module_id == MODULE}
        assert by_step[wrong_once.id].tries == 2
        assert by_step[wrong_once.id].status == StepStatus.PASSED
        assert all(by_step[s.id].status is not None for s in module.steps)

    # Sending again (another page load, the online event) never counts twice.
    page.goto(live.url + f"/learn/modules/{MODULE}/")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert len(events(live, amina)) == answers

    cip = new_context(phone=False).new_page()
    cip_sees_completed(cip, live.url, "Amina", MODULE)


def test_refused_answer_is_shown_and_the_queue_goes_on(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    module = live.module(MODULE)
    context = new_context()
    page = context.new_page()
    learner_signin(page, live.url)
    open_module_and_keep_it(page, module)
    set_offline(context, live, True)
    for step in module.steps[:2]:
        page.wait_for_url(f"**/steps/{step.id}")
        answer_offline(page, step)
    page.wait_for_url(f"**/steps/{module.steps[2].id}")
    # Meanwhile the module changed: an answer waits for a step that no longer exists.
    page.evaluate(
        """() => {
          const queue = JSON.parse(localStorage.getItem('companion-offline-queue'));
          const gone = {...queue[0], key: 'a-removed-step-answer-key-000001',
                        url: queue[0].url.replace(/steps\\/[^/]+$/, 'steps/removed-step'),
                        title: 'Une étape retirée'};
          localStorage.setItem('companion-offline-queue', JSON.stringify([gone, ...queue]));
        }"""
    )
    set_offline(context, live, False)
    expect(
        page.get_by_text("Votre réponse à l'étape « Une étape retirée » n'est pas prise.")
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-offline-waiting", "0")
    screenshot(page, "offline-refused")
    recorded = events(live, learner_id(live, "Amina"))
    assert sorted(e.step_id for e in recorded) == sorted(s.id for s in module.steps[:2])


def test_full_device_storage_keeps_the_learner_on_the_step(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    module = live.module(MODULE)
    context = new_context()
    context.add_init_script(
        """Storage.prototype.setItem = function () {
             throw new DOMException('full', 'QuotaExceededError');
           };"""
    )
    page = context.new_page()
    learner_signin(page, live.url)
    open_module_and_keep_it(page, module)
    set_offline(context, live, True)
    ANSWERERS["confidence"].answer_in_browser(page, module.steps[0])
    expect(page.get_by_role("alert")).to_contain_text("La mémoire de l'appareil est pleine.")
    assert page.url.endswith(f"/steps/{module.steps[0].id}")
    assert waiting(page) == 0


def test_kiosk_sign_out_offline_leaves_nothing_of_the_learner(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    module = live.module(MODULE)
    context = new_context()
    page = context.new_page()
    staff_signin(page, live.url, "cip@atelier.example")
    page.goto(live.url + "/staff/kiosk")
    page.get_by_role("button", name="Ouvrir la borne").click()
    page.wait_for_url("**/kiosk/")
    page.get_by_role("link", name="Bruno").click()
    page.get_by_label("Tapez votre code à 4 chiffres").fill("1357")
    page.get_by_role("button", name="Entrer").click()
    page.wait_for_url("**/learn/")
    open_module_and_keep_it(page, module)
    kept = page.evaluate(STORAGE_SCRIPT)
    assert any("Bruno" in entry["text"] for entry in kept["caches"])  # the pages were kept

    set_offline(context, live, True)
    for step in module.steps[:2]:
        page.wait_for_url(f"**/steps/{step.id}")
        answer_offline(page, step)
    page.wait_for_url(f"**/steps/{module.steps[2].id}")
    assert waiting(page) == 2
    page.get_by_role("button", name="J'ai fini").click()
    page.wait_for_url("**/offline?bye=1*")
    expect(page.get_by_text("Vous avez bien quitté votre espace.")).to_be_visible()
    expect(page.get_by_text("2 réponses n'ont pas pu partir. Elles sont effacées.")).to_be_visible()
    screenshot(page, "offline-kiosk-signed-out")

    left = page.evaluate(STORAGE_SCRIPT)
    assert left["local"] == []
    assert left["session"] == []
    assert left["databases"] == []
    for entry in left["caches"]:
        assert "Bruno" not in entry["text"], entry["url"]
        assert "/learn/" not in entry["url"], entry["url"]
    # Only the shell (the same for everyone) and the note to end the session stay.
    assert {e["cache"] for e in left["caches"]} <= {
        *(e["cache"] for e in left["caches"] if e["cache"].startswith("companion-shell-")),
        "companion-signout",
    }

    # The session cookie can only be ended by the server: it is, as soon as the network returns.
    set_offline(context, live, False)
    page.wait_for_url("**/kiosk/?bye=1")
    expect(page.get_by_role("heading", name="Touchez votre prénom")).to_be_visible()
    cookies = {c["name"] for c in context.cookies()}
    # A fresh anonymous session may hold the kiosk page's form token, never the learner;
    # companion_device is the CIP's own "known device" mark (staff account ids only);
    # companion_assets is the version of the stylesheet and scripts the device has, the same
    # for everyone (static_assets.FirstVisit).
    allowed = {"companion_kiosk", "companion_device", "companion_assets", "session"}
    assert cookies <= allowed, cookies
    assert "companion_kiosk" in cookies
    page.goto(live.url + "/learn/")
    expect(page.get_by_role("heading", name="Touchez votre prénom")).to_be_visible()
    after = page.evaluate(STORAGE_SCRIPT)
    assert all("Bruno" not in e["text"] for e in after["caches"])
    assert not any(e["cache"] == "companion-signout" for e in after["caches"])
    assert events(live, learner_id(live, "Bruno")) == []  # the answers were emptied, not sent


def test_without_service_workers_everything_works_online(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context(service_workers="block")
    page = context.new_page()
    learner_signin(page, live.url)
    page.get_by_role("link", name=live.module(MODULE).meta.title).click()
    complete_module(page, live.module(MODULE))
    expect(page.locator("html")).to_have_attribute("data-offline-waiting", "0")
    assert page.evaluate(STORAGE_SCRIPT)["caches"] == []
    assert len(events(live, learner_id(live, "Amina"))) == len(live.module(MODULE).steps)


def test_the_password_lab_is_never_kept_on_the_device(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """Its step says offline_check "network": with no network the learner is asked for it,
    and what was typed stays in the field only, never in the queue."""
    module = live.module("mots-de-passe")
    lab = next(s for s in module.steps if isinstance(s, PasswordLabStep))
    context = new_context()
    page = context.new_page()
    learner_signin(page, live.url)
    open_module_and_keep_it(page, module)
    set_offline(context, live, True)
    page.goto(live.url + f"/learn/modules/{module.id}/steps/{lab.id}")  # the kept copy
    page.locator("#lab-text").fill(STRONG[lab.mode])
    page.locator("main button[type=submit].button--main").click()
    expect(page.get_by_role("alert")).to_contain_text("Cet exercice a besoin du réseau.")
    assert waiting(page) == 0
