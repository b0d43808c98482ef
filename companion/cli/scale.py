"""`flask seed-scale`: synthetic data at regional scale, for benchmarks only."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from companion.services.scale import SCALE_PASSWORD, SCALE_PIN, seed_scale


@click.command("seed-scale")
@with_appcontext
@click.option("--structures", default=350, show_default=True, type=click.IntRange(0, 100_000))
@click.option("--learners", default=100, show_default=True, type=click.IntRange(0, 100_000))
@click.option(
    "--events",
    default=100,
    show_default=True,
    type=click.IntRange(0, 10_000),
    help="Answers recorded per learner.",
)
@click.option("--seed", default=0, show_default=True, help="Random seed (same seed, same data).")
def seed_scale_command(structures: int, learners: int, events: int, seed: int) -> None:
    """Add synthetic structures, learners and progress events in bulk (benchmarks only)."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("seed-scale adds fake people: refused in production.")
    report = seed_scale(structures, learners, events, seed=seed)
    click.echo(
        f"{report.structures} structures, {report.learners} learners, "
        f"{report.progress} progress rows, {report.events} events in {report.seconds:.1f} s. "
        f"CIP accounts cip-NNNN@scale.example, password {SCALE_PASSWORD}; PIN {SCALE_PIN}."
    )
