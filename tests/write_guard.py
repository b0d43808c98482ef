"""Only services write: a guard on SQLAlchemy's events, on for the whole test suite.

import-linter (pyproject.toml, contract "only-services-write") keeps the database session
out of every module but the services; this guard covers what an import cannot show: a view
or a template that changes a row it was given (`learner.first_name = …`), adds one to the
session or commits. Each such event looks at who asked for it: the nearest caller in
`companion` (models and extensions are only the means, so they are passed over) must be a
service or a flask command; code of the tests themselves (fixtures that set up data) and
code outside `companion` (Alembic's migrations) may write too. Anything else raises
WriteOutsideServices at the line that wrote, so the test that exercised it fails.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from companion.models import Base

ALLOWED = ("companion.services.", "companion.cli.", "tests")
PASSED_OVER = ("companion.models", "companion.extensions")


class WriteOutsideServices(AssertionError):
    """Code outside companion.services changed the database."""


def culprit(frame: FrameType | None) -> str | None:
    """'module:line' of the nearest `companion` caller that may not write, else None."""
    while frame is not None:
        name = str(frame.f_globals.get("__name__", ""))
        if name.startswith(ALLOWED):
            return None
        if name.startswith("companion") and not name.startswith(PASSED_OVER):
            return f"{name}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def _refuse(what: str) -> None:
    where = culprit(sys._getframe(2))
    if where is not None:
        raise WriteOutsideServices(f"{what} from {where}: only companion.services may write")


def _on_set(target: Any, value: Any, old: Any, initiator: Any) -> None:
    # New objects are caught when they are added to the session; here, rows already stored.
    if inspect(target).persistent and value is not old:
        _refuse(f"{type(target).__name__}.{initiator.key} changed")


def _on_collection(target: Any, value: Any, initiator: Any) -> None:
    if inspect(target).persistent:
        _refuse(f"{type(target).__name__}.{initiator.key} changed")


def _on_add(session: Session, instance: Any) -> None:
    _refuse(f"a new {type(instance).__name__} added")


def _on_delete(session: Session, instance: Any) -> None:
    _refuse(f"{type(instance).__name__} deleted")


def _on_commit(session: Session) -> None:
    _refuse("a commit")


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _refuse("an INSERT, UPDATE or DELETE statement")


def _listeners() -> list[tuple[Any, str, Any]]:
    found: list[tuple[Any, str, Any]] = [
        (Session, "transient_to_pending", _on_add),
        (Session, "persistent_to_deleted", _on_delete),
        (Session, "before_commit", _on_commit),
        (Session, "do_orm_execute", _on_execute),
    ]
    for mapper in Base.registry.mappers:
        for attribute in mapper.attrs:
            instrumented = getattr(mapper.class_, attribute.key)
            found.append((instrumented, "set", _on_set))
            if getattr(attribute, "uselist", False):
                found.append((instrumented, "append", _on_collection))
                found.append((instrumented, "remove", _on_collection))
    return found


@contextmanager
def only_services_write() -> Iterator[None]:
    """The guard on while the block runs."""
    listeners = _listeners()
    for target, name, function in listeners:
        event.listen(target, name, function)
    try:
        yield
    finally:
        for target, name, function in listeners:
            event.remove(target, name, function)
