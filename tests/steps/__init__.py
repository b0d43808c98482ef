"""How a test answers each step type: one module per type, found automatically.

Each module defines TYPE (the step type's name) and:
- right_answer(step) -> dict of form fields that answer the step right (test client);
- wrong_answer(step) -> dict of form fields that answer it wrong, or None if it cannot be wrong;
- answer_in_browser(page, step) -> None: do what a learner does in Chromium so the step
  ends finished (practice steps: answer right and follow "Étape suivante");
- fill_in_browser(page, step) -> None (practice steps): the same right answer, up to
  "Je vérifie", which it does not press;
- send_in_browser(page, step) -> None (optional): how the answer filled in is sent, for a
  step with no "Je vérifie" button (tap_targets: the press on the last round).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

ANSWERERS: dict[str, ModuleType] = {}
for _info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    ANSWERERS[_module.TYPE] = _module
