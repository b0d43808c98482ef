"""The step types. Adding one is a module here (schema and check) plus its template."""

from __future__ import annotations

from companion.catalogue.steps.base import BadAnswer, EmptyAnswer, Outcome, StepBase
from companion.catalogue.steps.choose import ChooseStep
from companion.catalogue.steps.confidence import ConfidenceStep
from companion.catalogue.steps.explain import ExplainStep
from companion.catalogue.steps.type_answer import TypeStep

STEP_TYPES: dict[str, type[StepBase]] = {
    "explain": ExplainStep,
    "choose": ChooseStep,
    "type": TypeStep,
    "confidence": ConfidenceStep,
}

__all__ = [
    "STEP_TYPES",
    "BadAnswer",
    "ChooseStep",
    "ConfidenceStep",
    "EmptyAnswer",
    "ExplainStep",
    "Outcome",
    "StepBase",
    "TypeStep",
]
