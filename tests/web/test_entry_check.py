"""The entry check "Par où commencer ?" through the server, JavaScript off: the first sign-in
offer and "Plus tard", a whole take, the recommended modules, a second take, and what the CIP
sees (learner file, export, assignment), never across structures."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.catalogue import Module
from companion.extensions import db
from companion.models import EntryCheckResult, EntryCheckSkip
from companion.services.exports import COLUMNS
from tests.conftest import AMINA_LINK, CHLOE_LINK, Auth, csrf_from, page
from tests.helpers import form_fields, right_answer, step_url, submit, wrong_answer
from tests.web.staff_helpers import learner_id, post_form

CHECK = "par-ou-commencer"
BRUNO_LINK = "/s/demo-bruno-8Hd2Zp4Wc6N"


def the_check(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][CHECK]
    return module


def _results(app: Flask, first_name: str) -> list[EntryCheckResult]:
    with app.app_context():
        who = learner_id(app, first_name)
        return list(
            db.session.scalars(
                select(EntryCheckResult)
                .where(EntryCheckResult.learner_id == who)
                .order_by(EntryCheckResult.round)
            )
        )


def _answer_all(
    client: FlaskClient, check: Module, url: Any, wrong: set[str], confidence: str
) -> None:
    """Every step of a take through the real forms: the steps in `wrong` answered wrong
    until the answer is shown, the self-assessments with `confidence`."""
    for step in check.steps:
        if step.confidence_moment:
            response = submit(client, url(step.id), {"confidence": confidence})
        elif step.id in wrong:
            for _ in range(step.max_tries):
                response = submit(client, url(step.id), wrong_answer(step))
        else:
            response = submit(client, url(step.id), right_answer(step))
        assert response.status_code in (200, 302), (step.id, response.status_code)


def test_first_sign_in_offers_the_check_and_plus_tard_is_remembered(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    home = page(client.get("/learn/"))
    assert 'id="entry-offer-title"' in home
    assert "Par où commencer ?" in home
    assert f'href="/learn/modules/{CHECK}/"' in home
    # The check is not one of the modules of the list: it has its own offer.
    assert home.count(f'href="/learn/modules/{CHECK}/"') == 1
    later = client.post("/learn/entry-check/later", data={"csrf_token": csrf_from(home)})
    assert later.status_code == 302
    assert later.headers["Location"] == "/learn/"
    with app.app_context():
        assert db.session.get(EntryCheckSkip, learner_id(app, "Amina")) is not None
    # Signed out and in again: not offered any more, still reachable from the home.
    auth.signout_learner()
    auth.learner_link(AMINA_LINK, "2580")
    home = page(client.get("/learn/"))
    assert 'id="entry-offer-title"' not in home
    assert 'href="/learn/entry-check"' in home
    check_page = page(client.get("/learn/entry-check"))
    assert f'href="/learn/modules/{CHECK}/"' in check_page
    assert "Plus tard" not in check_page


def test_a_take_gives_the_recommended_modules_in_order_then_a_second_take(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    check = the_check(app)
    auth.learner_link(AMINA_LINK, "2580")
    assert _results(app, "Amina") == []
    _answer_all(
        client,
        check,
        lambda step_id: step_url(CHECK, step_id),
        wrong={"scam-sms", "table-number"},
        confidence="yes",
    )
    [first] = _results(app, "Amina")
    assert first.round == 0
    assert first.levels == {
        "prendre-en-main-ecran": "at_ease",
        "dangers-internet": "to_learn",
        "mots-de-passe": "at_ease",
        "gps-itineraire": "at_ease",
        "tableur-stock": "to_learn",
        "emploi-en-ligne": "at_ease",
    }
    # The end of the check is the learner's advice, not the end page of a module.
    end = client.get(f"/learn/modules/{CHECK}/done")
    assert end.headers["Location"] == "/learn/entry-check"
    advice = page(client.get("/learn/entry-check"))
    assert "Vos modules conseillés" in advice
    # In the catalogue's order: the spreadsheet (order 40) before the dangers (order 50).
    assert advice.index("Suivre un stock avec un tableur") < advice.index("Les dangers d'internet")
    assert "Mots de passe" not in advice
    home = page(client.get("/learn/"))
    assert 'id="entry-advice-title"' in home
    assert 'id="entry-offer-title"' not in home

    # Taken again at the end of the path ("Refaire"): a second result, the first kept.
    retry = client.post(f"/learn/modules/{CHECK}/retry", data={"csrf_token": csrf_from(advice)})
    assert retry.headers["Location"] == f"/learn/modules/{CHECK}/retry/1/{check.steps[0].id}"
    _answer_all(
        client,
        check,
        lambda step_id: f"/learn/modules/{CHECK}/retry/1/{step_id}",
        wrong=set(),
        confidence="yes",
    )
    first_again, second = _results(app, "Amina")
    assert first_again.levels == first.levels
    assert second.round == 1
    assert set(second.levels.values()) == {"at_ease"}
    advice = page(client.get("/learn/entry-check"))
    assert "Vous savez déjà beaucoup de choses." in advice


def test_a_double_submission_of_the_last_answer_stores_one_result(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    check = the_check(app)
    auth.learner_link(AMINA_LINK, "2580")
    *first, last = check.steps
    for step in first:
        submit(client, step_url(CHECK, step.id), right_answer(step))
    url = step_url(CHECK, last.id)
    fields = form_fields(client.get(url).get_data(as_text=True))
    for _ in range(2):
        client.post(url, data={**fields, **right_answer(last)})
    assert len(_results(app, "Amina")) == 1


def test_the_demo_has_a_learner_before_one_with_a_result_and_chloe_before_after(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    assert _results(app, "Amina") == []
    [bruno] = _results(app, "Bruno")
    assert bruno.levels["prendre-en-main-ecran"] == "partial"
    assert bruno.levels["dangers-internet"] == "to_learn"
    before, after = _results(app, "Chloé")
    assert before.levels["tableur-stock"] == "to_learn"
    assert after.levels["tableur-stock"] == "partial"
    auth.learner_link(BRUNO_LINK, "1357")
    home = page(client.get("/learn/"))
    advice = home[home.index('id="entry-advice-title"') :]
    advice = advice[: advice.index("</section>")]
    links = re.findall(r'href="/learn/modules/([a-z-]+)/"', advice)
    # Not at ease with a mouse: the screen basics first where the catalogue has them; then
    # the module to learn, then the one known in part.
    screen = (
        ["prendre-en-main-ecran"]
        if "prendre-en-main-ecran" in app.extensions["companion.catalogue"]
        else []
    )
    assert links == [*screen, "dangers-internet", "tableur-stock"]


def test_cip_file_shows_the_starting_level_and_the_before_after(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    bruno = page(client.get(f"/staff/learners/{learner_id(app, 'Bruno')}"))
    assert "Par où commencer ? Niveau mesuré" in bruno
    assert "Au départ" in bruno
    assert "À la fin<br>" not in bruno
    assert "Niveau mesuré à la fin" not in bruno
    assert (
        '<tr data-area="dangers-internet"><th scope="row">Les dangers d\'internet</th>'
        "<td>À apprendre</td></tr>"
    ) in bruno
    chloe = page(client.get(f"/staff/learners/{learner_id(app, 'Chloé')}"))
    assert "À la fin<br>" in chloe
    assert (
        '<tr data-area="tableur-stock"><th scope="row">Suivre un stock avec un tableur</th>'
        "<td>À apprendre</td><td>En partie</td></tr>"
    ) in chloe
    # Beside the confidence before and after of the module.
    assert "Niveau mesuré au départ" in chloe
    assert "Niveau mesuré à la fin" in chloe
    amina = page(client.get(f"/staff/learners/{learner_id(app, 'Amina')}"))
    assert "Pas encore fait. Vous pouvez l'attribuer comme un module." in amina


def test_another_structures_cip_sees_no_file_and_no_levels(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@recyclerie.example")
    assert client.get(f"/staff/learners/{learner_id(app, 'Chloé')}").status_code == 404
    rows = list(
        csv.reader(
            io.StringIO(client.get("/staff/export.csv").data.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert {r[COLUMNS.index("prenom")] for r in rows[1:]} == {"Diallo"}
    assert {r[COLUMNS.index("niveau_depart")] for r in rows[1:]} == {""}


def test_the_export_gives_the_level_per_area_and_its_date(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    body = client.get("/staff/export.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    header = rows[0]
    assert header[-4:] == ["niveau_depart", "date_niveau_depart", "niveau_fin", "date_niveau_fin"]
    assert header[: COLUMNS.index("clea") + 1][-1] == "clea"  # the old columns keep their place
    by = {(r[header.index("prenom")], r[header.index("module_id")]): r for r in rows[1:]}
    assert CHECK not in {module for _name, module in by}  # levels are columns, not a row
    chloe = by[("Chloé", "tableur-stock")]
    assert chloe[header.index("niveau_depart")] == "à apprendre"
    assert chloe[header.index("niveau_fin")] == "en partie"
    assert chloe[header.index("date_niveau_depart")] < chloe[header.index("date_niveau_fin")]
    bruno = by[("Bruno", "dangers-internet")]
    assert bruno[header.index("niveau_depart")] == "à apprendre"
    assert bruno[header.index("date_niveau_depart")]
    assert bruno[header.index("niveau_fin")] == ""
    assert by[("Amina", "dangers-internet")][header.index("niveau_depart")] == ""


def test_the_cip_assigns_the_check_like_a_module(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    form = page(client.get("/staff/assignments"))
    assert f'value="{CHECK}"' in form
    response = post_form(
        client,
        "/staff/assignments",
        {"module_id": CHECK, "target": f"learner:{learner_id(app, 'Chloé')}"},
    )
    assert response.status_code == 302
    client.post(
        "/staff/signout", data={"csrf_token": csrf_from(page(client.get("/staff/learners")))}
    )
    auth.learner_link(CHLOE_LINK, "3690")
    home = page(client.get("/learn/"))
    assert "module-card--assigned" in home
    card = home[home.index('class="module-list entry-card"') :]
    assert "Demandé par" in card
    assert 'href="/learn/entry-check"' in card


def test_the_check_is_no_module_in_the_attestation_the_list_or_the_statistics(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("cip@atelier.example")
    chloe = learner_id(app, "Chloé")
    assert "Par où commencer" not in page(client.get(f"/staff/learners/{chloe}/attestation"))
    assert f'data-module="{CHECK}"' not in page(client.get(f"/staff/learners/{chloe}"))
    assert "Par où commencer" not in page(client.get("/staff/learners"))
    auth.staff("direction@atelier.example")
    assert "Par où commencer" not in page(client.get("/staff/structure/stats"))


def test_the_levels_are_in_the_learners_data_and_erasure_keeps_only_the_month(
    app: Flask,
) -> None:
    from companion.models import Learner
    from companion.services.privacy import erase_learner, learner_data

    chloe_id = learner_id(app, "Chloé")
    with app.test_request_context():
        chloe = db.session.get(Learner, chloe_id)
        assert chloe is not None
        data = learner_data(chloe)
        assert [r["round"] for r in data["entry_check"]] == [0, 1]
        assert data["entry_check"][0]["levels"]["tableur-stock"] == "to_learn"
        erase_learner(chloe, None, "test")
        [before, after] = db.session.scalars(
            select(EntryCheckResult)
            .where(EntryCheckResult.learner_id == chloe_id)
            .order_by(EntryCheckResult.round)
        )
    assert before.levels["tableur-stock"] == "to_learn"
    assert (before.taken_at.day, before.taken_at.hour) == (1, 0)
    assert (after.taken_at.day, after.taken_at.hour) == (1, 0)


def test_the_check_is_kept_for_offline_use_like_a_module(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    files = client.get(f"/learn/modules/{CHECK}/offline.json").get_json()
    assert files["pages"] == [step_url(CHECK, s.id) for s in the_check(app).steps]
    assert any(a.startswith("/static/js/steps/map.js") for a in files["assets"])


def test_the_answers_have_pictures_beside_their_words(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    for step in the_check(app).steps[:3]:
        submit(client, step_url(CHECK, step.id), right_answer(step))
    html = page(client.get(step_url(CHECK, "scam-sms")))
    for option in ("pay", "delete", "reply"):
        label = html[html.index(f'value="{option}"') :]
        label = label[: label.index("</label>")]
        assert '<svg class="pictogram"' in label, option  # drawn inline, beside the words
    assert "Je paie 1,99 €." in html


def test_the_check_says_quitter_les_questions_not_quitter_le_module(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    first = the_check(app).steps[0]
    html = page(client.get(step_url(CHECK, first.id)))
    assert "Quitter les questions" in html
    assert "Quitter le module" not in html
    passwords = app.extensions["companion.catalogue"]["mots-de-passe"]
    module_step = page(client.get(step_url("mots-de-passe", passwords.steps[0].id)))
    assert "Quitter le module" in module_step
    assert "Quitter les questions" not in module_step
