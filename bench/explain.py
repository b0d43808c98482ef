"""Query plans of the staff pages: EXPLAIN (ANALYZE, BUFFERS) of every SELECT they issue.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/companion_bench \\
        .venv/bin/python bench/explain.py > plans.md

The pages are requested in-process as the CIP of the largest structure (seed-scale data),
the platform admin and a kiosk of that structure; each statement is then explained with the
parameters it was sent with, so the plans are those of the real queries, exports included
as soon as a staff page links one.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from sqlalchemy import event, func, select, text

from companion import create_app
from companion.extensions import db
from companion.models import Learner, Role, StaffUser
from companion.services.demo import DEMO_PASSWORD
from companion.services.kiosks import create_kiosk
from companion.services.scale import SCALE_PASSWORD

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        sys.exit("explain.py: set DATABASE_URL to the PostgreSQL database (seed-scale data).")
    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        big, n = db.session.execute(
            select(Learner.structure_id, func.count())
            .group_by(Learner.structure_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        cip = db.session.scalar(
            select(StaffUser).where(StaffUser.structure_id == big, StaffUser.role == Role.CIP)
        )
        assert cip is not None
        _kiosk, kiosk_token = create_kiosk(cip, "explain")
        cip_email = cip.email
        db.session.remove()
        engine = db.engine

    pages: list[tuple[str, str, str | None, str | None]] = [
        ("CIP home (staff.learners)", "/staff/learners", cip_email, SCALE_PASSWORD),
        ("team page (staff.team)", "/staff/team", cip_email, SCALE_PASSWORD),
        ("admin home (admin.home)", "/admin/", "admin@compagnon.example", DEMO_PASSWORD),
        ("kiosk home (kiosk.home)", "/kiosk/", None, None),
    ]
    out = [f"Structure {big}: {n} learners.\n"]
    seen: set[str] = set()
    for title, path, email, password in pages:
        client = app.test_client()
        if email:
            client.post("/staff/signin", data={"email": email, "password": password})
        else:
            client.set_cookie("companion_kiosk", kiosk_token)
        statements: list[tuple[str, Any]] = []

        def record(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
            statements.append((statement, params))  # noqa: B023 - used at once

        event.listen(engine, "before_cursor_execute", record)
        try:
            response = client.get(path)
            response.get_data()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        out.append(f"### {title}: GET {path} → {response.status_code}\n")
        with app.app_context():
            for statement, params in statements:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                key = re.sub(r"\s+", " ", statement)
                if key in seen:
                    continue
                seen.add(key)
                conn = db.session.connection()
                plan = conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, params
                ).scalars()
                out.append("```sql\n" + _short(statement) + "\n```\n```\n" + "\n".join(plan))
                out.append("```\n")
            db.session.execute(text("SELECT 1"))
            db.session.remove()
    print("\n".join(out))


def _short(statement: str) -> str:
    statement = re.sub(r"\s+", " ", statement).strip()
    return statement if len(statement) < 600 else statement[:600] + " …"


if __name__ == "__main__":
    main()
