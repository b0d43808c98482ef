"""Helpers to answer module steps the way a learner would, through the real forms."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from companion.catalogue.steps import StepBase
from tests.conftest import csrf_from
from tests.steps import ANSWERERS

KEY_RE = re.compile(r'name="submission_key" value="([^"]+)"')
SHOWN_RE = re.compile(r'name="shown_at" value="([^"]+)"')


def right_answer(step: StepBase) -> dict[str, Any]:
    result: dict[str, Any] = ANSWERERS[step.type_name].right_answer(step)
    return result


def wrong_answer(step: StepBase) -> dict[str, Any]:
    answer: dict[str, Any] | None = ANSWERERS[step.type_name].wrong_answer(step)
    if answer is None:
        raise ValueError(f"step {step.id} cannot be wrong")
    return answer


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
