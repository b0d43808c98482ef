"""The job search and map modules through the server, as a learner without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from companion.catalogue import Module
from companion.catalogue.steps import PracticeStep, StepBase
from tests.conftest import AMINA_LINK, Auth, page
from tests.helpers import form_fields, right_answer, step_url, submit, wrong_answer
from tests.steps.job_board import fitting_offers, used_filters

JOBS = "emploi-en-ligne"
MAPS = "gps-itineraire"


def module_of(app: Flask, module_id: str) -> Module:
    module: Module = app.extensions["companion.catalogue"][module_id]
    return module


def reach(client: FlaskClient, module: Module, step_id: str) -> StepBase:
    """Answer every step before step_id right, so that step can be opened."""
    for step in module.steps:
        if step.id == step_id:
            return step
        response = submit(client, step_url(module.id, step.id), right_answer(step))
        assert response.status_code in (200, 302), (step.id, response.status_code)
    raise AssertionError(f"no step {step_id}")


@pytest.mark.parametrize("module_id", [JOBS, MAPS])
def test_learner_completes_the_module_without_javascript(
    app: Flask, client: FlaskClient, auth: Auth, module_id: str
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, module_id)
    assert len(module.steps) >= 12
    assert sum(s.is_practice for s in module.steps) >= 6
    for step in module.steps:
        response = submit(client, step_url(module_id, step.id), right_answer(step))
        if step.is_practice:
            assert "Bravo, c'est juste !" in page(response), step.id
    done = client.get(f"/learn/modules/{module_id}/")
    assert done.headers["Location"] == f"/learn/modules/{module_id}/done"


@pytest.mark.parametrize("module_id", [JOBS, MAPS])
def test_every_practice_step_can_be_wrong_with_kind_feedback(
    app: Flask, client: FlaskClient, auth: Auth, module_id: str
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, module_id)
    for step in module.steps:
        url = step_url(module_id, step.id)
        if step.type_name in ("job_board", "map"):
            assert isinstance(step, PracticeStep)
            wrong = page(submit(client, url, wrong_answer(step)))
            assert "Pas tout à fait." in wrong, step.id
            assert step.hint in wrong, step.id
        submit(client, url, right_answer(step))


def test_job_board_is_labelled_and_filters_work_as_a_get_form(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, JOBS), "search-green")
    url = step_url(JOBS, step.id)
    everything = page(client.get(url))
    assert "ce site d'emploi est une simulation" in everything
    assert "40 offres trouvées" in everything
    query = urlencode(
        {"q": "espaces verts", "ville": "Toulouse", "distance": 30, "contrat": "CDDI"}
    )
    found = page(client.get(f"{url}?{query}"))
    assert "1 offre trouvée" in found
    assert "Atelier Jardins de la Save" in found
    assert "Recyclerie du Canal" not in found
    # The chosen filters stay chosen in the form.
    assert '<option value="Toulouse" selected>' in found
    assert 'value="espaces verts"' in found


@pytest.mark.parametrize(
    "args",
    [
        {"q": "astronaute"},
        {"ville": "Toulouse", "contrat": "CDDI", "q": "cuisinier"},
        {"ville": "Atlantis", "distance": "-5", "contrat": "stage"},
        {"q": "x" * 5000, "distance": "abc"},
        {"q": "<script>alert(1)</script>"},
        {"distance": "50"},
        {"q": "é è à ç œ", "ville": ""},
    ],
)
def test_any_filter_gives_results_or_no_result(
    app: Flask, client: FlaskClient, auth: Auth, args: dict[str, str]
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, JOBS), "search-green")
    response = client.get(f"{step_url(JOBS, step.id)}?{urlencode(args)}")
    assert response.status_code == 200
    html = page(response)
    assert ("offre trouvée" in html or "offres trouvées" in html) or "Aucun résultat" in html
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_the_map_is_a_phone_maps_app_without_javascript(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """A search bar on top, the map with its labels drawn by the server, and for a trip an
    "Itinéraire" button, then a tab for each way to go: links, so no script is needed."""
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, MAPS)
    find = reach(client, module, "find-worksite")
    html = page(client.get(step_url(MAPS, find.id)))
    # (the map's drawing: icons are inline <svg> too since issue 18)
    assert html.index('role="search"') < html.index('<svg class="map__svg"')
    assert html.count('class="map__label map__label--street"') == 6
    assert html.count('class="map__label map__label--here"') == 1
    assert "map__street-name" not in html  # the old 11-unit names
    route = reach(client, module, "choose-route")
    url = step_url(MAPS, route.id)
    html = page(client.get(url))
    # The search bar shows where the trip goes; no route is drawn before "Itinéraire".
    assert "Chantier : parc des Tilleuls" in html[: html.index('<svg class="map__svg"')]
    assert '<a class="button button--main map-app__trip" href="?trajet=walk#map-app">' in html
    assert "Itinéraire" in html
    assert 'class="map__route' not in html
    trip = page(client.get(f"{url}?trajet=bus"))
    assert 'class="map__route map__route--bus map__route--shown"' in trip
    assert 'class="map__route map__route--walk"' in trip
    assert trip.count('class="map__stop"') == 4  # the bus stops, by bus only
    assert re.search(r'href="\?trajet=bus#map-app" aria-current="true">.*?En bus', trip, re.S)
    assert re.search(r'href="\?trajet=walk#map-app">.*?À pied.*?35 minutes', trip, re.S)
    # The answer is still given in the form, whichever tab is shown.
    html = page(submit(client, f"{url}?trajet=bus", right_answer(route)))
    assert "Bravo, c'est juste !" in html


def test_the_search_needs_the_filters_it_teaches(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Without filters the fitting offer is not in the list, and picking it without the
    filters does not pass: the learner is told which filter to set."""
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, JOBS), "search-green")
    url = step_url(JOBS, step.id)
    fitting = set(fitting_offers(step))
    everything = page(client.get(url))
    assert "40 offres trouvées" in everything
    assert "Voici les 10 premières. Ajoutez des filtres pour trouver la bonne offre." in everything
    shown = set(re.findall(r'name="offer" value="([^"]+)"', everything))
    assert len(shown) == 10
    assert not shown & fitting
    # The right offer, picked with only the keyword: told what is still to set.
    keyword_only = {"q": "espaces verts", "ville": "", "distance": "", "contrat": ""}
    searched = f"{url}?{urlencode(keyword_only)}"  # the answer form posts to the search
    html = page(submit(client, searched, {"offer": "jardinier-colomiers", **keyword_only}))
    assert "Pas tout à fait." in html
    assert "Cette offre convient. Retrouvez-la avec les filtres." in html
    assert "Choisissez la ville : Toulouse." in html
    assert "Choisissez la distance : moins de 30 km." in html
    assert "Choisissez le contrat : CDDI." in html
    assert "Tapez le métier" not in html
    # With the filters of the question it is the answer.
    html = page(submit(client, url, {"offer": "jardinier-colomiers", **used_filters(step)}))
    assert "Bravo, c'est juste !" in html


