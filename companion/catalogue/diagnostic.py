"""The structure's digital diagnostic: the grid of questions and the catalogue of actions.

Content, like the modules: content/diagnostic/grid.yaml (the axes and their questions) and
content/diagnostic/actions.yaml (the actions a weak point leads to), in French, with overlay
files per language (grid.en.yaml, actions.ar.yaml…) that give words only, by the rules of
overlay.py. The axes follow the field study of the Aract Occitanie (see docs/diagnostic.md);
each axis cites it in `source`, which stays in French.

Each question is answered on a short scale, 0 to 3, or "je ne sais pas" (None). Its polarity
says how to read the answer: for a resource, 3 is a strong point; for a risk, 3 means the risk
is high. `score` turns an answer into 0..3 where higher is always better.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from companion.catalogue.bidi import is_rtl, isolate_overlay
from companion.catalogue.overlay import Report, describe, merge, missing, read_yaml
from companion.catalogue.readability import check_text, load_style

AnswerValue = int | None  # 0,1,2,3 on the scale; None = "je ne sais pas"
SCALE_VALUES: tuple[int, ...] = (0, 1, 2, 3)
Polarity = Literal["resource", "risk"]  # resource: 3 = strong point; risk: 3 = the risk is high
Indicator = Literal["module_completion", "confidence_gain", "kiosk_use"]

FOLDER = "diagnostic"
GRID_FILE = "grid.yaml"
ACTIONS_FILE = "actions.yaml"
DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

# Fields that hold data, not words: an overlay that gives one is refused. `source` cites the
# French study and is never translated.
GRID_DATA_FIELDS = frozenset({"id", "version", "polarity", "actions", "source"})
ACTIONS_DATA_FIELDS = frozenset({"id", "axis", "module", "indicator"})

_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DiagnosticQuestion(_Frozen):
    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)  # the question (staff read it; plain French)
    why: str = Field(min_length=1)  # one easy sentence: why it matters
    polarity: Polarity
    actions: tuple[str, ...] = ()  # action ids proposed when this point is weak


class DiagnosticAxis(_Frozen):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source: str = Field(min_length=1)  # citation of the field study (section), French only
    questions: tuple[DiagnosticQuestion, ...]


class DiagnosticAction(_Frozen):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    axis: str  # an axis id
    module: str | None = None  # a module id when the action is "assign this module"
    indicator: Indicator | None = None  # an indicator the app fills in by itself


class ScaleLabels(_Frozen):
    resource: tuple[str, str, str, str]  # labels for 0..3
    risk: tuple[str, str, str, str]
    unknown: str  # "Je ne sais pas"

    def labels(self, polarity: Polarity) -> tuple[str, str, str, str]:
        """The four labels, 0 to 3, of a question of this polarity."""
        return self.resource if polarity == "resource" else self.risk


class DiagnosticGrid(_Frozen):
    id: str = Field(pattern=_ID)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    intro: str = Field(min_length=1)
    scale: ScaleLabels
    axes: tuple[DiagnosticAxis, ...]
    actions: tuple[DiagnosticAction, ...] = ()

    def questions(self) -> tuple[DiagnosticQuestion, ...]:
        """Every question, axis after axis, in order."""
        return tuple(q for axis in self.axes for q in axis.questions)

    def question(self, question_id: str) -> DiagnosticQuestion:
        """The question with this id (KeyError when there is none)."""
        for axis in self.axes:
            for q in axis.questions:
                if q.id == question_id:
                    return q
        raise KeyError(question_id)

    def action(self, action_id: str) -> DiagnosticAction:
        """The action with this id (KeyError when there is none)."""
        for a in self.actions:
            if a.id == action_id:
                return a
        raise KeyError(action_id)

    def axis(self, axis_id: str) -> DiagnosticAxis:
        """The axis with this id (KeyError when there is none)."""
        for a in self.axes:
            if a.id == axis_id:
                return a
        raise KeyError(axis_id)

    def axis_of(self, question_id: str) -> DiagnosticAxis:
        """The axis that holds this question (KeyError when there is none)."""
        for axis in self.axes:
            if any(q.id == question_id for q in axis.questions):
                return axis
        raise KeyError(question_id)

    def actions_for(self, question_id: str) -> tuple[DiagnosticAction, ...]:
        """The actions proposed when this question is a weak point, in the question's order."""
        return tuple(self.action(a) for a in self.question(question_id).actions)


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def reference_problems(grid: DiagnosticGrid) -> list[str]:
    """Ids that repeat, axes without questions, questions without actions, references to
    unknown actions or axes. Problems about an action start with "action"."""
    problems: list[str] = [] if grid.axes else ["the grid has no axis"]
    axis_ids = [a.id for a in grid.axes]
    question_ids = [q.id for a in grid.axes for q in a.questions]
    action_ids = [a.id for a in grid.actions]
    problems += [f"duplicate axis id '{i}'" for i in _duplicates(axis_ids)]
    problems += [f"duplicate question id '{i}'" for i in _duplicates(question_ids)]
    problems += [f"duplicate action id '{i}'" for i in _duplicates(action_ids)]
    known_actions = set(action_ids)
    for axis in grid.axes:
        if not axis.questions:
            problems.append(f"axis '{axis.id}' has no question")
        for q in axis.questions:
            if not q.actions:
                problems.append(f"question '{q.id}' proposes no action for a weak point")
            problems += [
                f"question '{q.id}': unknown action id '{a}'"
                for a in q.actions
                if a not in known_actions
            ]
    problems += [
        f"action '{a.id}': unknown axis id '{a.axis}'"
        for a in grid.actions
        if a.axis not in axis_ids
    ]
    return problems


