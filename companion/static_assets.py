"""Fingerprinted static URLs with long cache lifetimes, and compressed responses.

Every `url_for('static', filename=...)` gets `?v=<content hash>`: a changed file gets a new
URL, so browsers may keep the old one for a year without asking again. A static request
whose `v` matches the file's current hash is marked immutable; any other keeps a short,
revalidated lifetime. Text responses are compressed (brotli, else gzip) by Flask-Compress.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import rcssmin
import rjsmin
from flask import Flask, g, request, url_for
from flask_compress import Compress
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

compress = Compress()
YEAR = 365 * 24 * 3600


class _CompressedStatic:
    """Flask-Compress cache backend: compressed static files, keyed by URL and encoding."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    # Flask-Compress asks the cache for every response, keyed "<algorithm>;<our key>": an
    # empty key (a page, not a fingerprinted file) must never be served from or put in it.
    def get(self, key: str) -> bytes | None:
        return None if key.endswith(";") else self._store.get(key)

    def set(self, key: str, value: bytes) -> None:
        if (
            not key.endswith(";") and len(self._store) < 2_000
        ):  # a bound, in case someone loops over query strings
            self._store[key] = value


def _cache_key(req: Any) -> str:
    # Only fingerprinted static files are cached: their bytes never change under one URL.
    if req.endpoint == "static" and req.args.get("v"):
        return str(req.full_path)
    return ""


T = TypeVar("T")


class _PerFile(Generic[T]):
    """What is computed from a static file, once per process: a known file costs one dict
    lookup; with `watch` (debug mode) its modification time is checked again on every call.
    A name outside the folder, or a file that cannot be read, gives None."""

    max_files: int | None = None  # how many results are kept (None: all)

    def __init__(self, folder: str, watch: bool = False) -> None:
        self.folder = Path(folder).resolve()
        self.watch = watch
        self._cache: dict[str, tuple[int, T | None]] = {}

    def _accepts(self, path: Path) -> bool:
        return True

    def _compute(self, path: Path) -> T | None:
        raise NotImplementedError

    def _cached(self, filename: str) -> T | None:
        cached = self._cache.get(filename)
        if cached is not None and not self.watch:
            return cached[1]
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder) or not self._accepts(path):
            return None
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            return None
        if cached is not None and cached[0] == mtime:
            return cached[1]
        value = self._compute(path)
        if self.max_files is None or len(self._cache) < self.max_files:
            self._cache[filename] = (mtime, value)
        return value


class Fingerprints(_PerFile[str]):
    """The content hash of each static file, computed once per process (a page may link a
    hundred pictograms)."""

    def _compute(self, path: Path) -> str | None:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    def __call__(self, filename: str) -> str | None:
        return self._cached(filename)


_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.DOTALL)
_SVG_KEEP = re.compile(r'\s(viewBox|xmlns|fill|stroke(?:-[a-z]+)?)="[^"]*"')
_SVG_DROP = (
    re.compile(r"<\?xml.*?\?>", re.DOTALL),
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"<!DOCTYPE[^>]*>", re.DOTALL),
    re.compile(r'\s(?:id|class)="[^"]*"'),  # ids would repeat when a picture is drawn twice
)


