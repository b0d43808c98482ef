"""A step's first visit on a slow phone link: as few requests as the page allows (issue 18).

On slow 3G every request costs a round trip of 400 ms: the step's pictures come inside
its HTML instead of one request each.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import rcssmin
import rjsmin
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AMINA_LINK, Auth

STATIC = Path(__file__).resolve().parents[2] / "static"
STEP = "/learn/modules/mots-de-passe/steps/strongest"


def step_html(client: FlaskClient, auth: Auth) -> str:
    auth.learner_link(AMINA_LINK, "2580")
    response = client.get(STEP, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_step_pictures_come_inside_the_page(app: Flask, client: FlaskClient, auth: Auth) -> None:
    html = step_html(client, auth)
    # No picture of the step page is a request of its own: no <img> of an icon or pictogram.
    assert not re.search(r'<img[^>]+src="/static/(?:icons|pictograms)/', html), html
    # The step's pictogram is an image named by its text, as <img alt> was.
    named = re.findall(r'<svg class="pictogram"[^>]*role="img" aria-label="([^"]+)"', html)
    assert named
    assert all(alt.strip() for alt in named)
    # Icons are decorative, hidden from screen readers like an <img alt="">.
    icons = re.findall(r'<svg class="icon[^"]*"[^>]*>', html)
    assert icons
    assert all('aria-hidden="true"' in tag for tag in icons)
    # Two copies of a picture never repeat an id.
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_a_first_visit_carries_the_stylesheet_and_scripts_inside(
    app: Flask, client: FlaskClient
) -> None:
    response = client.get(AMINA_LINK)  # the PIN page: a phone's first page here
    html = response.get_data(as_text=True)
    # No request for the stylesheet or the page scripts: on slow 3G each is a round trip.
    for name in ("css/app.css", "js/app.js", "js/offline.js"):
        assert f"/static/{name}" not in html
        # The files as they are, without comments and spaces (rcssmin, rjsmin).
        text = (STATIC / name).read_text("utf-8")
        small = rcssmin.cssmin(text) if name.endswith(".css") else rjsmin.jsmin(text)
        assert len(small) < 0.85 * len(text)
        assert small in html
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    # Only these very copies may run: the policy names their hashes, nothing else inline.
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    scripts = re.findall(r"<script(?: data-sw=\"/sw\.js\")?>(.*?)</script>", html, re.DOTALL)
    assert len(styles) == 1
    assert len(scripts) == 2
    for inline in styles + scripts:
        assert csp_hash(inline) in csp
    # The scripts run where deferred ones would: after the page, app.js first.
    assert html.index("</footer>") < html.index(scripts[0]) < html.index(scripts[1])
    assert '<script data-sw="/sw.js">' in html
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("companion_assets=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie

    # The next pages link the files, which the browser or the service worker keeps.
    again = client.get(AMINA_LINK).get_data(as_text=True)
    assert "<style>" not in again
    assert "<script>" not in again
    assert re.search(r'href="/static/css/app\.css\?v=\w{12}"', again)
    assert re.search(r'src="/static/js/app\.js\?v=\w{12}" defer', again)
    assert re.search(r'src="/static/js/offline\.js\?v=\w{12}" defer data-sw="/sw\.js"', again)


def test_a_browser_with_older_files_gets_them_inside_again(client: FlaskClient) -> None:
    client.set_cookie("companion_assets", "0123456789ab")
    html = client.get(AMINA_LINK).get_data(as_text=True)
    assert "<style>" in html
    assert "/static/css/app.css" not in html


def test_staff_and_public_pages_link_the_files(client: FlaskClient) -> None:
    # Staff work on office computers; the learner's phone opens a learner page first.
    for url in ("/", "/staff/signin"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert "<style>" not in html, url
        assert re.search(r'href="/static/css/app\.css\?v=\w{12}"', html), url
        assert "companion_assets" not in response.headers.get("Set-Cookie", ""), url


def test_the_worker_script_sets_no_cookie(client: FlaskClient) -> None:
    response = client.get("/sw.js")
    assert "companion_assets" not in response.headers.get("Set-Cookie", "")


def test_what_the_service_worker_keeps_links_the_files_and_sets_no_cookie(
    client: FlaskClient,
) -> None:
    # The offline page, kept by the worker with its shell (which holds the files).
    response = client.get("/offline")
    html = response.get_data(as_text=True)
    assert "<style>" not in html
    assert "/static/css/app.css?v=" in html
    assert "companion_assets" not in response.headers.get("Set-Cookie", "")


def test_each_inline_picture_is_one_closed_element(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    html = step_html(client, auth)
    assert html.count("<svg") == html.count("</svg>") > 0


def test_a_step_opened_first_on_a_new_phone_carries_everything(
    client: FlaskClient, auth: Auth
) -> None:
    # What bench/slow3g.py measures: the session cookie only, the step as the first page.
    auth.learner_link(AMINA_LINK, "2580")
    client.delete_cookie("companion_assets")
    html = client.get(STEP, follow_redirects=True).get_data(as_text=True)
    assert "<style>" in html
    assert not re.search(r'(?:src|href)="/static/(?:css|js/app|js/offline|icons|pictograms)', html)
    # The tab's icon too: the browser would ask for it just after the load.
    favicon = re.search(r'<link rel="icon" href="(data:image/svg\+xml,[^"]+)"', html)
    assert favicon is not None
    # Percent-encoded: a "#" (its colours) would end the data at a fragment.
    assert "#" not in favicon.group(1)
    assert " " not in favicon.group(1)
    assert "%23" in favicon.group(1)
