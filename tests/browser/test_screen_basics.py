"""The module "Prendre en main l'écran" in Chromium: finished with a finger at 360 px (touch
emulation: taps, a touch scroll, swipes, a pinch, a long press, a touch drag), with a mouse at
1280 px, and with the keyboard only; axe-core on every step page in French and Arabic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from companion.catalogue import Module
from companion.catalogue.steps import StepBase
from companion.catalogue.steps.drag_to_place import DragToPlaceStep
from companion.catalogue.steps.gesture import GestureStep
from companion.catalogue.steps.tap_targets import TapTargetsStep
from companion.catalogue.steps.type_text import TypeTextStep
from companion.extensions import db
from companion.models import Learner, Progress, StepStatus
from tests.browser.conftest import PHONE, LiveServer, screenshot
from tests.browser.journeys import (
    learner_signin,
    learner_signin_by_keyboard,
    no_sideways_scroll,
    tab_to,
)
from tests.browser.test_accessibility import DESKTOP, run_axe
from tests.browser.test_accessibility import tools as tools  # the fixture: axe is there
from tests.browser.test_offline import (
    answer_offline,
    open_module_and_keep_it,
    set_offline,
    waiting,
)
from tests.browser.test_read_aloud import assert_content_only, listen, listening
from tests.conftest import AMINA_LINK
from tests.steps import ANSWERERS
from tests.steps.tap_targets import press_once, press_rounds

pytestmark = pytest.mark.browser
MODULE = "prendre-en-main-ecran"


def centre(locator: Locator, scroll: bool = True) -> tuple[float, float]:
    if scroll:
        locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def tap(page: Page, locator: Locator) -> None:
    """A tap with a finger on a button that sends its form, on its own: Chromium's touch
    emulation takes two taps close in time as a double tap, and drops a tap that follows
    swipes or drags too closely (under a heavy load, even 1.2 s later: seen once in CI). A
    tap after which the page did not change is tapped again, at most twice; it is always a
    tap, never a click."""
    page.wait_for_timeout(1200)
    for _attempt in range(3):
        try:
            with page.expect_request(
                lambda r: r.method == "POST" and r.is_navigation_request(), timeout=4000
            ):
                page.touchscreen.tap(*centre(locator))
            return
        except PlaywrightTimeoutError:
            page.wait_for_timeout(1200)
    raise AssertionError("three taps on the button did not send its form")


class Finger:
    """Touch events sent to Chromium as a touch screen sends them (CDP Input domain)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.cdp: CDPSession = page.context.new_cdp_session(page)

    def touch(self, kind: str, points: list[tuple[float, float]]) -> None:
        self.cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": kind,
                "touchPoints": [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(points)],
            },
        )

    def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
        self.touch("touchStart", [start])
        for n in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * n / steps
            y = start[1] + (end[1] - start[1]) * n / steps
            self.touch("touchMove", [(x, y)])
        self.touch("touchEnd", [])

    def pinch_out(self, at: tuple[float, float]) -> None:
        x, y = at
        self.touch("touchStart", [(x - 15, y), (x + 15, y)])
        for spread in range(25, 100, 10):
            self.touch("touchMove", [(x - spread, y), (x + spread, y)])
        self.touch("touchEnd", [])

    def long_press(self, at: tuple[float, float]) -> None:
        self.touch("touchStart", [at])
        self.page.wait_for_timeout(900)
        self.touch("touchEnd", [])

    def scroll_down(self, at: tuple[float, float]) -> None:
        """The finger slides up in the frame, four times: the frame scrolls down."""
        for _ in range(4):
            self.drag((at[0], at[1] + 100), (at[0], at[1] - 100), steps=10)


def open_module(page: Page, live: LiveServer) -> Module:
    learner_signin(page, live.url)
    module = live.module(MODULE)
    # The module comes first of the modules nobody assigned (assigned ones come before).
    first = page.locator("li.module-card:not(.module-card--assigned) a.module-card__link").first
    expect(first).to_have_attribute("href", f"/learn/modules/{MODULE}/")
    first.click()
    page.wait_for_url(f"**/steps/{module.steps[0].id}")
    return module


