"""Whether the database answers, for the health endpoint (web/health.py)."""

from __future__ import annotations

import time

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from companion.extensions import db


def database_ms() -> float | None:
    """Milliseconds the database took to answer a trivial query; None when it did not."""
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return round((time.perf_counter() - started) * 1000, 1)
