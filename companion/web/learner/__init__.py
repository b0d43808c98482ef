"""Learner space: module list, the step player, and signing in by personal link."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.entry_check import is_check
from companion.catalogue.glossary import Linked, link_terms
from companion.catalogue.steps import (
    STEP_TYPES,
    BadAnswer,
    EmptyAnswer,
    Outcome,
    StepBase,
    StepContext,
)
from companion.models import Progress
from companion.permissions import learner_required
from companion.services import accounts, entry_check, progress
from companion.services.assignments import assignments_for
from companion.web.offline import wants_offline_copy
from companion.web.pin import pin_page
from companion.web.security import LINK_SIGNIN_LIMIT, limit_posts
from companion.web.session import current_kiosk, sign_out

bp = Blueprint("learner", __name__)

SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@bp.route("/s/<token>", methods=["GET", "POST"])
@limit_posts(LINK_SIGNIN_LIMIT)
def link_signin(token: str) -> ResponseReturnValue:
    """The personal sign-in link a QR card carries: it opens the PIN page. Opened on a kiosk,
    the session follows the kiosk's rules (inactivity, settings back to the defaults)."""
    learner = accounts.learner_by_token(token)
    if learner is None:
        abort(404)
    return pin_page(learner, via_kiosk=current_kiosk() is not None, back_url=None)


@bp.get("/learn/")
@learner_required
def home() -> str:
    modules = entry_check.learning_modules()
    check = entry_check.entry_check()
    summaries = progress.learner_summaries(current_user, modules + ([check] if check else []))
    assigned = assignments_for(current_user)
    check_assignment = next((a for a in assigned if check and a.module_id == check.id), None)
    assigned = [a for a in assigned if a is not check_assignment]
    assigned_ids = {a.module_id for a in assigned}
    ordered = [m for m in modules if m.id in assigned_ids] + [
        m for m in modules if m.id not in assigned_ids
    ]
    return render_template(
        "learner/home.html",
        modules=ordered,
        summaries=summaries,
        assignments={a.module_id: a for a in assigned},
        cards={m.id: s.id for m in modules for s in m.steps if s.card_template},
        on_kiosk=current_kiosk() is not None,
        check=entry_check.home_check(
            current_user,
            check,
            summaries[check.id].done,
            summaries[check.id].state == progress.ModuleState.COMPLETED,
        )
        if check
        else None,
        check_assignment=check_assignment,
    )


def _module_or_404(module_id: str) -> Module:
    module = catalogue.get_module(module_id)
    if module is None:
        abort(404)
    return module


@bp.get("/learn/modules/<module_id>/")
@learner_required
def module_start(module_id: str) -> Response:
    """Resume at the first unfinished step, or show the end page when all are done."""
    module = _module_or_404(module_id)
    step = progress.resume_step(module, progress.module_states(current_user, module))
    if step is None:
        return redirect(url_for(".module_done", module_id=module.id))
    return redirect(url_for(".step", module_id=module.id, step_id=step.id))


def _next_url(module: Module, step: StepBase) -> str:
    index = module.index(step.id)
    if index + 1 < len(module.steps):
        return url_for(".step", module_id=module.id, step_id=module.steps[index + 1].id)
    return url_for(".module_start", module_id=module.id)


@bp.route("/learn/modules/<module_id>/steps/<step_id>", methods=["GET", "POST"])
@learner_required
def step(module_id: str, step_id: str) -> ResponseReturnValue:
    module = _module_or_404(module_id)
    step = module.step(step_id)
    if step is None:
        abort(404)
    if request.method == "GET":  # shown only: plain rows (progress.StepState)
        states = progress.module_states(current_user, module)
        if not progress.reachable(module, states, step) and not wants_offline_copy(request):
            return redirect(url_for(".module_start", module_id=module.id))
        return _play(module, step, states.get(step.id), None)
    rows = progress.module_rows(current_user, module)  # the answer writes the step's row
    if not progress.reachable(module, rows, step):
        abort(400, _("Cette étape n'est pas encore ouverte."))
    return _play(module, step, rows.get(step.id), None, rows)


