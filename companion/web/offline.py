"""Offline use: the service worker at the root, the offline page, the pages of a module to keep."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from flask import Blueprint, Request, abort, current_app, jsonify, render_template_string, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from companion import catalogue
from companion.catalogue.glossary import module_terms
from companion.i18n import plural_forms
from companion.permissions import learner_required
from companion.web.session import PRECACHE_HEADER

bp = Blueprint("offline", __name__)

# With PRECACHE_HEADER, sent by the service worker when it keeps a module's later steps for
# offline use, the step page is shown even though the learner has not reached it yet
# (answers to it are still refused by the server until the steps before it are done).

# Static files every page needs, kept after the first visit (no personal data in them).
SHELL_FILES = ("css/app.css", "js/app.js", "js/offline.js", "manifest.webmanifest")
SHELL_ICONS = ("app-192.png", "logout.svg", "home.svg", "arrow-left.svg", "volume.svg")
CONFIG_RE = re.compile(r"/\*CONFIG\*/.*?/\*END\*/", re.DOTALL)

OFFLINE_PAGE = """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block body_class %}learner offline-page{% endblock %}
{% block content %}
<h1>{{ heading }}</h1>
<div id="offline-learner">
  <p>{{ page_missing }}</p>
  <p>{{ answers_kept }}</p>
  <p><a class="button button--main" href="{{ url_for('learner.home') }}">{{ back }}</a></p>
</div>
<p class="flash flash--info" id="offline-bye" hidden>{{ signed_out }}</p>
<p class="error-summary" id="offline-lost" hidden data-one="{{ lost_one }}"
   data-many="{{ lost_many }}"></p>
{% endblock %}
"""


def wants_offline_copy(request: Request) -> bool:
    """Whether this GET comes from the service worker keeping a module for offline use."""
    return request.method == "GET" and request.headers.get(PRECACHE_HEADER) == "1"


def _static(filename: str) -> str:
    return url_for("static", filename=filename)


def _shell() -> list[str]:
    return [
        *(_static(f) for f in SHELL_FILES),
        *(_static(f"icons/{name}") for name in SHELL_ICONS),
        url_for(".offline_page"),
    ]


def _version(sw_source: str) -> str:
    """Changes whenever the worker or a shell file changes, so old caches are dropped."""
    digest = hashlib.sha256(sw_source.encode())
    static = Path(current_app.static_folder or "static")
    for name in SHELL_FILES:
        path = static / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so its scope covers the learner pages."""
    source = (Path(current_app.static_folder or "static") / "js" / "sw.js").read_text("utf-8")
    config = {
        "version": _version(source),
        "shell": _shell(),
        "offline": url_for(".offline_page"),
        "signout": url_for("learner.signout"),
        "pages": url_for("learner.home"),
        "precacheHeader": PRECACHE_HEADER,
    }
    body = CONFIG_RE.sub(lambda _m: json.dumps(config), source, count=1)
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline_page() -> str:
    """What the service worker shows for a page that is not kept on the device."""
    return render_template_string(
        OFFLINE_PAGE,
        heading=_("Vous êtes hors connexion"),
        page_missing=_("Cette page n'est pas gardée sur l'appareil."),
        answers_kept=_("Vos réponses sont gardées. Elles partent quand le réseau revient."),
        signed_out=_("Vous avez bien quitté votre espace. À bientôt !"),
        lost_one=_("1 réponse n'a pas pu partir. Elle est effacée."),
        lost_many=plural_forms(
            "%(num)s réponse n'a pas pu partir. Elle est effacée.",
            "%(num)s réponses n'ont pas pu partir. Elles sont effacées.",
        ),
        back=_("Retour à mes modules"),
        on_kiosk=False,
    )


@bp.get("/learn/modules/<module_id>/offline.json")
@learner_required
def module_files(module_id: str) -> Response:
    """The pages and pictures to keep so that this module can be finished with no network."""
    module = catalogue.get_module(module_id)
    if module is None:
        abort(404)
    pages = [url_for("learner.step", module_id=module.id, step_id=s.id) for s in module.steps]
    pages += [
        url_for("learner.summary_card", module_id=module.id, step_id=s.id)
        for s in module.steps
        if s.card_template
    ]
    pictures = {module.meta.pictogram, *(name for s in module.steps for name, _alt in s.images())}
    # The hard words these steps explain come with their pictures and the glossary's script.
    words = module_terms(module, catalogue.glossary())
    pictures |= {term.pictogram for term in words}
    assets = sorted(_static(f"pictograms/{name}.svg") for name in pictures)
    assets += sorted({_static(f"js/steps/{s.script}") for s in module.steps if s.script})
    documents = {(s.type_name, name) for s in module.steps for name in s.documents()}
    assets += sorted(
        url_for("learner.step_document", type_name=kind, name=name) for kind, name in documents
    )
    if words:
        assets.append(_static("js/glossary.js"))
    return jsonify(module=module.id, pages=pages, assets=assets, texts=_step_texts())


def _step_texts() -> dict[str, str]:
    """The words a step shows after an answer checked on the device (the same as the server's)."""
    return {
        "right": "✔ " + _("Bravo, c'est juste !"),
        "wrong": "✘ " + _("Pas tout à fait."),
        "shown": _("Voici la bonne réponse"),
        "hint": _("Un indice :"),
        "try": _("Essai %(n)s sur %(max)s", n="{n}", max="{max}"),
        "next": _("Étape suivante"),
        "later": _("Je vérifierai quand le réseau revient."),
        "network": _(
            "Cet exercice a besoin du réseau. Ce que vous tapez n'est jamais gardé sur l'appareil."
        ),
        "empty": _("Choisissez ou tapez une réponse, puis appuyez sur « Je vérifie »."),
    }
