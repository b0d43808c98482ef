"""The structure's digital diagnostic: open it, answer it, read the result, plan, close, share.

The grid (axes, questions, the action catalogue) is content (companion/catalogue/diagnostic.py);
rows keep its stable ids. Each staff member answers on their own; the result puts the answers
side by side per question (where the team agrees, where it does not: the field study's
"espace de discussion"), a profile per axis, and the actions proposed for the weak points.
A closed diagnostic is read-only, except the follow-up of its plan (status, owner, due date),
which goes on after the meeting. The territory sees only anonymous figures, and none at all
for fewer than DIAGNOSTIC_K_ANONYMITY structures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select

from companion.catalogue.diagnostic import (
    DiagnosticAction,
    DiagnosticAxis,
    DiagnosticGrid,
    DiagnosticQuestion,
    load_grid,
    score,
)
from companion.extensions import db
from companion.models import (
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticSharing,
    DiagnosticStatus,
    Kiosk,
    Learner,
    PlanAction,
    PlanStatus,
    Progress,
    StaffUser,
    Structure,
    utcnow,
)
from companion.services import stats

UNKNOWN = "unknown"  # the form's value for "je ne sais pas"
WEAK = 1.5  # a mean score (0..3, higher = better) under this is a weak point
DISAGREE = 2  # answers two steps apart or more: the team does not agree
DEFAULT_K = 5


class DiagnosticError(Exception):
    """A request the rules refuse; ``reason`` names which rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DiagnosticClosed(DiagnosticError):
    def __init__(self) -> None:
        super().__init__("closed")


def grid(language: str | None = None) -> DiagnosticGrid:
    """The grid in `language` (None: the interface's)."""
    if language is None:
        locale = get_locale()
        language = locale.language if locale is not None else "fr"
    return load_grid(language)


# --- Diagnostics ------------------------------------------------------------------------


def diagnostics_of(structure_id: int) -> list[Diagnostic]:
    """The structure's diagnostics, the latest first."""
    return list(
        db.session.scalars(
            select(Diagnostic)
            .where(Diagnostic.structure_id == structure_id)
            .order_by(Diagnostic.year.desc(), Diagnostic.id.desc())
        )
    )


def diagnostic_of(structure_id: int | None, diagnostic_id: int) -> Diagnostic | None:
    """The diagnostic if it belongs to the structure, else None (the view answers 404)."""
    found = db.session.get(Diagnostic, diagnostic_id)
    if found is None or structure_id is None or found.structure_id != structure_id:
        return None
    return found


def open_diagnostic(actor: StaffUser, year: int, label: str = "") -> Diagnostic:
    """A new diagnostic of the actor's structure; one open at a time."""
    if actor.structure_id is None:
        raise DiagnosticError("no_structure")
    already = db.session.scalar(
        select(Diagnostic.id).where(
            Diagnostic.structure_id == actor.structure_id,
            Diagnostic.status == DiagnosticStatus.OPEN,
        )
    )
    if already is not None:
        raise DiagnosticError("already_open")
    the_grid = load_grid("fr")
    diagnostic = Diagnostic(
        structure_id=actor.structure_id,
        grid_id=the_grid.id,
        grid_version=the_grid.version,
        year=year,
        label=label.strip()[:120],
        opened_by_id=actor.id,
    )
    db.session.add(diagnostic)
    db.session.commit()
    return diagnostic


def close_diagnostic(diagnostic: Diagnostic, meeting_note: str) -> None:
    """Closed after the meeting: answers and plan contents become read-only."""
    _require_open(diagnostic)
    diagnostic.status = DiagnosticStatus.CLOSED
    diagnostic.closed_at = utcnow()
    diagnostic.meeting_note = meeting_note.strip()
    db.session.commit()


def _require_open(diagnostic: Diagnostic) -> None:
    if not diagnostic.is_open:
        raise DiagnosticClosed()


