"""The step types, discovered from the modules of this package (see base.py)."""

from __future__ import annotations

import importlib
import pkgutil
import typing

from companion.catalogue.steps.base import (
    BadAnswer,
    EmptyAnswer,
    Outcome,
    StepBase,
    StepContext,
)
from companion.catalogue.steps.choose import ChooseStep
from companion.catalogue.steps.confidence import ConfidenceStep
from companion.catalogue.steps.explain import ExplainStep
from companion.catalogue.steps.type_answer import TypeStep


def _discover() -> dict[str, type[StepBase]]:
    found: dict[str, type[StepBase]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, StepBase)
                and value.__module__ == module.__name__
                and "type" in value.model_fields
            ):
                (name,) = typing.get_args(value.model_fields["type"].annotation)
                if name in found:
                    raise RuntimeError(f"two step types are named {name!r}")
                found[name] = value
    return found


STEP_TYPES: dict[str, type[StepBase]] = _discover()

__all__ = [
    "STEP_TYPES",
    "BadAnswer",
    "ChooseStep",
    "ConfidenceStep",
    "EmptyAnswer",
    "ExplainStep",
    "Outcome",
    "StepBase",
    "StepContext",
    "TypeStep",
]
