"""companion/fragments.py: the store's bound, the `{% cache %}` tag's keys, and what no kept
part of any template may hold."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, render_template_string
from flask_babel import force_locale
from markupsafe import escape

from companion.fragments import FragmentStore, store

TEMPLATES = Path(__file__).resolve().parents[2] / "companion" / "templates"
BLOCK = re.compile(r"{%-?\s*cache\b(.*?)-?%}(.*?){%-?\s*endcache\s*-?%}", re.S)
# What belongs to one person or one request, never to a kept part: the forms' tokens, the
# signed-in person, the session, the page's own path, an answer form's one-time values.
PERSONAL = (
    "csrf_token",
    "current_user",
    "session",
    "request",
    "current_path",
    "submission_key",
    "shown_at",
    "get_flashed_messages",
)


def test_the_least_recently_used_parts_go_first() -> None:
    kept = FragmentStore(max_chars=10)
    kept.put("a", escape("aaaa"))
    kept.put("b", escape("bbbb"))
    assert kept.get("a") == "aaaa"  # "a" used: "b" is now the oldest
    kept.put("c", escape("cccc"))
    assert kept.get("b") is None
    assert kept.get("a") == "aaaa"
    assert kept.get("c") == "cccc"
    assert kept.chars == 8
    assert len(kept) == 2
    kept.put("big", escape("x" * 11))  # bigger than the whole store: not kept
    assert kept.get("big") is None
    assert len(kept) == 2
    kept.put("a", escape("a"))  # replaced, its size counted again
    assert kept.chars == 5


def test_a_block_is_rendered_once_per_key(app: Flask) -> None:
    calls: list[str] = []

    def seen(name: str) -> str:
        calls.append(name)
        return name

    source = "{% cache who %}<b>{{ seen(who) }}</b>{% endcache %}"
    with app.test_request_context("/"):
        first = render_template_string(source, who="Amina", seen=seen)
        again = render_template_string(source, who="Amina", seen=seen)
        other = render_template_string(source, who="Bruno", seen=seen)
    assert first == again == "<b>Amina</b>"
    assert other == "<b>Bruno</b>"
    assert calls == ["Amina", "Bruno"]


def test_two_blocks_at_the_same_place_never_share_a_part(app: Flask) -> None:
    """Two templates made from strings (no name), or a template changed while the process
    runs: the same line, the same key given, another block."""
    with app.test_request_context("/"):
        first = render_template_string("{% cache 1 %}one{% endcache %}")
        second = render_template_string("{% cache 1 %}two{% endcache %}")
    assert (first, second) == ("one", "two")


def test_each_language_has_its_own_part(app: Flask) -> None:
    source = "{% cache %}{{ _('Continuer') }}{% endcache %}"
    with app.test_request_context("/"):
        french = render_template_string(source)
        with force_locale("en"):
            english = render_template_string(source)
        again = render_template_string(source)
    assert french == again == "Continuer"
    assert english == "Continue"


def test_an_empty_store_keeps_nothing(app: Flask) -> None:
    calls: list[int] = []

    def count() -> str:
        calls.append(1)
        return ""

    source = "{% cache %}{{ count() }}{% endcache %}"
    kept = store(app)
    full = kept.max_chars
    kept.max_chars = 0
    try:
        with app.test_request_context("/"):
            for _ in range(2):
                render_template_string(source, count=count)
    finally:
        kept.max_chars = full
    assert len(calls) == 2


def _blocks() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for key, body in BLOCK.findall(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(TEMPLATES)), key, body))
    return found


def test_no_kept_part_holds_what_is_personal() -> None:
    blocks = _blocks()
    assert len(blocks) >= 9  # base, learner base, step, learner bar, kiosk, progress table
    for where, _key, body in blocks:
        for word in PERSONAL:
            assert not re.search(rf"\b{word}\b", body), f"{where}: a kept part reads {word}"
