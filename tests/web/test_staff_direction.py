"""The direction's pages (staff, teams, kiosks, settings, audit) and the platform admin's."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion.extensions import db
from companion.models import Kiosk, StaffUser, Structure
from tests.conftest import AMINA_LINK, Auth, csrf_from, page
from tests.web.staff_helpers import invitation_path, post_form, team_id

STAFF = "/staff/structure/staff"
STRONG = "Le chantier du parc commence lundi matin à huit heures"


def _signout(client: FlaskClient) -> None:
    token = csrf_from(client.get("/staff/signin").get_data(as_text=True))
    client.post("/staff/signout", data={"csrf_token": token})


def test_create_staff_gives_a_link_where_the_person_sets_a_cnil_password(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """Nobody types another's password: the direction gets a one-time link, the person
    chooses theirs there, under the CNIL rule."""
    auth.staff("direction@atelier.example")
    assert 'name="password"' not in page(client.get(STAFF))
    taken = post_form(
        client, STAFF, {"email": "cip@atelier.example", "role": "cip", "team_id": "0"}
    )
    assert "Cette adresse e-mail a déjà un compte." in page(taken)
    ok = post_form(
        client, STAFF, {"email": "nouvelle@atelier.example", "role": "cip", "team_id": "0"}
    )
    assert ok.status_code == 302
    link = invitation_path(page(client.get(ok.headers["Location"])))
    _signout(client)
    for weak, words in [
        ("Abcdefgh1!j", "Mot de passe trop faible"),
        ("Password2024!", "listes de mots de passe volés"),
    ]:
        response = post_form(client, link, {"password": weak, "confirm": weak})
        assert response.status_code == 422
        assert words in page(response)
    response = post_form(client, link, {"password": STRONG, "confirm": STRONG})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(
            select(StaffUser).where(StaffUser.email == "nouvelle@atelier.example")
        )
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
    assert auth.staff("nouvelle@atelier.example", STRONG).status_code == 302


def test_change_role_and_deactivate(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        cip = db.session.scalar(select(StaffUser).where(StaffUser.email == "cip@atelier.example"))
        direction = db.session.scalar(
            select(StaffUser).where(StaffUser.email == "direction@atelier.example")
        )
        assert cip is not None
        assert direction is not None
        cip_id, direction_id = cip.id, direction.id
    auth.staff("direction@atelier.example")
    own = post_form(
        client, f"{STAFF}/{direction_id}", {"role": "cip", "team_id": "0", "active": "y"}
    )
    assert own.status_code == 422
    assert "Vous ne pouvez pas changer votre propre rôle" in page(own)
    # An encadrant sees their team only: without one, the account is refused.
    teamless = post_form(client, f"{STAFF}/{cip_id}", {"role": "encadrant", "team_id": "0"})
    assert teamless.status_code == 422
    assert "Choisissez l'équipe de l'encadrant" in page(teamless)
    team = team_id(app, "Tri et vente")
    response = post_form(client, f"{STAFF}/{cip_id}", {"role": "encadrant", "team_id": team})
    assert response.status_code == 302
    _signout(client)
    assert auth.staff("cip@atelier.example").status_code == 422  # deactivated


def test_other_structure_staff_is_404(app: Flask, client: FlaskClient, auth: Auth) -> None:
    with app.app_context():
        other = db.session.scalar(
            select(StaffUser).where(StaffUser.email == "cip@recyclerie.example")
        )
        assert other is not None
        other_id = other.id
    auth.staff("direction@atelier.example")
    assert client.get(f"{STAFF}/{other_id}").status_code == 404


def test_teams_settings_and_kiosk_delay(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("direction@atelier.example")
    for taken in ("Tri et vente", "tri  et VENTE", "Espaces Vérts"):
        dup = post_form(client, "/staff/structure/teams", {"name": taken})
        assert dup.status_code == 422, taken
        assert "Une équipe porte déjà ce nom" in page(dup)
    assert post_form(client, "/staff/structure/teams", {"name": "Nettoyage"}).status_code == 302
    assert "Nettoyage" in page(client.get("/staff/structure/teams"))

    bad = post_form(
        client,
        "/staff/structure/settings",
        {"languages": ["fr", "ar"], "kiosk_idle_seconds": "5", "retention_months": "24"},
    )
    assert bad.status_code == 422
    assert "Entre 60 et 1800 secondes." in page(bad)
    assert 'value="5"' in page(bad)
    ok = post_form(
        client,
        "/staff/structure/settings",
        {"languages": ["fr", "ar"], "kiosk_idle_seconds": "300", "retention_months": "12"},
    )
    assert ok.status_code == 302
    with app.app_context():
        atelier = db.session.scalar(select(Structure).where(Structure.name == "Atelier Démo"))
        assert atelier is not None
        assert atelier.language_list == ["fr", "ar"]
        assert atelier.kiosk_idle_seconds == 300
        assert atelier.retention_months == 12
    offered = page(client.get("/staff/learners/new"))
    form = offered[offered.index('name="locale"') :]
    form = form[: form.index("</select>")]
    assert "العربية" in form
    assert "English" not in form  # no longer offered to new learners
    _signout(client)
    # A learner signed in on a kiosk gets the structure's delay, not the global one.
    client.get(AMINA_LINK)
    auth.learner_link(AMINA_LINK, "2580")
    with client.session_transaction() as session:
        session["via_kiosk"] = True
    assert 'data-kiosk-idle="300"' in page(client.get("/learn/"))


def test_kiosks_list_and_revoke(app: Flask, client: FlaskClient, auth: Auth) -> None:
    auth.staff("direction@atelier.example")
    html = page(client.get("/staff/structure/kiosks"))
    assert "Borne de l'accueil" in html
    with app.app_context():
        kiosk = db.session.scalar(select(Kiosk))
        assert kiosk is not None
        kiosk_id = kiosk.id
    response = post_form(
        client, "/staff/structure/kiosks", {}, url=f"/staff/structure/kiosks/{kiosk_id}/revoke"
    )
    assert response.status_code == 302
    with app.app_context():
        kiosk = db.session.get(Kiosk, kiosk_id)
        assert kiosk is not None
        assert kiosk.revoked_at is not None
    assert "Révoquée" in page(client.get("/staff/structure/kiosks"))


def test_audit_log_shows_who_viewed_a_learner(client: FlaskClient, auth: Auth) -> None:
    auth.staff("direction@atelier.example")
    html = page(client.get("/staff/structure/audit"))
    assert "A consulté la fiche" in html
    assert "cip@atelier.example" in html


def test_admin_creates_a_structure_with_its_direction(client: FlaskClient, auth: Auth) -> None:
    auth.staff("admin@compagnon.example")
    bad = post_form(
        client,
        "/admin/",
        {"name": "", "kind": "EI", "email": "pas-une-adresse"},
        url="/admin/structures",
    )
    assert bad.status_code == 422
    assert "Écrivez le nom de la structure." in page(bad)
    assert "Cette adresse e-mail n'est pas valide." in page(bad)
    ok = post_form(
        client,
        "/admin/",
        {
            "name": "Ressourcerie du Lot",
            "kind": "ACI",
            "email": "direction@ressourcerie.example",
        },
        url="/admin/structures",
    )
    assert ok.status_code == 302
    # The direction's invitation, shown to the admin once: the admin never knows the password.
    assert "/staff/password/" in page(client.get(ok.headers["Location"]))
    html = page(client.get("/admin/"))
    assert "Ressourcerie du Lot" in html
    assert "direction@ressourcerie.example" in html
    assert "Amina" not in page(client.get("/admin/stats"))