def success(page: Page, step: GestureStep) -> None:
    """The script saw the gesture: it says so."""
    expect(page.locator("[data-gesture-status]")).to_have_text(f"✔ {step.success}")
    expect(page.locator(".gesture-zone")).to_have_class(
        f"gesture-zone gesture-zone--{step.gesture.replace('_', '-')} gesture-zone--done"
    )


def finish_practice(page: Page) -> None:
    expect(page.get_by_text("Bravo, c'est juste !")).to_be_visible()
    page.get_by_role("link", name="Étape suivante").click()


# ---- with a finger, 360 px ----------------------------------------------------------------


def touch_gesture(page: Page, finger: Finger, step: GestureStep) -> None:
    zone = page.locator(".gesture-zone")
    if step.gesture == "scroll":
        finger.scroll_down(centre(zone))
    elif step.gesture == "swipe":
        status = page.locator("[data-gesture-status]")
        for _ in range(3):  # 4 photos: the first is shown, 3 more to see
            x, y = centre(zone)
            finger.drag((x + 100, y), (x - 100, y))
            # Swipes closer in time than this make Chromium's touch emulation drop the next tap.
            page.wait_for_timeout(1200)
            if status.text_content():
                break
    elif step.gesture == "zoom":
        finger.pinch_out(centre(zone))
    elif step.gesture == "long_press":
        expect(page.locator("[data-gesture-menu]")).to_be_hidden()
        finger.long_press(centre(page.locator("[data-gesture-target]")))
        expect(page.locator("[data-gesture-menu]")).to_be_visible()
    else:
        at = centre(page.locator("[data-gesture-target]"))
        page.touchscreen.tap(*at)
        page.touchscreen.tap(*at)
    success(page, step)


def touch_drag(page: Page, finger: Finger, step: DragToPlaceStep) -> None:
    expect(page.locator("[data-drag-nojs]")).to_be_hidden()
    for item in step.items:
        page.locator("[data-drag-board]").scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        source = centre(page.locator(f"[data-drag-item='{item.id}']"), scroll=False)
        target = centre(page.locator(f"[data-drag-place='{item.place}']"), scroll=False)
        finger.drag(source, target)
        # The drop sets the item's list and puts the picture in its place.
        expect(page.locator(f"#place-{item.id}")).to_have_value(item.place)
        expect(
            page.locator(f"[data-drag-place='{item.place}'] [data-drag-item='{item.id}']")
        ).to_be_visible()
    screenshot(page, "screen-basics-touch-dragged")
    tap(page, page.get_by_role("button", name="Je vérifie"))


