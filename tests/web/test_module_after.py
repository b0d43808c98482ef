"""A finished module is not a dead end (issue 15, item 4): review it with the answers shown,
the summary card from the home, and "Refaire" for practice that keeps the first result."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.catalogue import Module
from companion.catalogue.steps.base import PracticeStep
from companion.catalogue.steps.choose import ChooseStep
from companion.extensions import db
from companion.models import Progress, StepStatus
from tests.conftest import AMINA_LINK, Auth, csrf_from, page
from tests.helpers import right_answer, step_url, submit, wrong_answer
from tests.web.staff_helpers import learner_id

MODULE = "gps-itineraire"


def the_module(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][MODULE]
    return module


def finish(client: FlaskClient, module: Module, wrong_first: bool = False) -> None:
    """Every step answered; with wrong_first, the first practice step gets its answer shown."""
    first_practice = next(s for s in module.steps if s.is_practice)
    for step in module.steps:
        if wrong_first and step is first_practice:
            for _ in range(step.max_tries):
                submit(client, step_url(module.id, step.id), wrong_answer(step))
        else:
            submit(client, step_url(module.id, step.id), right_answer(step))


def test_the_done_page_offers_review_summary_card_and_retry(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    finish(client, module)
    html = page(client.get(f"/learn/modules/{MODULE}/done"))
    assert "Revoir le module avec les réponses" in html
    assert f'href="/learn/modules/{MODULE}/review"' in html
    card = next(s for s in module.steps if s.card_template)
    assert f'href="/learn/modules/{MODULE}/cards/{card.id}"' in html
    assert f'action="/learn/modules/{MODULE}/retry"' in html
    assert "Retour à mes modules" in html


def test_the_review_shows_every_step_with_its_right_answer_and_no_form(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    assert client.get(f"/learn/modules/{MODULE}/review").status_code == 302  # not yet finished
    finish(client, module)
    html = page(client.get(f"/learn/modules/{MODULE}/review"))
    for step in module.steps:
        assert step.title in html
        if isinstance(step, PracticeStep):
            assert step.explanation in html
    chooses = [s for s in module.steps if isinstance(s, ChooseStep)]
    assert chooses
    for step in chooses:
        for option in step.options:
            if option.correct:
                assert f"✔ {option.text}" in html
    assert "submission_key" not in html  # read only: nothing to answer


def test_the_home_links_the_summary_card_of_a_finished_module(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    card = next(s for s in module.steps if s.card_template)
    link = f'href="/learn/modules/{MODULE}/cards/{card.id}"'
    assert link not in page(client.get("/learn/"))
    finish(client, module)
    assert link in page(client.get("/learn/"))


def test_redoing_keeps_the_first_result_and_the_cip_sees_both(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    finish(client, module, wrong_first=True)
    practice = sum(1 for s in module.steps if s.is_practice)
    with app.app_context():
        before = {
            r.step_id: (r.status, r.tries)
            for r in db.session.scalars(
                select(Progress).where(
                    Progress.learner_id == learner_id(app, "Amina"),
                    Progress.module_id == MODULE,
                )
            )
        }
    assert StepStatus.HELPED in {status for status, _ in before.values()}

    done = page(client.get(f"/learn/modules/{MODULE}/done"))
    start = client.post(f"/learn/modules/{MODULE}/retry", data={"csrf_token": csrf_from(done)})
    assert start.status_code == 302
    first = start.headers["Location"]
    assert first == f"/learn/modules/{MODULE}/retry/1/{module.steps[0].id}"
    assert "Votre premier résultat est gardé" in page(client.get(first))
    for step in module.steps:
        submit(client, f"/learn/modules/{MODULE}/retry/1/{step.id}", right_answer(step))

    with app.app_context():
        after = {
            r.step_id: (r.status, r.tries)
            for r in db.session.scalars(
                select(Progress).where(
                    Progress.learner_id == learner_id(app, "Amina"),
                    Progress.module_id == MODULE,
                )
            )
        }
    assert after == before  # the first result, untouched

    done = page(client.get(f"/learn/modules/{MODULE}/done"))
    assert f"Sans aide, vous avez réussi {practice - 1} exercices sur {practice}." in done
    assert (
        f"La dernière fois que vous l'avez refait : {practice} exercices réussis sans aide "
        f"sur {practice}." in done
    )

    auth.signout_learner()
    auth.staff("cip@atelier.example")
    html = page(client.get(f"/staff/learners/{learner_id(app, 'Amina')}"))
    assert f"{practice - 1} sur {practice}" in html  # the first score
    assert f"Refait (fois n° 1) : {practice} sur {practice}" in html


def test_a_round_of_retry_opens_its_steps_in_order(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    last = module.steps[-1]
    # Before the module is finished, there is nothing to redo.
    assert client.get(f"/learn/modules/{MODULE}/retry/1/{last.id}").status_code == 302
    finish(client, module)
    response = client.get(f"/learn/modules/{MODULE}/retry/1/{last.id}")
    assert response.headers["Location"] == f"/learn/modules/{MODULE}/retry/1/{module.steps[0].id}"
    assert client.get(f"/learn/modules/{MODULE}/retry/5/{last.id}").status_code == 404


def test_the_rounds_of_refaire_are_in_the_learners_data_and_go_with_erasure(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    from companion.models import Learner, RetryProgress
    from companion.services.privacy import erase_learner, learner_data

    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    finish(client, module)
    done = page(client.get(f"/learn/modules/{MODULE}/done"))
    client.post(f"/learn/modules/{MODULE}/retry", data={"csrf_token": csrf_from(done)})
    first = module.steps[0]
    submit(client, f"/learn/modules/{MODULE}/retry/1/{first.id}", right_answer(first))
    with app.test_request_context("/"):
        amina = db.session.get(Learner, learner_id(app, "Amina"))
        assert amina is not None
        retries = learner_data(amina)["retries"]
        assert [(r["module"], r["round"], r["step"]) for r in retries] == [(MODULE, 1, first.id)]
        erase_learner(amina, None, "test")
        left = db.session.scalars(
            select(RetryProgress).where(RetryProgress.learner_id == amina.id)
        ).all()
        assert left == []
