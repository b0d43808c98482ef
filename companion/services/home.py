"""The CIP home for a structure of any size: the learner list and the grouped "À suivre".

The list is searched, filtered and sorted in Python over rows read in a fixed number of
queries (a structure has a few hundred learners at most; the database engines disagree on
how to sort accented names). "À suivre" gathers the items of ``followup.to_follow`` into one
item per situation: an overdue team assignment is one item holding its 23 people. A CIP
marks an item "vu"; it comes back as soon as someone new (or something new) is in it.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from companion.catalogue import Module
from companion.extensions import db
from companion.models import Assignment, FollowMark, Learner, StaffUser, Team, utcnow
from companion.services.assignments import today
from companion.services.followup import (
    FollowItem,
    LearnerRow,
    Overview,
    Reason,
    structure_overview,
    to_follow,
)
from companion.services.names import fold, name_key
from companion.services.progress import ModuleState, ModuleSummary


class Sort(enum.StrEnum):
    NAME = "name"
    ACTIVITY = "activity"  # most recent first
    PROGRESS = "progress"  # most steps done first


class AssignmentFilter(enum.StrEnum):
    OPEN = "open"  # a module assigned and not finished
    OVERDUE = "overdue"  # a module assigned, past its due date and not finished
    NONE = "none"  # nothing assigned left to do


NO_TEAM = -1  # the team filter's value for learners without a team


@dataclass(frozen=True)
class LearnerFilter:
    q: str = ""
    team_id: int | None = None  # None: every team; NO_TEAM: learners without one
    module_id: str | None = None  # one module's column, and the status/assignment of it
    status: ModuleState | None = None
    assignment: AssignmentFilter | None = None
    sort: Sort = Sort.NAME


@dataclass(frozen=True)
class HomeRow:
    row: LearnerRow
    open_modules: frozenset[str]  # assigned, not finished
    overdue_modules: frozenset[str]
    last_activity: datetime | None
    steps_done: int  # in the modules shown

    @property
    def learner(self) -> Learner:
        return self.row.learner

    @property
    def team_name(self) -> str | None:
        return self.row.team_name

    @property
    def summaries(self) -> dict[str, ModuleSummary]:
        return self.row.summaries

    @property
    def search_text(self) -> str:
        """What the instant search matches (static/js/staff.js folds what is typed alike)."""
        return fold(self.row.learner.display_name)

    def cache_key(self, modules: Iterable[Module]) -> Hashable:
        """Everything the progress table's row shows (LearnerRow.cache_key), and the tags."""
        return (self.row.cache_key(modules), self.open_modules, self.overdue_modules)


@dataclass(frozen=True)
class LearnerList:
    modules: list[Module]  # the columns shown
    rows: list[HomeRow]
    total: int  # active learners of the structure, before any filter


def learner_list(
    structure_id: int, f: LearnerFilter, overview: Overview | None = None
) -> LearnerList:
    """The structure's active learners, filtered and sorted, in three queries (one when
    given the structure's overview, which the page shares with "À suivre")."""
    if overview is None:
        overview = structure_overview(structure_id)
    overview.check_whole(structure_id)
    modules = [m for m in overview.modules if f.module_id in (None, m.id)]
    shown = {m.id for m in modules}
    open_by, overdue_by = _assigned(structure_id, overview.rows)
    needle = fold(f.q.strip())
    rows: list[HomeRow] = []
    for row in overview.rows:
        learner = row.learner
        summaries = [row.summaries[m.id] for m in modules]
        opened = frozenset(open_by.get(learner.id, set()) & shown)
        late = frozenset(overdue_by.get(learner.id, set()) & shown)
        if needle and needle not in fold(learner.display_name):
            continue
        if not (
            _team_fits(f, learner.team_id)
            and _status_fits(f, summaries)
            and _assignment_fits(f, opened, late)
        ):
            continue
        rows.append(
            HomeRow(
                row=row,
                open_modules=opened,
                overdue_modules=late,
                last_activity=max(
                    (s.last_activity for s in summaries if s.last_activity), default=None
                ),
                steps_done=sum(s.done for s in summaries),
            )
        )
    _sort(rows, f.sort)
    return LearnerList(modules, rows, len(overview.rows))


