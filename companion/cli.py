"""Flask commands: demo data and the content check."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup, with_appcontext

from companion.catalogue import load_catalogue
from companion.scale import seed_scale_command

content_cli = AppGroup("content", help="Module content tools.")


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def content_check(path: Path | None) -> None:
    """Validate the modules under PATH (default: content/); exit 1 on any error."""
    root = path or Path(current_app.config["CONTENT_DIR"])
    pictograms = Path(current_app.static_folder or "static") / "pictograms"
    modules, report = load_catalogue(root, pictograms)
    for message in report.errors:
        click.echo(f"error: {message}", err=True)
    for message in report.warnings:
        click.echo(f"warning: {message}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo(f"{len(modules)} module(s) valid in {root}.")


@click.command("demo")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print the demo accounts as JSON.")
def demo_command(as_json: bool) -> None:
    """Load the demo structures, accounts and history (running it twice changes nothing)."""
    from companion.services.demo import load_demo

    with current_app.test_request_context("/"):
        accounts = load_demo()
        signin = url_for("staff.signin")
    if as_json:
        click.echo(
            json.dumps(
                {
                    "staff_signin_path": signin,
                    "staff": accounts.staff,
                    "learners": accounts.learners,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo("Demo data ready. Accounts are listed in the README.")


def register_cli(app: Flask) -> None:
    from companion.backup import backup_command
    from companion.services.privacy import purge_command

    app.cli.add_command(content_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(seed_scale_command)
    app.cli.add_command(purge_command)
