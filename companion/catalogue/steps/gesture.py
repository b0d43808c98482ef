"""gesture: practise a gesture a form cannot see (scroll, swipe, zoom, long press, double-click).

static/js/steps/gesture.js watches the practice zone and says "Bravo" when the gesture is
done (it also accepts the keyboard's way: arrow keys, Enter, the menu key, Ctrl and +).
"Je continue" is always there: without the script the page says it cannot see the gesture,
the learner tries it and goes on. The step is only seen, never right or wrong.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field
from werkzeug.datastructures import MultiDict

from companion.catalogue.steps.base import Outcome, StepBase, StepContext

Gesture = Literal["scroll", "swipe", "zoom", "long_press", "double_click"]


class GestureStep(StepBase):
    type: Literal["gesture"]
    gesture: Gesture
    # What to do, in one or two short sentences.
    text: str = Field(min_length=1, max_length=240)
    # The way to do it with a keyboard, or on the other kind of screen.
    other_way: str = Field(min_length=1, max_length=240)
    # Shown by the script once the gesture is done.
    success: str = Field(min_length=1, max_length=160)

    script: ClassVar[str | None] = "gesture.js"
    data_fields: ClassVar[frozenset[str]] = frozenset({"gesture"})

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        return Outcome(correct=None)

    def texts(self) -> list[str]:
        return [self.title, self.text, self.other_way, self.success]
