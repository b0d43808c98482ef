"""What the content check asks of an entry check (kind: check): each measured step names an
area, and each area is a module of the catalogue or the screen basics."""

from __future__ import annotations

from collections.abc import Iterable

from companion.catalogue.schema import Module

# The screen-basics module measures whether a learner can use a screen at all. It is an area
# even in a catalogue without it, so a check can ask about it before the module is there;
# it is only recommended when the catalogue has it (services/entry_check.py).
SCREEN_BASICS = "prendre-en-main-ecran"


def is_check(module: Module) -> bool:
    return module.meta.kind == "check"


def check_areas(modules: Iterable[Module]) -> list[str]:
    """Errors in the areas of every check among `modules` (empty when all is well)."""
    modules = list(modules)
    known = {m.id for m in modules if not is_check(m)} | {SCREEN_BASICS}
    errors: list[str] = []
    for module in (m for m in modules if is_check(m)):
        where = f"{module.id}/module.yaml: areas"
        step_ids = set(module.step_ids)
        for step_id, area in module.meta.areas.items():
            if step_id not in step_ids:
                errors.append(f"{where}: no step '{step_id}' in the check")
            if area not in known:
                errors.append(f"{where}: step '{step_id}': unknown area '{area}'")
        for step in module.steps:
            measured = step.is_practice or step.confidence_moment is not None
            if measured and step.id not in module.meta.areas:
                errors.append(f"{where}: step '{step.id}' measures nothing (give it an area)")
    return errors
