"""The demo data the README, the tests and the checks all rely on. Loading is idempotent."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from companion import catalogue
from companion.extensions import db
from companion.models import (
    Assignment,
    AuditAction,
    AuditEvent,
    Kiosk,
    Learner,
    Note,
    Progress,
    ProgressEvent,
    Role,
    StaffUser,
    StepStatus,
    Structure,
    StructureKind,
    Team,
    utcnow,
)
from companion.services import entry_check
from companion.services.accounts import new_signin_token
from companion.services.demo_diagnostic import give_diagnostics
from companion.services.passwords import hash_secret

DEMO_PASSWORD = "Demo-Compagnon-2026"  # noqa: S105 - the demo password the README publishes
ATELIER = "Atelier Démo"
RECYCLERIE = "Recyclerie Démo"

STRUCTURES = [
    (ATELIER, StructureKind.ACI, ["Espaces verts", "Tri et vente"]),
    (RECYCLERIE, StructureKind.EI, []),
]
STAFF = [
    ("cip@atelier.example", Role.CIP, ATELIER, None),
    ("encadrant@atelier.example", Role.ENCADRANT, ATELIER, "Espaces verts"),
    ("direction@atelier.example", Role.DIRECTION, ATELIER, None),
    ("cip@recyclerie.example", Role.CIP, RECYCLERIE, None),
    ("direction@recyclerie.example", Role.DIRECTION, RECYCLERIE, None),
    ("admin@compagnon.example", Role.ADMIN, None, None),
]
# (first name, PIN, structure, team, pictogram, fixed sign-in token)
LEARNERS = [
    ("Amina", "2580", ATELIER, "Espaces verts", "sunflower", "demo-amina-2k7Qx9Lm3Vb"),
    ("Bruno", "1357", ATELIER, "Espaces verts", "bicycle", "demo-bruno-8Hd2Zp4Wc6N"),
    ("Chloé", "3690", ATELIER, "Tri et vente", "butterfly", "demo-chloe-5Rt7Yk1Qs9F"),
    ("Diallo", "4826", RECYCLERIE, None, "lion", "demo-diallo-3Jf6Uv8Ne2T"),
]


@dataclass(frozen=True)
class DemoAccounts:
    staff: list[dict[str, str | None]]
    learners: list[dict[str, str]]


def load_demo() -> DemoAccounts:
    """Create the demo structures, accounts and history unless they already exist."""
    structures: dict[str, Structure] = {}
    teams: dict[tuple[str, str], Team] = {}
    for name, kind, team_names in STRUCTURES:
        structure = db.session.scalar(select(Structure).where(Structure.name == name))
        if structure is None:
            structure = Structure(name=name, kind=kind)
            db.session.add(structure)
            db.session.flush()
        structures[name] = structure
        for team_name in team_names:
            team = db.session.scalar(
                select(Team).where(Team.structure_id == structure.id, Team.name == team_name)
            )
            if team is None:
                team = Team(structure_id=structure.id, name=team_name)
                db.session.add(team)
                db.session.flush()
            teams[(name, team_name)] = team

    for email, role, staff_structure, staff_team in STAFF:
        if db.session.scalar(select(StaffUser).where(StaffUser.email == email)) is None:
            db.session.add(
                StaffUser(
                    email=email,
                    password_hash=hash_secret(DEMO_PASSWORD),
                    role=role,
                    structure_id=structures[staff_structure].id if staff_structure else None,
                    team_id=teams[(staff_structure, staff_team)].id
                    if staff_structure and staff_team
                    else None,
                )
            )

    for first_name, pin, learner_structure, learner_team, pictogram, token in LEARNERS:
        structure = structures[learner_structure]
        learner = db.session.scalar(
            select(Learner).where(
                Learner.structure_id == structure.id, Learner.first_name == first_name
            )
        )
        if learner is None:
            learner = Learner(
                structure_id=structure.id,
                team_id=teams[(learner_structure, learner_team)].id if learner_team else None,
                first_name=first_name,
                pictogram=pictogram,
                pin_hash=hash_secret(pin),
                signin_token=token or new_signin_token(),
            )
            db.session.add(learner)
            db.session.flush()
            if first_name == "Chloé":
                _give_history(learner)
    db.session.flush()
    _give_follow_up(structures[ATELIER])
    give_diagnostics(structures[ATELIER], structures[RECYCLERIE])
    # The entry check: Amina before it, Bruno with a result, Chloé before and after.
    atelier = select(Learner).where(Learner.structure_id == structures[ATELIER].id)
    entry_check.give_demo({lr.first_name: lr for lr in db.session.scalars(atelier)})
    db.session.commit()
    return demo_accounts()


def _give_follow_up(structure: Structure) -> None:
    """Assignments (one overdue), notes, a kiosk and audit lines, once, for the staff screens."""
    exists = db.session.scalar(
        select(Assignment.id).where(Assignment.structure_id == structure.id).limit(1)
    )
    if exists is not None:
        return
    staff = {
        u.email: u
        for u in db.session.scalars(select(StaffUser).where(StaffUser.structure_id == structure.id))
    }
    people = {
        lr.first_name: lr
        for lr in db.session.scalars(select(Learner).where(Learner.structure_id == structure.id))
    }
    cip, encadrant = staff["cip@atelier.example"], staff["encadrant@atelier.example"]
    direction = staff["direction@atelier.example"]
    module_id = _story_modules()[0]
    now = utcnow()
    day = now.date()
    green = people["Amina"].team_id
    db.session.add_all(
        [
            Assignment(
                structure_id=structure.id,
                module_id=module_id,
                team_id=green,
                assigned_by_id=encadrant.id,
                due_date=day + timedelta(days=7),
                message="Avant le chantier du parc, pour créer votre compte sur la tablette.",
                created_at=now - timedelta(days=2),
            ),
            # Overdue and untouched for 20 days: Bruno shows twice in "À suivre".
            Assignment(
                structure_id=structure.id,
                module_id=module_id,
                learner_id=people["Bruno"].id,
                assigned_by_id=cip.id,
                due_date=day - timedelta(days=3),
                message="Pour préparer votre inscription sur France Travail.",
                created_at=now - timedelta(days=20),
            ),
        ]
    )
    db.session.add_all(
        [
            Note(
                structure_id=structure.id,
                learner_id=people["Chloé"].id,
                author_id=cip.id,
                body="A fini le module avec de l'aide sur le nombre de caractères. "
                "Revoir ensemble la phrase de passe au prochain entretien.",
                created_at=now - timedelta(days=2),
            ),
            Note(
                structure_id=structure.id,
                learner_id=people["Bruno"].id,
                author_id=cip.id,
                body="Pas de smartphone pour le moment : utilise la borne de l'accueil.",
                created_at=now - timedelta(days=10),
            ),
        ]
    )
    db.session.add(
        Kiosk(
            structure_id=structure.id,
            token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            label="Borne de l'accueil",
            created_by_id=direction.id,
            created_at=now - timedelta(days=30),
            last_seen_at=now - timedelta(hours=3),
        )
    )
    for actor, action, learner, ago in [
        (cip, AuditAction.ASSIGNED, people["Bruno"], 20),
        (cip, AuditAction.VIEWED_LEARNER, people["Chloé"], 2),
        (cip, AuditAction.WROTE_NOTE, people["Chloé"], 2),
        (direction, AuditAction.EXPORTED, None, 1),
    ]:
        db.session.add(
            AuditEvent(
                structure_id=structure.id,
                actor_id=actor.id,
                action=action,
                learner_id=learner.id if learner else None,
                detail="xlsx 12" if action == AuditAction.EXPORTED else "",
                created_at=now - timedelta(days=ago),
            )
        )


# The module the demo's story starts from (Chloé finished it); the screen basics module, first
# in the list, is the one a new learner starts with, not part of this story.
STORY_MODULE = "mots-de-passe"


def _story_modules() -> list[str]:
    """The modules of the demo's story, in display order, from STORY_MODULE on."""
    ids = list(catalogue.modules())
    return ids[ids.index(STORY_MODULE) :] if STORY_MODULE in ids else ids