def _team_fits(f: LearnerFilter, team_id: int | None) -> bool:
    if f.team_id == NO_TEAM:
        return team_id is None
    return f.team_id is None or team_id == f.team_id


def _status_fits(f: LearnerFilter, summaries: list[ModuleSummary]) -> bool:
    """Not started: no module shown is started; any other state: one module shown is in it."""
    if f.status is None:
        return True
    states = {s.state for s in summaries}
    if f.status == ModuleState.NOT_STARTED:
        return states == {ModuleState.NOT_STARTED}
    return f.status in states


def _assignment_fits(f: LearnerFilter, opened: frozenset[str], late: frozenset[str]) -> bool:
    if f.assignment == AssignmentFilter.OPEN:
        return bool(opened)
    if f.assignment == AssignmentFilter.OVERDUE:
        return bool(late)
    if f.assignment == AssignmentFilter.NONE:
        return not opened
    return True


def _sort(rows: list[HomeRow], sort: Sort) -> None:
    if sort == Sort.ACTIVITY:
        # Most recent first; never active at the end, each part in name order.
        rows.sort(key=lambda r: name_key(r.learner))
        rows.sort(key=lambda r: (r.last_activity is None, _negated(r.last_activity)))
    elif sort == Sort.PROGRESS:
        rows.sort(key=lambda r: (-r.steps_done, name_key(r.learner)))


def _negated(moment: datetime | None) -> float:
    return -moment.timestamp() if moment is not None else 0.0


def _assigned(
    structure_id: int, rows: list[LearnerRow]
) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per learner: the modules assigned and not finished, and those past their due date."""
    day = today()
    by_team: dict[int, list[LearnerRow]] = {}
    by_id = {r.learner.id: r for r in rows}
    for r in rows:
        if r.learner.team_id is not None:
            by_team.setdefault(r.learner.team_id, []).append(r)
    open_by: dict[int, set[str]] = {}
    overdue_by: dict[int, set[str]] = {}
    for a in db.session.scalars(select(Assignment).where(Assignment.structure_id == structure_id)):
        if a.learner_id is not None:
            targets = [by_id[a.learner_id]] if a.learner_id in by_id else []
        else:
            targets = by_team.get(a.team_id or 0, [])
        for r in targets:
            summary = r.summaries.get(a.module_id)
            if summary is None or summary.state == ModuleState.COMPLETED:
                continue
            open_by.setdefault(r.learner.id, set()).add(a.module_id)
            if a.due_date is not None and a.due_date < day:
                overdue_by.setdefault(r.learner.id, set()).add(a.module_id)
    return open_by, overdue_by


def teams(structure_id: int) -> list[Team]:
    """The structure's teams in French order, for the filter."""
    found = db.session.scalars(select(Team).where(Team.structure_id == structure_id)).all()
    return sorted(found, key=lambda t: (fold(t.name), t.name, t.id))


# --- "À suivre", grouped -----------------------------------------------------------------


@dataclass
class FollowGroup:
    """One situation for the CIP: its people, and whether someone already marked it seen."""

    key: str
    reason: Reason
    module: Module | None
    detail: str  # the step title for "stuck"
    due: date | None  # the due date for "overdue"
    team_name: str | None  # a team assignment: the team's name
    learners: list[Learner] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    mark: FollowMark | None = None

    @property
    def seen(self) -> bool:
        """Marked "vu" and nothing new since: every token was in the mark."""
        if self.mark is None:
            return False
        return set(self.tokens) <= set(self.mark.seen.split())


@dataclass(frozen=True)
class Follow:
    groups: list[FollowGroup]

    @property
    def to_see(self) -> list[FollowGroup]:
        return [g for g in self.groups if not g.seen]

    @property
    def seen(self) -> list[FollowGroup]:
        return [g for g in self.groups if g.seen]