def score(question: DiagnosticQuestion, value: int) -> int:
    """The answer as 0..3 where higher is better: a high risk is a low score."""
    if value not in SCALE_VALUES:
        raise ValueError(f"answer {value!r} is not on the scale {SCALE_VALUES}")
    return value if question.polarity == "resource" else SCALE_VALUES[-1] - value


# --- Loading -------------------------------------------------------------------------------


@dataclass
class GridLoad:
    """What reading the diagnostic files gave: the grid per language, texts left in French."""

    grids: dict[str, DiagnosticGrid] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


def _folder(content_dir: Path | None) -> Path:
    return (content_dir or DEFAULT_CONTENT_DIR) / FOLDER


def _raw_french(folder: Path, report: Report) -> tuple[Any, Any]:
    grid = read_yaml(folder / GRID_FILE, report)
    actions = read_yaml(folder / ACTIONS_FILE, report)
    for path, raw in ((folder / GRID_FILE, grid), (folder / ACTIONS_FILE, actions)):
        if raw is not None and not isinstance(raw, dict):
            report.errors.append(f"{path}: must be a mapping of fields")
    if not isinstance(grid, dict) or not isinstance(actions, dict):
        return None, None
    if not isinstance(actions.get("actions"), list):
        report.errors.append(f"{folder / ACTIONS_FILE}: field 'actions': must be a list")
        return None, None
    return grid, actions


def _validate(raw_grid: Any, raw_actions: Any, where: str, report: Report) -> DiagnosticGrid | None:
    data = {**raw_grid, "actions": raw_actions.get("actions", [])}
    try:
        grid = DiagnosticGrid.model_validate(data)
    except ValidationError as exc:
        report.errors.extend(f"{where}: {m}" for m in describe(exc))
        return None
    problems = reference_problems(grid)
    actions_file = where.replace("grid.", "actions.")
    report.errors.extend(
        f"{actions_file if p.startswith('action') else where}: {p}" for p in problems
    )
    return None if problems else grid


def _overlay_languages(folder: Path) -> list[str]:
    langs = set()
    for path in folder.glob("*.yaml"):
        parts = path.name.split(".")
        if len(parts) == 3 and parts[0] in ("grid", "actions"):
            langs.add(parts[1])
    return sorted(langs)


def _read_overlay(path: Path, report: Report, rtl: bool) -> Any:
    if not path.is_file():
        return {}
    over = read_yaml(path, report)
    if over is None:
        return {}
    return isolate_overlay(over) if rtl else over


def _merge_grid(grid: Any, over: Any, errors: list[str]) -> tuple[Any, list[str]]:
    """The grid with the overlay's words, and the texts it leaves in French. The scale (a
    mapping of labels) is merged on its own: the overlay rules translate lists and texts."""
    if not isinstance(over, dict):
        errors.append("must be a mapping of fields")
        over = {}
    rest = {k: v for k, v in over.items() if k != "scale"}
    merged = merge(grid, rest, "", errors, GRID_DATA_FIELDS)
    untranslated = missing(
        {k: v for k, v in grid.items() if k != "scale"}, rest, "", GRID_DATA_FIELDS
    )
    base_scale = grid.get("scale")
    if isinstance(base_scale, dict):
        scale_over = over.get("scale", {})
        merged["scale"] = merge(base_scale, scale_over, "scale", errors, GRID_DATA_FIELDS)
        untranslated += missing(base_scale, scale_over, "scale", GRID_DATA_FIELDS)
    return merged, untranslated


