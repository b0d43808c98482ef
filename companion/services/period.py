"""A reporting period: days in Paris, a team, present or left learners (exports, statistics)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement

from companion.models import Learner, Progress
from companion.services.assignments import PARIS


class People(enum.StrEnum):
    PRESENT = "present"  # learners of the structure today
    LEFT = "left"  # archived learners (sortis), their anonymised rows included once erased
    ALL = "all"


@dataclass(frozen=True)
class Period:
    """Which activity counts. Without days, all of it; by default everyone, left or not:
    a year's report keeps every person trained that year."""

    start: date | None = None  # activity on or after this day
    end: date | None = None  # activity on or before this day
    team_id: int | None = None
    people: People = People.ALL

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The period as instants: from the start of `start` to the end of `end`, in Paris."""
        since = datetime.combine(self.start, time.min, PARIS) if self.start else None
        until = None
        if self.end is not None:
            until = datetime.combine(self.end + timedelta(days=1), time.min, PARIS)
        return since, until

    def learner_filter(self, structure_id: int | None) -> list[ColumnElement[bool]]:
        """SQL conditions on Learner for the structure (None: every one), team and people."""
        found: list[ColumnElement[bool]] = []
        if structure_id is not None:
            found.append(Learner.structure_id == structure_id)
        if self.team_id is not None:
            found.append(Learner.team_id == self.team_id)
        if self.people == People.PRESENT:
            found.append(Learner.archived.is_(False))
        elif self.people == People.LEFT:
            found.append(Learner.archived.is_(True))
        return found


def worked_in(
    started_at: datetime, updated_at: datetime, since: datetime | None, until: datetime | None
) -> bool:
    """A step row counts in the period when it was worked on during it."""
    return (since is None or updated_at >= since) and (until is None or started_at < until)


def row_in(row: Progress, since: datetime | None, until: datetime | None) -> bool:
    return worked_in(row.started_at, row.updated_at, since, until)
