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
