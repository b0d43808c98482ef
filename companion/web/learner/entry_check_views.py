"""The learner's pages of the entry check "Par où commencer ?": its result, and "Plus tard"."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from companion.permissions import learner_required
from companion.services import entry_check, progress
from companion.web.learner import bp


@bp.get("/learn/entry-check")
@learner_required
def entry_check_page() -> ResponseReturnValue:
    """The check's own page: what it is and how to start it, or the recommended modules
    once taken, with the way to take it again."""
    check = entry_check.entry_check()
    if check is None:
        abort(404)
    summary = progress.summarise(check, progress.module_states(current_user, check).values())
    retries = progress.retries(current_user, check)
    home = entry_check.home_check(
        current_user, check, summary.done, summary.state == progress.ModuleState.COMPLETED
    )
    return render_template(
        "learner/entry_check.html",
        check=home,
        summary=summary,
        retry=retries[-1] if retries and not retries[-1].finished else None,
    )


@bp.post("/learn/entry-check/later")
@learner_required
def entry_check_later() -> Response:
    """ "Plus tard": the home stops offering the check; it stays on the home as a card."""
    entry_check.skip(current_user)
    return redirect(url_for(".home"))