class InlineSvg(_PerFile[tuple[str, str]]):
    """The markup of a static SVG file, to draw it inside the page instead of by a request.

    On a slow phone link every request costs a round trip (400 ms on slow 3G), so the small
    pictures of a page come with its HTML (issue 18). The cleaned markup of each file is read
    once per process (again when the file changes, in debug mode). The root element keeps
    its drawing attributes (viewBox, fill, stroke…); ids and classes inside are dropped so
    that two copies on one page never repeat an id.
    """

    max_files = 1_000

    def _accepts(self, path: Path) -> bool:
        return path.suffix == ".svg"

    def _compute(self, path: Path) -> tuple[str, str] | None:
        source = path.read_text("utf-8")
        opening = _SVG_OPEN.search(source)
        parts: tuple[str, str] | None = None
        if opening is not None:
            kept = "".join(m.group(0) for m in _SVG_KEEP.finditer(opening.group(0)))
            kept = re.sub(r"\s+", " ", kept)
            body = source[opening.end() :]
            for pattern in _SVG_DROP:
                body = pattern.sub("", body)
            body = re.sub(r">\s+<", "><", body).strip()
            body = body.removesuffix("</svg>")  # the element is closed by __call__
            parts = (kept, body)
        return parts

    def _parts(self, filename: str) -> tuple[str, str] | None:
        return self._cached(filename)

    def __call__(self, filename: str, cls: str, size: int, alt: str = "") -> Markup | None:
        """The picture as an `<svg>` element, or None when the file cannot be read.

        With `alt`, it is an image named by that text (like `<img alt>`); without, it is
        hidden from assistive technologies, like a decorative `<img alt="">`.
        """
        parts = self._parts(filename)
        if parts is None:
            return None
        kept, body = parts
        role = f' role="img" aria-label="{escape(alt)}"' if alt else ' aria-hidden="true"'
        # Our own static file's drawing; the class and the text are escaped here.
        return Markup(  # noqa: S704
            f'<svg class="{escape(cls)}"{kept} width="{int(size)}" height="{int(size)}"'
            f"{role}>{body}</svg>"
        )


FIRST_VISIT_COOKIE = "companion_assets"
INLINE_FILES = ("css/app.css", "js/app.js", "js/offline.js")


def _minified(text: str, path: Path) -> str:
    """The copy a first visit carries: without comments and spaces (rcssmin, rjsmin: nothing
    renamed or reordered), a fifth fewer bytes on a slow link (docs/performance.md)."""
    small: str = rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)
    return small


FAVICON = "pictograms/locked-key.svg"


@dataclass(frozen=True)
class Inlined:
    """The stylesheet and the two page scripts, to put inside a first visit's HTML."""

    css: Markup
    app_js: Markup
    offline_js: Markup
    favicon: str  # a data: URL, else the browser asks for it just after the load


