"""Web layer: one blueprint per audience, plus what every request shares."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

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


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
    )
    return response


def register_blueprints(app: Flask) -> None:
    web_session.init_app(app)
    language.init_app(app)
    if app.jinja_loader is not None:
        app.jinja_loader = ChoiceLoader([app.jinja_loader, StepTemplates()])
    app.jinja_env.filters["markdown"] = render_markdown
    for bp in (public_bp, learner_bp, kiosk_bp, staff_bp, admin_bp, offline_bp):
        app.register_blueprint(bp)
    app.register_blueprint(health_bp)
    app.register_error_handler(CSRFError, _csrf_error)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.after_request(_headers)
