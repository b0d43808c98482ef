"""The names of the competences the modules refer to, for the attestation.

Modules tag what they train with bare codes (``digcomp: ["4.1"]``); a person reading an
attestation needs the names. Only the codes the modules use are named here, with the
frameworks' own titles (docs: /work/shared/guide/content-facts.md):

- DigComp 2.2, the European Digital Competence Framework (JRC, 2022): competence titles;
- Pix, on the French CRCN (cadre de référence des compétences numériques): competence titles;
- CléA Numérique (certification of Certif Pro, 2018): its four domains.

A code without a name here is shown bare; tests/unit/test_competences.py fails when a module
uses a code this file does not name.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FRAMEWORKS = {
    "digcomp": "DigComp 2.2",
    "pix": "Pix",
    "clea": "CléA Numérique",
}

DIGCOMP = {
    "1.1": _l(
        "Naviguer, rechercher et filtrer des données, des informations et des contenus numériques"
    ),
    "1.2": _l("Évaluer des données, des informations et des contenus numériques"),
    "1.3": _l("Gérer des données, des informations et des contenus numériques"),
    "2.1": _l("Interagir par le biais des technologies numériques"),
    "2.6": _l("Gérer son identité numérique"),
    "3.1": _l("Développer des contenus numériques"),
    "4.1": _l("Protéger les appareils"),
    "4.2": _l("Protéger les données personnelles et la vie privée"),
    "4.3": _l("Protéger la santé et le bien-être"),
    "5.2": _l("Identifier des besoins et des réponses technologiques"),
}

PIX = {
    "1.1": _l("Mener une recherche et une veille d'information"),
    "1.2": _l("Gérer des données"),
    "1.3": _l("Traiter des données"),
    "2.1": _l("Interagir"),
    "3.1": _l("Développer des documents textuels"),
    "4.1": _l("Sécuriser l'environnement numérique"),
    "4.2": _l("Protéger les données personnelles et la vie privée"),
}

CLEA = {
    "1": _l("Identifier son environnement et utiliser les outils associés"),
    "2": _l("Acquérir et exploiter de l'information dans un environnement professionnel numérisé"),
    "3": _l("Interagir en mode collaboratif"),
    "4": _l("Appliquer les règles et bonnes pratiques de la sécurité numérique"),
}

NAMES = {"digcomp": DIGCOMP, "pix": PIX, "clea": CLEA}


def named(framework: str, code: str) -> str:
    """ "4.1 Protéger les appareils", in the interface language; the code alone if unnamed."""
    name = NAMES[framework].get(code)
    return f"{code} {name}" if name is not None else code