def test_a_wrong_offer_says_what_does_not_fit(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, JOBS), "search-green")
    html = page(submit(client, step_url(JOBS, step.id), {"offer": "tri-montauban"}))
    assert "Pas tout à fait." in html
    assert "Montauban est trop loin de Toulouse." in html
    html = page(submit(client, step_url(JOBS, step.id), {"offer": "menage-toulouse"}))
    assert "Cette offre est en CDI. Cherchez un CDDI." in html


def test_a_fake_offer_shows_its_warning_signs_once_answered(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, JOBS), "spot-fake")
    url = step_url(JOBS, step.id)
    assert "Les signes d'une fausse offre" not in page(client.get(url))
    html = page(submit(client, url, {"offer": "faux-colis"}))
    assert "Bravo, c'est juste !" in html
    assert "Les signes d'une fausse offre" in html
    assert "On demande votre RIB et votre pièce d'identité avant de vous rencontrer." in html


def test_tampered_job_board_answers_get_400(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = module_of(app, JOBS)
    step = reach(client, module, "choose-for-karim")
    url = step_url(JOBS, step.id)
    fields = form_fields(client.get(url).text)
    assert client.post(url, data={**fields, "offer": "no-such-offer"}).status_code == 400
    # An offer of the board that is not among those shown is not an answer either.
    assert client.post(url, data={**fields, "offer": "tri-toulouse"}).status_code == 400
    assert client.post(url, data={**fields, "offer": ["commis-toulouse", "x"]}).status_code == 400
    assert client.post(url, data=fields).status_code == 422


def test_map_address_search_without_javascript(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, MAPS), "find-worksite")
    url = step_url(MAPS, step.id)
    first = page(client.get(url))
    assert "cette carte est une simulation" in first
    assert '<svg class="map__svg"' in first
    assert "Vous êtes ici" in first
    exact = page(client.get(url + "?" + urlencode({"adresse": "8 ALLEE DES TILLEULS 31999"})))
    assert "1 lieu trouvé" in exact
    assert "Chantier : parc des Tilleuls" in exact
    assert "31999 VALBRUNE" in exact
    wrong_number = page(client.get(url + "?" + urlencode({"adresse": "99 rue des lilas"})))
    assert "Ce numéro n'existe pas dans cette rue." in wrong_number
    for nonsense in ("zzz", "", "   ", "🙂" * 300, "8"):
        html = page(client.get(url + "?" + urlencode({"adresse": nonsense})))
        assert "Aucun résultat" in html, nonsense
    # The search stays in the address the answer form posts to, and the answer is checked.
    query = "?" + urlencode({"adresse": "8 allée des Tilleuls"})
    response = submit(client, url + query, {"place": "chantier-tilleuls"})
    assert "Bravo, c'est juste !" in page(response)


