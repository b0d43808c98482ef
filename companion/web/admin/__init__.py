"""Platform admin: structures and anonymous counts, never named learner data."""

from __future__ import annotations

from flask import Blueprint, render_template

from companion.permissions import Capability, requires
from companion.services.followup import structures_with_counts

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@requires(Capability.VIEW_STRUCTURES)
def home() -> str:
    return render_template("admin/home.html", structures=structures_with_counts())