def _give_history(learner: Learner) -> None:
    """Chloé finished the first module three days ago, so the CIP home is not empty.

    She needed the answer on the "how many characters" step after three wrong tries, and
    still says "Pas encore" at the end: two reasons for the CIP to follow her up.
    """
    module = catalogue.modules()[_story_modules()[0]]
    start = utcnow() - timedelta(days=3)
    for n, step in enumerate(module.steps):
        at = start + timedelta(minutes=2 * n)
        tries = 2 if step.is_practice and n % 2 else 1
        status = StepStatus.PASSED if step.is_practice else StepStatus.SEEN
        stuck = step.id == "how-many"
        if stuck:
            tries, status = step.max_tries, StepStatus.HELPED
            for k in range(tries):
                db.session.add(
                    ProgressEvent(
                        learner_id=learner.id,
                        module_id=module.id,
                        step_id=step.id,
                        submission_key=f"demo-{learner.id}-{step.id}-wrong-{k}",
                        correct=False,
                        outcome="wrong",
                        created_at=at - timedelta(seconds=30 * (tries - k)),
                    )
                )
        db.session.add(
            Progress(
                learner_id=learner.id,
                module_id=module.id,
                step_id=step.id,
                status=status,
                tries=tries if step.is_practice else 0,
                time_spent_seconds=45 + 10 * n,
                # Her least confident answer, at the start and still at the end.
                value=step.confidence_values[0] if step.confidence_values else None,
                started_at=at,
                completed_at=at,
                updated_at=at,
            )
        )
        if stuck:
            continue  # the third wrong answer above is the event that closed the step
        db.session.add(
            ProgressEvent(
                learner_id=learner.id,
                module_id=module.id,
                step_id=step.id,
                submission_key=f"demo-{learner.id}-{step.id}",
                correct=True if step.is_practice else None,
                outcome="right" if step.is_practice else "seen",
                created_at=at,
            )
        )