def _retry_step_url(module: Module, round_: int, step: StepBase) -> str:
    return url_for(".retry_step", module_id=module.id, round_=round_, step_id=step.id)


def _step_urls(module: Module, step: StepBase, round_: int | None) -> tuple[str | None, str]:
    """The previous step's page (None on the first) and where "Étape suivante" goes."""
    index = module.index(step.id)
    if round_ is None:
        prev = module.steps[index - 1] if index > 0 else None
        previous = url_for(".step", module_id=module.id, step_id=prev.id) if prev else None
        return previous, _next_url(module, step)
    previous = _retry_step_url(module, round_, module.steps[index - 1]) if index > 0 else None
    if index + 1 < len(module.steps):
        return previous, _retry_step_url(module, round_, module.steps[index + 1])
    return previous, url_for(".module_done", module_id=module.id)


def _finished_or_redirect(module: Module) -> Response | None:
    """None when the learner finished the module; else the way back into it."""
    summary = progress.summarise(module, progress.module_states(current_user, module).values())
    if summary.state != progress.ModuleState.COMPLETED:
        return redirect(url_for(".module_start", module_id=module.id))
    return None


@bp.post("/learn/modules/<module_id>/retry")
@learner_required
def retry_start(module_id: str) -> Response:
    """ "Refaire": a new round of a finished module; the first result stays as it was."""
    module = _module_or_404(module_id)
    back = _finished_or_redirect(module)
    if back is not None:
        return back
    round_ = progress.next_retry_round(current_user, module)
    return redirect(_retry_step_url(module, round_, module.steps[0]))


@bp.route("/learn/modules/<module_id>/retry/<int:round_>/<step_id>", methods=["GET", "POST"])
@learner_required
def retry_step(module_id: str, round_: int, step_id: str) -> ResponseReturnValue:
    """A step of a round of "Refaire", played like the first time, recorded apart."""
    module = _module_or_404(module_id)
    step = module.step(step_id)
    if step is None or round_ < 1 or round_ > progress.next_retry_round(current_user, module):
        abort(404)
    back = _finished_or_redirect(module)
    if back is not None:
        return back
    rows = progress.retry_rows(current_user, module, round_)
    if not progress.retry_reachable(module, rows, step):
        if request.method == "POST":
            abort(400, _("Cette étape n'est pas encore ouverte."))
        first = next(
            (s for s in module.steps if (r := rows.get(s.id)) is None or r.status is None),
            module.steps[0],
        )
        return redirect(_retry_step_url(module, round_, first))
    row = rows.get(step.id)
    return _play(module, step, row, round_)


def _play(
    module: Module,
    step: StepBase,
    row: object | None,
    round_: int | None,
    rows: Mapping[str, Progress] | None = None,
) -> ResponseReturnValue:
    """A step's page and its answer: the first time (progress) or in a round of "Refaire"."""
    previous_url, next_url = _step_urls(module, step, round_)
    ctx = StepContext(
        first_name=current_user.first_name, structure_name=current_user.structure.name
    )
    result = None
    error = None
    status = 200
    extra = step.view_context(request.args, ctx)
    interaction = _interaction(step, ctx)
    if interaction is not None:
        extra.update(interaction)
    elif request.method == "POST":
        key = request.form.get("submission_key", "")
        if not SUBMISSION_KEY.match(key):
            abort(400)
        outcome = _checked(step, ctx)
        if outcome is None:
            error = _("Choisissez ou tapez une réponse, puis appuyez sur « Je vérifie ».")
            status = 422
        else:
            if round_ is None:
                result = progress.record_answer(
                    current_user, module, step, outcome, key, _seconds_shown(), rows
                )
            else:
                result = progress.record_retry_answer(
                    current_user, module, step, outcome, key, round_
                )
            if result.finished and is_check(module):
                entry_check.record_take(current_user, module, round_ or 0)
            if not step.is_practice and result.finished:
                return redirect(next_url)

    return (
        render_template(
            "learner/step.html",
            module=module,
            step=step,
            index=module.index(step.id),
            result=result,
            row=row,
            error=error,
            next_url=next_url,
            previous_url=previous_url,
            retry_round=round_,
            submission_key=secrets.token_urlsafe(24),
            shown_at=int(time.time()),
            on_kiosk=current_kiosk() is not None,
            **extra,
        ),
        status,
    )


