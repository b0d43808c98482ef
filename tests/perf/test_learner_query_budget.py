"""Query budget of the learner's hot pages (issue 18): a step is read with the learner and
their structure in one statement, then the module's progress rows; an answer adds its writes.
A page that starts loading a relationship lazily again fails here."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AMINA_LINK, Auth
from tests.perf.test_query_budget import counting

MODULE = "/learn/modules/mots-de-passe/"


def test_a_step_page_reads_the_learner_with_the_structure_then_the_progress(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = client.get(MODULE).headers["Location"]  # where she resumes
    client.get(step)  # the first visit may differ (assets cookie); measure the next one
    with counting(app) as seen:
        response = client.get(step)
    assert response.status_code == 200
    assert len(seen) == 2, seen
    assert "FROM learner" in seen[0], seen[0]
    assert "JOIN structure" in seen[0], seen[0]
    assert "FROM progress" in seen[1], seen[1]


def test_the_cip_home_reads_its_learners_and_their_progress_once(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """The list and "À suivre" share one read of the structure's learners and one aggregate
    of their progress (before: each read both again)."""
    auth.staff("cip@atelier.example")
    client.get("/staff/learners")
    with counting(app) as seen:
        response = client.get("/staff/learners")
    assert response.status_code == 200
    assert "À suivre" in response.get_data(as_text=True)
    aggregates = [s for s in seen if "FROM progress " in s and "GROUP BY" in s]
    learner_reads = [s for s in seen if "FROM learner" in s and "archived" in s]
    assert len(aggregates) == 1, aggregates
    assert len(learner_reads) == 1, learner_reads
