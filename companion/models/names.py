"""Folded keys that make names unique whatever their case and accents.

"amina" beside "Amina", or "Chloe" beside "Chloé", read as the same person on a kiosk tile or
a list: the database refuses the second one through a unique key on the folded form, the
same on PostgreSQL and SQLite (no collation or extension needed).
"""

from __future__ import annotations

import unicodedata
from typing import Any


def fold(text: str | None) -> str:
    """Lower case, without accents, spaces collapsed: "  Chloé  Marie " → "chloe marie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def learner_key(first_name: str | None, initial: str | None) -> str:
    """The key of a learner's name within their structure: first name and initial."""
    return f"{fold(first_name)}|{fold(initial)}"


def learner_key_default(context: Any) -> str:
    """Column default for inserts that bypass the ORM (seed-scale's bulk insert)."""
    params = context.get_current_parameters()
    return learner_key(params.get("first_name"), params.get("initial"))


def team_key_default(context: Any) -> str:
    return fold(context.get_current_parameters().get("name"))
