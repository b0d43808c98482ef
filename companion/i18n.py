"""Choosing the interface language, its writing direction, and the device's reading settings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_translations
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


def native_name(tag: str) -> str:
    """The language's name written in that language, first letter capitalised."""
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


def init_app(app: Flask) -> None:
    app.config["LOCALES"] = available_locales(app)
    app.jinja_env.globals.update(
        locale_info=locale_info, languages=languages, display=display, plural_forms=plural_forms
    )