# A structure of 150 people has accents, lower-case typing and names from everywhere: the
# CIP home's order and search are tried on them (`flask demo --learners 150`).
MANY_NAMES = [
    "Aïcha", "Awa", "Zoé", "Élodie", "Émile", "amina", "Ibrahima", "Océane", "Yasmine",
    "Kévin", "Nadège", "Ousmane", "Hélène", "Rachid", "Fatoumata", "Grégory", "Inès",
    "Jérôme", "Léa", "Mamadou", "Noémie", "Œnone", "Sébastien", "Thi Lan", "Vanessa",
    "Wassim", "Xavier", "Yanis", "Zakaria", "Ángel",
]  # fmt: skip


def grow_demo(total: int) -> int:
    """Bring the Atelier Démo to `total` active learners, some with progress, one team
    assignment overdue and one PIN locked; return how many were added. Idempotent."""
    from companion.services.scale import add_learners

    structure = db.session.scalar(select(Structure).where(Structure.name == ATELIER))
    if structure is None:
        raise LookupError("load the demo first")
    have = len(
        db.session.scalars(
            select(Learner.id).where(
                Learner.structure_id == structure.id, Learner.archived.is_(False)
            )
        ).all()
    )
    if have >= total:
        return 0
    teams = {t.name: t.id for t in structure.teams}
    team_ids = [teams["Espaces verts"], teams["Tri et vente"], None]
    added, _progress, _events = add_learners(
        structure.id, total - have, events=14, team_ids=team_ids, names=MANY_NAMES
    )
    modules = _story_modules()
    now = utcnow()
    if len(modules) > 1 and not db.session.scalar(
        select(Assignment.id).where(
            Assignment.team_id == teams["Tri et vente"], Assignment.module_id == modules[1]
        )
    ):
        db.session.add(
            Assignment(
                structure_id=structure.id,
                module_id=modules[1],
                team_id=teams["Tri et vente"],
                due_date=now.date() - timedelta(days=5),
                message="Pour le salon de l'emploi.",
                created_at=now - timedelta(days=20),
            )
        )
    someone = db.session.scalar(
        select(Learner)
        .where(Learner.structure_id == structure.id, Learner.first_name == "Awa")
        .order_by(Learner.id)
        .limit(1)
    )
    if someone is not None:
        # A second lock-out in a row: one hour (services/accounts.py).
        someone.failed_pin_count = 0
        someone.pin_lockouts = 2
        someone.locked_until = now + timedelta(hours=1)
    db.session.commit()
    return added


def demo_accounts() -> DemoAccounts:
    """The demo identities, as `flask demo --json` prints them."""
    from flask import url_for

    staff = [
        {"email": e, "password": DEMO_PASSWORD, "role": r.value, "structure": s}
        for e, r, s, _ in STAFF
    ]
    learners = [
        {
            "name": name,
            "pin": pin,
            "structure": structure,
            "signin_path": url_for("learner.link_signin", token=token),
        }
        for name, pin, structure, _team, _p, token in LEARNERS
    ]
    return DemoAccounts(staff=staff, learners=learners)