def _translate(
    folder: Path, lang: str, grid: Any, actions: Any, load: GridLoad
) -> DiagnosticGrid | None:
    rtl = is_rtl(lang)
    grid_path, actions_path = folder / f"grid.{lang}.yaml", folder / f"actions.{lang}.yaml"
    grid_over = _read_overlay(grid_path, load.report, rtl)
    actions_over = _read_overlay(actions_path, load.report, rtl)
    errors: list[str] = []
    merged_grid, grid_missing = _merge_grid(grid, grid_over, errors)
    load.report.errors.extend(f"{grid_path}: {e}" for e in errors)
    errors = []
    merged_actions = merge(actions, actions_over, "", errors, ACTIONS_DATA_FIELDS)
    load.report.errors.extend(f"{actions_path}: {e}" for e in errors)
    load.missing[lang] = [f"grid.{m}" for m in grid_missing] + [
        f"actions.{m}" for m in missing(actions, actions_over, "", ACTIONS_DATA_FIELDS)
    ]
    return _validate(merged_grid, merged_actions, f"{folder}/grid.{lang}.yaml", load.report)


def _module_ids(content_dir: Path) -> set[str]:
    """The modules of the content folder: each folder with a module.yaml (its id is its name,
    the module check makes sure of that)."""
    if not content_dir.is_dir():
        return set()
    return {p.name for p in content_dir.iterdir() if (p / "module.yaml").is_file()}


def _check(grid: DiagnosticGrid, content_dir: Path, folder: Path, report: Report) -> None:
    """The checks that need more than the grid: modules exist, texts are easy to read."""
    modules = _module_ids(content_dir)
    for action in grid.actions:
        if action.module is not None and action.module not in modules:
            report.errors.append(
                f"{folder / ACTIONS_FILE}: action '{action.id}': unknown module '{action.module}'"
            )
    style = load_style(content_dir)
    for axis in grid.axes:
        for q in axis.questions:
            report.warnings.extend(
                f"{folder / GRID_FILE}: question '{q.id}': why: {p}"
                for p in check_text(q.why, style)
            )


def read_grid(content_dir: Path | None = None) -> GridLoad:
    """Read and check the grid in French and in every language with an overlay."""
    root = content_dir or DEFAULT_CONTENT_DIR
    folder = _folder(root)
    load = GridLoad()
    if not folder.is_dir():
        load.report.errors.append(f"{folder}: diagnostic folder not found")
        return load
    grid, actions = _raw_french(folder, load.report)
    if grid is None:
        return load
    french = _validate(grid, actions, str(folder / GRID_FILE), load.report)
    if french is None:
        return load
    load.grids["fr"] = french
    _check(french, root, folder, load.report)
    for lang in _overlay_languages(folder):
        translated = _translate(folder, lang, grid, actions, load)
        if translated is not None:
            load.grids[lang] = translated
    return load


def grid_problems(content_dir: Path | None = None) -> list[str]:
    """Every error in the grid, the actions and their translations (used by `content check`)."""
    return read_grid(content_dir).report.errors


@lru_cache(maxsize=8)
def _loaded(content_dir: Path | None) -> GridLoad:
    load = read_grid(content_dir)
    if not load.report.ok:
        raise ValueError("invalid diagnostic grid:\n" + "\n".join(load.report.errors))
    return load


def load_grid(language: str = "fr", content_dir: Path | None = None) -> DiagnosticGrid:
    """The grid in this language; French for a language without overlay, and for each text an
    overlay does not give. Read once per process. ValueError when the content is invalid."""
    grids = _loaded(content_dir).grids
    return grids.get(language, grids["fr"])


def forget() -> None:
    """Read the files again at the next load_grid (after editing them in a running process)."""
    _loaded.cache_clear()


def untranslated(language: str, content_dir: Path | None = None) -> list[str]:
    """The texts of the grid and the actions still in French in this language."""
    return list(_loaded(content_dir).missing.get(language, []))
