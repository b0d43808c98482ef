"""Synthetic data at regional scale, for benchmarks, query plans and the query-budget test.

Rows go in through the database driver in bulk (COPY on PostgreSQL, in its binary format
for the two big tables; executemany in blocks on SQLite), never through the ORM one object at
a time, in one transaction. PINs and passwords are hashed once and the hash reused: argon2
costs tens of milliseconds and 35,000 learners would take half an hour.
"""

from __future__ import annotations

import random
import secrets
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    total: int = 0  # structures asked for
    # "rows" while the structures go in, then "indexes", "commit", "statistics", "done";
    # the seconds each phase took (where the time goes).
    phase: str = "rows"
    phases: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    mark: float = field(default_factory=time.perf_counter)


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


def _copy_value(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value.__class__ is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # The text form SQLAlchemy's SQLite DateTime reads back (always UTC here).
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def bulk_insert(
    table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], encoded: bool = False
) -> int:
    """Insert rows (tuples in `columns` order) in the current transaction; return the count.

    `encoded`: each value is already in the form `_encoding()` gives (on PostgreSQL, a
    field of COPY's binary format), so nothing is converted here; otherwise plain values
    (COPY's text format on PostgreSQL)."""
    connection = db.session.connection()
    dbapi: Any = connection.connection.driver_connection
    dialect = connection.dialect.name
    count = 0
    if dialect == "postgresql" and encoded:
        head = struct.pack(">h", len(columns))
        copy = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN (FORMAT binary)"
        with dbapi.cursor() as cursor, cursor.copy(copy) as cp:
            cp.write(PG_SIGNATURE)
            # Blocks of rows: the server reads one while the next is being made.
            for chunk in _chunks(rows, BATCH):
                cp.write(b"".join([head + b"".join(row) for row in chunk]))
                count += len(chunk)
            cp.write(PG_TRAILER)
        return count
    if dialect == "postgresql":
        with (
            dbapi.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as cp,
        ):
            for chunk in _chunks(rows, BATCH):
                cp.write("".join(["\t".join(map(_copy_value, row)) + "\n" for row in chunk]))
                count += len(chunk)
        return count
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    cursor = dbapi.cursor()
    try:
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(
                sql, chunk if encoded else [tuple(map(_sqlite_value, row)) for row in chunk]
            )
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


UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
# COPY's binary format (PostgreSQL's documentation, "COPY", "Binary Format"): a signature,
# then per row the number of fields and each field as its length and its bytes in the
# type's binary form; -1 for NULL; a timestamp is microseconds since 2000-01-01 UTC.
PG_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
PG_TRAILER = b"\xff\xff"
PG_EPOCH_US = 946_684_800_000_000
_INT4 = struct.Struct(">ii").pack
_INT8 = struct.Struct(">iq").pack
_LENGTH = struct.Struct(">i").pack


def _pg_text(value: str) -> bytes:
    data = value.encode()
    return _LENGTH(len(data)) + data


def _pg_int(value: int) -> bytes:
    return _INT4(4, value)


def _pg_stamp(us: int) -> bytes:
    return _INT8(8, us - PG_EPOCH_US)


def _sqlite_stamp(us: int) -> str:
    # The text form SQLAlchemy's SQLite DateTime reads back (as _sqlite_value).
    return (UNIX_EPOCH + us * MICROSECOND).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class _Encoding:
    """Values as the driver takes them: on PostgreSQL each field in COPY's binary format
    (parsing millions of timestamps as text was most of the server's work), plain Python
    values on SQLite. Moments are given as microseconds since 1970 (integer arithmetic in
    the loop, no datetime objects)."""

    binary: bool
    true: Any
    false: Any
    null: Any
    number: Callable[[int], Any]
    text: Callable[[str], Any]
    stamp: Callable[[int], Any]


def _encoding() -> _Encoding:
    if db.session.get_bind().dialect.name == "postgresql":
        return _Encoding(
            True, b"\x00\x00\x00\x01\x01", b"\x00\x00\x00\x01\x00", b"\xff\xff\xff\xff",
            _pg_int, _pg_text, _pg_stamp,
        )  # fmt: skip
    return _Encoding(False, True, False, None, int, str, _sqlite_stamp)