def previous_closed(diagnostic: Diagnostic) -> Diagnostic | None:
    """The structure's last closed diagnostic before this one, to compare with."""
    return db.session.scalar(
        select(Diagnostic)
        .where(
            Diagnostic.structure_id == diagnostic.structure_id,
            Diagnostic.status == DiagnosticStatus.CLOSED,
            Diagnostic.id != diagnostic.id,
            (Diagnostic.year < diagnostic.year)
            | ((Diagnostic.year == diagnostic.year) & (Diagnostic.id < diagnostic.id)),
        )
        .order_by(Diagnostic.year.desc(), Diagnostic.id.desc())
        .limit(1)
    )


# --- Answers ----------------------------------------------------------------------------


def parse_value(raw: str) -> tuple[int | None, bool]:
    """A form value as (value, answered): "" not answered, "unknown" je ne sais pas, 0..3."""
    raw = raw.strip()
    if raw == "":
        return None, False
    if raw == UNKNOWN:
        return None, True
    if raw in {"0", "1", "2", "3"}:
        return int(raw), True
    raise DiagnosticError("bad_value")


def save_axis(
    diagnostic: Diagnostic, staff: StaffUser, axis: DiagnosticAxis, form: Mapping[str, str]
) -> int:
    """Keep the staff member's answers to one axis (``q-<question id>`` fields); questions
    left blank are kept as not answered. Returns how many are answered. Every value is
    checked before anything is written: one bad value refuses the page."""
    _require_open(diagnostic)
    parsed = {q.id: parse_value(form.get(f"q-{q.id}", "")) for q in axis.questions}
    existing = {
        a.question_id: a
        for a in db.session.scalars(
            select(DiagnosticAnswer).where(
                DiagnosticAnswer.diagnostic_id == diagnostic.id,
                DiagnosticAnswer.staff_id == staff.id,
                DiagnosticAnswer.question_id.in_(list(parsed)),
            )
        )
    }
    now = utcnow()
    for question_id, (value, answered) in parsed.items():
        row = existing.get(question_id)
        if row is None:
            row = DiagnosticAnswer(
                diagnostic_id=diagnostic.id, staff_id=staff.id, question_id=question_id
            )
            db.session.add(row)
        if row.value != value or row.answered != answered or row.id is None:
            row.value, row.answered, row.updated_at = value, answered, now
    db.session.commit()
    return sum(1 for _value, answered in parsed.values() if answered)


def answers_of(diagnostic: Diagnostic, staff: StaffUser) -> dict[str, str]:
    """The staff member's answers as form values: "0".."3", "unknown", or "" (not yet)."""
    rows = db.session.scalars(
        select(DiagnosticAnswer).where(
            DiagnosticAnswer.diagnostic_id == diagnostic.id,
            DiagnosticAnswer.staff_id == staff.id,
        )
    )
    return {r.question_id: _form_value(r) for r in rows}


def _form_value(row: DiagnosticAnswer) -> str:
    if not row.answered:
        return ""
    return UNKNOWN if row.value is None else str(row.value)


@dataclass(frozen=True)
class AxisProgress:
    axis: DiagnosticAxis
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def progress_of(the_grid: DiagnosticGrid, answers: Mapping[str, str]) -> list[AxisProgress]:
    """How much of each axis a staff member answered (from ``answers_of``)."""
    return [
        AxisProgress(axis, sum(1 for q in axis.questions if answers.get(q.id)), len(axis.questions))
        for axis in the_grid.axes
    ]


# --- Result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question: DiagnosticQuestion
    counts: tuple[int, int, int, int]  # how many answered 0, 1, 2, 3
    unknown: int  # "je ne sais pas"

    @property
    def respondents(self) -> int:
        return sum(self.counts)

    @property
    def values(self) -> list[int]:
        return [v for v in range(4) if self.counts[v]]

    @property
    def spread(self) -> int | None:
        """Steps between the lowest and the highest answer (None when nobody answered)."""
        values = self.values
        return max(values) - min(values) if values else None

    @property
    def agreement(self) -> str:
        """ "agree", "disagree", or "none" when fewer than two people gave a value."""
        if self.respondents < 2 or self.spread is None:
            return "none"
        return "disagree" if self.spread >= DISAGREE else "agree"

    @property
    def mean(self) -> float | None:
        """The mean answer as given (for a risk, higher = the risk is higher)."""
        if not self.respondents:
            return None
        return sum(v * n for v, n in enumerate(self.counts)) / self.respondents

    @property
    def mean_score(self) -> float | None:
        """The mean on the common scale: 0..3, higher = better, risks turned round."""
        if not self.respondents:
            return None
        total = sum(score(self.question, v) * n for v, n in enumerate(self.counts))
        return total / self.respondents

    @property
    def weak(self) -> bool:
        mean = self.mean_score
        return mean is not None and mean < WEAK


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(sum(kept) / len(kept), 2) if kept else None


