"""Helpers to answer module steps the way a learner would, through the real forms."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from companion.catalogue.steps import ChooseStep, ConfidenceStep, StepBase, TypeStep
from tests.conftest import csrf_from

KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')
SHOWN_RE = re.compile(r'name="shown_at" value="([^"]+)"')


def right_answer(step: StepBase) -> dict[str, Any]:
    if isinstance(step, ChooseStep):
        return {"choice": [o.id for o in step.options if o.correct]}
    if isinstance(step, TypeStep):
        return {"answer": step.accepted[0]}
    if isinstance(step, ConfidenceStep):
        return {"confidence": "yes"}
    return {}


def wrong_answer(step: StepBase) -> dict[str, Any]:
    if isinstance(step, ChooseStep):
        return {"choice": [next(o.id for o in step.options if not o.correct)]}
    if isinstance(step, TypeStep):
        return {"answer": "certainement pas ça"}
    raise ValueError(f"step {step.id} cannot be wrong")


def form_fields(html: str) -> dict[str, str]:
    key = KEY_RE.search(html)
    shown = SHOWN_RE.search(html)
    assert key, "no answer form in the page"
    assert shown, "no answer form in the page"
    return {
        "csrf_token": csrf_from(html),
        "submission_key": key.group(1),
        "shown_at": shown.group(1),
    }


def submit(client: FlaskClient, url: str, answer: dict[str, Any]) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={**form_fields(page.get_data(as_text=True)), **answer})


def step_url(module_id: str, step_id: str) -> str:
    return f"/learn/modules/{module_id}/steps/{step_id}"
