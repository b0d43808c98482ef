"""`flask backup`: a consistent copy of the SQLite database while the app keeps running."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from companion.services.backup import sqlite_backup


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Backup file (default: instance/backups/companion-<UTC time>.sqlite3).",
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Back up the SQLite database; for PostgreSQL, see docs/deployment.md (pg_dump)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if not url.drivername.startswith("sqlite") or not url.database:
        raise click.ClickException(
            "This database is not a SQLite file: back up PostgreSQL with pg_dump "
            "(see docs/deployment.md)."
        )
    source = Path(url.database)
    if not source.is_file():
        raise click.ClickException(f"No database file at {source}.")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output or Path(current_app.instance_path) / "backups" / f"companion-{stamp}.sqlite3"
    sqlite_backup(source, target)
    click.echo(f"Backup written to {target}")
