"""People's names in the order a French reader expects, the same on every database engine.

Databases sort text by bytes or by their own collation ("Aïcha" after "Awa", "amina" after
"Zoé" on SQLite; something else again on PostgreSQL). Lists of people are sorted here, in
Python, with a key that folds accents and case; ties keep a stable, exact order.
"""

from __future__ import annotations

from typing import Protocol

from companion.models import names

# Letters that Unicode does not decompose into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """The text without accents, in lower case: "Élodie" → "elodie", "Aïcha" → "aicha".

    The unique keys' folding (models/names.py), plus the ligatures a person may type either
    way ("Cœur" or "Coeur"): for searching and sorting only, the stored keys stay as they are.
    """
    return names.fold(text.translate(_LIGATURES))


class Named(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def first_name(self) -> str: ...
    @property
    def initial(self) -> str: ...


def name_key(person: Named) -> tuple[str, str, str, str, int]:
    """Sort key: folded first name and initial, then the exact spelling, then the id."""
    return (
        fold(person.first_name),
        fold(person.initial),
        person.first_name,
        person.initial,
        person.id,
    )
