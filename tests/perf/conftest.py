"""The browser fixtures (live server, Chromium at 360 px) for the page-budget test."""

from tests.browser.conftest import (  # noqa: F401 - fixtures, used by name
    browser,
    live,
    new_context,
    playwright,
    start_server,
)