LEARNER_COLUMNS = (
    "structure_id", "team_id", "first_name", "initial", "name_key", "pictogram", "pin_hash",
    "locale", "signin_token", "archived", "failed_pin_count", "created_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "learner_id", "module_id", "step_id", "submission_key", "correct", "outcome", "created_at",
)  # fmt: skip
PROGRESS_COLUMNS = (
    "learner_id", "module_id", "step_id", "status", "tries", "time_spent_seconds", "value",
    "started_at", "completed_at", "updated_at",
)  # fmt: skip


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
    bulk_insert(Learner.__table__, LEARNER_COLUMNS, learner_rows)  # type: ignore[arg-type]
    tokens = [row[8] for row in learner_rows]
    ids: list[int] = []
    for chunk in _chunks([(t,) for t in tokens], 5_000):
        ids.extend(
            db.session.scalars(
                select(Learner.id)
                .where(Learner.signin_token.in_([t for (t,) in chunk]))
                .order_by(Learner.id)
            )
        )
    if events <= 0:
        return len(ids), 0, 0
    n_progress, n_events = _add_history(ids, events, rng, now)
    return len(ids), n_progress, n_events


def _add_history(
    ids: Sequence[int], events: int, rng: random.Random, now: datetime
) -> tuple[int, int]:
    """Each learner works through the steps in order, again and again, starting somewhere
    in the last 90 days: one event per answer, one progress row per step reached."""
    enc = _encoding()
    steps = [
        (enc.text(m.id), enc.text(s.id), s.is_practice)
        for m in catalogue.modules().values()
        for s in m.steps
    ]
    n_steps = len(steps)
    if not n_steps:
        return 0, 0
    # (correct, outcome) and (status, tries) as the driver takes them; enum names, as the ORM.
    right, wrong = (enc.true, enc.text("right")), (enc.false, enc.text("wrong"))
    seen = (enc.null, enc.text("seen"))
    passed = (enc.text(StepStatus.PASSED.name), enc.number(1))
    looked = (enc.text(StepStatus.SEEN.name), enc.number(0))
    number, string, stamp, null = enc.number, enc.text, enc.stamp, enc.null
    uniform, bits = rng.random, rng.getrandbits
    now_us = (now - UNIX_EPOCH) // MICROSECOND
    progress_rows: list[tuple[Any, ...]] = []
    add_progress = progress_rows.append

    def event_rows() -> Iterator[tuple[Any, ...]]:
        for learner_id in ids:
            learner = number(learner_id)
            at = now_us - int(rng.uniform(1, 90) * 86_400_000_000)
            for k in range(events):
                module_id, step_id, practice = steps[k % n_steps]
                # 20 to 240 seconds on a step (cheaper than rng.randint).
                at += (20 + int(uniform() * 221)) * 1_000_000
                moment = stamp(at)
                correct, outcome = (right if uniform() < 0.8 else wrong) if practice else seen
                if k < n_steps:
                    status, tries = passed if practice else looked
                    add_progress(
                        (
                            learner, module_id, step_id, status, tries,
                            number(20 + int(uniform() * 221)), null, moment, moment, moment,
                        )
                    )  # fmt: skip
                yield (
                    learner,
                    module_id,
                    step_id,
                    string(f"s-{learner_id}-{k}-{bits(48):012x}"),
                    correct,
                    outcome,
                    moment,
                )

    table = ProgressEvent.__table__
    n_events = bulk_insert(table, EVENT_COLUMNS, event_rows(), encoded=True)  # type: ignore[arg-type]
    table = Progress.__table__
    n_progress = bulk_insert(table, PROGRESS_COLUMNS, progress_rows, encoded=True)  # type: ignore[arg-type]
    return n_progress, n_events


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


# The two big tables. For a load larger than what they hold, PostgreSQL's own advice for
# populating a database is followed: their primary keys, unique and foreign-key constraints
# and plain indexes are dropped, the rows go in with COPY, then each is built again in one pass (a
# sort, a join) instead of 3.5 million checks and insertions each; the checks still run,
# once, when the constraints come back. All of it is one transaction: a failure leaves the
# database as it was, constraints included (DDL is transactional on PostgreSQL).
BULK_TABLES = ("progress_event", "progress")
BULK_MIN_EVENTS = 100_000


