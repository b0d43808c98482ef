"""The CIP home with many learners: search, filters, French order, grouped "À suivre", "vu"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from companion.extensions import db
from companion.models import Assignment, Learner, Structure, utcnow
from companion.models.names import learner_key
from companion.services.demo import ATELIER
from companion.services.scale import add_learners
from tests.conftest import Auth, csrf_from, page
from tests.web.staff_helpers import learner_id, post_form, team_id

HOME = "/staff/learners"


def _names(html: str) -> list[str]:
    """The learners of the list, in the order shown."""
    body = html.split('id="listing-title"', 1)[1]
    return re.findall(r'<th scope="row"><a href="/staff/learners/\d+"><bdi>([^<]+)</bdi>', body)


def _add(app: Flask, *names: str, team: str | None = None) -> None:
    """Learners put in directly: the names are the point, not the form's rules."""
    with app.app_context():
        structure_id = db.session.scalar(select(Structure.id).where(Structure.name == ATELIER))
        assert structure_id is not None
        team_id_ = team_id(app, team) if team else None
        for n, name in enumerate(names):
            db.session.add(
                Learner(
                    structure_id=structure_id,
                    team_id=team_id_,
                    first_name=name,
                    pictogram="tulip",
                    pin_hash="x",
                    signin_token=f"home-test-{n}-{name}",
                )
            )
        db.session.commit()


def _grow_team(app: Flask, team: str, count: int) -> None:
    with app.app_context():
        structure_id = db.session.scalar(select(Structure.id).where(Structure.name == ATELIER))
        assert structure_id is not None
        add_learners(structure_id, count, events=0, team_ids=[team_id(app, team)])
        db.session.commit()


def _team_assignment_overdue(app: Flask) -> None:
    """The demo's Espaces verts assignment, due yesterday."""
    with app.app_context():
        db.session.execute(
            update(Assignment)
            .where(Assignment.team_id.is_not(None))
            .values(due_date=utcnow().date() - timedelta(days=2))
        )
        db.session.commit()


