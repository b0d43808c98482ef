"""Web layer: one blueprint per audience, plus what every request shares."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from companion.catalogue.markdown import render_markdown
from companion.web import session as web_session
from companion.web.admin import bp as admin_bp
from companion.web.health import bp as health_bp
from companion.web.kiosk import bp as kiosk_bp
from companion.web.learner import bp as learner_bp
from companion.web.offline import bp as offline_bp
from companion.web.public import bp as public_bp
from companion.web.staff import bp as staff_bp


def _error_page(exc: HTTPException) -> tuple[str, int]:
    code = exc.code or 500
    return render_template("errors/error.html", code=code), code


def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    return render_template("errors/error.html", code=400, csrf=True), 400


def register_blueprints(app: Flask) -> None:
    web_session.init_app(app)
    app.jinja_env.filters["markdown"] = render_markdown
    for bp in (public_bp, learner_bp, kiosk_bp, staff_bp, admin_bp, offline_bp):
        app.register_blueprint(bp)
    app.register_blueprint(health_bp)
    app.register_error_handler(CSRFError, _csrf_error)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
