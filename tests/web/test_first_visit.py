"""A step's first visit on a slow phone link: as few requests as the page allows (issue 18).

On slow 3G every request costs a round trip of 400 ms: the step's pictures come inside
its HTML instead of one request each.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AMINA_LINK, Auth

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
    assert named and all(alt.strip() for alt in named)
    # Icons are decorative, hidden from screen readers like an <img alt="">.
    icons = re.findall(r'<svg class="icon[^"]*"[^>]*>', html)
    assert icons and all('aria-hidden="true"' in tag for tag in icons)
    # Two copies of a picture never repeat an id.
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