def test_names_in_french_order_accents_and_case_folded(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _add(app, "Zoé", "Awa", "Aïcha", "élodie", "Émile", "Ali")
    auth.staff("cip@atelier.example")
    names = _names(page(client.get(HOME)))
    assert names == ["Aïcha", "Ali", "Amina", "Awa", "Bruno", "Chloé", "élodie", "Émile", "Zoé"]


def test_search_finds_a_name_without_accents_or_case(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _add(app, "Aïcha", "Awa")
    auth.staff("cip@atelier.example")
    html = page(client.get(HOME, query_string={"q": "AICHA"}))
    assert _names(html) == ["Aïcha"]
    assert "1 salarié affiché sur 5" in html
    # The instant search matches the same folded text the server wrote in each row.
    assert 'data-name="aicha"' in html
    # Nothing found: said in words, not an empty table.
    html = page(client.get(HOME, query_string={"q": "Quentin"}))
    assert _names(html) == []
    assert "Aucun salarié ne correspond à ces critères." in html


def test_filters_team_module_status_assignment(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    green = team_id(app, "Espaces verts")
    assert _names(page(client.get(HOME, query_string={"team": green}))) == ["Amina", "Bruno"]
    assert _names(page(client.get(HOME, query_string={"team": "none"}))) == []
    done = page(client.get(HOME, query_string={"module": "mots-de-passe", "status": "completed"}))
    assert _names(done) == ["Chloé"]
    # One module chosen: its column only.
    assert done.count('data-module="') == 1
    nothing = page(client.get(HOME, query_string={"status": "not_started"}))
    assert _names(nothing) == ["Amina", "Bruno"]
    # Bruno's own assignment is past its due date; Amina's team one is not yet.
    late = page(client.get(HOME, query_string={"assignment": "overdue"}))
    assert _names(late) == ["Bruno"]
    assert "En retard" in late
    assigned = page(client.get(HOME, query_string={"assignment": "open"}))
    assert _names(assigned) == ["Amina", "Bruno"]
    assert _names(page(client.get(HOME, query_string={"assignment": "none"}))) == ["Chloé"]


def test_sort_by_last_activity_and_by_progress(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    with app.app_context():
        structure_id = db.session.scalar(select(Structure.id).where(Structure.name == ATELIER))
        assert structure_id is not None
        # Two learners with a few answers each, later than Chloé's three days ago.
        later = utcnow() + timedelta(days=95)
        add_learners(structure_id, 2, events=3, team_ids=[None], now=later)
        db.session.commit()
    by_activity = _names(page(client.get(HOME, query_string={"sort": "activity"})))
    assert by_activity[2] == "Chloé"  # after the two recent ones
    assert by_activity[-2:] == ["Amina", "Bruno"]  # never active: last, in name order
    by_progress = _names(page(client.get(HOME, query_string={"sort": "progress"})))
    assert by_progress[0] == "Chloé"  # a whole module done
    assert by_progress[-2:] == ["Amina", "Bruno"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"team": "99999999999999999999999"}, "Choisissez une équipe de la liste."),
        ({"team": "abc"}, "Choisissez une équipe de la liste."),
        ({"module": "../../etc"}, "Choisissez un module de la liste."),
        ({"status": "finished"}, "Choisissez un état de la liste."),
        ({"assignment": "late"}, "Choisissez dans la liste."),
        ({"sort": "first_name; drop table"}, "Choisissez un tri de la liste."),
        ({"q": "x" * 500}, "60 caractères au plus."),
    ],
)
def test_absurd_filters_are_a_clear_422(
    client: FlaskClient, auth: Auth, query: dict[str, str], message: str
) -> None:
    auth.staff("cip@atelier.example")
    response = client.get(HOME, query_string=query)
    assert response.status_code == 422
    html = page(response)
    assert message in html
    # The list still shows, unfiltered, under the message.
    assert _names(html) == ["Amina", "Bruno", "Chloé"]


def test_an_overdue_team_assignment_is_one_item_that_opens_to_its_people(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _grow_team(app, "Espaces verts", 21)  # 23 people in the team with Amina and Bruno
    _team_assignment_overdue(app)
    auth.staff("cip@atelier.example")
    html = page(client.get(HOME))
    follow = html.split('id="follow-title"', 1)[1].split('id="listing-title"', 1)[0]
    overdue = re.findall(r'<li class="follow-item follow-item--overdue"', follow)
    # One item for the team (Bruno's own assignment of the same module joins it: a person
    # shows once per situation), not 23 loose lines.
    assert len(overdue) == 1
    assert "23 personnes de l'équipe Espaces verts" in follow
    group = follow.split("23 personnes", 1)[1].split("</details>", 1)[0]
    assert group.count("<li>") == 23
    # With Bruno inactive and Chloé stuck and not confident: 4 items, where there were 27.
    assert len(re.findall(r'<li class="follow-item ', follow)) == 4


def _mark(client: FlaskClient, key: str) -> TestResponse:
    token = csrf_from(client.get(HOME).get_data(as_text=True))
    return client.post(f"{HOME}/follow/seen", data={"key": key, "csrf_token": token})


def _follow_keys(html: str) -> tuple[list[str], list[str]]:
    """(keys still to see, keys already seen)."""
    follow = html.split('id="follow-title"', 1)[1].split('id="listing-title"', 1)[0]
    to_see, _sep, seen = follow.partition('class="follow-seen"')
    return re.findall(r'data-key="([^"]+)"', to_see), re.findall(r'data-key="([^"]+)"', seen)


def test_mark_seen_stores_who_and_when_and_comes_back_when_it_changes(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    _team_assignment_overdue(app)
    auth.staff("cip@atelier.example")
    with app.app_context():
        team_assignment = db.session.scalar(select(Assignment).where(Assignment.team_id > 0))
        assert team_assignment is not None
        assert team_assignment.due_date is not None
        team_key = f"overdue:{team_assignment.id}:{team_assignment.due_date.isoformat()}"
    to_see, seen = _follow_keys(page(client.get(HOME)))
    assert team_key in to_see
    assert seen == []
    response = _mark(client, team_key)
    assert response.status_code == 302
    html = page(client.get(HOME))
    assert "Marqué comme vu" in html
    to_see, seen = _follow_keys(html)
    assert team_key in seen
    assert team_key not in to_see
    assert "Vu par cip@atelier.example le" in html
    from companion.models import FollowMark  # imported here: the other tests run without it

    with app.app_context():
        mark = db.session.scalar(select(FollowMark).where(FollowMark.key == team_key))
        assert mark is not None
        assert mark.seen_by is not None
        assert mark.seen_by.email == "cip@atelier.example"
        assert mark.seen_at is not None

    # Another CIP of the structure sees it as seen too; a new person in the team brings it back.
    _grow_team(app, "Espaces verts", 1)
    to_see, seen = _follow_keys(page(client.get(HOME)))
    assert team_key in to_see
    assert team_key not in seen


def test_mark_seen_of_an_unknown_or_forged_item(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    response = _mark(client, "overdue:999999:2020-01-01")
    assert response.status_code == 302
    assert "n'est plus à suivre" in page(client.get(HOME))
    assert _mark(client, "x" * 500).status_code == 400
    from companion.models import FollowMark

    with app.app_context():
        assert db.session.scalars(select(FollowMark)).all() == []


def test_another_structure_cannot_mark_an_item_seen(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    to_see, _seen = _follow_keys(page(client.get(HOME)))
    client.post("/staff/signout", data={"csrf_token": csrf_from(client.get(HOME).text)})
    auth.staff("cip@recyclerie.example")  # the Atelier's keys mean nothing in the Recyclerie
    assert _mark(client, to_see[0]).status_code == 302
    from companion.models import FollowMark

    with app.app_context():
        assert db.session.scalars(select(FollowMark)).all() == []
    auth.staff("encadrant@atelier.example")  # no view_progress: no marks either
    token = csrf_from(client.get("/staff/team").get_data(as_text=True))
    response = client.post(f"{HOME}/follow/seen", data={"key": to_see[0], "csrf_token": token})
    assert response.status_code == 403


def test_a_locked_pin_shows_in_follow_with_its_unlock_button(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    amina = learner_id(app, "Amina")
    with app.app_context():
        db.session.execute(
            update(Learner)
            .where(Learner.id == amina)
            .values(locked_until=utcnow() + timedelta(minutes=10), failed_pin_count=5)
        )
        db.session.commit()
    auth.staff("cip@atelier.example")
    html = page(client.get(HOME))
    assert f'data-key="locked:{amina}"' in html
    assert "Code bloqué après trop d'essais." in html
    assert f'action="/staff/learners/{amina}/unlock"' in html
    token = csrf_from(html)
    response = client.post(
        f"/staff/learners/{amina}/unlock", data={"csrf_token": token, "back": "home"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/learners#follow-title")
    html = page(client.get(HOME))
    assert f'data-key="locked:{amina}"' not in html
    assert "Le code est débloqué." in html


def test_demo_flag_gives_a_150_learner_structure_to_try_the_home(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--learners", "150"])
    assert result.exit_code == 0, result.output
    assert "147 learners added" in result.output
    again = runner.invoke(args=["demo", "--learners", "150"])
    assert "0 learners added" in again.output  # running it twice changes nothing
    auth.staff("cip@atelier.example")
    html = page(client.get(HOME))
    assert "150 salariés affichés sur 150" in html
    names = _names(html)
    assert names[0].startswith("Aïcha")  # French order, not byte order
    assert names.index("amina A.") < names.index("Ángel A.") < names.index("Awa B.")
    follow = html.split('id="follow-title"', 1)[1].split('id="listing-title"', 1)[0]
    # The Tri et vente assignment is overdue for its ~50 people: one item, not 50.
    assert re.search(r"\d\d personnes de l'équipe Tri et vente", follow)
    assert "Code bloqué après trop d'essais." in follow
    assert len(re.findall(r'<li class="follow-item ', follow)) < 12
    # Grown learners keep the rule of unique folded names: a CIP cannot add "Amina A"
    # beside the grown "amina A".
    with app.app_context():
        grown = db.session.execute(select(Learner.first_name, Learner.initial, Learner.name_key))
        assert all(key == learner_key(first, initial) for first, initial, key in grown)
    twin = {"first_name": "Amina", "initial": "a", "team_id": "0", "locale": "fr"}
    response = post_form(client, "/staff/learners/new", {**twin, "pictogram": "sunflower"})
    assert response.status_code == 422
    assert "est déjà inscrit" in page(response)
