"""`flask purge`: erase archived learners' named data past their structure's retention."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from companion.services.privacy import purge


@click.command("purge")
@click.option(
    "--now",
    "now_text",
    default=None,
    hidden=True,
    help="Pretend it is this ISO date and time (UTC); for tests.",
)
@with_appcontext
def purge_command(now_text: str | None) -> None:
    """Erase the named data of archived learners past their structure's retention period.

    Safe to run from cron, as often as you like: an erased learner is never touched again.
    """
    now = None
    if now_text:
        now = datetime.fromisoformat(now_text)
        now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    for line in purge(now).lines():
        click.echo(line)