@dataclass(frozen=True)
class AxisResult:
    axis: DiagnosticAxis
    questions: list[QuestionResult]

    @property
    def resources(self) -> float | None:
        """Mean of the resource questions, 0..3 (higher: more resources)."""
        return _mean(q.mean for q in self.questions if q.question.polarity == "resource")

    @property
    def risks(self) -> float | None:
        """Mean of the risk questions as answered, 0..3 (higher: the risks are higher)."""
        return _mean(q.mean for q in self.questions if q.question.polarity == "risk")

    @property
    def score(self) -> float | None:
        """Every question on the common scale (risks turned round), 0..3, higher = better."""
        return _mean(q.mean_score for q in self.questions)

    @property
    def weak(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.weak]

    @property
    def disagreements(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.agreement == "disagree"]


@dataclass(frozen=True)
class DiagnosticResult:
    axes: list[AxisResult]
    respondents: int  # staff members who answered at least one question
    proposed: list[DiagnosticAction] = field(default_factory=list)

    def axis(self, axis_id: str) -> AxisResult | None:
        return next((a for a in self.axes if a.axis.id == axis_id), None)


AnswerRow = tuple[int, int, str, int | None, bool]  # diagnostic, staff, question, value, answered


def _answer_rows(diagnostic_ids: Sequence[int]) -> list[AnswerRow]:
    if not diagnostic_ids:
        return []
    return [
        (d, s, q, v, a)
        for d, s, q, v, a in db.session.execute(
            select(
                DiagnosticAnswer.diagnostic_id,
                DiagnosticAnswer.staff_id,
                DiagnosticAnswer.question_id,
                DiagnosticAnswer.value,
                DiagnosticAnswer.answered,
            ).where(DiagnosticAnswer.diagnostic_id.in_(list(diagnostic_ids)))
        )
    ]


def _result_from(the_grid: DiagnosticGrid, rows: Iterable[AnswerRow]) -> DiagnosticResult:
    counts: dict[str, list[int]] = {}
    unknown: Counter[str] = Counter()
    people: set[int] = set()
    for _diag, staff_id, question_id, value, answered in rows:
        if not answered:
            continue
        people.add(staff_id)
        if value is None:
            unknown[question_id] += 1
        elif 0 <= value <= 3:
            counts.setdefault(question_id, [0, 0, 0, 0])[value] += 1
    axes = []
    for axis in the_grid.axes:
        questions = []
        for question in axis.questions:
            c = counts.get(question.id, [0, 0, 0, 0])
            questions.append(
                QuestionResult(question, (c[0], c[1], c[2], c[3]), unknown[question.id])
            )
        axes.append(AxisResult(axis, questions))
    return DiagnosticResult(axes, len(people), _proposed(the_grid, axes))


def _proposed(the_grid: DiagnosticGrid, axes: list[AxisResult]) -> list[DiagnosticAction]:
    """The catalogue's actions for the weak points, each once, in the grid's order."""
    proposed: list[DiagnosticAction] = []
    for axis_result in axes:
        for weak in axis_result.weak:
            for action_id in weak.question.actions:
                action = _action(the_grid, action_id)
                if action is not None and action not in proposed:
                    proposed.append(action)
    return proposed


def _action(the_grid: DiagnosticGrid, action_id: str) -> DiagnosticAction | None:
    try:
        return the_grid.action(action_id)
    except KeyError:
        return None


