"""Flask commands: demo, content check, two-step reset, staff link, backup, purge, seed-scale."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask, current_app, url_for
from flask.cli import AppGroup, with_appcontext

from companion.catalogue import load_catalogue
from companion.catalogue.diagnostic import read_grid

content_cli = AppGroup("content", help="Module content tools.")
two_step_cli = AppGroup("two-step", help="Staff two-step verification (TOTP).")
staff_cli = AppGroup("staff", help="Staff accounts: one-time password links.")


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def content_check(path: Path | None) -> None:
    """Validate the modules under PATH (default: content/) and its diagnostic grid; exit 1 on
    any error."""
    root = path or Path(current_app.config["CONTENT_DIR"])
    pictograms = Path(current_app.static_folder or "static") / "pictograms"
    modules, report = load_catalogue(root, pictograms)
    # The structure's diagnostic (content/diagnostic/, docs/diagnostic.md): the app's content
    # must have it; another folder of modules is checked with it only when it has one.
    with_grid = path is None or (root / "diagnostic").exists()
    if with_grid:
        diagnostic = read_grid(root).report
        report.errors.extend(diagnostic.errors)
        report.warnings.extend(diagnostic.warnings)
    for message in report.errors:
        click.echo(f"error: {message}", err=True)
    for message in report.warnings:
        click.echo(f"warning: {message}", err=True)
    if not report.ok:
        raise SystemExit(1)
    grid = " and the diagnostic grid" if with_grid else ""
    click.echo(f"{len(modules)} module(s){grid} valid in {root}.")


@two_step_cli.command("reset")
@click.argument("email")
def two_step_reset(email: str) -> None:
    """Turn off the two-step verification of the staff account EMAIL (a lost phone).

    For the platform admin, or a structure's only direction; otherwise a direction does it
    from the staff account's page. The person then signs in with their password alone.
    """
    from companion.services.two_step import reset_by_operator

    user = reset_by_operator(email)
    if user is None:
        click.echo(f"No staff account has the address {email}.", err=True)
        raise SystemExit(1)
    click.echo(f"Two-step verification reset for {user.email}.")


@staff_cli.command("link")
@click.argument("email")
@click.option(
    "--admin", is_flag=True, help="Create the platform admin account EMAIL if it has none."
)
def staff_link(email: str, admin: bool) -> None:
    """Print a one-time link (72 hours) where the account EMAIL chooses its password.

    For the platform admin (its first password, or a forgotten one) and a structure's only
    direction; otherwise a direction, or the platform admin for a direction, gives it from
    the site. Check who asks (by phone, in person) before handing it over.
    """
    from flask import url_for

    from companion.services.staff_links import link_by_operator

    found = link_by_operator(email, admin=admin)
    if found is None:
        click.echo(f"No active staff account has the address {email}.", err=True)
        raise SystemExit(1)
    user, token = found
    mail = current_app.config.get("MAIL")
    with current_app.test_request_context("/"):
        path = url_for("staff.password_link", token=token)
    if mail is not None:
        click.echo(f"One-time link for {user.email} ({user.role}): {mail.site_url}{path}")
    else:
        click.echo(f"One-time link for {user.email} ({user.role}): {path}")
        click.echo("Put the site's address (https://…) in front of it.")


@click.command("demo")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print the demo accounts as JSON.")
@click.option(
    "--learners",
    default=0,
    type=click.IntRange(0, 2_000),
    help="Grow the Atelier Démo to this many learners (150: a large structure).",
)
def demo_command(as_json: bool, learners: int) -> None:
    """Load the demo structures, accounts and history (running it twice changes nothing)."""
    from companion.services.demo import grow_demo, load_demo

    if current_app.config.get("PRODUCTION"):
        # Its accounts' password is published in the README: never on a real instance.
        click.echo(
            "The demo is not loaded when COMPANION_ENV=production: its accounts' password "
            "is published in the README.",
            err=True,
        )
        raise SystemExit(1)

    with current_app.test_request_context("/"):
        accounts = load_demo()
        if learners:
            added = grow_demo(learners)
            if not as_json:
                click.echo(f"{added} learners added to the Atelier Démo (PIN 2468).")
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
    from companion.cli.backup import backup_command
    from companion.cli.purge import purge_command
    from companion.cli.scale import seed_scale_command

    app.cli.add_command(content_cli)
    app.cli.add_command(two_step_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(seed_scale_command)
    app.cli.add_command(purge_command)
