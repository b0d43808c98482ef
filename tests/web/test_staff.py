"""Staff sign-in, role homes, the CIP home and opening a kiosk."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import Auth, csrf_from, page


def test_wrong_credentials_give_one_generic_message(client: FlaskClient, auth: Auth) -> None:
    unknown = auth.staff("nobody@atelier.example", "Demo-Compagnon-2026")
    wrong = auth.staff("cip@atelier.example", "wrong password")
    for response in (unknown, wrong):
        assert response.status_code == 422
        assert "Adresse e-mail ou mot de passe incorrect." in page(response)
    assert page(unknown).count("incorrect") == wrong.get_data(as_text=True).count("incorrect")


def test_form_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/staff/signin",
        data={"email": "cip@atelier.example", "password": "Demo-Compagnon-2026"},
    )
    assert response.status_code == 400
    assert "Le formulaire a expiré" in page(response)


def test_each_role_lands_on_its_home(client: FlaskClient, auth: Auth) -> None:
    expected = {
        "cip@atelier.example": "/staff/learners",
        "direction@atelier.example": "/staff/learners",
        "encadrant@atelier.example": "/staff/team",
        "admin@compagnon.example": "/admin/",
    }
    for email, home in expected.items():
        response = auth.staff(email)
        assert response.status_code == 302
        assert client.get(response.headers["Location"]).headers["Location"] == home
        client.post("/staff/signout", data={"csrf_token": csrf_from(client.get(home).text)})


def test_next_only_redirects_inside_the_site(client: FlaskClient) -> None:
    token = csrf_from(client.get("/staff/signin").text)
    for target, expected in [
        ("/staff/team", "/staff/team"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/", "/staff/"),
    ]:
        response = client.post(
            f"/staff/signin?next={target}",
            data={
                "email": "cip@atelier.example",
                "password": "Demo-Compagnon-2026",
                "csrf_token": token,
            },
        )
        assert response.headers["Location"] == expected
        token = csrf_from(client.get("/staff/learners").text)
        client.post("/staff/signout", data={"csrf_token": token})
        token = csrf_from(client.get("/staff/signin").text)


def test_cip_home_shows_learners_and_module_status(client: FlaskClient, auth: Auth) -> None:
    auth.staff("cip@atelier.example")
    html = page(client.get("/staff/learners"))
    for name in ("Amina", "Bruno", "Chloé"):
        assert name in html
    assert "Diallo" not in html  # another structure
    assert 'data-module="mots-de-passe" data-state="completed"' in html  # Chloé's history
    assert "Pas commencé" in html
    assert "Dernière activité" in html


def test_encadrant_sees_only_their_team(client: FlaskClient, auth: Auth) -> None:
    auth.staff("encadrant@atelier.example")
    html = page(client.get("/staff/team"))
    assert "Amina" in html
    assert "Bruno" in html
    assert "Chloé" not in html  # Tri et vente
    assert client.get("/staff/learners").status_code == 403


def test_staff_pages_need_sign_in(client: FlaskClient) -> None:
    response = client.get("/staff/learners")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/signin?next=")


def test_admin_sees_structures_but_no_learner_names(client: FlaskClient, auth: Auth) -> None:
    auth.staff("admin@compagnon.example")
    html = page(client.get("/admin/"))
    assert "Atelier Démo" in html
    assert "Recyclerie Démo" in html
    assert "Amina" not in html
    assert client.get("/staff/learners").status_code == 403


def test_staff_signin_is_a_new_session(client: FlaskClient, auth: Auth) -> None:
    client.get("/staff/signin")
    with client.session_transaction() as session:
        session["leftover"] = "from before"
    auth.staff("cip@atelier.example")
    with client.session_transaction() as session:
        assert "leftover" not in session