def result_of(diagnostic: Diagnostic, the_grid: DiagnosticGrid) -> DiagnosticResult:
    """Every answer of the diagnostic put together, in one query."""
    return _result_from(the_grid, _answer_rows([diagnostic.id]))


@dataclass(frozen=True)
class AxisDelta:
    axis: DiagnosticAxis
    before: float | None
    now: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        return round(self.now - self.before, 2)


def compare(now: DiagnosticResult, before: DiagnosticResult) -> list[AxisDelta]:
    """Per axis, the score (0..3, higher = better) of the previous diagnostic and of this one."""
    deltas = []
    for axis_result in now.axes:
        old = before.axis(axis_result.axis.id)
        deltas.append(
            AxisDelta(axis_result.axis, old.score if old is not None else None, axis_result.score)
        )
    return deltas


# --- Plan -------------------------------------------------------------------------------


def plan_of(diagnostic: Diagnostic) -> list[PlanAction]:
    return list(
        db.session.scalars(
            select(PlanAction)
            .where(PlanAction.diagnostic_id == diagnostic.id)
            .order_by(PlanAction.due_date.is_(None), PlanAction.due_date, PlanAction.id)
        )
    )


def plan_action_of(diagnostic: Diagnostic, plan_id: int) -> PlanAction | None:
    found = db.session.get(PlanAction, plan_id)
    return found if found is not None and found.diagnostic_id == diagnostic.id else None


def staff_of(structure_id: int) -> list[StaffUser]:
    """Who may own an action: the structure's active staff."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.structure_id == structure_id, StaffUser.active.is_(True))
            .order_by(StaffUser.email)
        )
    )


def _owner(diagnostic: Diagnostic, owner_id: int | None) -> int | None:
    if owner_id is None:
        return None
    if owner_id not in {s.id for s in staff_of(diagnostic.structure_id)}:
        raise DiagnosticError("owner")
    return owner_id


@dataclass(frozen=True)
class PlanChoice:
    owner_id: int | None
    due_date: date | None
    status: PlanStatus
    note: str = ""


def add_to_plan(
    diagnostic: Diagnostic, the_grid: DiagnosticGrid, action_id: str, choice: PlanChoice
) -> PlanAction:
    """Put an action of the catalogue in the plan, with its owner, due date and status."""
    _require_open(diagnostic)
    if _action(the_grid, action_id) is None:
        raise DiagnosticError("action")
    taken = db.session.scalar(
        select(PlanAction.id).where(
            PlanAction.diagnostic_id == diagnostic.id, PlanAction.action_id == action_id
        )
    )
    if taken is not None:
        raise DiagnosticError("in_plan")
    row = PlanAction(
        diagnostic_id=diagnostic.id,
        action_id=action_id,
        owner_id=_owner(diagnostic, choice.owner_id),
        due_date=choice.due_date,
        status=choice.status,
        note=choice.note.strip()[:500],
    )
    db.session.add(row)
    db.session.commit()
    return row


def update_plan_action(diagnostic: Diagnostic, row: PlanAction, choice: PlanChoice) -> None:
    """Follow an action up: its status, owner, due date and note (also once closed)."""
    row.owner_id = _owner(diagnostic, choice.owner_id)
    row.due_date = choice.due_date
    row.status = choice.status
    row.note = choice.note.strip()[:500]
    row.updated_at = utcnow()
    db.session.commit()


@dataclass(frozen=True)
class PlanProgress:
    todo: int
    doing: int
    done: int
    late: int  # not done, and the due date is past

    @property
    def total(self) -> int:
        return self.todo + self.doing + self.done

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def plan_progress(plan: Sequence[PlanAction], today: date) -> PlanProgress:
    by = Counter(p.status for p in plan)
    late = sum(1 for p in plan if p.status != PlanStatus.DONE and p.due_date and p.due_date < today)
    return PlanProgress(by[PlanStatus.TODO], by[PlanStatus.DOING], by[PlanStatus.DONE], late)


def plans_progress(diagnostics: Sequence[Diagnostic], today: date) -> dict[int, PlanProgress]:
    """Each diagnostic's plan progress, in one query (the list of diagnostics over the years)."""
    rows = db.session.scalars(
        select(PlanAction).where(PlanAction.diagnostic_id.in_([d.id for d in diagnostics]))
    ).all()
    return {
        d.id: plan_progress([r for r in rows if r.diagnostic_id == d.id], today)
        for d in diagnostics
    }


