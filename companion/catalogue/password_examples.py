"""Passwords a module shows as examples, with the verdict its text gives them, checked by the
one estimator (password_strength.py): `flask content check` fails when a step calls an
example strong (or weak) and the lab would say otherwise, in any language.

An author marks them on the step that shows them:

    password_examples:
      - text: Jardin#Bleu7
        verdict: weak
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from companion.catalogue.password_strength import TARGET_BITS, estimate


class PasswordExample(BaseModel):
    """A password shown in a step's text, and what the text says of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    verdict: Literal["strong", "weak"]


def check_examples(
    where: str, step_id: str, examples: list[PasswordExample], texts: list[str]
) -> list[str]:
    """Errors for the examples of one step: not in the step's text, or a wrong verdict."""
    errors = []
    shown = "\n".join(texts)
    for n, example in enumerate(examples, start=1):
        label = f"{where}: step '{step_id}': password_examples[{n}] «{example.text}»"
        if example.text not in shown:
            errors.append(f"{label}: not found in the step's text")
            continue
        bits = estimate(example.text).bits
        found = "strong" if bits >= TARGET_BITS else "weak"
        if found != example.verdict:
            errors.append(
                f"{label}: the text calls it {example.verdict}, but the password lab "
                f"measures {bits} bits (target {TARGET_BITS}): {found}"
            )
    return errors