def _key(*parts: object) -> str:
    text = ":".join(str(p) for p in parts)
    if len(text) <= 120:
        return text
    # Module and step ids are 64 characters at most each: keep the key in its column.
    return f"{parts[0]}:{hashlib.sha256(text.encode()).hexdigest()}"


def _group_of(item: FollowItem) -> tuple[str, str]:
    """The group's key and this person's token in it."""
    lid = item.learner.id
    module_id = item.module.id if item.module else ""
    if item.reason in (Reason.OVERDUE, Reason.INACTIVE) and item.assignment is not None:
        # A new due date is a new situation: the date is part of the key.
        due = item.assignment.due_date.isoformat() if item.assignment.due_date else ""
        extra = (due,) if item.reason == Reason.OVERDUE else ()
        return _key(item.reason.value, item.assignment.id, *extra), str(lid)
    if item.reason == Reason.STUCK:
        since = item.since.isoformat() if item.since else ""
        return _key(item.reason.value, module_id, item.step_id), f"{lid}@{since}"
    if item.reason == Reason.LOCKED:
        since = item.since.isoformat() if item.since else ""
        return _key(item.reason.value, lid), f"{lid}@{since}"
    return _key(item.reason.value, module_id), str(lid)


def follow_groups(
    structure_id: int, now: datetime | None = None, overview: Overview | None = None
) -> Follow:
    """ "À suivre" as one item per situation, with the marks "vu", in eight queries (six
    with the structure's overview)."""
    items = to_follow(structure_id, now=now, overview=overview)
    team_names = {t.id: t.name for t in teams(structure_id)}
    groups: dict[str, FollowGroup] = {}
    for item in items:
        key, token = _group_of(item)
        group = groups.get(key)
        if group is None:
            team = item.assignment.team_id if item.assignment else None
            group = groups[key] = FollowGroup(
                key=key,
                reason=item.reason,
                module=item.module,
                detail=item.detail,
                due=item.due,
                team_name=team_names.get(team) if team else None,
            )
        group.learners.append(item.learner)
        group.tokens.append(token)
    if groups:
        marks = db.session.scalars(
            select(FollowMark).where(
                FollowMark.structure_id == structure_id, FollowMark.key.in_(list(groups))
            )
        )
        for mark in marks:
            groups[mark.key].mark = mark
    _load_markers(g.mark for g in groups.values())
    # to_follow already gave them in reason, then name order.
    return Follow(list(groups.values()))


def _load_markers(marks: Iterable[FollowMark | None]) -> None:
    """Who marked each item, in one query (not one per mark)."""
    ids = {m.seen_by_id for m in marks if m is not None and m.seen_by_id is not None}
    if ids:
        list(db.session.scalars(select(StaffUser).where(StaffUser.id.in_(ids))))


class UnknownItem(LookupError):
    """The item is no longer in "À suivre" (solved meanwhile, or a forged key)."""


def mark_seen(actor: StaffUser, key: str, now: datetime | None = None) -> FollowGroup:
    """Mark one item of the actor's structure "vu" with the people in it now."""
    structure_id = actor.structure_id
    if structure_id is None:
        raise UnknownItem(key)
    group = next((g for g in follow_groups(structure_id, now).groups if g.key == key), None)
    if group is None:
        raise UnknownItem(key)
    seen = " ".join(sorted(set(group.tokens)))
    for _attempt in range(2):
        mark = group.mark or FollowMark(structure_id=structure_id, key=key)
        mark.seen = seen
        mark.seen_by_id = actor.id
        mark.seen_at = now or utcnow()
        db.session.add(mark)
        try:
            db.session.commit()
        except IntegrityError:
            # Another CIP marked it at the same moment: update their mark instead.
            db.session.rollback()
            group.mark = db.session.scalar(
                select(FollowMark).where(
                    FollowMark.structure_id == structure_id, FollowMark.key == key
                )
            )
            continue
        group.mark = mark
        return group
    raise UnknownItem(key)  # pragma: no cover - two collisions in a row
