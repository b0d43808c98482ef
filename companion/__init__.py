"""Compagnon numérique: digital basics for workers in insertion, followed by their CIP."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from flask import Flask

from companion import catalogue, fragments, i18n
from companion.config import ConfigError, flask_config, load_settings
from companion.extensions import babel, csrf, db, login_manager, migrate
from companion.i18n import available_locales, select_locale

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: config → extensions → i18n → content → blueprints → cli."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        static_folder=str(ROOT / "static"),
        template_folder="templates",
    )
    try:
        settings = load_settings(Path(app.instance_path))
    except ConfigError as exc:
        # One line for the operator, no traceback: the setting is wrong, not the code.
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(2) from None
    app.config.from_mapping(flask_config(settings))
    if test_config:
        app.config.from_mapping(test_config)
    app.config["LOCALES"] = available_locales(app)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    i18n.init_app(app)
    fragments.init_app(app)

    catalogue.init_app(app)

    from companion.web import register_blueprints, security

    security.init_app(app)
    register_blueprints(app)

    from companion import static_assets
    from companion.web.session import is_background_request

    static_assets.init_app(app, background=is_background_request)

    from companion.cli import register_cli

    register_cli(app)
    return app