@pytest.mark.long
def test_a_finger_finishes_the_module_at_360_px(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context().new_page()
    module = open_module(page, live)
    finger = Finger(page)
    for n, step in enumerate(module.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.get_by_text(f"Étape {n} sur {len(module.steps)}").first).to_be_visible()
        no_sideways_scroll(page)
        if isinstance(step, TapTargetsStep):
            press_rounds(page, step, press="tap")
            press_once(page, "tap")
            finish_practice(page)
        elif isinstance(step, GestureStep):
            touch_gesture(page, finger, step)
            tap(page, page.get_by_role("button", name="Je continue"))
        elif isinstance(step, DragToPlaceStep):
            touch_drag(page, finger, step)
            finish_practice(page)
        else:
            ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()


# ---- with a mouse, 1280 px ----------------------------------------------------------------


def mouse_gesture(page: Page, step: GestureStep) -> None:
    zone = page.locator(".gesture-zone")
    if step.gesture == "scroll":
        page.mouse.move(*centre(zone))
        page.mouse.wheel(0, 1200)
    elif step.gesture == "swipe":
        for _ in range(3):
            x, y = centre(zone)
            page.mouse.move(x + 100, y)
            page.mouse.down()
            page.mouse.move(x - 100, y, steps=5)
            page.mouse.up()
    elif step.gesture == "zoom":
        page.mouse.move(*centre(zone))
        page.keyboard.down("Control")
        page.mouse.wheel(0, -100)
        page.keyboard.up("Control")
    elif step.gesture == "long_press":
        page.locator("[data-gesture-target]").click(button="right")
    else:
        page.locator("[data-gesture-target]").dblclick()
    success(page, step)


def mouse_drag(page: Page, step: DragToPlaceStep) -> None:
    for item in step.items:
        page.mouse.move(*centre(page.locator(f"[data-drag-item='{item.id}']")))
        page.mouse.down()
        page.mouse.move(*centre(page.locator(f"[data-drag-place='{item.place}']")), steps=10)
        page.mouse.up()
        expect(page.locator(f"#place-{item.id}")).to_have_value(item.place)
    page.get_by_role("button", name="Je vérifie").click()


def test_a_mouse_finishes_the_module_at_1280_px(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(phone=False).new_page()
    module = open_module(page, live)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if isinstance(step, GestureStep):
            mouse_gesture(page, step)
            page.get_by_role("button", name="Je continue").click()
        elif isinstance(step, DragToPlaceStep):
            mouse_drag(page, step)
            finish_practice(page)
        else:
            ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()


# ---- keyboard only ------------------------------------------------------------------------


def keyboard_gesture(page: Page, step: GestureStep) -> None:
    """The keyboard's way of each gesture, as the step's "Autre façon" says."""
    if step.gesture in ("scroll", "swipe"):
        tab_to(page, ".gesture-zone")
        key = "ArrowDown" if step.gesture == "scroll" else "ArrowRight"
        status = page.locator("[data-gesture-status]")
        for _ in range(40):
            page.keyboard.press(key)
            if status.text_content():
                break
    elif step.gesture == "zoom":
        page.keyboard.press("Control+Equal")
    elif step.gesture == "long_press":
        tab_to(page, "[data-gesture-target]")
        page.keyboard.press("Shift+F10")
    else:
        tab_to(page, "[data-gesture-target]")
        page.keyboard.press("Enter")
    success(page, step)


def keyboard_answer(page: Page, step: StepBase) -> None:
    """Answer with Tab, arrows, Space, Enter and typing; the answer is sent."""
    if isinstance(step, TapTargetsStep):
        tab_to(page, "[data-tap-target]")
        for _ in range(step.last_round + 1):
            page.keyboard.press("Enter")  # the focus stays on the target, round after round
        return
    if isinstance(step, GestureStep):
        keyboard_gesture(page, step)
    elif isinstance(step, DragToPlaceStep):
        for item in step.items:
            tab_to(page, f"#place-{item.id}")
            places = [p.id for p in step.places]
            for _ in range(places.index(item.place) + 1):
                page.keyboard.press("ArrowDown")
            expect(page.locator(f"#place-{item.id}")).to_have_value(item.place)
    elif isinstance(step, TypeTextStep):
        tab_to(page, "#answer")
        page.keyboard.press("End")
        for _ in step.start:
            page.keyboard.press("Backspace")  # erase the text with a mistake
        page.keyboard.type(step.expected)
        page.keyboard.press("Enter")  # validate
        return
    elif step.type_name == "confidence":
        tab_to(page, "input[name=confidence]")
        page.keyboard.press("Space")
    tab_to(page, "main button[type=submit].button--main")
    page.keyboard.press("Enter")


def test_the_keyboard_alone_finishes_the_module(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(phone=False).new_page()
    learner_signin_by_keyboard(page, live.url)
    tab_to(page, f"a.module-card__link[href*='{MODULE}']")
    page.keyboard.press("Enter")
    module = live.module(MODULE)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        keyboard_answer(page, step)
        if step.is_practice:
            expect(page.locator(".feedback--right")).to_be_visible()
            tab_to(page, "#next-step")
            page.keyboard.press("Enter")
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()


# ---- axe-core on every step, French and Arabic --------------------------------------------


def answer_by_ids(page: Page, step: StepBase) -> None:
    """Answer right without reading the words (any language): by ids and roles."""
    if isinstance(step, TapTargetsStep):
        for n in range(step.last_round + 1):
            expect(page.locator("[data-tap-zone]")).to_have_attribute("data-round", str(n))
            page.locator("[data-tap-target]").click()
    else:
        if isinstance(step, DragToPlaceStep):
            for item in step.items:
                page.locator(f"#place-{item.id}").select_option(item.place)
        elif isinstance(step, TypeTextStep):
            page.locator("#answer").fill(step.expected)
        elif step.type_name == "confidence":
            page.locator("input[name=confidence]").first.check()
        page.locator("main button[type=submit].button--main").click()
    if step.is_practice:
        expect(page.locator(".feedback--right")).to_be_visible()
        page.locator("#next-step").click()


def axe_both_widths(page: Page, where: str) -> list[str]:
    problems = []
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        problems += [f"{where} at {viewport['width']} px: {v}" for v in run_axe(page)]
    page.set_viewport_size(PHONE)
    return problems


def wrong_answer_shown(page: Page, step: StepBase) -> bool:
    """A wrong answer sent, to check the feedback's page too (steps that tell what differs)."""
    if isinstance(step, TypeTextStep):
        mistake = step.expected.lower().replace("é", "e").replace("@", "")
        page.locator("#answer").fill(step.start or mistake)
    elif isinstance(step, DragToPlaceStep):
        wrong = ANSWERERS[step.type_name].wrong_answer(step)
        for name, value in wrong.items():
            page.locator(f"select[name='{name}']").select_option(value)
    else:
        return False
    page.locator("main button[type=submit].button--main").click()
    expect(page.locator(".feedback--wrong")).to_be_visible()
    return True


@pytest.mark.long
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_step_passes_axe_in_french_and_arabic(
    live: LiveServer, new_context: Callable[..., BrowserContext], tools: None, lang: str
) -> None:
    context = new_context(axe=True)
    context.add_cookies([{"name": "companion_lang", "value": lang, "url": live.url}])
    page = context.new_page()
    page.goto(live.url + AMINA_LINK)
    page.locator("#pin").fill("2580")
    page.locator("form:has(#pin) button[type=submit]").click()
    page.wait_for_url("**/learn/")
    module: Module = (
        live.app.extensions["companion.catalogue.translations"]
        .get(lang, {})
        .get(MODULE, live.module(MODULE))
    )
    page.goto(f"{live.url}/learn/modules/{MODULE}/")
    problems: list[str] = []
    for n, step in enumerate(module.steps, start=1):
        page.wait_for_url(f"**/steps/{step.id}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_role("heading", level=1)).to_have_text(step.title)
        no_sideways_scroll(page)
        screenshot(page, f"screen-basics-{lang}-{n:02d}-{step.id}")
        problems += axe_both_widths(page, step.id)
        if wrong_answer_shown(page, step):
            screenshot(page, f"screen-basics-{lang}-{n:02d}-{step.id}-wrong")
            problems += axe_both_widths(page, f"{step.id} (wrong answer)")
        answer_by_ids(page, step)
    page.wait_for_url("**/done")
    assert not problems, "\n".join(problems)


def test_without_javascript_the_gestures_say_so_and_the_module_is_finished(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    module = open_module(page, live)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if isinstance(step, GestureStep):
            expect(
                page.get_by_text("Sans son script, cette page ne voit pas votre geste.")
            ).to_be_visible()
        if isinstance(step, DragToPlaceStep):
            expect(page.locator("[data-drag-nojs]")).to_be_visible()
            expect(page.locator("[data-drag-board]")).to_be_hidden()
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    page.wait_for_url("**/done")
    expect(page.get_by_role("heading", name="Bravo, vous avez fini le module !")).to_be_visible()


def test_the_tap_script_keeps_the_rounds_in_the_page(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    """With the script, the rounds before the last send nothing: one post for the step."""
    page = new_context().new_page()
    module = open_module(page, live)
    ANSWERERS["confidence"].answer_in_browser(page, module.steps[0])
    ANSWERERS["explain"].answer_in_browser(page, module.steps[1])
    step = module.step("tap-phone")
    assert isinstance(step, TapTargetsStep)
    page.wait_for_url("**/steps/tap-phone")
    posts: list[Any] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    press_rounds(page, step, press="tap")
    assert posts == []
    expect(page.locator("[data-tap-count]")).to_contain_text(f"Rond {step.last_round + 1} sur")
    press_once(page, "tap")
    finish_practice(page)
    assert len(posts) == 1


# ---- offline ------------------------------------------------------------------------------


def answer_with_no_network(page: Page, step: StepBase) -> None:
    """The new types with no network: the device keeps the answer, the server checks it later
    (tap_targets, drag_to_place, type_text); a gesture is kept as seen and goes on."""
    if isinstance(step, TapTargetsStep | DragToPlaceStep | TypeTextStep):
        answerer = ANSWERERS[step.type_name]
        answerer.fill_in_browser(page, step)
        if isinstance(step, TapTargetsStep):
            answerer.send_in_browser(page, step)
        else:
            page.get_by_role("button", name="Je vérifie").click()
        expect(page.get_by_text("Je vérifierai quand le réseau revient.")).to_be_visible()
        page.get_by_role("link", name="Étape suivante").click()
    else:
        answer_offline(page, step)  # as test_offline.py does: the summary waits too


def test_the_module_is_finished_offline_and_sent_once(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    module = live.module(MODULE)
    context = new_context()
    page = context.new_page()
    learner_signin(page, live.url)
    open_module_and_keep_it(page, module)
    set_offline(context, live, True)
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        answer_with_no_network(page, step)
    expect(page.get_by_role("heading", name="Vous êtes hors connexion")).to_be_visible()
    assert waiting(page) == len(module.steps)
    set_offline(context, live, False)
    expect(page.locator("html")).to_have_attribute("data-offline-waiting", "0")
    with live.app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        assert amina is not None
        rows = db.session.scalars(
            select(Progress).where(Progress.learner_id == amina.id, Progress.module_id == MODULE)
        ).all()
        status = {r.step_id: r.status for r in rows}
    assert status == {
        s.id: StepStatus.PASSED if s.is_practice else StepStatus.SEEN for s in module.steps
    }


# ---- read aloud ---------------------------------------------------------------------------


def test_read_aloud_reads_each_new_step_and_not_its_controls(
    live: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = listening(new_context)
    module = open_module(page, live)
    heard: dict[str, str] = {}
    for step in module.steps:
        page.wait_for_url(f"**/steps/{step.id}")
        if step.type_name in ("tap_targets", "drag_to_place", "type_text", "gesture"):
            said = listen(page)
            assert said["lang"].startswith("fr"), said
            assert_content_only(said["text"])
            heard[step.id] = " ".join(said["text"].split())
        ANSWERERS[step.type_name].answer_in_browser(page, step)
    assert "Touchez le rond bleu avec le doigt." in heard["tap-phone"]
    assert "Rond 1 sur 5" in heard["tap-phone"]
    assert "Rangez chaque image dans son dossier." in heard["drag-photo"]
    assert "La facture" in heard["drag-photo"]  # the item's label, read with its list
    assert "Le texte à taper : Hélène" in heard["type-name"]
    zoom = module.step("zoom-phone")
    assert isinstance(zoom, GestureStep)
    assert zoom.text in heard["zoom-phone"]
    assert zoom.other_way in heard["zoom-phone"]
    # With the script, the page says it sees the gesture; the no-script sentence is not read.
    assert "Sans son script" not in heard["zoom-phone"]
    assert "quand elle voit votre geste" in heard["zoom-phone"]
