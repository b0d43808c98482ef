"""Choosing the interface language, its writing direction, and the device's reading settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import flask_babel
from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_babel, get_locale, get_timezone, get_translations
from flask_login import current_user
from werkzeug.wrappers import Response

SOURCE_LOCALE = "fr"
LANG_COOKIE = "companion_lang"
LANG_PARAM = "lang"
TEXT_COOKIE = "companion_text"
CONTRAST_COOKIE = "companion_contrast"
TEXT_SIZES = ("normal", "large", "xlarge")
CONTRASTS = ("normal", "high")
COOKIE_MAX_AGE = 400 * 24 * 3600


@dataclass(frozen=True)
class LocaleInfo:
    tag: str
    dir: str  # "ltr" or "rtl"


@dataclass(frozen=True)
class Language:
    """A language as offered to people: its code and its name in itself (Français, العربية)."""

    tag: str
    name: str
    dir: str


@dataclass(frozen=True)
class Display:
    """This device's reading settings: text size and contrast theme."""

    text: str = "normal"
    contrast: str = "normal"

    @property
    def html_class(self) -> str:
        return f"text-{self.text} contrast-{self.contrast}"


def available_locales(app: Flask) -> list[str]:
    """French plus every language that has a catalogue: no code change to add one."""
    root = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    found = sorted(
        p.parent.parent.name
        for p in root.glob("*/LC_MESSAGES/messages.po")
        if p.parent.parent.name != SOURCE_LOCALE
    )
    return [SOURCE_LOCALE, *found]


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every .po newer than its .mo (what `make translations` does); return those."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    done = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as f:
            write_mo(f, catalog)
        done.append(mo_path)
    return done


@cache
def native_name(tag: str) -> str:
    """The language's name written in that language, first letter capitalised (every page
    lists the languages: found once per language, not on each page)."""
    try:
        name = Locale.parse(tag).get_display_name(tag) or tag
    except (ValueError, UnknownLocaleError):
        name = tag
    return name[:1].upper() + name[1:]


@cache
def text_direction(tag: str) -> str:
    """ "rtl" or "ltr": how the language is written, from the CLDR data in Babel."""
    try:
        order = Locale.parse(tag).character_order
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def languages() -> list[Language]:
    """The languages people may choose, by their own names, French first."""
    return [
        Language(tag, native_name(tag), text_direction(tag))
        for tag in current_app.config["LOCALES"]
    ]


def supported(tag: object) -> str | None:
    """The shipped language a code names ('EN', 'ar-MA', 'en_GB' included), else None."""
    if not isinstance(tag, str) or not tag or len(tag) > 35:
        return None
    base = tag.replace("_", "-").split("-", 1)[0].strip().lower()
    locales: list[str] = current_app.config["LOCALES"]
    return base if base in locales else None


def select_locale() -> str:
    """?lang= in the URL, then the user's saved language, then this device's, then French.

    Any unknown or malformed code is ignored: the next source decides, French at the end.
    """
    chosen = supported(request.args.get(LANG_PARAM))
    if chosen:
        return chosen
    if getattr(current_user, "is_authenticated", False):
        chosen = supported(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    return supported(request.cookies.get(LANG_COOKIE)) or SOURCE_LOCALE


def current_locale() -> str:
    """The language of the current request, or French outside a request."""
    if not has_request_context():
        return SOURCE_LOCALE
    return locale_info().tag


def locale_info() -> LocaleInfo:
    if "locale_info" not in g:
        tag = select_locale()
        g.locale_info = LocaleInfo(tag, text_direction(tag))
    info: LocaleInfo = g.locale_info
    return info


def display() -> Display:
    """The reading settings remembered by this device (cookies); defaults on anything odd."""
    text = request.cookies.get(TEXT_COOKIE, "")
    contrast = request.cookies.get(CONTRAST_COOKIE, "")
    return Display(
        text=text if text in TEXT_SIZES else "normal",
        contrast=contrast if contrast in CONTRASTS else "normal",
    )


def remember(response: Response, name: str, value: str) -> None:
    """Set one of this device's preference cookies (readable by the page script)."""
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure,
        httponly=False,
    )


# One number for each plural category of the Unicode CLDR, whose names a page script gets
# from Intl.PluralRules: Arabic uses all six (0, 1, 2, 3-10, 11-99, 100-102…).
_PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def plural_forms(singular: str, plural: str) -> str:
    """JSON {plural category: text with "{n}"} for a count that a page script fills in, so
    that "25" in Arabic gets the form the catalogue gives for 25 (the keyword is extracted:
    Makefile's `-k plural_forms:1,2`)."""
    translations = get_translations()
    forms = {
        category: translations.ungettext(singular, plural, n) % {"num": "{n}"}
        for category, n in _PLURAL_SAMPLES.items()
    }
    return json.dumps(forms, ensure_ascii=False)


