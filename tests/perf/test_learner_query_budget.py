"""Query budget of the learner's hot pages (issue 18): a step is read with the learner and
their structure in one statement, then the module's progress rows; an answer adds its writes.
A page that starts loading a relationship lazily again fails here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from companion.extensions import db
from tests.conftest import AMINA_LINK, Auth

MODULE = "/learn/modules/mots-de-passe/"


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(*args: object) -> None:
        seen.append(str(args[2]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def test_a_step_page_reads_the_learner_with_the_structure_then_the_progress(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = client.get(MODULE).headers["Location"]  # where she resumes
    client.get(step)  # the first visit may differ (assets cookie); measure the next one
    with statements(app) as seen:
        response = client.get(step)
    assert response.status_code == 200
    assert len(seen) == 2, seen
    assert "FROM learner" in seen[0], seen[0]
    assert "JOIN structure" in seen[0], seen[0]
    assert "FROM progress" in seen[1], seen[1]
