"""The step types: the modules of this package, plus those registered from outside (base.py).

A step type kept elsewhere (a plug-in, a test's toy type) is registered before the app loads
its content, either by calling `register_step_type(TheStep)` or by declaring an entry point
in the group `companion.step_types` whose value is the class (or a module holding step
classes): they are loaded when this package is first imported.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from importlib.metadata import entry_points
from types import ModuleType

from companion.catalogue.steps.base import (
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepBase,
    StepContext,
)
from companion.catalogue.steps.choose import ChooseStep
from companion.catalogue.steps.confidence import ConfidenceStep
from companion.catalogue.steps.explain import ExplainStep
from companion.catalogue.steps.type_answer import TypeStep

ENTRY_POINT_GROUP = "companion.step_types"

STEP_TYPES: dict[str, type[StepBase]] = {}


def step_type_name(cls: type[StepBase]) -> str:
    """The name content files give the type: its `type: Literal["name"]` field."""
    field = cls.model_fields.get("type")
    names = typing.get_args(field.annotation) if field is not None else ()
    if len(names) != 1 or not isinstance(names[0], str):
        raise TypeError(f'{cls.__name__} needs a field `type: Literal["its name"]`')
    name: str = names[0]
    return name


def register_step_type(cls: type[StepBase]) -> type[StepBase]:
    """Make a step type known to content files; usable as a class decorator.

    Registering the same class again does nothing; another class under a taken name is
    refused, so a plug-in cannot silently replace a shipped type.
    """
    if not (isinstance(cls, type) and issubclass(cls, StepBase)):
        raise TypeError(f"{cls!r} is not a StepBase subclass")
    name = step_type_name(cls)
    known = STEP_TYPES.get(name)
    if known is not None and known is not cls:
        raise RuntimeError(f"two step types are named {name!r}: {known!r} and {cls!r}")
    STEP_TYPES[name] = cls
    return cls


def _step_classes(module: ModuleType) -> list[type[StepBase]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, StepBase)
        and value.__module__ == module.__name__
        and "type" in value.model_fields
    ]


def _discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base" or info.name.startswith("_"):
            continue
        for cls in _step_classes(importlib.import_module(f"{__name__}.{info.name}")):
            register_step_type(cls)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()
        for cls in _step_classes(loaded) if isinstance(loaded, ModuleType) else [loaded]:
            register_step_type(cls)


_discover()

__all__ = [
    "ENTRY_POINT_GROUP",
    "STEP_TYPES",
    "BadAnswer",
    "ChooseStep",
    "ConfidenceStep",
    "EmptyAnswer",
    "ExplainStep",
    "Outcome",
    "PracticeStep",
    "StepBase",
    "StepContext",
    "TypeStep",
    "register_step_type",
]
