"""A backup taken while the app runs can be restored and holds every answer."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from companion.extensions import db
from companion.models import Learner, ProgressEvent
from tests.conftest import AMINA_LINK, Auth, make_app
from tests.helpers import right_answer, step_url, submit


def _counts(db_path: Path) -> tuple[int, int]:
    app = make_app(db_path)
    with app.app_context():
        learners = db.session.scalar(select(func.count()).select_from(Learner)) or 0
        events = db.session.scalar(select(func.count()).select_from(ProgressEvent)) or 0
        db.engine.dispose()
    return learners, events


def test_backup_and_restore(sqlite_db_path: Path, tmp_path: Path) -> None:
    # SQLite's own online backup: on a SQLite database whatever the run's engine.
    db_path = sqlite_db_path
    live = make_app(db_path)
    client = live.test_client()
    runner = live.test_cli_runner()
    Auth(client).learner_link(AMINA_LINK, "2580")
    module = client.application.extensions["companion.catalogue"]["mots-de-passe"]
    first = module.steps[0]
    submit(client, step_url(module.id, first.id), right_answer(first))
    before = _counts(db_path)

    backup = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", "--output", str(backup)])
    assert result.exit_code == 0, result.output
    assert backup.stat().st_mode & 0o777 == 0o600

    # Disaster: the live database is lost. Restore the backup in its place.
    db_path.unlink()
    shutil.copy(backup, db_path)
    with live.app_context():
        db.engine.dispose()
    assert _counts(db_path) == before
    assert before[1] > 0


def test_backup_refuses_postgresql(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "unused.sqlite3",
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1/none",
    )
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0
    assert "pg_dump" in result.output
