"""Parts of pages rendered once and kept: `{% cache key, … %}…{% endcache %}` in templates.

A page is mostly the same HTML from one request to the next: the header's texts, the reading
settings, the footer, a hundred kiosk tiles, three hundred rows of a CIP's table. Rendering
them again is much of a page's time (docs/performance.md). A `cache` block is rendered the
first time its key is met and its HTML is kept in this process for the next page.

The key is what the block's HTML depends on, nothing else; the block is the same HTML for the
same key. So that keys cannot be forgotten for what every page varies by, each key also
holds, without being written: the template, the line and the text of the block, the
request's language, its time zone and the path the app is mounted under (`url_for`).
Everything else a block reads must be in its key, given as values (a learner's name, a
module's state), never as "the current learner": a block never holds a form's token or
anything of the session that is not in its key (tests/unit/test_fragments.py checks every
block of every template for it, and tests/web/test_fragment_cache.py renders pages with and
without the cache and compares them).

What is kept is bounded by size (`FRAGMENT_CACHE_CHARS`, characters of HTML; 0 turns the
cache off): the least recently used parts are dropped first. Keys hold values, not versions,
so a change (an answer, a renamed learner) makes a new key and the old part is simply never
asked for again until it is dropped.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_babel import get_locale, get_timezone
from jinja2 import Environment, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

DEFAULT_CHARS = 16_000_000  # about 32 MB of str at most (latin-1 text: 1 byte a character)


class FragmentStore:
    """Least recently used parts first out, bounded by their total length; thread-safe."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._parts: OrderedDict[Hashable, Markup] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Markup | None:
        with self._lock:
            part = self._parts.get(key)
            if part is None:
                self.misses += 1
                return None
            self._parts.move_to_end(key)
            self.hits += 1
            return part

    def put(self, key: Hashable, part: Markup) -> None:
        size = len(part)
        if size > self.max_chars:
            return
        with self._lock:
            old = self._parts.pop(key, None)
            if old is not None:
                self._chars -= len(old)
            self._parts[key] = part
            self._chars += size
            while self._chars > self.max_chars:
                _key, dropped = self._parts.popitem(last=False)
                self._chars -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._parts)

    @property
    def chars(self) -> int:
        return self._chars


def _implicit_key() -> tuple[str, str, str]:
    """What every part depends on without saying so: language, time zone, mount path.

    Found once per request and language (kept beside Flask-Babel's own locale, so that a
    `force_locale()` block gets its own parts)."""
    if not has_request_context():
        return ("", "", "")
    locale = get_locale()
    kept = g.get("_companion_fragment_key")
    if kept is not None and kept[0] is locale:
        return kept[1]  # type: ignore[no-any-return]
    key = (str(locale), str(get_timezone()), request.script_root)
    g._companion_fragment_key = (locale, key)
    return key


class FragmentCacheExtension(Extension):
    """`{% cache a, b, … %}…{% endcache %}`: the block's HTML kept for the key (a, b, …)."""

    tags = {"cache"}  # noqa: RUF012 - as jinja2.ext.Extension declares it

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        # The app's store (init_app): one environment per app, so no context to look up.
        self.store: FragmentStore | None = None

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        given: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if given:
                parser.stream.expect("comma")
            given.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        # The block itself is part of every key: its template, line and what it says (a
        # template changed while the process runs, or two templates made from strings,
        # never share a part).
        said = hashlib.blake2b(repr(body).encode(), digest_size=8).hexdigest()
        where = nodes.Const(f"{parser.name or '<string>'}:{token.lineno}:{said}")
        key = nodes.Tuple([where, *given], "load")
        return nodes.CallBlock(self.call_method("_kept", [key]), [], [], body).set_lineno(
            token.lineno
        )

    def _kept(self, key: tuple[Any, ...], caller: Callable[[], str]) -> Markup:
        store = self.store
        if store is None or store.max_chars == 0:
            return Markup(caller())  # noqa: S704 - the block's own output, escaped there
        full = (*key, *_implicit_key())
        part = store.get(full)
        if part is None:
            part = Markup(caller())  # noqa: S704 - the block's own output, escaped there
            store.put(full, part)
        return part


def store(app: Flask) -> FragmentStore:
    """The app's kept parts (the tests read its counts and turn it off)."""
    found: FragmentStore = app.extensions["companion_fragments"]
    return found


def init_app(app: Flask) -> None:
    chars = int(app.config.get("FRAGMENT_CACHE_CHARS", DEFAULT_CHARS))
    kept = FragmentStore(chars)
    app.extensions["companion_fragments"] = kept
    app.jinja_env.add_extension(FragmentCacheExtension)
    extension = app.jinja_env.extensions[FragmentCacheExtension.identifier]
    if isinstance(extension, FragmentCacheExtension):  # the class just added, always
        extension.store = kept
