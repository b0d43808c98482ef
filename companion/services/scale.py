"""Synthetic data at regional scale, for benchmarks, query plans and the query-budget test.

Rows go in through the database driver in bulk (COPY on PostgreSQL, executemany on SQLite),
never through the ORM one object at a time. PINs and passwords are hashed once and the hash
reused: argon2 costs tens of milliseconds and 35,000 learners would take half an hour.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from companion import catalogue
from companion.extensions import db
from companion.models import (
    Learner,
    Progress,
    ProgressEvent,
    Role,
    StaffUser,
    StepStatus,
    Structure,
    StructureKind,
    Team,
)
from companion.models.names import learner_key
from companion.services.passwords import hash_secret

SCALE_PIN = "2468"
SCALE_PASSWORD = "Scale-Compagnon-2026"  # noqa: S105 - published for benchmarks, fake data only
SCALE_PREFIX = "Échelle"
FIRST_NAMES = [
    "Amina", "Bruno", "Chloé", "Diallo", "Élodie", "Farid", "Gaëlle", "Hugo", "Inès", "Jules",
    "Karima", "Louis", "Malik", "Nadia", "Omar", "Paula", "Quentin", "Rania", "Samir", "Théa",
]  # fmt: skip
PICTOGRAMS = ["sunflower", "bicycle", "butterfly", "lion", "apple", "bird", "cat", "dog"]
BATCH = 20_000


@dataclass
class ScaleReport:
    structures: int = 0
    learners: int = 0
    progress: int = 0
    events: int = 0
    seconds: float = 0.0


class _Hashes:
    """One argon2 hash of the fake PIN and one of the fake password, made on first use."""

    def __init__(self) -> None:
        self._pin: str | None = None
        self._password: str | None = None

    @property
    def pin(self) -> str:
        if self._pin is None:
            self._pin = hash_secret(SCALE_PIN)
        return self._pin

    @property
    def password(self) -> str:
        if self._password is None:
            self._password = hash_secret(SCALE_PASSWORD)
        return self._password


HASHES = _Hashes()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # The text form SQLAlchemy's SQLite DateTime reads back (always UTC here).
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def bulk_insert(table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (tuples in `columns` order) in the current transaction; return the count."""
    connection = db.session.connection()
    dbapi: Any = connection.connection.driver_connection
    dialect = connection.dialect.name
    count = 0
    if dialect == "postgresql":
        names = ", ".join(columns)
        with dbapi.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
                count += 1
        return count
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    cursor = dbapi.cursor()
    try:
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in chunk])
            count += len(chunk)
    finally:
        cursor.close()
    return count


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    chunk: list[Sequence[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def add_learners(
    structure_id: int,
    count: int,
    events: int,
    team_ids: Sequence[int | None] = (None,),
    seed: int = 0,
    now: datetime | None = None,
    names: Sequence[str] = FIRST_NAMES,
) -> tuple[int, int, int]:
    """Add `count` fake learners to a structure, each with `events` answers and the progress
    those answers leave; return (learners, progress rows, events). Does not commit."""
    rng = random.Random(seed)  # noqa: S311 - fake data, reproducible on purpose
    now = now or datetime.now(UTC)
    pin_hash = HASHES.pin
    taken = db.session.scalar(
        select(func.count()).select_from(Learner).where(Learner.structure_id == structure_id)
    )
    start = int(taken or 0)
    learner_rows = []
    for n in range(start, start + count):
        first_name, initial = names[n % len(names)], _initial(n, len(names))
        learner_rows.append(
            (
                structure_id,
                team_ids[n % len(team_ids)],
                first_name,
                initial,
                # The raw insert skips the column's default: set the folded key here, so that
                # these people are unique like any other ("Amina A" beside "amina A").
                learner_key(first_name, initial),
                PICTOGRAMS[n % len(PICTOGRAMS)],
                pin_hash,
                "fr",
                f"scale-{structure_id}-{n}-{secrets.token_urlsafe(9)}",
                False,
                0,
                now,
            )
        )
    bulk_insert(
        Learner.__table__,  # type: ignore[arg-type]
        (
            "structure_id", "team_id", "first_name", "initial", "name_key", "pictogram", "pin_hash",
            "locale", "signin_token", "archived", "failed_pin_count", "created_at",
        ),
        learner_rows,
    )  # fmt: skip
    tokens = [row[8] for row in learner_rows]
    ids: list[int] = []
    for chunk in _chunks([(t,) for t in tokens], 5_000):
        ids.extend(
            db.session.scalars(
                select(Learner.id).where(Learner.signin_token.in_([t for (t,) in chunk]))
            )
        )
    steps = [(m.id, s.id, s.is_practice) for m in catalogue.modules().values() for s in m.steps]
    if not steps or events <= 0:
        return len(ids), 0, 0

    progress_rows: list[tuple[Any, ...]] = []

    def event_rows() -> Iterator[tuple[Any, ...]]:
        for learner_id in ids:
            # Each learner works through the steps in order, trying some practice steps twice,
            # starting somewhere in the last 90 days.
            at = now - timedelta(days=rng.uniform(1, 90))
            tries: dict[int, int] = {}
            for k in range(events):
                index = k % len(steps)
                module_id, step_id, practice = steps[index]
                at += timedelta(seconds=rng.randint(20, 240))
                correct = rng.random() < 0.8 if practice else None
                tries[index] = tries.get(index, 0) + 1
                if k < len(steps):
                    progress_rows.append(
                        (
                            learner_id, module_id, step_id,
                            # Enum columns store the member's name, as the ORM writes it.
                            (StepStatus.PASSED if practice else StepStatus.SEEN).name,
                            1 if practice else 0, rng.randint(20, 240), None, at, at, at,
                        )
                    )  # fmt: skip
                yield (
                    learner_id,
                    module_id,
                    step_id,
                    f"s-{learner_id}-{k}-{rng.getrandbits(48):012x}",
                    correct,
                    "right" if correct else ("wrong" if practice else "seen"),
                    at,
                )

    n_events = bulk_insert(
        ProgressEvent.__table__,  # type: ignore[arg-type]
        ("learner_id", "module_id", "step_id", "submission_key", "correct", "outcome",
         "created_at"),
        event_rows(),
    )  # fmt: skip
    n_progress = bulk_insert(
        Progress.__table__,  # type: ignore[arg-type]
        ("learner_id", "module_id", "step_id", "status", "tries", "time_spent_seconds",
         "value", "started_at", "completed_at", "updated_at"),
        progress_rows,
    )  # fmt: skip
    return len(ids), n_progress, n_events


def _initial(n: int, names: int = len(FIRST_NAMES)) -> str:
    # (first name, initial) is unique in a structure: spell n in letters after the first name.
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    block = n // names
    out = ""
    while True:
        out = letters[block % 26] + out
        block //= 26
        if not block:
            return out


def seed_scale(structures: int, learners: int, events: int, seed: int = 0) -> ScaleReport:
    """Create `structures` structures named "Échelle NNNN", each with two teams, a CIP and
    `learners` learners who answered `events` times each; commit per structure."""
    started = time.perf_counter()
    report = ScaleReport()
    existing = db.session.scalar(
        select(func.count()).select_from(Structure).where(Structure.name.like(f"{SCALE_PREFIX}%"))
    )
    first = int(existing or 0) + 1
    password_hash = HASHES.password
    for number in range(first, first + structures):
        structure = Structure(name=f"{SCALE_PREFIX} {number:04d}", kind=StructureKind.ACI)
        db.session.add(structure)
        db.session.flush()
        teams = [Team(structure_id=structure.id, name=name) for name in ("Équipe A", "Équipe B")]
        db.session.add_all(teams)
        db.session.flush()
        db.session.execute(
            insert(StaffUser),
            [
                {
                    "email": f"cip-{number:04d}@scale.example",
                    "password_hash": password_hash,
                    "role": Role.CIP,
                    "structure_id": structure.id,
                },
            ],
        )
        n_learners, n_progress, n_events = add_learners(
            structure.id, learners, events, [t.id for t in teams], seed=seed + number
        )
        db.session.commit()
        report.structures += 1
        report.learners += n_learners
        report.progress += n_progress
        report.events += n_events
    if db.session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, so the planner sees the tables as they now are.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    report.seconds = time.perf_counter() - started
    return report
