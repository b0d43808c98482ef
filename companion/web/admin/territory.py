"""The territorial view of the diagnostics (the CDIAE or a network): anonymous figures only.

Only structures that chose to share count; no name, and no figure at all while fewer than
DIAGNOSTIC_K_ANONYMITY of them share (the page says so instead).
"""

from __future__ import annotations

from flask import render_template

from companion.permissions import Capability, requires
from companion.services import diagnostic as service
from companion.web.admin import bp


@bp.get("/territory")
@requires(Capability.VIEW_TERRITORY)
def territory() -> str:
    the_grid = service.grid()
    return render_template(
        "admin/territory.html",
        grid=the_grid,
        view=service.territory(the_grid, service.k_anonymity()),
    )