def _interaction(step: StepBase, ctx: StepContext) -> dict[str, Any] | None:
    """What a post that is not an answer (a move, a search) adds to the page; None for a GET
    or an answer."""
    if request.method != "POST":
        return None
    try:
        return step.interact(request.form, ctx)
    except BadAnswer:  # e.g. a draw of words asked of a step that has none to draw
        abort(400, _("Cette réponse ne correspond pas à l'étape."))


def _checked(step: StepBase, ctx: StepContext) -> Outcome | None:
    """The posted answer checked; None when nothing was chosen or typed."""
    try:
        return step.check(request.form, ctx)
    except EmptyAnswer:
        return None
    except BadAnswer:
        abort(400, _("Cette réponse ne correspond pas à l'étape."))


def _seconds_shown() -> int:
    """How long the step was on screen before the answer, from the time the page was sent."""
    shown_at = request.form.get("shown_at", "")
    return int(time.time()) - int(shown_at) if shown_at.isdigit() else 0


@bp.get("/learn/modules/<module_id>/cards/<step_id>")
@learner_required
def summary_card(module_id: str, step_id: str) -> ResponseReturnValue:
    """A step's page of its own (the summary card), ready to print or keep as a screenshot."""
    module = _module_or_404(module_id)
    step = module.step(step_id)
    if step is None or step.card_template is None:
        abort(404)
    return render_template(step.card_template, module=module, step=step)


@bp.get("/learn/modules/<module_id>/done")
@learner_required
def module_done(module_id: str) -> ResponseReturnValue:
    module = _module_or_404(module_id)
    rows = progress.module_states(current_user, module)
    summary = progress.summarise(module, rows.values())
    if summary.state != progress.ModuleState.COMPLETED:
        return redirect(url_for(".module_start", module_id=module.id))
    if is_check(module):  # its end is the learner's recommended modules
        return redirect(url_for(".entry_check_page"))
    passed = sum(1 for s in module.steps if s.is_practice and rows[s.id].status == "passed")
    practice = sum(1 for s in module.steps if s.is_practice)
    return render_template(
        "learner/done.html",
        module=module,
        passed=passed,
        practice=practice,
        retries=progress.retries(current_user, module),
        card=next((s for s in module.steps if s.card_template), None),
    )


@bp.get("/learn/modules/<module_id>/review")
@learner_required
def module_review(module_id: str) -> ResponseReturnValue:
    """A finished module again, read only: every step with its right answer."""
    module = _module_or_404(module_id)
    back = _finished_or_redirect(module)
    if back is not None:
        return back
    return render_template(
        "learner/review.html",
        module=module,
        card=next((s for s in module.steps if s.card_template), None),
    )


@bp.app_template_global("glossary_links")
def glossary_links(html: str, title: str = "") -> Linked:
    """A step's HTML with its hard words linked to their definitions (catalogue/glossary.py);
    the words of its title are explained in the list too."""
    return link_terms(str(html), catalogue.glossary(), [title])


@bp.get("/learn/steps/<type_name>/<name>.json")
@learner_required
def step_document(type_name: str, name: str) -> ResponseReturnValue:
    """A document a step type's script fetches (StepBase.documents(): the password lab's
    word lists), cached by the browser: not personal, rarely changed."""
    kind = STEP_TYPES.get(type_name)
    make = kind.documents().get(name) if kind is not None else None
    if make is None:
        abort(404)
    response = jsonify(make())
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.post("/learn/signout")
@learner_required
def signout() -> Response:
    """'J'ai fini': sign out, back to the kiosk's list of names or the front page."""
    sign_out()
    if current_kiosk() is not None:
        return redirect(url_for("kiosk.home", bye=1))
    return redirect(url_for("public.home", bye=1))


@bp.post("/learn/still-here")
@learner_required
def still_here() -> tuple[str, int]:
    """The kiosk's 'Continuer' button: the request itself resets the inactivity clock."""
    return "", 204


from companion.web.learner import entry_check_views  # noqa: E402, F401 - its views are on bp
