"""Migrations apply from an empty database and match the models, on the engine under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from companion.extensions import db
from tests.conftest import ENGINE, make_app


@pytest.fixture
def empty_database(tmp_path: Path, request: Any) -> Path | str:
    if ENGINE == "postgresql":
        server = request.getfixturevalue("postgres")
        return str(server.create(server.next_name()))
    return tmp_path / "empty.sqlite3"


def test_migrations_from_empty_match_the_models(empty_database: Path | str) -> None:
    app = make_app(empty_database)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"the models and the migrations differ: {diff}"
        # And back down to nothing, so a release can be rolled back.
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_folded_name_keys_are_filled_for_existing_rows(empty_database: Path | str) -> None:
    """Learners and teams made before the folded keys get theirs; two that fold alike (the
    old byte-wise rule let them in) both keep working, the second with its id appended."""
    from sqlalchemy import text

    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="cb563f4b64d3")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO structure (id, name, kind, kiosk_idle_seconds, languages,"
                    " retention_months, require_totp_for_direction, created_at)"
                    " VALUES (1, 'S', 'ACI', 180, 'fr', 24, false, CURRENT_TIMESTAMP)"
                )
            )
            for n, name in enumerate(["Espaces verts", "espaces  Verts"], start=1):
                conn.execute(
                    text("INSERT INTO team (id, structure_id, name) VALUES (:i, 1, :n)"),
                    {"i": n, "n": name},
                )
            for n, name in enumerate(["Chloé", "Chloe", "Amina"], start=1):
                conn.execute(
                    text(
                        "INSERT INTO learner (id, structure_id, first_name, initial, pictogram,"
                        " pin_hash, locale, signin_token, archived, failed_pin_count,"
                        " created_at) VALUES (:i, 1, :n, '', 'cat', 'x', 'fr', :t, false, 0,"
                        " CURRENT_TIMESTAMP)"
                    ),
                    {"i": n, "n": name, "t": f"token-{n}"},
                )
        upgrade()
        with db.engine.connect() as conn:
            learners: dict[int, str] = dict(
                conn.execute(text("SELECT id, name_key FROM learner")).all()
            )
            teams: dict[int, str] = dict(conn.execute(text("SELECT id, name_key FROM team")).all())
        assert learners == {1: "chloe|", 2: "chloe|#2", 3: "amina|"}
        assert teams == {1: "espaces verts", 2: "espaces verts#2"}
        downgrade(revision="base")
        db.engine.dispose()
