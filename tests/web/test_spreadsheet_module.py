"""The stock module through the server: the grid as a plain form, checked and explained."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from companion.catalogue import Module
from companion.catalogue.steps.spreadsheet import SpreadsheetStep
from companion.extensions import db
from companion.models import Progress
from tests.conftest import AMINA_LINK, Auth, page
from tests.helpers import form_fields, right_answer, step_url, submit
from tests.steps.spreadsheet import sorted_order

MODULE = "tableur-stock"


def the_module(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][MODULE]
    return module


def sheet_step(app: Flask, step_id: str) -> SpreadsheetStep:
    step = the_module(app).step(step_id)
    assert isinstance(step, SpreadsheetStep)
    return step


def open_step(app: Flask, client: FlaskClient, auth: Auth, step_id: str) -> str:
    """Sign Amina in and answer every step before step_id; return its URL."""
    auth.learner_link(AMINA_LINK, "2580")
    for step in the_module(app).steps:
        if step.id == step_id:
            return step_url(MODULE, step.id)
        submit(client, step_url(MODULE, step.id), right_answer(step))
    raise AssertionError(f"no step {step_id}")


def post(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    html = client.get(url).get_data(as_text=True)
    return client.post(url, data={**form_fields(html), **data})


def rows_recorded(app: Flask, step_id: str) -> int:
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Progress).where(Progress.step_id == step_id)
        )
    return int(count or 0)


def test_module_follows_the_content_rules(app: Flask) -> None:
    module = the_module(app)
    types = [s.type_name for s in module.steps]
    assert len(module.steps) >= 12
    assert sum(s.is_practice for s in module.steps) >= 6
    assert types[0] == "confidence"
    assert types[-2:] == ["summary", "confidence"]
    assert types.count("spreadsheet") >= 5
    assert module.meta.order == 40


def test_content_check_has_no_warning_for_the_module(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "tableur-stock" not in result.output


def test_learner_completes_the_module_through_the_server(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    for step in module.steps:
        response = submit(client, step_url(MODULE, step.id), right_answer(step))
        assert response.status_code in (200, 302), (step.id, response.status_code)
        if step.is_practice:
            assert "Bravo, c'est juste !" in page(response), step.id
    done = client.get(f"/learn/modules/{MODULE}/")
    assert done.headers["Location"] == f"/learn/modules/{MODULE}/done"


def test_grid_is_a_plain_form_with_labelled_cells(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    url = open_step(app, client, auth, "stock-left")
    html = page(client.get(url))
    assert 'name="cell-D2"' in html
    assert 'aria-label="Case D2 : Stock restant, Râteaux"' in html
    assert 'name="action" value="recalc"' in html  # "Calculer" without JavaScript
    assert "Ceci est un exercice." in html
    # Column names whole, never hyphenated ("En-trées", issue 15).
    assert re.search(r"<th[^>]*>\s*Stock minimum\s*</th>", html)
    assert "\u00ad" not in html
    # The formula bar lists every cell to fill, whole, without JavaScript.
    for name in ("D2", "D3", "D4"):
        assert f'data-bar-cell="{name}"' in html
    assert "js/steps/spreadsheet.js" in html


def test_calculer_shows_results_without_recording(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    url = open_step(app, client, auth, "stock-left")
    response = post(
        client,
        url,
        {"action": "recalc", "cell-D2": "=B2-C2", "cell-D3": "=SOMM(B3)", "cell-D4": ""},
    )
    html = page(response)
    assert response.status_code == 200
    assert re.search(r'id="result-D2"[^>]*>8</output>', html)
    assert "Case D3 : #NOM?. Le tableur ne connaît pas le nom « SOMM »." in html
    assert 'value="=B2-C2"' in html  # what was typed stays in the cell
    assert rows_recorded(app, "stock-left") == 0


def test_right_formulas_pass(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "stock-left")
    response = post(
        client, url, {"cell-D2": "=b2-c2", "cell-D3": "= B3 − C3", "cell-D4": "=SUM(B4)-C4"}
    )
    assert "Bravo, c'est juste !" in page(response)


ERRORS = [
    ("=SOMM(B2)", "Case D2 : #NOM?. Le tableur ne connaît pas le nom « SOMM »."),
    ("=D2", "Case D2 : Err:522. Référence circulaire : la case D2 utilise son propre"),
    ("=B2/0", "Case D2 : #DIV/0!. La formule divise par zéro."),
    ("=B100-C2", "Case D2 : #REF!. La case B100 n'existe pas dans ce tableau."),
    ("=A2-C2", "Case D2 : #VALEUR!. La case A2 contient du texte : « Râteaux »."),
    ("=(B2-C2", "Case D2 : #ERREUR!. Il manque une parenthèse fermante « ) »."),
    ("=SI(B2)", "Case D2 : #ERREUR!. La fonction SI attend 2 ou 3 valeurs."),
]


def test_errors_are_named_and_explained(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "stock-left")
    for typed, expected in ERRORS:
        data = {"cell-D2": typed, "cell-D3": "=B3-C3", "cell-D4": "=B4-C4"}
        html = page(post(client, url, {"action": "recalc", **data}))
        assert expected in html, typed
        assert "<li>Case D3" not in html  # right cells are not blamed
    checked = page(post(client, url, {"cell-D2": "=SOMM(B2)", "cell-D3": "=B3-C3", "cell-D4": "1"}))
    assert "Pas tout à fait." in checked
    assert "<li>Case D2 : #NOM?. Le tableur ne connaît pas le nom « SOMM »." in checked
    assert "<li>Case D4 : tapez une formule qui commence par le signe =.</li>" in checked
    assert "<li>Case D3" not in checked


def test_wrong_result_and_empty_cell_are_named(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "stock-left")
    html = page(post(client, url, {"cell-D2": "=B2+C2", "cell-D3": "", "cell-D4": "=B4-C4"}))
    assert "Case D2 : le résultat est 16. Ce n'est pas le résultat attendu." in html
    assert "Case D3 : la case est vide." in html
    nothing = post(client, url, {"cell-D2": "", "cell-D3": " ", "cell-D4": ""})
    assert nothing.status_code == 422
    assert "Choisissez ou tapez une réponse" in page(nothing)


def test_text_in_a_number_cell_is_pointed_out(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "fix-errors")
    first = page(client.get(url))
    # The step opens with the two errors to correct, explained in words.
    assert "Case D3 : #VALEUR!. La case C3 contient du texte : « quatre »." in first
    assert "Case B5 : #NOM?." in first
    response = post(client, url, {"cell-C3": "quatre", "cell-B5": "=SOMME(B2:B4)"})
    assert "Case C3 : « quatre » est du texte. Tapez un nombre avec des chiffres." in page(response)
    fixed = post(client, url, {"cell-C3": "4", "cell-B5": "=SOMME(B2:B4)"})
    assert "Bravo, c'est juste !" in page(fixed)


def test_circular_reference_is_explained(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "circular")
    response = post(client, url, {"cell-D5": "=SOMME(D2:D5)"})
    assert "Référence circulaire : la case D5 utilise son propre résultat." in page(response)


def test_sort_buttons_reorder_rows_and_keep_the_order(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    url = open_step(app, client, auth, "sort-stock")
    step = sheet_step(app, "sort-stock")
    response = post(client, url, {"sort": "asc", "sort_column": "D"})
    html = page(response)
    assert "Le tableau est trié par « Stock restant », du plus petit au plus grand." in html
    assert f'name="order" value="{sorted_order(step)}"' in html
    names = re.findall(r'<span class="sheet__value" dir="auto">([^<\d][^<]*)</span>', html)
    assert names[:2] == ["Petits meubles", "Chaussures"]
    assert rows_recorded(app, "sort-stock") == 0
    # Sorting the other way puts the biggest stock first.
    down = page(post(client, url, {"sort": "desc", "sort_column": "D"}))
    assert re.findall(r'<span class="sheet__value" dir="auto">([^<\d][^<]*)</span>', down)[0] == (
        "Vêtements"
    )
    unsorted = post(client, url, {"order": "0,1,2,3,4"})
    assert "n'est pas trié par « Stock restant » dans l'ordre croissant" in page(unsorted)
    checked = post(client, url, {"order": sorted_order(step)})
    assert "Bravo, c'est juste !" in page(checked)


def test_alert_rule_marks_rows_in_words_too(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "alert-rule")
    html = page(post(client, url, {"action": "recalc", "rule": "below-minimum"}))
    alerts = re.findall(r'class="sheet__cell sheet__cell--alert[^"]*" data-cell="(\w+)"', html)
    assert alerts == ["D2", "D4"]  # 3 < 4 and 8 < 20
    assert html.count('<span class="sheet__flag">Alerte</span>') == 2
    wrong = page(post(client, url, {"rule": "above-minimum"}))
    assert "les articles qui manquent ne sont pas tous en rouge" in wrong
    empty = post(client, url, {})
    assert empty.status_code == 422
    right = page(post(client, url, {"rule": "below-minimum"}))
    assert "Bravo, c'est juste !" in right


BAD_INPUT = [
    "=" + "(" * 1000 + "1" + ")" * 1000,
    "=" + "(" * 200 + "1" + ")" * 200,
    "=" + "-" * 400 + "1",
    "=" + "1+" * 3000 + "1",
    "=" + "1+" * 200 + "1",
    "=SOMME(" * 200,
    "x" * 100_000,
    '=SI(A1;"a',
    "=\u2212B2",
    "=A1:Z99",
    "=SOMME(A1:Z99)*SOMME(A:A)",
    "=B2\ud7ff",
    "=9^9^9^9",
]


def test_any_input_gets_an_answer_never_a_server_error(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    url = open_step(app, client, auth, "stock-left")
    for typed in BAD_INPUT:
        for extra in ({"action": "recalc"}, {}):
            data = {"cell-D2": typed, "cell-D3": "=B3-C3", "cell-D4": "=B4-C4", **extra}
            response = post(client, url, data)
            assert response.status_code == 200, typed[:20]
            assert "Case D2" in page(response), typed[:20]
    # A NUL character, which no keyboard types, is refused before the step (400, as for any
    # request: tests/web/test_hardening.py).
    data = {"cell-D2": "\x00=B2", "cell-D3": "=B3-C3", "cell-D4": "=B4-C4"}
    assert post(client, url, data).status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"cell-D2": "=B2-C2", "cell-D3": "=B3-C3"},  # a cell field is missing
        {"cell-D2": "1", "cell-D3": "1", "cell-D4": "1", "order": "0,0,1"},
        {"cell-D2": "1", "cell-D3": "1", "cell-D4": "1", "order": "zéro"},
    ],
)
def test_tampered_forms_get_400(
    app: Flask, client: FlaskClient, auth: Auth, data: dict[str, str]
) -> None:
    url = open_step(app, client, auth, "stock-left")
    assert post(client, url, data).status_code == 400
    assert rows_recorded(app, "stock-left") == 0


def test_unknown_alert_rule_gets_400(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "alert-rule")
    assert post(client, url, {"rule": "made-up"}).status_code == 400


def test_three_wrong_tries_show_the_formulas(app: Flask, client: FlaskClient, auth: Auth) -> None:
    url = open_step(app, client, auth, "total")
    for _ in range(3):
        response = post(client, url, {"cell-B7": "=SOMME(B2:B5)", "cell-C7": "195"})
    html = page(response)
    assert "Voici la bonne réponse" in html
    assert 'Case B7 : <bdi dir="ltr">=SOMME(B2:B6)</bdi>' in html
    assert "Étape suivante" in html
