"""The cheaper template helpers of companion/i18n.py say exactly what Flask-Babel says.

`|datetimeformat` parses each language's patterns once and keeps the texts it made;
`_()` in templates finds the request's catalogue once. Both are compared here with
Flask-Babel's own functions, on every language of the app, so that speed never changes a
word on a page (docs/performance.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import flask_babel
from flask import Flask, render_template_string
from flask_babel import force_locale

from companion import i18n


def _moments() -> list[datetime]:
    # A year of moments, every 37 hours and 11 minutes: both sides of both clock changes,
    # midnight and noon, morning and afternoon; plus a naive one (read as UTC).
    start = datetime(2026, 1, 1, 0, 7, 31, tzinfo=UTC)
    step = timedelta(hours=37, minutes=11, seconds=13)
    return [start + k * step for k in range(240)] + [datetime(2026, 3, 29, 1, 30)]


def test_datetimeformat_matches_flask_babel_in_every_language(app: Flask) -> None:
    locales = app.config["LOCALES"]
    assert {"fr", "en", "ar"} <= set(locales)
    compared = 0
    with app.test_request_context("/"):
        for tag in locales:
            with force_locale(tag):
                for width in ("short", "medium"):
                    for moment in _moments():
                        expected = flask_babel.format_datetime(moment, width)
                        assert i18n.datetimeformat(moment, width) == expected, (tag, moment)
                        # Twice: the second answer comes from the kept texts.
                        assert i18n.datetimeformat(moment, width) == expected
                        compared += 1
                # Widths with a zone name, and no width, go to Flask-Babel itself.
                moment = _moments()[3]
                other_widths: tuple[str | None, ...] = ("long", "full", None, "yyyy-MM-dd HH:mm")
                for other in other_widths:
                    assert i18n.datetimeformat(moment, other) == flask_babel.format_datetime(
                        moment, other
                    )
    assert compared == len(locales) * 2 * len(_moments())


def test_the_template_filter_is_the_fast_one(app: Flask) -> None:
    moment = datetime(2026, 7, 14, 16, 45, tzinfo=UTC)
    with app.test_request_context("/"), force_locale("fr"):
        shown = render_template_string('{{ m|datetimeformat("short") }}', m=moment)
        assert shown == flask_babel.format_datetime(moment, "short")
    assert app.jinja_env.filters["datetimeformat"] is i18n.datetimeformat


def test_template_gettext_follows_the_locale_within_one_request(app: Flask) -> None:
    """The catalogue kept for the request changes with force_locale() and back."""
    template = (
        '{{ _("Connexion de l\'équipe") }}|{{ ngettext("%(num)s minute", "%(num)s minutes", 3) }}'
    )
    with app.test_request_context("/"):
        with force_locale("fr"):
            french = render_template_string(template)
        with force_locale("en"):
            english = render_template_string(template)
            assert render_template_string(template) == english
        with force_locale("fr"):
            assert render_template_string(template) == french
        with force_locale("en"):
            expected = (
                flask_babel.gettext("Connexion de l'équipe")
                + "|"
                + flask_babel.ngettext("%(num)s minute", "%(num)s minutes", 3)
            )
    assert french.startswith("Connexion de l&#39;équipe|3 minutes") or french.startswith(
        "Connexion de l'équipe|3 minutes"
    )
    assert english != french
    assert english.replace("&#39;", "'") == expected


def test_the_page_formatter_writes_what_datetimeformat_writes(app: Flask) -> None:
    """datetime_formatter(width), the CIP table's one formatter per page, gives Flask-Babel's
    text in every language; a value that is not a datetime goes to the filter's own path."""
    with app.test_request_context("/"):
        for tag in app.config["LOCALES"]:
            with force_locale(tag):
                for width in ("short", "medium"):
                    formatter = i18n.datetime_formatter(width)
                    for moment in _moments()[::7]:
                        assert formatter(moment) == flask_babel.format_datetime(moment, width)
                day = date(2026, 7, 14)
                assert i18n.datetime_formatter("short")(day) == flask_babel.format_datetime(
                    day, "short"
                )
                assert i18n.datetime_formatter("long")(_moments()[3]) == (
                    flask_babel.format_datetime(_moments()[3], "long")
                )
        with force_locale("fr"):
            shown = render_template_string(
                '{% set when = datetime_formatter("short") %}{{ when(m) }}', m=_moments()[5]
            )
            assert shown == flask_babel.format_datetime(_moments()[5], "short")