def _translations() -> Any:
    """The request's catalogue, found once per request and language rather than per text.

    Flask-Babel looks the catalogue up again for every `_()` in a template (the request's
    namespace, the locale, its cache: about 10 µs), which a page of 300 learners pays a
    thousand times. The catalogue is kept in Flask-Babel's own per-request namespace beside
    the locale it belongs to, so `force_locale()` (which swaps the locale) still switches.
    """
    try:
        ns = g._flask_babel
    except (AttributeError, RuntimeError):  # no request yet, or no namespace yet
        return get_translations()
    locale = getattr(ns, "babel_locale", None)
    cached = getattr(ns, "companion_catalogue", None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    ns.companion_catalogue = (getattr(ns, "babel_locale", None), translations)
    return translations


@cache
def _datetime_parts(locale_tag: str, width: Literal["short", "medium"]) -> tuple[str, Any, Any]:
    """A language's "{1} {0}" frame, time pattern and date pattern, parsed once."""
    locale = Locale.parse(locale_tag)
    return (
        str(babel_dates.get_datetime_format(width, locale=locale)).replace("'", ""),
        babel_dates.parse_pattern(babel_dates.get_time_format(width, locale=locale)),
        babel_dates.parse_pattern(babel_dates.get_date_format(width, locale=locale)),
    )


FAST_DATETIME_WIDTHS = ("short", "medium")  # no time zone name in these patterns


@dataclass(frozen=True)
class _Formatting:
    """The request's locale and time zone, and their names (the key of the kept texts)."""

    locale: Any
    zone: Any
    tag: str
    zone_name: str


def _formatting() -> _Formatting | None:
    """The request's locale and time zone for `|datetimeformat`, found once per request and
    language (kept like `_translations`); None when Flask-Babel's own formatting must decide
    (no locale or zone, or formats configured by the app)."""
    try:
        ns = g._flask_babel
    except (AttributeError, RuntimeError):
        ns = None
    if ns is not None:
        cached = getattr(ns, "companion_formatting", None)
        if cached is not None and cached[0] is getattr(ns, "babel_locale", None):
            return cached[1]  # type: ignore[no-any-return]
    locale, zone = get_locale(), get_timezone()
    custom = any(
        get_babel().instance.date_formats.get(f"datetime.{w}") for w in FAST_DATETIME_WIDTHS
    )
    found = (
        None
        if locale is None or zone is None or custom
        else _Formatting(locale, zone, str(locale), str(zone))
    )
    try:
        ns = g._flask_babel  # get_locale() made it when it was missing
        ns.companion_formatting = (getattr(ns, "babel_locale", None), found)
    except (AttributeError, RuntimeError):
        pass
    return found


def datetimeformat(value: Any, format: str | None = None, rebase: bool = True) -> str:
    """Jinja's `|datetimeformat`, the same text as Flask-Babel's, several times cheaper.

    Flask-Babel looks up the locale, the time zone and the language's patterns again for
    each moment. Here the request's locale and zone are read once, the patterns parsed once
    per language, and each moment's text kept (bounded) for the next page, so that a moment
    shown again costs one look-up (tests/unit/test_i18n_fast.py compares both on every
    language, width and a year of moments).
    """
    found = (
        _formatting()
        if format in FAST_DATETIME_WIDTHS and rebase and isinstance(value, datetime)
        else None
    )
    if found is None:
        return str(flask_babel.format_datetime(value, format, rebase))
    return _fast_datetime(value, found, str(format))


def datetime_formatter(width: str) -> Callable[[Any], str]:
    """`|datetimeformat(width)` for the many moments of one page (the CIP home shows 1,800
    "last activity" moments): the request's locale and zone are found once, here."""
    found = _formatting() if width in FAST_DATETIME_WIDTHS else None
    if found is None:
        return lambda value: datetimeformat(value, width)

    def formatted(value: Any) -> str:
        if not isinstance(value, datetime):
            return datetimeformat(value, width)
        return _fast_datetime(value, found, width)

    return formatted


def _fast_datetime(value: datetime, how: _Formatting, width: str) -> str:
    # These patterns read the local date and time to the second, nothing else.
    key = (value, how.zone_name, how.tag, width)
    text = _formatted.get(key)
    if text is None:
        moment = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(how.zone)
        normalize = getattr(how.zone, "normalize", None)
        if normalize is not None:
            moment = normalize(moment)
        frame, time_pattern, date_pattern = _datetime_parts(how.tag, width)
        text = frame.replace("{0}", time_pattern.apply(moment, how.locale)).replace(
            "{1}", date_pattern.apply(moment.date(), how.locale)
        )
        if len(_formatted) >= FORMATTED_MAX:
            _formatted.clear()
        _formatted[key] = text
    return text


FORMATTED_MAX = 50_000
_formatted: dict[tuple[datetime, str, str, str], str] = {}


def init_app(app: Flask) -> None:
    app.config["LOCALES"] = available_locales(app)
    app.jinja_env.filters["datetimeformat"] = datetimeformat
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(
        locale_info=locale_info,
        languages=languages,
        display=display,
        plural_forms=plural_forms,
        datetime_formatter=datetime_formatter,
    )
