"""Staff accounts people own (#14): one-time links, "Mot de passe oublié ?", "Mon compte".

Nobody types another person's password: a new account (a colleague by the direction, a
direction by the platform admin) comes with a one-time invitation link where the person
chooses theirs. A forgotten password gets a reset link by e-mail when SMTP is configured
(tested against a local aiosmtpd sink), else from the direction. Every step is in the
audit log.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from companion import config, models
from companion.extensions import db
from companion.models import AuditAction, AuditEvent, StaffUser, utcnow
from companion.web.staff.blueprint import audit_label
from tests.conftest import DEMO_PASSWORD, Auth, csrf_from, make_app, page
from tests.mail_sink import Sink, smtp_sink  # noqa: F401 - the fixture
from tests.web.staff_helpers import invitation_path, post_form

STAFF = "/staff/structure/staff"
STRONG = "Le chantier du parc commence lundi matin à huit heures"
OTHER_STRONG = "Les tomates du jardin partagé rougissent enfin cette semaine"
SITE = "https://compagnon.example.org"


def _signout(client: FlaskClient) -> None:
    token = csrf_from(client.get("/staff/signin").get_data(as_text=True))
    client.post("/staff/signout", data={"csrf_token": token})


def _user(app: Flask, email: str) -> StaffUser:
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user is not None
        db.session.expunge(user)
        return user


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return [str(a) for a in db.session.scalars(select(AuditEvent.action))]


def _invite(client: FlaskClient, email: str, role: str = "cip") -> str:
    """As the direction: create an account; the one-time link's path, as shown once."""
    response = post_form(client, STAFF, {"email": email, "role": role, "team_id": "0"})
    assert response.status_code == 302, page(response)
    return invitation_path(page(client.get(response.headers["Location"])))