@pytest.mark.parametrize(
    ("typed", "right"),
    [("7h25", True), ("07:25", True), ("7 h 15", True), ("7h30", False), ("6h", False)],
)
def test_when_to_leave_reads_times_as_people_write_them(
    app: Flask, client: FlaskClient, auth: Auth, typed: str, right: bool
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, MAPS), "when-to-leave")
    html = page(submit(client, step_url(MAPS, step.id), {"time": typed}))
    assert ("Bravo, c'est juste !" in html) is right
    if typed == "7h30":
        assert "En partant à 7 h 30, vous arrivez en retard." in html


def test_a_time_that_is_not_a_time_is_explained(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, MAPS), "when-to-leave")
    html = page(submit(client, step_url(MAPS, step.id), {"time": "demain matin"}))
    assert "Écrivez une heure. Par exemple : 7 h 10." in html


def test_route_feedback_gives_the_arrival_time(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, MAPS), "choose-route")
    url = step_url(MAPS, step.id)
    html = page(submit(client, url, {"route": "walk"}))
    assert "Vous arrivez à 8 h 05. C'est trop tard." in html
    html = page(submit(client, url, {"route": "bus"}))
    assert "Vous arrivez à 7 h 50. Vous êtes à l'heure." in html
    fields = form_fields(client.get(url).text)
    assert client.post(url, data={**fields, "route": "car"}).status_code == 400


def test_share_needs_the_right_duration_and_person(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    step = reach(client, module_of(app, MAPS), "share-position")
    url = step_url(MAPS, step.id)
    html = page(submit(client, url, {"duration": "always", "person": "supervisor"}))
    assert "Regardez aussi la durée du partage." in html
    html = page(submit(client, url, {"duration": "1h", "person": "public-group"}))
    assert "Des inconnus verraient où vous êtes." in html
    assert "Bravo" in page(submit(client, url, {"duration": "1h", "person": "supervisor"}))
