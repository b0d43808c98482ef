"""Health endpoint for load balancers and monitoring: is this app server able to serve?"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from companion.services.health import database_ms

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> ResponseReturnValue:
    """200 when the database answers, 503 otherwise; never says more than that."""
    elapsed = database_ms()
    if elapsed is None:
        response = jsonify(status="error", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok", database_ms=elapsed)
    response.headers["Cache-Control"] = "no-store"
    return response
