"""Query budget: no staff or admin page issues more SQL statements for more learners.

The test walks app.url_map, so a page or export added to the staff or admin blueprints is
measured without anyone editing this file. URL arguments come from the demo data by name:
`learner_id` is a learner of the structure, `team_id` one of its teams, `<table>_id` a row
of that table in the structure, `module_id` / `step_id` the first module and step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.diagnostic import load_grid
from companion.extensions import db
from companion.models import Diagnostic, Learner, PlanAction, StaffUser, Structure, Team
from companion.services.demo import ATELIER
from companion.services.scale import add_learners
from tests.conftest import Auth

# Who asks: staff pages as the CIP first (then direction, encadrant), admin pages as admin.
STAFF = ["cip@atelier.example", "direction@atelier.example", "encadrant@atelier.example"]
ADMIN = ["admin@compagnon.example"]
# The sign-in form, and the open password pages (a one-time link, "Mot de passe oublié ?"),
# show no learner data.
SKIP = {"staff.signin", "staff.password_link", "staff.password_forgot"}
# Pages whose query string changes what is read: each variant is measured as a page of its
# own. "{team_id}" and "{module_id}" are filled like URL arguments.
VARIANTS: dict[str, list[str]] = {
    "staff.learners": [
        "q=ami&sort=activity",
        "team={team_id}&module={module_id}&status=in_progress&assignment=open&sort=progress",
        "team=none&assignment=overdue",
    ],
    "staff.export_file": ["people=left&sheet=people", "start=2026-01-01&end=2026-12-31"],
    "staff.bilan": ["start=2026-01-01&end=2026-12-31&team_id={team_id}&people=present"],
    "staff.structure_stats": ["start=2026-01-01&team_id={team_id}"],
    "staff.structure_stats_file": ["people=left"],
}


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _first_module() -> Module:
    return next(iter(catalogue.modules().values()))


# URL arguments whose value is chosen by hand, from the demo structure (given as argument).
CHOSEN_VALUES: dict[str, Callable[[int], Any]] = {
    "module_id": lambda structure_id: _first_module().id,
    "step_id": lambda structure_id: _first_module().steps[0].id,
    "structure_id": lambda structure_id: structure_id,
    "fmt": lambda structure_id: "csv",
    # a staff account of the structure
    "user_id": lambda structure_id: db.session.scalar(
        select(StaffUser.id).where(StaffUser.email == "cip@atelier.example")
    ),
    # the platform admin gives directions their links
    "direction_id": lambda structure_id: db.session.scalar(
        select(StaffUser.id).where(StaffUser.email == "direction@atelier.example")
    ),
    # the diagnostic's pages: an axis of the grid, a plan action of the structure's diagnostic
    "axis_id": lambda structure_id: load_grid("fr").axes[0].id,
    "plan_id": lambda structure_id: db.session.scalar(
        select(PlanAction.id)
        .join(Diagnostic, Diagnostic.id == PlanAction.diagnostic_id)
        .where(Diagnostic.structure_id == structure_id)
        .order_by(PlanAction.id)
        .limit(1)
    ),
    "learner_id": lambda structure_id: db.session.scalar(
        select(Learner.id).where(
            Learner.structure_id == structure_id, Learner.first_name == "Amina"
        )
    ),
    "team_id": lambda structure_id: db.session.scalar(
        select(Team.id).where(Team.structure_id == structure_id, Team.name == "Espaces verts")
    ),
}


def _value(app: Flask, name: str, structure_id: int) -> Any:
    """A real value for a URL argument, chosen from the demo structure's data by name."""
    if name in CHOSEN_VALUES:
        return CHOSEN_VALUES[name](structure_id)
    if name.endswith("_id"):
        table = db.metadata.tables.get(name.removesuffix("_id"))
        if table is not None:
            stmt = select(table.c.id).order_by(table.c.id).limit(1)
            if "structure_id" in table.c:
                stmt = stmt.where(table.c.structure_id == structure_id)
            return db.session.scalar(stmt)
    raise AssertionError(
        f"the query-budget walker cannot build URL argument {name!r}: name it after a "
        "table (<table>_id) or teach tests/perf/test_query_budget.py::_value about it"
    )


