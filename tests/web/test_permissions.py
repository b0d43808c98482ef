"""Walks every route of app.url_map as every role, another structure's member and a visitor.

A new route is checked here before anyone writes a test for it: a route that declares no
capability (and is neither public nor for learners) fails, and each declared capability is
checked against the one table in companion/permissions.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.catalogue.diagnostic import load_grid
from companion.extensions import db
from companion.models import (
    Assignment,
    Diagnostic,
    Kiosk,
    Learner,
    Note,
    PlanAction,
    Role,
    StaffUser,
    Structure,
    Team,
)
from companion.permissions import (
    CAPABILITIES,
    LEARNER,
    PUBLIC,
    Capability,
    access_of,
)
from tests.conftest import AMINA_LINK, DEMO_PASSWORD, make_app

ROOT = Path(__file__).resolve().parents[2]
OTHER_DIRECTION = "direction@recyclerie.example"
WHO = {
    "cip": "cip@atelier.example",
    "encadrant": "encadrant@atelier.example",
    "direction": "direction@atelier.example",
    "admin": "admin@compagnon.example",
    "other_cip": "cip@recyclerie.example",
    "other_direction": OTHER_DIRECTION,
    "learner": None,
    "visitor": None,
}
ROLE_OF = {
    "cip": Role.CIP,
    "encadrant": Role.ENCADRANT,
    "direction": Role.DIRECTION,
    "admin": Role.ADMIN,
    "other_cip": Role.CIP,
    "other_direction": Role.DIRECTION,
}
# Route arguments that name a row of the Atelier: another structure must get a 404.
SCOPED_ARGS = {"learner_id", "user_id", "kiosk_id", "note_id", "assignment_id", "team_id"}
SCOPED_ARGS |= {"diagnostic_id", "plan_id"}  # the Atelier's closed diagnostic and its plan
LAST = ("archive", "signout", "signout_everywhere", "signout_phones")  # they end what others need


@pytest.fixture
def walk_app(db_path: Path) -> Flask:
    # The demo has a direction in each structure (the Recyclerie's is OTHER_DIRECTION).
    return make_app(db_path, WTF_CSRF_ENABLED=False)


def _samples(app: Flask) -> dict[str, Any]:
    with app.app_context():
        amina = db.session.scalar(select(Learner).where(Learner.first_name == "Amina"))
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == WHO["cip"]))
        kiosk = db.session.scalar(select(Kiosk))
        # A note the CIP wrote, the encadrant's team and that team's assignment: each role
        # that may change them reaches them.
        note = db.session.scalar(select(Note).order_by(Note.id))
        team = db.session.scalar(select(Team).where(Team.name == "Espaces verts"))
        assignment = db.session.scalar(select(Assignment).where(Assignment.team_id.is_not(None)))
        direction = db.session.scalar(select(StaffUser).where(StaffUser.email == WHO["direction"]))
        atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
        assert amina is not None
        assert cip is not None
        assert kiosk is not None
        assert note is not None
        assert team is not None
        assert assignment is not None
        assert direction is not None
        assert atelier is not None
        plan = db.session.scalar(
            select(PlanAction)
            .join(Diagnostic, Diagnostic.id == PlanAction.diagnostic_id)
            .where(Diagnostic.structure_id == atelier.id)
            .order_by(PlanAction.id)
        )
        assert plan is not None
        return {
            "diagnostic_id": plan.diagnostic_id,
            "plan_id": plan.id,
            "axis_id": load_grid("fr").axes[0].id,
            "learner_id": amina.id,
            "user_id": cip.id,
            "kiosk_id": kiosk.id,
            "note_id": note.id,
            "team_id": team.id,
            "assignment_id": assignment.id,
            "direction_id": direction.id,
            "structure_id": atelier.id,
            "fmt": "csv",
            "token": amina.signin_token,
            "module_id": "mots-de-passe",
            "step_id": "why",
            "round_": 1,
            "filename": "css/app.css",
            "type_name": "password_lab",
            "name": "lists",
        }


def _routes(app: Flask) -> list[tuple[str, str, str, Any]]:
    samples = _samples(app)
    routes = []
    for rule in app.url_map.iter_rules():
        method = "GET" if "GET" in (rule.methods or set()) else "POST"
        built = rule.build({a: samples[a] for a in rule.arguments}, append_unknown=False)
        assert built is not None, rule.endpoint
        path = built[1]
        routes.append((rule.endpoint, method, path, rule))
    routes.sort(key=lambda r: (r[0].endswith(LAST), r[0].endswith("signout"), r[0]))
    return routes


def _sign_in(client: FlaskClient, who: str) -> None:
    if who == "learner":
        response = client.post(AMINA_LINK, data={"pin": "2580"})
        assert response.status_code == 302
    elif WHO[who] is not None:
        response = client.post("/staff/signin", data={"email": WHO[who], "password": DEMO_PASSWORD})
        assert response.status_code == 302, who


def test_every_route_declares_its_access(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if access_of(rule.endpoint, app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == [], (
        f"routes without @requires, @learner_required or a public mark: {undeclared}"
    )


@pytest.mark.parametrize("who", list(WHO))
def test_walk_every_route(walk_app: Flask, who: str) -> None:
    client = walk_app.test_client()
    _sign_in(client, who)
    role = ROLE_OF.get(who)
    other = who.startswith("other_")
    checked = 0
    for endpoint, method, path, rule in _routes(walk_app):
        access = access_of(endpoint, walk_app.view_functions[endpoint])
        response = client.open(path, method=method, data={"_": "1"} if method == "POST" else None)
        status = response.status_code
        response.close()  # static files are streamed from an open file
        where = f"{who} {method} {path} ({endpoint}) → {status}"
        assert status < 500, where
        if access == PUBLIC:
            pass
        elif access == LEARNER:
            if who == "learner":  # 404 is fine: the sample step may not be that kind of step
                assert status not in (401, 403), where
                assert not response.headers.get("Location", "").startswith("/staff"), where
            else:
                assert status == 302, where
                assert response.headers["Location"].startswith("/"), where
        else:
            assert isinstance(access, Capability), where
            if role is None:  # signed out, or a learner: the staff sign-in page
                assert status == 302, where
                assert response.headers["Location"].startswith("/staff/signin"), where
            elif access not in CAPABILITIES[role]:
                assert status == 403, where
            elif other and SCOPED_ARGS & set(rule.arguments):
                assert status == 404, where  # never say that the id exists
            else:
                assert status not in (401, 403, 404), where
        checked += 1
    assert checked > 30


def test_roles_doc_matches_the_table() -> None:
    """docs/roles.md shows the same table as the code, capability by capability."""
    text = (ROOT / "docs" / "roles.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \|(.+)\|\s*$", text, flags=re.M)
    assert rows, "no capability rows in docs/roles.md"
    order = [Role.DIRECTION, Role.CIP, Role.ENCADRANT, Role.ADMIN]
    documented = {}
    for name, cells in rows:
        marks = [c.strip() for c in cells.split("|")]
        documented[Capability(name)] = {r for r, m in zip(order, marks, strict=True) if m == "✓"}
    assert set(documented) == set(Capability)
    for capability, roles in documented.items():
        assert roles == {r for r in order if capability in CAPABILITIES[r]}, capability


def test_encadrant_opening_notes_is_forbidden(walk_app: Flask) -> None:
    client = walk_app.test_client()
    _sign_in(client, "encadrant")
    learner_id = _samples(walk_app)["learner_id"]
    assert client.get(f"/staff/learners/{learner_id}/notes").status_code == 403
    assert client.post(f"/staff/learners/{learner_id}/notes", data={"body": "x"}).status_code == 403
    assert client.get(f"/staff/learners/{learner_id}").status_code == 403


def test_admin_pages_show_no_learner_name(walk_app: Flask) -> None:
    client = walk_app.test_client()
    _sign_in(client, "admin")
    for path in ("/admin/", "/admin/stats"):
        html = client.get(path).get_data(as_text=True)
        for name in ("Amina", "Bruno", "Chloé", "Diallo"):
            assert name not in html, (path, name)