# --- Indicators the app knows -----------------------------------------------------------


@dataclass(frozen=True)
class IndicatorValue:
    kind: str  # "module_completion", "confidence_gain", "kiosk_use"
    count: int
    out_of: int
    module_id: str | None = None

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.out_of) if self.out_of else None


def indicators_for(
    structure_id: int, actions: Iterable[DiagnosticAction]
) -> dict[str, IndicatorValue]:
    """The indicator of each action that has one, by action id, from what the app knows:
    learners who finished the action's module (any module when it names none), learners
    more confident at a module's end than at its start, kiosks used in the last 30 days."""
    wanted = [a for a in actions if a.indicator is not None]
    if not wanted:
        return {}
    figures = stats.statistics(structure_id)
    out: dict[str, IndicatorValue] = {}
    for action in wanted:
        if action.indicator == "module_completion":
            out[action.id] = _completion(structure_id, figures, action.module)
        elif action.indicator == "confidence_gain":
            out[action.id] = IndicatorValue(
                "confidence_gain",
                sum(m.confidence_gained for m in figures.modules),
                sum(m.confidence_answered for m in figures.modules),
            )
        else:
            out[action.id] = _kiosk_use(structure_id)
    return out


def _completion(structure_id: int, figures: stats.Stats, module_id: str | None) -> IndicatorValue:
    present = db.session.scalar(
        select(func.count())
        .select_from(Learner)
        .where(Learner.structure_id == structure_id, Learner.archived.is_(False))
    )
    if module_id is not None:
        done = next((m.completed for m in figures.modules if m.module_id == module_id), 0)
        return IndicatorValue("module_completion", min(done, present or 0), present or 0, module_id)
    return IndicatorValue("module_completion", _finished_any(structure_id), present or 0)


def _finished_any(structure_id: int) -> int:
    """Present learners who finished at least one module (every step done), one query."""
    from companion import catalogue

    sizes = {m.id: len(m.steps) for m in catalogue.modules().values()}
    rows = db.session.execute(
        select(Progress.learner_id, Progress.module_id, func.count())
        .join(Learner, Learner.id == Progress.learner_id)
        .where(
            Learner.structure_id == structure_id,
            Learner.archived.is_(False),
            Progress.status.is_not(None),
        )
        .group_by(Progress.learner_id, Progress.module_id)
    )
    return len({lid for lid, mid, n in rows if mid in sizes and n >= sizes[mid]})


def _kiosk_use(structure_id: int) -> IndicatorValue:
    kiosks = db.session.scalars(
        select(Kiosk).where(Kiosk.structure_id == structure_id, Kiosk.revoked_at.is_(None))
    ).all()
    now = utcnow()
    live = [k for k in kiosks if k.expires_at > now]
    used = [k for k in live if k.last_seen_at and k.last_seen_at > now - timedelta(days=30)]
    return IndicatorValue("kiosk_use", len(used), len(live))


# --- The territory ----------------------------------------------------------------------


def sharing_of(structure_id: int) -> DiagnosticSharing:
    """The structure's choices (both off when it never chose)."""
    found = db.session.get(DiagnosticSharing, structure_id)
    return found or DiagnosticSharing(
        structure_id=structure_id, share_results=False, visible_to_peers=False
    )


def set_sharing(actor: StaffUser, share_results: bool, visible_to_peers: bool) -> None:
    if actor.structure_id is None:
        raise DiagnosticError("no_structure")
    row = db.session.get(DiagnosticSharing, actor.structure_id)
    if row is None:
        row = DiagnosticSharing(structure_id=actor.structure_id)
        db.session.add(row)
    row.share_results = share_results
    # Being seen by peers is about sharing: it needs the results shared too.
    row.visible_to_peers = visible_to_peers and share_results
    row.updated_at = utcnow()
    db.session.commit()


