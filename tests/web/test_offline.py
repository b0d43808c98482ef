"""Offline use, server side: the manifest, the service worker, the module's list and replays."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from companion.catalogue import Module
from companion.catalogue.steps import ChooseStep, TypeStep
from companion.extensions import db
from companion.models import ProgressEvent
from companion.web.session import PRECACHE_HEADER
from tests.conftest import AMINA_LINK, Auth, page
from tests.helpers import form_fields, right_answer, step_url

MODULE = "mots-de-passe"
STATIC = Path(__file__).resolve().parents[2] / "static"


def the_module(app: Flask) -> Module:
    module: Module = app.extensions["companion.catalogue"][MODULE]
    return module


def status(client: FlaskClient, url: str) -> int:
    with client.get(url) as response:
        return response.status_code


def unversioned(url: str) -> str:
    """A static URL without its fingerprint (`?v=<hash>`)."""
    return url.split("?v=", 1)[0]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_manifest_opens_on_the_learner_home_with_real_icons(client: FlaskClient) -> None:
    with client.get("/static/manifest.webmanifest") as response:
        assert response.status_code == 200
        manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "Compagnon numérique"
    assert manifest["start_url"] == "/learn/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")
    sizes = set()
    for icon in manifest["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/")
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert {192, 512} <= sizes


def test_every_page_links_the_manifest_and_the_offline_script(client: FlaskClient) -> None:
    html = page(client.get("/"))
    assert re.search(r'<link rel="manifest" href="/static/manifest\.webmanifest\?v=\w{12}">', html)
    assert re.search(r'src="/static/js/offline\.js\?v=\w{12}" defer data-sw="/sw\.js"', html)


def test_service_worker_is_served_from_the_root_with_its_settings(client: FlaskClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-store"  # a new version is seen at once
    body = response.get_data(as_text=True)
    assert '"version": "dev"' not in body
    config = json.loads(body.split("var CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert len(config["version"]) == 12
    shell = {unversioned(url) for url in config["shell"]}
    assert "/offline" in shell
    assert "/static/css/app.css" in shell
    assert "/static/js/offline.js" in shell
    assert config["signout"] == "/learn/signout"
    # Every shell file exists, or installing the worker would fail.
    for url in config["shell"]:
        assert status(client, url) == 200, url


def test_offline_page_holds_nothing_personal(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    html = page(client.get("/offline"))
    assert "Vous êtes hors connexion" in html
    assert "Amina" not in html
    assert "J'ai fini" not in html


def test_module_list_needs_a_learner(client: FlaskClient) -> None:
    response = client.get(f"/learn/modules/{MODULE}/offline.json")
    assert response.status_code == 302


def test_module_list_names_every_step_and_picture(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    data = client.get(f"/learn/modules/{MODULE}/offline.json").get_json()
    assert data["module"] == MODULE
    assets = {unversioned(url) for url in data["assets"]}
    for step in module.steps:
        assert step_url(MODULE, step.id) in data["pages"]
        assert f"/static/pictograms/{step.pictogram}.svg" in assets
    for asset in data["assets"]:
        assert status(client, asset) == 200, asset
    assert data["texts"]["next"] == "Étape suivante"
    # The number of tries comes with each step (data-max-tries), not with the words.
    assert data["texts"]["try"] == "Essai {n} sur {max}"
    assert client.get("/learn/modules/nope/offline.json").status_code == 404


def test_service_worker_may_keep_a_step_not_reached_yet(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    last = the_module(app).steps[-1]
    url = step_url(MODULE, last.id)
    assert client.get(url).status_code == 302  # a learner cannot skip ahead
    kept = client.get(url, headers={PRECACHE_HEADER: "1"})
    assert kept.status_code == 200
    # Answering it is still refused until the steps before it are done.
    answer = client.post(
        url, data={**form_fields(kept.get_data(as_text=True)), **right_answer(last)}
    )
    assert answer.status_code == 400


def test_steps_carry_what_the_device_needs_to_check(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    module = the_module(app)
    seen: set[str] = set()
    for step in module.steps:
        html = page(client.get(step_url(MODULE, step.id), headers={PRECACHE_HEADER: "1"}))
        assert f'data-offline-list="/learn/modules/{MODULE}/offline.json"' in html
        assert f'data-max-tries="{step.max_tries}"' in html
        if isinstance(step, ChooseStep):
            right = " ".join(o.id for o in step.options if o.correct)
            assert f'data-offline-check="choose" data-correct="{right}"' in html
            assert f'data-hint="{step.hint}"' in html
        elif isinstance(step, TypeStep):
            assert 'data-offline-check="type"' in html
            assert f"data-accepted='{json.dumps(step.accepted, ensure_ascii=False)}'" in html or (
                f'data-accepted="{json.dumps(step.accepted, ensure_ascii=False)}"' in html
            )
        elif step.type_name in ("explain", "confidence"):
            assert 'data-offline-check="seen"' in html
        elif step.type_name == "password_lab":
            # Never queued: what is typed must not stay on the device.
            assert 'data-offline-check="network"' in html
        seen.add(step.type_name)
    assert {"choose", "type", "explain", "confidence", "password_lab"} <= seen


def test_replayed_answer_is_recorded_once(app: Flask, client: FlaskClient, auth: Auth) -> None:
    """The device sends a queued answer again after a lost reply: the server counts it once."""
    auth.learner_link(AMINA_LINK, "2580")
    first = the_module(app).steps[0]
    url = step_url(MODULE, first.id)
    fields = {**form_fields(client.get(url).get_data(as_text=True)), **right_answer(first)}
    fields["shown_at"] = "0"  # an answer kept for days: the time spent stays capped
    for _ in range(3):
        assert client.post(url, data=fields).status_code in (200, 302)
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).where(ProgressEvent.submission_key == fields["submission_key"])
        )
    assert count == 1


def test_sign_out_still_works_without_javascript(client: FlaskClient, auth: Auth) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    response = auth.signout_learner()
    assert response.status_code == 302
    assert client.get("/learn/").status_code == 302


def _as_sent_before(app: Flask, cookie: str, url: str, **headers: str) -> Any:
    """A request that left with an earlier session cookie, as a background one may."""
    late = app.test_client()
    late.set_cookie("session", cookie)
    return late.get(url, headers=headers)


def test_background_answers_never_put_back_an_earlier_session(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    # The sign-in page gives a session (its form's token); the service worker, installing,
    # asks for the offline page with that cookie while the person signs in.
    client.get("/staff/signin")
    before = client.get_cookie("session")
    assert before is not None
    assert auth.staff("cip@atelier.example").status_code == 302
    # An ordinary page asked with the old cookie would write a session cookie (the old one,
    # marked): arriving after the sign-in, it would sign the person out.
    assert "Set-Cookie" in _as_sent_before(app, before.value, "/a-propos").headers
    for url in ("/offline", "/sw.js"):
        late = _as_sent_before(app, before.value, url)
        assert late.status_code == 200, url
        assert "Set-Cookie" not in late.headers, url
    assert client.get("/staff/learners").status_code == 200  # still signed in


def test_pages_kept_in_the_background_leave_the_kiosk_session_alone(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    auth.learner_link(AMINA_LINK, "2580")
    with client.session_transaction() as session:
        session["via_kiosk"] = True  # every page a learner opens on a kiosk moves its clock
    cookie = client.get_cookie("session")
    assert cookie is not None
    first = the_module(app).steps[0]
    assert "Set-Cookie" in client.get(step_url(MODULE, first.id)).headers
    cookie = client.get_cookie("session")
    assert cookie is not None
    for url, headers in (
        (step_url(MODULE, first.id), {PRECACHE_HEADER: "1"}),
        (f"/learn/modules/{MODULE}/offline.json", {}),
    ):
        late = _as_sent_before(app, cookie.value, url, **headers)
        assert late.status_code == 200, url
        assert "Set-Cookie" not in late.headers, url
