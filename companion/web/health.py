"""Health endpoint for load balancers and monitoring: is this app server able to serve?"""

from __future__ import annotations

import time

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from companion.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> ResponseReturnValue:
    """200 when the database answers, 503 otherwise; never says more than that."""
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        response = jsonify(status="error", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(
            status="ok",
            database="ok",
            database_ms=round((time.perf_counter() - started) * 1000, 1),
        )
    response.headers["Cache-Control"] = "no-store"
    return response