def k_anonymity() -> int:
    value = current_app.config.get("DIAGNOSTIC_K_ANONYMITY", DEFAULT_K)
    return max(int(value), 2)


def _latest_closed(structure_ids: Sequence[int]) -> dict[int, Diagnostic]:
    """Each structure's latest closed diagnostic, in one query."""
    latest: dict[int, Diagnostic] = {}
    if not structure_ids:
        return latest
    rows = db.session.scalars(
        select(Diagnostic)
        .where(
            Diagnostic.structure_id.in_(list(structure_ids)),
            Diagnostic.status == DiagnosticStatus.CLOSED,
        )
        .order_by(Diagnostic.year, Diagnostic.id)
    )
    for row in rows:
        latest[row.structure_id] = row  # the later ones overwrite the earlier
    return latest


BANDS = 4  # the distribution of axis scores: [0, .75), [.75, 1.5), [1.5, 2.25), [2.25, 3]


@dataclass(frozen=True)
class AxisDistribution:
    axis: DiagnosticAxis
    bands: tuple[int, ...]  # structures per band, lowest scores first
    mean: float | None


@dataclass(frozen=True)
class Territory:
    structures: int  # structures that share a closed diagnostic
    k: int
    axes: list[AxisDistribution] = field(default_factory=list)
    needs: list[tuple[DiagnosticQuestion, int]] = field(default_factory=list)
    actions: list[tuple[DiagnosticAction, int]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.structures >= self.k


def _band(value: float) -> int:
    return min(int(value / (3 / BANDS)), BANDS - 1)


def territory(the_grid: DiagnosticGrid, k: int) -> Territory:
    """The anonymous picture of the structures that share their results: nothing below k."""
    sharing = list(
        db.session.scalars(
            select(DiagnosticSharing.structure_id).where(DiagnosticSharing.share_results.is_(True))
        )
    )
    latest = _latest_closed(sharing)
    if len(latest) < k:
        return Territory(len(latest), k)
    rows = _answer_rows([d.id for d in latest.values()])
    by_diag: dict[int, list[AnswerRow]] = {}
    for row in rows:
        by_diag.setdefault(row[0], []).append(row)
    results = [_result_from(the_grid, by_diag.get(d.id, [])) for d in latest.values()]
    axes = []
    for axis in the_grid.axes:
        scores = [
            s for r in results if (found := r.axis(axis.id)) and (s := found.score) is not None
        ]
        bands = [0] * BANDS
        for s in scores:
            bands[_band(s)] += 1
        axes.append(AxisDistribution(axis, tuple(bands), _mean(scores)))
    needs: Counter[str] = Counter(q.question.id for r in results for a in r.axes for q in a.weak)
    chosen: Counter[str] = Counter(
        db.session.scalars(
            select(PlanAction.action_id).where(
                PlanAction.diagnostic_id.in_([d.id for d in latest.values()])
            )
        )
    )
    return Territory(
        len(latest),
        k,
        axes,
        [(the_grid.question(q), n) for q, n in needs.most_common(5)],
        [(act, n) for aid, n in chosen.most_common(5) if (act := _action(the_grid, aid))],
    )


def peers(structure_id: int) -> dict[str, list[str]]:
    """For each action in the structure's plans, the other structures that chose it too and
    agreed to be seen (only when this structure agreed as well), by action id."""
    mine = sharing_of(structure_id)
    if not mine.visible_to_peers:
        return {}
    rows = db.session.execute(
        select(PlanAction.action_id, Diagnostic.structure_id, Structure.name)
        .join(Diagnostic, Diagnostic.id == PlanAction.diagnostic_id)
        .join(Structure, Structure.id == Diagnostic.structure_id)
        .join(DiagnosticSharing, DiagnosticSharing.structure_id == Structure.id)
        .where(DiagnosticSharing.visible_to_peers.is_(True))
    ).all()
    my_actions = {a for a, s, _n in rows if s == structure_id}
    out: dict[str, set[str]] = {}
    for action_id, other, name in rows:
        if other != structure_id and action_id in my_actions:
            out.setdefault(action_id, set()).add(name)
    return {a: sorted(names) for a, names in out.items()}
