"""Web layer: one blueprint per audience, plus what every request shares."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template
from flask_babel import format_decimal, format_percent
from flask_wtf.csrf import CSRFError
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from companion.catalogue.markdown import render_markdown
from companion.catalogue.steps import STEP_TYPES
from companion.web import language
from companion.web import session as web_session
from companion.web.admin import bp as admin_bp
from companion.web.health import bp as health_bp
from companion.web.kiosk import bp as kiosk_bp
from companion.web.learner import bp as learner_bp
from companion.web.offline import bp as offline_bp
from companion.web.public import bp as public_bp
from companion.web.staff import bp as staff_bp


class StepTemplates(BaseLoader):
    """`steps/<name>.html` of a step type registered from outside the package, from the
    folder its class names (StepBase.templates_dir)."""

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        folder, _slash, file = template.partition("/")
        cls = STEP_TYPES.get(file.removesuffix(".html")) if folder == "steps" else None
        if cls is None or cls.templates_dir is None:
            raise TemplateNotFound(template)
        return FileSystemLoader(cls.templates_dir).get_source(environment, template)


def _error_page(exc: HTTPException) -> tuple[str, int]:
    code = exc.code or 500
    return render_template("errors/error.html", code=code), code


def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    return render_template("errors/error.html", code=400, csrf=True), 400


# Ids are the database's 32-bit keys (PostgreSQL's integer): a bigger number in a URL names
# nothing, and is a 404 before any query, where SQLite and psycopg would raise (a 500).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` on every route of the app: digits from 0 to MAX_ID, else 404."""

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def register_blueprints(app: Flask) -> None:
    # Before any route is added: the rules take their converter when they are made.
    app.url_map.converters["int"] = IdConverter
    web_session.init_app(app)
    language.init_app(app)
    if app.jinja_loader is not None:
        app.jinja_loader = ChoiceLoader([app.jinja_loader, StepTemplates()])
    app.jinja_env.filters["markdown"] = render_markdown
    # Numbers in the reader's language: "1,5" and "93 %" in French, "1.5" and "93%" in English.
    app.jinja_env.filters["decimal"] = format_decimal
    app.jinja_env.filters["percent"] = lambda n: format_percent(n / 100)
    for bp in (public_bp, learner_bp, kiosk_bp, staff_bp, admin_bp, offline_bp):
        app.register_blueprint(bp)
    app.register_blueprint(health_bp)
    app.register_error_handler(CSRFError, _csrf_error)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
