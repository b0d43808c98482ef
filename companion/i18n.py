"""Choosing the interface language, its writing direction, and the device's reading settings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from flask import Flask, after_this_request, current_app, g, has_request_context, request, session
from flask_login import current_user, user_logged_in, user_logged_out
from werkzeug.wrappers import Response

SOURCE_LOCALE = "fr"
RTL_LOCALES = {"ar", "fa", "he", "ur"}
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


def languages() -> list[Language]:
    """The languages people may choose, by their own names, French first."""
    return [
        Language(tag, native_name(tag), "rtl" if tag in RTL_LOCALES else "ltr")
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
        g.locale_info = LocaleInfo(tag, "rtl" if tag in RTL_LOCALES else "ltr")
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


def _adopt_device_language(sender: Flask, user: Any, **extra: Any) -> None:
    """At sign-in, a language chosen on this device just before is saved on the account."""
    from companion.services.preferences import save_locale

    chosen = supported(request.cookies.get(LANG_COOKIE))
    if chosen and chosen != getattr(user, "locale", None):
        save_locale(user, chosen)
    g.pop("locale_info", None)


def _forget_kiosk_language(sender: Flask, user: Any, **extra: Any) -> None:
    """A shared kiosk goes back to French for the next person after a learner signs out."""
    if not session.get("via_kiosk"):
        return

    @after_this_request
    def _clear(response: Response) -> Response:
        response.delete_cookie(LANG_COOKIE)
        return response


def init_app(app: Flask) -> None:
    app.config["LOCALES"] = available_locales(app)
    app.jinja_env.globals.update(locale_info=locale_info, languages=languages, display=display)
    user_logged_in.connect(_adopt_device_language, app)
    user_logged_out.connect(_forget_kiosk_language, app)


# --- Catalogue checks (make translations-check) -------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)[^>]*>")
STAFF_SOURCES = (
    "companion/templates/staff/",
    "companion/templates/admin/",
    "companion/web/staff/",
    "companion/web/admin/",
)


@dataclass
class Coverage:
    """What a language promises to translate completely (translations/<lang>/coverage.yaml)."""

    interface: str = "all"  # "all" or "learner"
    modules: list[str] | str = field(default_factory=list)  # ids or "all"


def _coverage(path: Path, errors: list[str]) -> Coverage:
    if not path.is_file():
        return Coverage()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    interface = raw.get("interface", "all")
    modules = raw.get("modules", [])
    if interface not in ("all", "learner"):
        errors.append(f"{path}: interface must be 'all' or 'learner'")
    if modules != "all" and not (
        isinstance(modules, list) and all(isinstance(m, str) for m in modules)
    ):
        errors.append(f"{path}: modules must be a list of module ids or 'all'")
        modules = []
    return Coverage(interface, modules)


def text_problems(source: str, translation: str) -> list[str]:
    """Placeholders or HTML tags that differ between a French text and its translation."""
    problems = []
    if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)) or sorted(
        m.group(0) for m in PLACEHOLDER.finditer(source)
    ) != sorted(m.group(0) for m in PLACEHOLDER.finditer(translation)):
        problems.append("placeholders differ from the French text")
    src_tags = sorted(t.lower() for t in HTML_TAG.findall(source))
    dst_tags = sorted(t.lower() for t in HTML_TAG.findall(translation))
    if src_tags != dst_tags or translation.count("<") != source.count("<"):
        problems.append("HTML differs from the French text")
    return problems


def _staff_only(locations: list[tuple[str, int | None]]) -> bool:
    return bool(locations) and all(
        str(path).replace("\\", "/").startswith(STAFF_SOURCES) for path, _line in locations
    )


def _walk_texts(french: Any, translated: Any, where: str) -> list[tuple[str, str, str]]:
    """(path, French, translation) for every text of two parallel content structures."""
    if isinstance(french, str) and isinstance(translated, str):
        return [(where, french, translated)] if french != translated else []
    if isinstance(french, dict) and isinstance(translated, dict):
        return [
            pair
            for key in french
            for pair in _walk_texts(french[key], translated.get(key), f"{where}.{key}")
        ]
    if isinstance(french, list | tuple) and isinstance(translated, list | tuple):
        return [
            pair
            for n, (a, b) in enumerate(zip(french, translated, strict=False))
            for pair in _walk_texts(a, b, f"{where}[{n}]")
        ]
    return []


def check_translations(
    translations: Path, pot: Path, content_dir: Path, pictograms: Path, strict: bool = True
) -> tuple[list[str], list[str]]:
    """Check every catalogue and content translation; return (errors, warnings)."""
    from babel.messages.pofile import read_po

    from companion.catalogue.loader import load_content

    errors: list[str] = []
    warnings: list[str] = []
    with pot.open("rb") as f:
        template = read_po(f)
    content = load_content(content_dir, pictograms)
    errors.extend(content.report.errors)
    for po_path in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        lang = po_path.parent.parent.name
        if lang == SOURCE_LOCALE:
            continue
        coverage = _coverage(po_path.parent.parent / "coverage.yaml", errors)
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        for message in catalog:
            if not message.id or not message.string:
                continue
            pairs = (
                zip(message.id, message.string, strict=False)
                if isinstance(message.id, tuple | list)
                else [(message.id, message.string)]
            )
            for source, translation in pairs:
                if translation:
                    for problem in text_problems(str(source), str(translation)):
                        errors.append(f"{po_path}: {source!r}: {problem}")
        for message in template:
            if not message.id:
                continue
            if coverage.interface == "learner" and _staff_only(list(message.locations)):
                continue
            found = catalog.get(message.id, message.context)
            if found is None:
                (errors if strict else warnings).append(
                    f"{po_path}: {message.id!r} is not in the catalogue "
                    "(run make translations-update, then translate it)"
                )
            elif not found.string or (
                isinstance(found.string, tuple | list) and not all(found.string)
            ):
                errors.append(f"{po_path}: {message.id!r} is not translated")
            elif found.fuzzy:
                errors.append(f"{po_path}: {message.id!r} is marked fuzzy: check it")
        wanted = list(content.modules) if coverage.modules == "all" else coverage.modules
        for module_id in wanted:
            if module_id not in content.modules:
                errors.append(f"{lang}: coverage names module '{module_id}', which does not exist")
                continue
            translation_ = content.translations.get(lang, {}).get(module_id)
            if translation_ is None:
                errors.append(f"content/{module_id}: no '{lang}' translation (steps.{lang}.yaml)")
                continue
            errors.extend(
                f"content/{module_id}: '{lang}' text missing: {m}" for m in translation_.missing
            )
            french = content.modules[module_id].model_dump()
            for where, source, text in _walk_texts(french, translation_.module.model_dump(), ""):
                errors.extend(
                    f"content/{module_id} ({lang}) {where}: {problem}"
                    for problem in text_problems(source, text)
                )
        for module_id in content.modules:
            if module_id not in wanted and module_id not in content.translations.get(lang, {}):
                warnings.append(f"content/{module_id}: not yet translated into '{lang}'")
        problems, notes = _check_data(content, lang, wanted)
        errors.extend(problems)
        warnings.extend(notes)
    return errors, warnings


def _shown(path: Path) -> str:
    """A path as the person running the check sees it (relative to the repository)."""
    root = Path(__file__).resolve().parent.parent
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _check_data(content: Any, lang: str, wanted: Iterable[str]) -> tuple[list[str], list[str]]:
    """The simulations' data (job offers, the town) that the declared modules show must be
    translated completely; the others only warn."""
    from companion.catalogue.datasets import DATA_SETS

    errors: list[str] = []
    warnings: list[str] = []
    shown = {
        step.type_name
        for module_id in wanted
        if module_id in content.modules
        for step in content.modules[module_id].steps
    }
    for data_set in DATA_SETS:
        required = data_set.step_type in shown
        out = errors if required else warnings
        overlay = data_set.path.with_name(f"{data_set.name}.{lang}.yaml")
        translation = content.data.get(lang, {}).get(data_set.name)
        if translation is None:
            if not overlay.is_file():  # a broken overlay is already reported by the loader
                out.append(f"{_shown(overlay)}: no '{lang}' translation of {data_set.name}")
            continue
        out.extend(f"{_shown(overlay)}: '{lang}' text missing: {m}" for m in translation.missing)
        french = data_set.french().model_dump()
        for where, source, text in _walk_texts(french, translation.data.model_dump(), ""):
            errors.extend(
                f"{_shown(overlay)} {where}: {problem}" for problem in text_problems(source, text)
            )
    return errors, warnings


def main(argv: list[str] | None = None) -> int:
    """make translations-check: check the catalogues against a freshly extracted POT."""
    import argparse

    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(prog="translations-check")
    parser.add_argument("pot", type=Path, help="a freshly extracted messages.pot")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="texts not yet in a catalogue only warn (while a merge brings new pages)",
    )
    args = parser.parse_args(argv)
    errors, warnings = check_translations(
        root / "translations",
        args.pot,
        root / "content",
        root / "static" / "pictograms",
        strict=not args.lenient,
    )
    for line in warnings:
        print(f"warning: {line}")
    for line in errors:
        print(f"error: {line}")
    print(f"translations: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0
