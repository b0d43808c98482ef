"""A learner signs in by personal link and follows the module through the server."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.catalogue import Module
from companion.catalogue.steps.summary import SummaryStep
from companion.extensions import db
from companion.models import Learner, Progress, ProgressEvent
from tests.conftest import AMINA_LINK, Auth, csrf_from, page
from tests.helpers import form_fields, right_answer, step_url, submit, wrong_answer

MODULE = "mots-de-passe"


def the_module(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][MODULE]
    return module


def test_unknown_link_gives_a_french_404(app: Flask, client: FlaskClient) -> None:
    response = client.get("/s/this-link-does-not-exist")
    assert response.status_code == 404
    assert "Page introuvable" in page(response)
    assert '<html lang="fr"' in page(response)


def test_wrong_pin_is_refused_kindly(app: Flask, client: FlaskClient, auth: Auth) -> None:
    response = auth.learner_link(AMINA_LINK, "0000")
    assert response.status_code == 422
    html = page(response)
    assert "Ce code n'est pas le bon." in html
    assert "2580" not in html
    assert client.get("/learn/").status_code == 302


def test_pin_must_be_four_digits(app: Flask, client: FlaskClient, auth: Auth) -> None:
    response = auth.learner_link(AMINA_LINK, "12ab")
    assert response.status_code == 422
    assert "Le code a 4 chiffres." in page(response)


def test_right_pin_opens_the_learner_home(app: Flask, client: FlaskClient, auth: Auth) -> None:
    response = auth.learner_link(AMINA_LINK, "2580")
    assert response.status_code == 302
    assert response.headers["Location"] == "/learn/"
    html = page(client.get("/learn/"))
    assert "Bonjour <bdi>Amina</bdi>" in html
    assert "Mots de passe" in html
    assert "Pas commencé" in html


def test_learner_completes_the_module_and_resumes(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    first_half = module.steps[: len(module.steps) // 2]
    for step in first_half:
        start = client.get(f"/learn/modules/{MODULE}/")
        assert start.headers["Location"] == step_url(MODULE, step.id)
        submit(client, step_url(MODULE, step.id), right_answer(step))
    # Signing out and in again resumes at the first unfinished step.
    auth.signout_learner()
    auth.learner_link(AMINA_LINK, "2580")
    resume = module.steps[len(first_half)]
    assert client.get(f"/learn/modules/{MODULE}/").headers["Location"] == step_url(
        MODULE, resume.id
    )
    for step in module.steps[len(first_half) :]:
        submit(client, step_url(MODULE, step.id), right_answer(step))
    done = client.get(f"/learn/modules/{MODULE}/")
    assert done.headers["Location"] == f"/learn/modules/{MODULE}/done"
    assert "Bravo, vous avez fini le module" in client.get(done.headers["Location"]).text
    assert "Terminé" in client.get("/learn/").text
    with app.app_context():
        rows = db.session.scalars(select(Progress).where(Progress.learner_id == _amina_id())).all()
        assert {r.step_id for r in rows} == set(module.step_ids)
        assert all(r.status is not None for r in rows)


def test_right_answer_explains_why(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    for step in module.steps:
        if step.is_practice:
            break
        submit(client, step_url(MODULE, step.id), right_answer(step))
    response = submit(client, step_url(MODULE, step.id), right_answer(step))
    html = page(response)
    assert "Bravo, c'est juste" in html
    assert "Étape suivante" in html


def test_the_answer_comes_back_at_the_feedback_with_the_way_on_inside(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Issue 15: the page opens on the feedback (#feedback), "Étape suivante" right under it;
    a step only seen posts to itself and goes on to the next one."""
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    seen = module.steps[0]
    assert not seen.is_practice
    first = page(client.get(step_url(MODULE, seen.id)))
    assert 'class="answer-form" action=' not in first
    for step in module.steps:
        if step.is_practice:
            break
        submit(client, step_url(MODULE, step.id), right_answer(step))
    url = step_url(MODULE, step.id)
    assert '<form method="post" class="answer-form" action="#feedback"' in page(client.get(url))
    wrong = page(submit(client, url, wrong_answer(step)))
    zone = wrong[wrong.index('<div class="feedback-zone" id="feedback" tabindex="-1">') :]
    assert "Un indice" in zone[: zone.index("Je vérifie")]  # the hint, then the button
    assert 'id="next-step"' not in wrong
    right = page(submit(client, url, right_answer(step)))
    zone = right[right.index('id="feedback"') :]
    zone = zone[: zone.index("</form>")]
    assert "Bravo, c'est juste" in zone
    assert 'id="next-step"' in zone
    assert right.count('id="next-step"') == 1


