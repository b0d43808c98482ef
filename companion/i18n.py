"""Choosing the interface language and its writing direction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, g, request
from flask_login import current_user

SOURCE_LOCALE = "fr"
RTL_LOCALES = {"ar", "fa", "he", "ur"}
LANG_COOKIE = "companion_lang"


@dataclass(frozen=True)
class LocaleInfo:
    tag: str
    dir: str  # "ltr" or "rtl"


def available_locales(app: Flask) -> list[str]:
    """French plus every language that has a compiled catalogue: no code change to add one."""
    root = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    found = sorted(
        p.parent.parent.name
        for p in root.glob("*/LC_MESSAGES/messages.po")
        if p.parent.parent.name != SOURCE_LOCALE
    )
    return [SOURCE_LOCALE, *found]


def _supported(tag: str | None) -> str | None:
    if tag and tag in current_app.config["LOCALES"]:
        return tag
    return None


def select_locale() -> str:
    """The user's saved language, then this device's choice, then French."""
    if getattr(current_user, "is_authenticated", False):
        chosen = _supported(getattr(current_user, "locale", None))
        if chosen:
            return chosen
    return _supported(request.cookies.get(LANG_COOKIE)) or SOURCE_LOCALE


def locale_info() -> LocaleInfo:
    if "locale_info" not in g:
        tag = select_locale()
        g.locale_info = LocaleInfo(tag, "rtl" if tag in RTL_LOCALES else "ltr")
    info: LocaleInfo = g.locale_info
    return info
