"""`flask seed-scale`: synthetic data at regional scale, for benchmarks only."""

from __future__ import annotations

import sys
import time
from typing import IO

import click
from flask import current_app
from flask.cli import with_appcontext

from companion.services.scale import SCALE_PASSWORD, SCALE_PIN, ScaleReport, seed_scale

# What the command does after the last structure, as the progress line says it.
PHASES = {
    "indexes": "building the big tables' constraints and indexes again",
    "commit": "committing",
    "statistics": "refreshing the planner's statistics (ANALYZE)",
}


class ProgressLine:
    """Plain-text progress on stderr: one line redrawn on a terminal, else a line every
    tenth of the way (a log stays readable); then one line per later phase."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.last_tenth = -1
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, report: ScaleReport, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        if report.phase in PHASES:
            click.echo(f"seed-scale: {PHASES[report.phase]}, {elapsed:.0f} s so far", self.stream)
            return
        done = report.structures
        left = elapsed / done * (total - done) if done else 0.0
        width = 30
        filled = int(width * done / total) if total else width
        line = (
            f"seed-scale [{'#' * filled}{'.' * (width - filled)}] {done}/{total} structures, "
            f"{report.learners:,} learners, {report.events:,} events, {elapsed:.0f} s"
            + (f", about {left:.0f} s left" if done < total else "")
        )
        tenth = 10 * done // total if total else 10
        if self.tty:
            click.echo("\r" + line, self.stream, nl=done >= total)
        elif tenth != self.last_tenth or done >= total:
            click.echo(line, self.stream)
        self.last_tenth = tenth


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
@click.option("--quiet", is_flag=True, help="No progress line on stderr.")
def seed_scale_command(structures: int, learners: int, events: int, seed: int, quiet: bool) -> None:
    """Add synthetic structures, learners and progress events in bulk (benchmarks only)."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("seed-scale adds fake people: refused in production.")
    progress = None if quiet else ProgressLine()
    report = seed_scale(structures, learners, events, seed=seed, progress=progress)
    click.echo(
        f"{report.structures} structures, {report.learners} learners, "
        f"{report.progress} progress rows, {report.events} events in {report.seconds:.1f} s "
        f"({', '.join(f'{name} {seconds:.1f} s' for name, seconds in report.phases.items())}). "
        f"CIP accounts cip-NNNN@scale.example, password {SCALE_PASSWORD}; PIN {SCALE_PIN}."
    )