def _bulk_definitions() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The primary keys, unique and foreign-key constraints (in the order they can be added
    back: keys first), and the other indexes, of the big tables."""
    constraints: list[tuple[str, str, str]] = []
    indexes: list[tuple[str, str]] = []
    for table in BULK_TABLES:
        constraints += [
            (table, str(name), str(definition))
            for name, definition in db.session.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('p', 'u', 'f') "
                    "ORDER BY contype = 'f', contype = 'u'"
                ),
                {"t": table},
            )
        ]
        indexes += [
            (str(name), str(definition))
            for name, definition in db.session.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t "
                    "AND schemaname = current_schema() AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))"
                ),
                {"t": table},
            )
        ]
    return constraints, indexes


def _existing_events() -> int:
    """PostgreSQL's estimate of the events already there (as of its last ANALYZE)."""
    # The table of the current schema (regclass), not any table of that name.
    existing = db.session.scalar(
        text(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = CAST(:t AS regclass)"
        ),
        {"t": "progress_event"},
    )
    return int(existing or 0)


@contextmanager
def _bulk_load(
    expected_events: int, report: ScaleReport, progress: Progress_ | None
) -> Iterator[None]:
    """PostgreSQL: no wait for the disk at commit, and, for a large load, constraints and
    indexes of the big tables rebuilt at the end (above), in the load's transaction.
    SQLite: nothing. The caller commits."""
    if db.session.get_bind().dialect.name != "postgresql":
        yield
        return
    # SET LOCAL: for this transaction only, whatever happens.
    db.session.execute(text("SET LOCAL synchronous_commit TO off"))
    db.session.execute(text("SET LOCAL maintenance_work_mem TO '256MB'"))
    constraints: list[tuple[str, str, str]] = []
    indexes: list[tuple[str, str]] = []
    if expected_events >= max(_existing_events(), BULK_MIN_EVENTS):
        constraints, indexes = _bulk_definitions()
        for table, name, _definition in constraints:
            db.session.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
        for name, _definition in indexes:
            db.session.execute(text(f'DROP INDEX "{name}"'))
    yield
    if constraints or indexes:
        _phase(report, progress, "indexes")
        for table, name, definition in constraints:
            db.session.execute(text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'))
        for _name, definition in indexes:
            db.session.execute(text(definition))


Progress_ = Callable[["ScaleReport", int], None]


def _phase(report: ScaleReport, progress: Progress_ | None, phase: str) -> None:
    """Close the running phase's clock, start `phase`'s, tell the progress line."""
    now = time.perf_counter()
    report.phases[report.phase] = report.phases.get(report.phase, 0.0) + now - report.mark
    report.phase, report.mark = phase, now
    if progress is not None and phase != "done":
        progress(report, report.total)


def seed_scale(
    structures: int,
    learners: int,
    events: int,
    seed: int = 0,
    progress: Progress_ | None = None,
) -> ScaleReport:
    """Create `structures` structures named "Échelle NNNN", each with two teams, a CIP and
    `learners` learners who answered `events` times each, in one transaction.

    `progress(report, structures)` is called after each structure, then once per later
    phase (`report.phase`: "indexes", "commit", "statistics"): the command's progress line."""
    report = ScaleReport(total=structures)
    try:
        with _bulk_load(structures * learners * events, report, progress):
            _seed(structures, learners, events, seed, report, progress)
        _phase(report, progress, "commit")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if db.session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, so the planner sees the tables as they now are.
        _phase(report, progress, "statistics")
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    _phase(report, progress, "done")
    report.seconds = time.perf_counter() - report.started
    return report


def _seed(
    structures: int,
    learners: int,
    events: int,
    seed: int,
    report: ScaleReport,
    progress: Progress_ | None,
) -> None:
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
        report.structures += 1
        report.learners += n_learners
        report.progress += n_progress
        report.events += n_events
        if progress is not None:
            progress(report, structures)