def test_three_wrong_tries_show_the_answer(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    for step in module.steps:
        if step.is_practice:
            break
        submit(client, step_url(MODULE, step.id), right_answer(step))
    url = step_url(MODULE, step.id)
    first = page(submit(client, url, wrong_answer(step)))
    assert "Un indice" in first
    assert "Essai 1 sur 3" in first
    assert "Étape suivante" not in first
    submit(client, url, wrong_answer(step))
    third = page(submit(client, url, wrong_answer(step)))
    assert "Voici la bonne réponse" in third
    assert "Étape suivante" in third
    with app.app_context():
        row = db.session.scalar(
            select(Progress).where(Progress.step_id == step.id, Progress.learner_id == _amina_id())
        )
        assert row is not None
        assert row.status == "helped"
        assert row.tries == 3


def test_a_double_submission_counts_once(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    step = next(s for s in module.steps if s.is_practice)
    for earlier in module.steps[: module.index(step.id)]:
        submit(client, step_url(MODULE, earlier.id), right_answer(earlier))
    url = step_url(MODULE, step.id)
    fields = {**form_fields(client.get(url).text), **wrong_answer(step)}
    client.post(url, data=fields)
    client.post(url, data=fields)  # the same form, tapped twice
    with app.app_context():
        row = db.session.scalar(
            select(Progress).where(Progress.step_id == step.id, Progress.learner_id == _amina_id())
        )
        assert row is not None
        assert row.tries == 1
        events = db.session.scalars(
            select(ProgressEvent).where(ProgressEvent.submission_key == fields["submission_key"])
        ).all()
        assert len(events) == 1


def test_empty_answer_is_asked_again(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    first = module.steps[0]
    response = submit(client, step_url(MODULE, first.id), {})
    assert response.status_code == 422
    assert "Choisissez ou tapez une réponse" in page(response)


def test_tampered_posts_get_400_and_change_nothing(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    first = module.steps[0]
    url = step_url(MODULE, first.id)
    fields = form_fields(client.get(url).text)
    assert client.post(url, data={**fields, "confidence": "maybe"}).status_code == 400
    later = next(s for s in module.steps if s.is_practice)
    later_url = step_url(MODULE, later.id)
    assert client.post(later_url, data={**fields, **right_answer(later)}).status_code == 400
    assert client.get(later_url).status_code == 302  # not reached yet: back to resume
    bad_key = {**fields, "submission_key": "x", "confidence": "yes"}
    assert client.post(url, data=bad_key).status_code == 400
    assert client.get(step_url(MODULE, "no-such-step")).status_code == 404
    assert client.get("/learn/modules/no-such-module/").status_code == 404
    with app.app_context():
        mine = select(Progress).where(Progress.learner_id == _amina_id())
        assert db.session.scalars(mine).all() == []


def test_learner_pages_are_not_kept_by_the_browser(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    assert client.get("/learn/").headers["Cache-Control"] == "no-store"


def test_sign_out_leaves_nothing_reachable(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    token = csrf_from(client.get("/learn/").text)
    response = client.post("/learn/signout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/learn/").status_code == 302
    url = f"/learn/modules/{MODULE}/"
    assert client.get(url).headers["Location"] == "/"


def test_staff_cannot_open_learner_pages(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    assert client.get("/learn/").status_code == 302


def _amina_id() -> int:
    learner_id = db.session.scalar(select(Learner.id).where(Learner.first_name == "Amina"))
    assert learner_id is not None
    return learner_id


def test_summary_card_is_printable(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    summary = next(s for s in module.steps if isinstance(s, SummaryStep))
    html = page(client.get(f"/learn/modules/{MODULE}/cards/{summary.id}"))
    assert "À retenir" in html
    for point in summary.points:
        assert point in html
    assert client.get(f"/learn/modules/{MODULE}/cards/{module.steps[0].id}").status_code == 404
