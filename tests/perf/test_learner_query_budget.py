"""Query budget of the learner's hot pages (issue 18): a step is read with the learner and
their structure in one statement, then the module's progress rows; an answer adds its writes.
A page that starts loading a relationship lazily again fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Table, event, inspect, select, text

from companion import catalogue
from companion.catalogue.steps import Outcome
from companion.extensions import db
from companion.models import Learner, Progress
from companion.services import progress
from tests.conftest import AMINA_LINK, Auth
from tests.perf.test_query_budget import counting
from tests.web.test_kiosk import open_kiosk

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


@contextmanager
def progress_objects_built() -> Iterator[list[Progress]]:
    """Each `Progress` object the ORM builds from a row while the block runs."""
    built: list[Progress] = []

    def _loaded(target: Progress, _context: object) -> None:
        built.append(target)

    event.listen(Progress, "load", _loaded)
    try:
        yield built
    finally:
        event.remove(Progress, "load", _loaded)


def test_pages_that_only_show_progress_read_it_as_plain_rows(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """The step's page, the module's start and the learner's home read the progress rows as
    tuples (progress.module_states): no ORM object is built for each of them (23 rows of a
    module: 0.34 → 0.10 ms on SQLite), and what they show is the same."""
    with app.test_request_context():
        module = catalogue.get_module("mots-de-passe")
        assert module is not None
        amina = db.session.scalars(select(Learner).where(Learner.first_name == "Amina")).one()
        for n, done in enumerate(module.steps[:2]):  # she did the module's first two steps
            outcome = Outcome(correct=True if done.is_practice else None)
            progress.record_answer(amina, module, done, outcome, f"plain-rows-{n:02d}" * 2, 30)
        first = MODULE + "steps/" + module.steps[0].id
        title = module.meta.title
    auth.learner_link(AMINA_LINK, "2580")
    step = client.get(MODULE).headers["Location"]  # where she resumes: the third step
    assert step.endswith("/" + module.steps[2].id)
    with progress_objects_built() as built:
        home = client.get("/learn/").get_data(as_text=True)
        resumed = client.get(MODULE)
        done_step = client.get(first)
        page = client.get(step)
    assert built == []
    assert resumed.headers["Location"] == step
    assert done_step.status_code == 200
    assert 'data-done="1"' in done_step.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-done="0"' in page.get_data(as_text=True)
    assert title in home
    with progress_objects_built() as built:  # an answer writes its row: an ORM object
        data, _html = _form(client, step)
        client.post(step, data=data)
    assert built


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


def test_the_kiosk_home_reads_the_kiosk_then_its_tiles(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """The kiosk with its structure and the e-mail of who opened it in one statement, then
    the tiles' four columns (before: the opener was loaded lazily by the footer)."""
    open_kiosk(client, auth)
    client.get("/kiosk/")
    with counting(app) as seen:
        response = client.get("/kiosk/")
    assert response.status_code == 200
    assert "ouverte par cip@atelier.example" in response.get_data(as_text=True)
    assert len(seen) == 2, seen
    assert "FROM kiosk" in seen[0], seen[0]
    assert "FROM learner" in seen[1], seen[1]


def _form(client: FlaskClient, path: str) -> tuple[dict[str, str], str]:
    """The step's page and its form's hidden fields, with the first value of a confidence
    question or of a choice when the step has one."""
    html = client.get(path).get_data(as_text=True)
    data = dict(re.findall(r'name="(csrf_token|submission_key|shown_at)" value="([^"]*)"', html))
    for field in ("confidence", "choice"):
        match = re.search(rf'name="{field}" value="([^"]+)"', html)
        if match:
            data[field] = match.group(1)
    return data, html


def test_an_answer_writes_without_reading_again(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """An answer reads the learner, the module's rows and whether its key was seen, then
    writes; the step's row is not read a second time, and nothing is read back after the
    commit to show the page (before: 3 more statements)."""
    auth.learner_link(AMINA_LINK, "2580")
    path = client.get(MODULE).headers["Location"]
    data, html = _form(client, path)
    assert "confidence" in data, path  # she resumes at the first question
    with counting(app) as seen:
        response = client.post(path, data=data)
    assert response.status_code == 302  # a step seen: on to the next one
    _writes_then_nothing(seen)

    for _ in range(10):  # on to the first practice step, answering the steps before it
        path = response.headers["Location"]
        data, html = _form(client, path)
        if "choice" in data:
            break
        response = client.post(path, data=data)
        assert response.status_code == 302, path
    choices = re.findall(r'name="choice" value="([^"]+)"', html)
    for choice in choices:  # a wrong answer shows the page again, with its feedback
        data, html = _form(client, path)
        data["choice"] = choice
        with counting(app) as seen:
            response = client.post(path, data=data)
        if response.status_code == 200:
            break
    assert response.status_code == 200, choices
    assert 'class="choice__feedback"' in response.get_data(as_text=True)
    _writes_then_nothing(seen)


def _writes_then_nothing(seen: list[str]) -> None:
    reads = [s for s in seen if s.lstrip().startswith("SELECT")]
    writes = [i for i, s in enumerate(seen) if s.lstrip().startswith(("INSERT", "UPDATE"))]
    assert writes, seen
    assert len(reads) == 3, reads  # the learner, the module's rows, the submission key
    assert "FROM learner" in reads[0], reads
    assert "FROM progress " in reads[1], reads
    assert "progress_event.submission_key" in reads[2], reads
    assert all(not s.lstrip().startswith("SELECT") for s in seen[writes[0] :]), seen


def test_the_cip_homes_aggregate_is_answered_from_the_index_alone(app: Flask, ctx: None) -> None:
    """The aggregate of the CIP home (steps done, last activity) reads ix_progress_overview
    and not the rows: 80 → 36 ms for 300 learners on SQLite (docs/performance.md)."""
    ids = list(db.session.scalars(select(Learner.id)))
    modules = list(catalogue.modules().values())
    statement = progress.overview_statement(ids, modules)
    table = Progress.__table__
    assert isinstance(table, Table)
    index = next(i for i in table.indexes if i.name == "ix_progress_overview")
    # Every column the aggregate reads is in the index, the learner first.
    assert [c.name for c in index.columns] == [
        "learner_id",
        "module_id",
        "step_id",
        "status",
        "updated_at",
    ]
    names = {i["name"] for i in inspect(db.engine).get_indexes("progress")}
    assert "ix_progress_overview" in names  # made by the migration, as the model says
    if db.engine.dialect.name == "sqlite":  # PostgreSQL's planner picks by table size
        sql = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(
            str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        )
        assert "COVERING INDEX ix_progress_overview" in plan, plan