def test_invitation_is_single_use_stored_hashed_and_shown_to_its_maker_only(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("direction@atelier.example")
    link = _invite(client, "nina@atelier.example")
    token = link.rsplit("/", 1)[1]
    user = _user(app, "nina@atelier.example")
    with app.app_context():
        stored = db.session.scalar(
            select(models.StaffLink).where(models.StaffLink.user_id == user.id)
        )
        assert stored is not None
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {stored.token_hash}
        assert stored.expires_at - stored.created_at == timedelta(hours=72)
        assert db.session.get_one(StaffUser, user.id).password_hash == ""
    # The staff list says an invitation waits; a reload of the link page shows it again to
    # its maker, but another session of the same direction never sees it.
    assert "Invitation en attente" in page(client.get(STAFF))
    link_page = f"{STAFF}/{user.id}/link"
    assert link in page(client.get(link_page))
    elsewhere = make_app_client(app)
    Auth(elsewhere).staff("direction@atelier.example")
    assert link not in page(elsewhere.get(link_page))
    assert "Le lien n'est plus affiché" in page(elsewhere.get(link_page))
    _signout(client)

    # Nobody can sign in to the account before the person chose a password.
    assert auth.staff("nina@atelier.example", "").status_code == 422
    form = page(client.get(link))
    assert "nina@atelier.example" in form
    mismatch = post_form(client, link, {"password": STRONG, "confirm": STRONG + "x"})
    assert mismatch.status_code == 422
    assert "Les deux mots de passe ne sont pas les mêmes." in page(mismatch)
    done = post_form(client, link, {"password": STRONG, "confirm": STRONG})
    assert done.headers["Location"].startswith("/staff/signin")
    assert "Votre mot de passe est enregistré" in page(client.get(done.headers["Location"]))
    # Used once: the same link no longer opens anything.
    again = client.get(link)
    assert again.status_code == 404
    assert "Ce lien ne marche plus" in page(again)
    assert post_form(client, "/staff/signin", {}, url=link).status_code == 404
    assert auth.staff("nina@atelier.example", STRONG).status_code == 302
    assert {"staff_invited", "password_set"} <= set(_actions(app))


def make_app_client(app: Flask) -> FlaskClient:
    """A second browser on the same app."""
    return app.test_client()


def test_links_expire_after_72_hours_and_a_newer_one_replaces_the_older(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("direction@atelier.example")
    first = _invite(client, "nina@atelier.example")
    user = _user(app, "nina@atelier.example")
    from companion.services import staff_links

    with app.app_context():
        token = first.rsplit("/", 1)[1]
        assert staff_links.valid_link(token, now=utcnow() + timedelta(hours=71)) is not None
        assert staff_links.valid_link(token, now=utcnow() + timedelta(hours=72)) is None
    # From the account page, the direction gives a new link: the first stops working.
    response = post_form(client, f"{STAFF}/{user.id}", {}, url=f"{STAFF}/{user.id}/link")
    assert response.status_code == 302
    second = invitation_path(page(client.get(response.headers["Location"])))
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    with app.app_context():
        link = db.session.scalar(
            select(models.StaffLink).where(models.StaffLink.user_id == user.id)
        )
        assert link is not None
        link.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(second).status_code == 404
    assert "Invitation expirée" in page(client.get(STAFF))
    assert "password_link" in _actions(app)


def test_forgotten_password_without_mail_says_to_ask_the_direction_who_gives_a_link(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    signin = page(client.get("/staff/signin"))
    assert 'href="/staff/password/forgot"' in signin
    forgot = page(client.get("/staff/password/forgot"))
    assert "Demandez à la direction de votre structure un nouveau lien" in forgot
    assert 'name="email"' not in forgot  # no mail server: no form that would do nothing
    cip = _user(app, "cip@atelier.example")
    auth.staff("direction@atelier.example")
    account = page(client.get(f"{STAFF}/{cip.id}"))
    assert "Donner un nouveau lien" in account
    response = post_form(client, f"{STAFF}/{cip.id}", {}, url=f"{STAFF}/{cip.id}/link")
    link = invitation_path(page(client.get(response.headers["Location"])))
    _signout(client)
    assert "Choisissez un nouveau mot de passe" in page(client.get(link))
    assert post_form(client, link, {"password": STRONG, "confirm": STRONG}).status_code == 302
    assert auth.staff("cip@atelier.example").status_code == 422  # the old one is gone
    assert auth.staff("cip@atelier.example", STRONG).status_code == 302


def test_nobody_gives_themself_a_link_nor_one_to_another_structure(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    direction = _user(app, "direction@atelier.example")
    other = _user(app, "cip@recyclerie.example")
    auth.staff("direction@atelier.example")
    own = post_form(client, STAFF, {}, url=f"{STAFF}/{direction.id}/link")
    assert own.status_code == 409
    assert post_form(client, STAFF, {}, url=f"{STAFF}/{other.id}/link").status_code == 404


@pytest.fixture
def mail_app(db_path: Path, smtp_sink: tuple[Sink, int]) -> Iterator[Flask]:  # noqa: F811
    _sink, port = smtp_sink
    settings = config.MailSettings(
        server="127.0.0.1",
        port=port,
        security="none",
        username="",
        password="",
        sender="ne-pas-repondre@compagnon.example.org",
        site_url=SITE,
    )
    app = make_app(db_path, MAIL=settings)
    yield app
    with app.app_context():
        db.engine.dispose()


def _ask_reset(client: FlaskClient, email: str, host: str = "localhost") -> str:
    form = client.get("/staff/password/forgot", headers={"Host": host})
    token = csrf_from(form.get_data(as_text=True))
    response = client.post(
        "/staff/password/forgot",
        data={"email": email, "csrf_token": token},
        headers={"Host": host},
    )
    assert response.status_code == 200
    return page(response)


def test_forgotten_password_by_mail_never_says_whether_the_address_exists(
    mail_app: Flask,
    smtp_sink: tuple[Sink, int],  # noqa: F811
) -> None:
    sink, _port = smtp_sink
    client = mail_app.test_client()
    assert 'name="email"' in page(client.get("/staff/password/forgot"))
    unknown = _ask_reset(client, "personne@atelier.example")
    # A forged Host header never makes its way into the link: MAIL_SITE_URL does.
    known = _ask_reset(client, "CIP@atelier.example", host="evil.example")
    strip = re.compile(r'name="csrf_token" value="[^"]+"')
    assert strip.sub("", unknown) == strip.sub("", known)
    assert "Si cette adresse a un compte" in known
    mails = sink.wait_for(1)
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == "cip@atelier.example"
    assert "nouveau mot de passe" in mail["Subject"]
    body = mail.get_content()
    assert "evil.example" not in body
    found = re.search(re.escape(SITE) + r"(/staff/password/[A-Za-z0-9_-]+)", body)
    assert found, body
    link = found.group(1)
    with mail_app.app_context():
        stored = db.session.scalar(select(models.StaffLink).order_by(models.StaffLink.id.desc()))
        assert stored is not None
        assert stored.expires_at - stored.created_at == timedelta(hours=1)
    assert post_form(client, link, {"password": STRONG, "confirm": STRONG}).status_code == 302
    assert Auth(client).staff("cip@atelier.example", STRONG).status_code == 302
    assert {"reset_requested", "password_set"} <= set(_actions(mail_app))
    assert len(sink.wait_for(2, timeout=0.5)) == 1  # the unknown address got nothing


def test_forgotten_password_is_rate_limited(
    db_path: Path,
    smtp_sink: tuple[Sink, int],  # noqa: F811
) -> None:
    sink, port = smtp_sink
    settings = config.MailSettings(
        "127.0.0.1", port, "none", "", "", "x@compagnon.example.org", SITE
    )
    app = make_app(db_path, MAIL=settings, RATELIMIT_ENABLED=True)
    client = app.test_client()
    # Per e-mail address, whatever address asks: 3 an hour, so nobody's mailbox is flooded.
    statuses = []
    for n in range(4):
        token = csrf_from(client.get("/staff/password/forgot").get_data(as_text=True))
        statuses.append(
            client.post(
                "/staff/password/forgot",
                data={"email": "cip@atelier.example", "csrf_token": token},
                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
            ).status_code
        )
    assert statuses == [200, 200, 200, 429]
    assert len(sink.wait_for(3)) == 3
    # Per address: 5 a minute, whichever e-mail addresses are tried.
    other = app.test_client()
    statuses = []
    for n in range(6):
        token = csrf_from(other.get("/staff/password/forgot").get_data(as_text=True))
        statuses.append(
            other.post(
                "/staff/password/forgot",
                data={"email": f"x{n}@atelier.example", "csrf_token": token},
                environ_base={"REMOTE_ADDR": "192.0.2.9"},
            ).status_code
        )
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    with app.app_context():
        db.engine.dispose()


def test_mon_compte_changes_the_password_after_the_current_one(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.staff("encadrant@atelier.example")
    assert "Changer mon mot de passe" in page(client.get("/staff/account"))
    url = "/staff/account/password"
    wrong = post_form(client, url, {"current": "pas le bon", "password": STRONG, "confirm": STRONG})
    assert wrong.status_code == 422
    assert "Ce n'est pas votre mot de passe actuel." in page(wrong)
    weak = post_form(
        client, url, {"current": DEMO_PASSWORD, "password": "Abcdefgh1!j", "confirm": "Abcdefgh1!j"}
    )
    assert weak.status_code == 422
    assert "Mot de passe trop faible" in page(weak)
    ok = post_form(client, url, {"current": DEMO_PASSWORD, "password": STRONG, "confirm": STRONG})
    assert ok.headers["Location"] == "/staff/account"
    _signout(client)
    assert auth.staff("encadrant@atelier.example").status_code == 422
    assert auth.staff("encadrant@atelier.example", STRONG).status_code == 302
    assert "password_changed" in _actions(app)


def test_changing_the_password_ends_a_link_given_earlier(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    cip = _user(app, "cip@atelier.example")
    auth.staff("direction@atelier.example")
    response = post_form(client, STAFF, {}, url=f"{STAFF}/{cip.id}/link")
    link = invitation_path(page(client.get(response.headers["Location"])))
    _signout(client)
    auth.staff("cip@atelier.example")  # remembered it after all
    post_form(
        client,
        "/staff/account/password",
        {"current": DEMO_PASSWORD, "password": OTHER_STRONG, "confirm": OTHER_STRONG},
    )
    assert client.get(link).status_code == 404


def test_the_platform_admin_adds_a_direction_to_an_existing_structure(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    with app.app_context():
        from companion.models import Structure

        recyclerie = db.session.scalar(select(Structure).where(Structure.name == "Recyclerie Démo"))
        assert recyclerie is not None
        recyclerie_id = recyclerie.id
    cip = _user(app, "cip@recyclerie.example")
    auth.staff("admin@compagnon.example")
    home = page(client.get("/admin/"))
    assert f'href="/admin/structures/{recyclerie_id}"' in home
    url = f"/admin/structures/{recyclerie_id}"
    assert "direction@recyclerie.example" in page(client.get(url))
    taken = post_form(client, url, {"email": "cip@recyclerie.example"})
    assert "Cette adresse e-mail a déjà un compte." in page(taken)
    response = post_form(client, url, {"email": "gerante@recyclerie.example"})
    assert response.status_code == 302
    link = invitation_path(page(client.get(response.headers["Location"])))
    # The admin gives links to directions only, never to a CIP.
    assert client.get(f"/admin/directions/{cip.id}/link").status_code == 404
    _signout(client)
    assert post_form(client, link, {"password": STRONG, "confirm": STRONG}).status_code == 302
    assert auth.staff("gerante@recyclerie.example", STRONG).status_code == 302
    staff_page = page(client.get(STAFF))
    assert "cip@recyclerie.example" in staff_page  # the Recyclerie's staff, managed at last
    with app.app_context():
        invited = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == AuditAction.STAFF_INVITED)
        )
        assert invited is not None
        assert invited.structure_id == recyclerie_id  # in the Recyclerie's own log


def test_the_demo_recyclerie_has_a_direction_with_the_published_password(
    client: FlaskClient, auth: Auth
) -> None:
    assert auth.staff("direction@recyclerie.example", DEMO_PASSWORD).status_code == 302
    html = page(client.get(STAFF))
    assert "cip@recyclerie.example" in html
    assert "atelier.example" not in html


def test_every_audit_action_has_a_french_label(app: Flask) -> None:
    with app.test_request_context("/"):
        for action in AuditAction:
            assert audit_label(action.value) != action.value, action


def test_the_operator_gives_the_platform_admin_a_link_from_the_command_line(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["staff", "link", "personne@compagnon.example"])
    assert unknown.exit_code == 1
    # The first admin of a new installation, then the same one after a forgotten password.
    for _round in range(2):
        result = runner.invoke(args=["staff", "link", "--admin", "admin2@compagnon.example"])
        assert result.exit_code == 0, result.output
        found = re.search(r"(/staff/password/[A-Za-z0-9_-]+)", result.output)
        assert found, result.output
        response = post_form(client, found.group(1), {"password": STRONG, "confirm": STRONG})
        assert response.status_code == 302
    assert auth.staff("admin2@compagnon.example", STRONG).headers["Location"] == "/staff/"
    with app.app_context():
        admin = db.session.scalar(
            select(StaffUser).where(StaffUser.email == "admin2@compagnon.example")
        )
        assert admin is not None
        assert admin.role == "admin"
        assert admin.structure_id is None