class FirstVisit:
    """A browser's first page comes with the stylesheet and scripts inside it (issue 18).

    On slow 3G each request costs a round trip of 400 ms: a first visit that fetched the
    stylesheet and two scripts after its HTML fired its load event one round trip later.
    The first page a browser asks for carries them inside (`<style>`, `<script>` at the end
    of the body, allowed by their hashes in the Content-Security-Policy) and a cookie, with
    the files' version only, saying so; the next pages link the files, which the service
    worker keeps (its shell) or the browser fetches and caches for a year.
    """

    def __init__(
        self, folder: str, watch: bool = False, background: Callable[[], bool] | None = None
    ) -> None:
        self.folder = Path(folder).resolve()
        self.watch = watch
        # The service worker's own requests (the offline page, the pages it keeps) link the
        # files, which it keeps in its shell, and set no cookie.
        self.background = background or (lambda: False)
        self._stamp: tuple[int, ...] | None = None
        self._texts: tuple[str, ...] = ()
        self.version = ""
        self._csp = ""
        self._favicon = ""

    def _load(self) -> None:
        paths = [self.folder / name for name in INLINE_FILES]
        try:
            stamp = tuple(os.stat(path).st_mtime_ns for path in paths)
        except OSError:
            stamp = ()
        if stamp == self._stamp and (self._texts or not stamp):
            return
        self._stamp = stamp
        if not stamp:
            self._texts, self.version, self._csp = (), "", ""
            return
        self._texts = tuple(_minified(path.read_text("utf-8"), path) for path in paths)
        try:
            icon = re.sub(r">\s+<", "><", (self.folder / FAVICON).read_text("utf-8")).strip()
            self._favicon = "data:image/svg+xml," + quote(icon, safe="=:/',.-")
        except OSError:
            self._favicon = ""
        # A `</style` or `</script` inside a file would end it early: such a file stays a link.
        if any(f"</{tag}" in text.lower() for text in self._texts for tag in ("style", "script")):
            self._texts, self.version, self._csp = (), "", ""
            return
        digest = hashlib.sha256("\0".join(self._texts).encode()).hexdigest()[:12]
        self.version = digest
        css, app_js, offline_js = (self._hash(text) for text in self._texts)
        self._csp = f"; style-src 'self' {css}; script-src 'self' {app_js} {offline_js}"

    @staticmethod
    def _hash(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    def csp(self) -> str:
        """What the Content-Security-Policy adds so that the inlined copies may run."""
        if self.watch or self._stamp is None:
            self._load()
        return self._csp

    def __call__(self) -> Inlined | None:
        """For a template: the files to inline, or None when this browser has them already."""
        if self.watch or self._stamp is None:
            self._load()
        if not self._texts or request.cookies.get(FIRST_VISIT_COOKIE) == self.version:
            return None
        if self.background():
            return None
        g.companion_inlined = self.version
        # Our own static files, checked in _load to hold no closing tag.
        css, app_js, offline_js = (Markup(text) for text in self._texts)  # noqa: S704
        return Inlined(css=css, app_js=app_js, offline_js=offline_js, favicon=self._favicon)


def _first_visit(app: Flask, background: Callable[[], bool] | None) -> None:
    first_visit = FirstVisit(app.static_folder or "static", watch=app.debug, background=background)
    app.extensions["companion.first_visit"] = first_visit
    app.jinja_env.globals["first_visit"] = first_visit

    @app.after_request
    def _remember(response: Response) -> Response:
        version = g.pop("companion_inlined", None)
        if version and response.status_code == 200 and response.mimetype == "text/html":
            response.set_cookie(
                FIRST_VISIT_COOKIE,
                version,
                max_age=YEAR,
                httponly=True,
                samesite="Lax",
                secure=bool(app.config.get("SESSION_COOKIE_SECURE") or request.is_secure),
            )
        return response


def _compress(app: Flask) -> None:
    """Brotli or gzip for text answers; compressed static files kept (Flask-Compress)."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", _CompressedStatic)
    mimetypes = set(app.config.get("COMPRESS_MIMETYPES", []))
    mimetypes |= {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/csv",
    }
    app.config["COMPRESS_MIMETYPES"] = sorted(mimetypes)
    compress.init_app(app)


def _static_url_global(app: Flask, fingerprints: Fingerprints) -> None:
    """`static_url(filename)` for the templates."""
    static_urls: dict[tuple[str, str], str] = {}

    def static_url(filename: str) -> str:
        """`url_for('static', filename=…)`, built once per file: a kiosk page of 100
        learners draws 100 pictograms, and each url_for costs a routing build."""
        if fingerprints.watch:
            return url_for("static", filename=filename)
        key = (request.script_root, filename)
        url = static_urls.get(key)
        if url is None:
            url = url_for("static", filename=filename)
            if len(static_urls) < 5_000:
                static_urls[key] = url
        return url

    app.jinja_env.globals["static_url"] = static_url


def init_app(app: Flask, background: Callable[[], bool] | None = None) -> None:
    _compress(app)
    fingerprints = Fingerprints(app.static_folder or "static", watch=app.debug)
    app.extensions["companion.fingerprints"] = fingerprints

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = fingerprints(values["filename"])
            if digest:
                values["v"] = digest

    _static_url_global(app, fingerprints)
    inline_svg = InlineSvg(app.static_folder or "static", watch=app.debug)
    app.jinja_env.globals["inline_svg"] = inline_svg
    _first_visit(app, background)

    @app.after_request
    def _static_cache(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        version = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        response.cache_control.no_cache = None  # Flask's default for files: ask every time
        # Read the (small) file now: Flask-Compress then compresses it once and caches the
        # result, instead of compressing a stream on every request and leaving it unclosed.
        stream = response.response
        response.direct_passthrough = False
        try:
            response.set_data(b"".join(c if isinstance(c, bytes) else c.encode() for c in stream))
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        if version and version == fingerprints(filename):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.public = True
            response.cache_control.max_age = 300
        return response