def _pages(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, URL) for every GET route of the staff and admin blueprints."""
    with app.test_request_context("/"):
        structure_id = db.session.scalar(select(Structure.id).where(Structure.name == ATELIER))
        assert structure_id is not None
        out = []
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith(("staff.", "admin.")) or rule.endpoint in SKIP:
                continue
            if "GET" not in (rule.methods or set()):
                continue
            args = {name: _value(app, name, structure_id) for name in rule.arguments}
            url = app.url_for(rule.endpoint, **args)
            out.append((rule.endpoint, url))
            for query in VARIANTS.get(rule.endpoint, []):
                filled = query.format(
                    team_id=_value(app, "team_id", structure_id),
                    module_id=_value(app, "module_id", structure_id),
                )
                out.append((f"{rule.endpoint}?{query}", f"{url}?{filled}"))
        db.session.remove()
    return sorted(out)


def _measure(app: Flask, clients: dict[str, FlaskClient]) -> dict[tuple[str, str], tuple[int, int]]:
    """(endpoint, who) → (status, statement count), for every page and every signed-in role."""
    result: dict[tuple[str, str], tuple[int, int]] = {}
    for endpoint, url in _pages(app):
        who_list = ADMIN if endpoint.startswith("admin.") else STAFF
        for who in who_list:
            with counting(app) as statements:
                response = clients[who].get(url)
                response.get_data()  # an export may stream: count its queries too
            result[(endpoint, who)] = (response.status_code, len(statements))
    return result


def _grow(app: Flask, total: int) -> None:
    """Bring the demo structure to `total` learners (two thirds in Espaces verts)."""
    with app.app_context():
        structure_id = db.session.scalar(select(Structure.id).where(Structure.name == ATELIER))
        assert structure_id is not None
        teams = db.session.scalars(
            select(Team.id).where(Team.structure_id == structure_id).order_by(Team.name)
        ).all()
        have = len(
            db.session.scalars(select(Learner.id).where(Learner.structure_id == structure_id)).all()
        )
        add_learners(structure_id, total - have, events=12, team_ids=[teams[0], teams[0], teams[1]])
        db.session.commit()
        db.session.remove()


def test_staff_and_admin_pages_issue_the_same_queries_for_10_and_300_learners(
    app: Flask,
) -> None:
    clients = {}
    for who in STAFF + ADMIN:
        client = app.test_client()
        response = Auth(client).staff(who)
        assert response.status_code == 302, who
        clients[who] = client

    # A first visit may write once (the two-step page keeps the secret it shows): the
    # counts compared are those of later visits.
    _measure(app, clients)
    _grow(app, 10)
    small = _measure(app, clients)
    _grow(app, 300)
    large = _measure(app, clients)

    assert small.keys() == large.keys()
    # Not vacuous: the CIP home, the team page and the admin home were really measured.
    for key in [
        ("staff.learners", STAFF[0]),
        *((f"staff.learners?{q}", STAFF[0]) for q in VARIANTS["staff.learners"]),
        ("staff.team", STAFF[2]),
        ("admin.home", ADMIN[0]),
    ]:
        assert small[key][0] == 200, (key, small[key])
        assert large[key][0] == 200, (key, large[key])
    grown = {
        key: (small[key], large[key])
        for key in small
        if small[key][0] == 200 and small[key][1] != large[key][1]
    }
    assert not grown, f"statement counts grow with learners (status, count): {grown}"
    statuses = {
        key: (small[key][0], large[key][0]) for key in small if small[key][0] != large[key][0]
    }
    assert not statuses, f"pages answer differently with more learners: {statuses}"
