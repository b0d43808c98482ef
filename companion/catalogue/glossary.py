"""The glossary: hard words explained in place, on the step pages that use them.

`content/_glossary/glossary.yaml` holds the French entries; `glossary.<lang>.yaml` overlays
give their texts in other languages, by id, like a module's overlays (overlay.py). The loader
skips folders starting with "_", so the glossary is never taken for a module.

On a step page, `link_terms()` turns the first place each entry's word appears into a link to
its definition: a box at the end of the step (an anchor: it works without JavaScript, and
read-aloud reads it with the step), shown as a small window by static/js/glossary.js.

The content check (`check_glossary()`): each entry has a picture that exists and a definition
that follows the easy-to-read rules; every hard word of `_style/plain-language.yaml`
(`hard_words`) that a step uses has an entry; an entry no step uses is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Self

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from companion.catalogue.overlay import Report, describe, merge, missing, read_yaml
from companion.catalogue.readability import Style, check_text
from companion.catalogue.steps.base import STEP_ID_PATTERN

FOLDER = "_glossary"
FILE = "glossary.yaml"
OVERLAY = re.compile(r"^glossary\.([a-z]{2,3})\.yaml$")
MAX_DEFINITION_WORDS = 30

# What an overlay may not change: the entry ids and their pictures.
DATA_FIELDS = frozenset({"id", "pictogram"})


class Term(BaseModel):
    """One hard word, the spellings a text may use, and what it means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    word: str = Field(min_length=1, max_length=60)
    forms: list[str] = Field(min_length=1)
    definition: str = Field(min_length=1, max_length=300)
    pictogram: str = Field(min_length=1)
    pictogram_alt: str = Field(min_length=1, max_length=160)

    @property
    def anchor(self) -> str:
        return f"mot-{self.id}"


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: list[Term] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [t.id for t in self.terms]
        if len(set(ids)) != len(ids):
            raise ValueError("two entries have the same id")
        return self

    @cached_property
    def matcher(self) -> _Matcher:
        """The patterns made once per glossary (a step page used to sort and make them again
        for each text), with one pattern for all the words, looked for first."""
        forms = [form for term in self.terms for form in term.forms if form.strip()]
        bodies = "|".join(_form_body(form) for form in forms)
        any_form = re.compile(rf"(?<![\w&#])(?:{bodies})(?!\w)", re.IGNORECASE) if forms else None
        return _Matcher(self.patterns(), any_form)

    def patterns(self) -> list[tuple[re.Pattern[str], Term]]:
        """Each spelling of each entry, the longest first ("prescripteur habilité" before
        "prescripteur"), as a case-blind whole-word pattern."""
        pairs = [(form, term) for term in self.terms for form in term.forms if form.strip()]
        pairs.sort(key=lambda pair: -len(pair[0]))
        return [(_form_pattern(form), term) for form, term in pairs]


def _form_body(form: str) -> str:
    # Apostrophes come typed ' or ’ and, in a page, as the entity &#39;.
    parts = [re.escape(p) for p in re.split(r"['’]", form)]
    return r"(?:'|’|&#39;)".join(parts)


def _form_pattern(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w&#]){_form_body(form)}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Matcher:
    """A glossary's patterns, and one pattern matching wherever any of them does: a text
    where it finds nothing (most texts of a page) is not searched entry by entry."""

    patterns: list[tuple[re.Pattern[str], Term]]
    any: re.Pattern[str] | None

    def absent(self, text: str) -> bool:
        return self.any is None or self.any.search(text) is None


@dataclass
class GlossaryTranslation:
    glossary: Glossary
    missing: list[str]


def _validate(raw: Any, where: str, report: Report) -> Glossary | None:
    try:
        return Glossary.model_validate(raw)
    except ValidationError as exc:
        report.errors.extend(f"{where}: {m}" for m in describe(exc))
        return None


def load_glossary(content_dir: Path, report: Report) -> dict[str, GlossaryTranslation]:
    """The glossary in French ("fr") and in every language with an overlay; {} without one."""
    folder = content_dir / FOLDER
    path = folder / FILE
    if not path.is_file():
        return {}
    raw = read_yaml(path, report)
    if raw is None:
        return {}
    french = _validate(raw, str(path), report)
    if french is None:
        return {}
    found = {"fr": GlossaryTranslation(french, [])}
    for overlay_path in sorted(folder.glob("glossary.*.yaml")):
        match = OVERLAY.match(overlay_path.name)
        if not match:
            continue
        over = read_yaml(overlay_path, report)
        if over is None:
            continue
        errors: list[str] = []
        merged = merge(raw, over, "", errors, DATA_FIELDS)
        if errors:
            report.errors.extend(f"{overlay_path}: {e}" for e in errors)
            continue
        glossary = _validate(merged, str(overlay_path), report)
        if glossary is not None:
            found[match.group(1)] = GlossaryTranslation(
                glossary, missing(raw, over, "", DATA_FIELDS)
            )
    return found


def _strings(value: Any) -> Iterable[str]:
    """Every text in a step's fields (its simulated messages too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def used_terms(glossary: Glossary, texts: Iterable[str]) -> list[Term]:
    """The entries whose word appears in these texts."""
    joined = "\n".join(texts)
    matcher = glossary.matcher
    if matcher.absent(joined):
        return []
    seen: dict[str, Term] = {}
    for pattern, term in matcher.patterns:
        if term.id not in seen and pattern.search(joined):
            seen[term.id] = term
    return [t for t in glossary.terms if t.id in seen]


def module_terms(module: Any, glossary: Glossary) -> list[Term]:
    """The entries a module's steps use (their pictures go with the module offline)."""
    return used_terms(glossary, (t for step in module.steps for t in _strings(step.model_dump())))


def check_glossary(
    translations: dict[str, GlossaryTranslation],
    modules: dict[str, dict[str, Any]],
    pictograms: Path,
    style: Style,
    content_dir: Path,
    report: Report,
) -> None:
    """The content check of the glossary (see the module docstring).

    modules: {lang: {module_id: Module}}, French under "fr".
    """
    folder = content_dir / FOLDER
    french = translations.get("fr")
    for lang, translation in translations.items():
        where = folder / (FILE if lang == "fr" else f"glossary.{lang}.yaml")
        step_texts = [
            text
            for module in modules.get(lang, {}).values()
            for step in module.steps
            for text in _strings(step.model_dump())
        ]
        used = {t.id for t in used_terms(translation.glossary, step_texts)}
        for term in translation.glossary.terms:
            label = f"{where}: entry '{term.id}'"
            if not (pictograms / f"{term.pictogram}.svg").is_file():
                report.errors.append(f"{label}: pictogram '{term.pictogram}' not found")
            if lang == "fr":
                # The easy-to-read rules are written for French: its definitions are held
                # to them (translations follow the French sentence by sentence).
                report.errors.extend(f"{label}: {p}" for p in _definition_problems(term, style))
            if term.id not in used:
                report.warnings.append(f"{label}: no step uses «{term.word}»")
    glossary = french.glossary if french is not None else Glossary()
    _check_hard_words(glossary, modules.get("fr", {}), style, content_dir, report)


def _definition_problems(term: Term, style: Style) -> list[str]:
    """What breaks the easy-to-read rules in a French definition, its length included."""
    problems = check_text(term.definition, style)
    count = len(re.findall(r"[\w’'-]+", term.definition))
    if count > MAX_DEFINITION_WORDS:
        problems.append(f"definition of {count} words (at most {MAX_DEFINITION_WORDS})")
    return problems


def _check_hard_words(
    glossary: Glossary,
    french_modules: dict[str, Any],
    style: Style,
    content_dir: Path,
    report: Report,
) -> None:
    """Each hard word of the style file that a French step uses has a glossary entry."""
    folder = content_dir / FOLDER
    french_texts = {
        (module.id, step.id): list(_strings(step.model_dump()))
        for module in french_modules.values()
        for step in module.steps
    }
    for hard in style.hard_words:
        pattern = _form_pattern(hard)
        covered = any(
            pattern.search(form) or _form_pattern(form).search(hard)
            for term in glossary.terms
            for form in term.forms
        )
        if covered:
            continue
        for (module_id, step_id), texts in french_texts.items():
            if any(pattern.search(t) for t in texts):
                report.errors.append(
                    f"{content_dir / module_id / 'steps.yaml'}: step '{step_id}': the hard word "
                    f"«{hard}» has no entry in {folder / FILE}"
                )


_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
# Text inside these is not linked: links and buttons, headings, hidden texts for screen
# readers (a repeat of the question), the map's drawing, and anything marked
# data-no-glossary; its words are still explained in the list under the step. A link inside
# a choice's label is fine: a tap on it opens the definition and leaves the choice alone.
_SKIP = frozenset(
    [
        "a",
        "button",
        "select",
        "option",
        "textarea",
        "summary",
        "legend",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "svg",
        "script",
        "style",
        "title",
    ]
)
# Text never read for words at all: not shown as text.
_HIDDEN = frozenset(["script", "style", "svg", "title", "option", "textarea", "select"])
_HIDDEN_ATTRIBUTE = re.compile(r"\shidden(?=[\s>=/])")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass(frozen=True)
class Linked:
    html: Markup
    terms: list[Term]


def link_terms(html: str, glossary: Glossary, also: Iterable[str] = ()) -> Linked:
    """The page's HTML with the first place of each entry's word linked to its definition.

    The HTML is the app's own, escaped by the templates: tags are cut off by "<" and ">",
    and only text between tags is touched. `also`: texts shown outside this HTML (the step's
    title), whose words are explained in the list too.
    """
    matcher = glossary.matcher
    found: dict[str, Term] = {}
    stack: list[tuple[str, bool, bool]] = []  # open elements: (name, not linked, not text)
    out: list[str] = []
    mentioned: list[str] = []
    for chunk in _TAG.split(html):
        if not chunk:
            continue
        if chunk.startswith("<"):
            out.append(chunk)
            _follow_tag(chunk, stack)
            continue
        if not chunk.strip() or any(hidden for _n, _s, hidden in stack):
            out.append(chunk)
            continue
        if any(skipped for _n, skipped, _h in stack):
            mentioned.append(chunk)
            out.append(chunk)
            continue
        out.append(chunk if matcher.absent(chunk) else _link_text(chunk, matcher.patterns, found))
    listed = {t.id for t in used_terms(glossary, [*mentioned, *also])}
    terms = [t for t in glossary.terms if t.id in found or t.id in listed]
    return Linked(Markup("".join(out)), terms)  # noqa: S704 - the templates' escaped HTML


def _follow_tag(tag: str, stack: list[tuple[str, bool, bool]]) -> None:
    """Keep `stack`, the open elements (name, not linked, not text), up to date after `tag`."""
    match = _TAG_NAME.match(tag)
    if not match or tag.startswith("<!"):
        return
    closing, name = match.group(1) == "/", match.group(2).lower()
    if closing:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                del stack[k:]
                break
    elif name not in _VOID and not tag.endswith("/>"):
        skipped = name in _SKIP or "data-no-glossary" in tag or "visually-hidden" in tag
        hidden = name in _HIDDEN or bool(_HIDDEN_ATTRIBUTE.search(tag))
        stack.append((name, skipped, hidden))


def _link_text(
    text: str, patterns: list[tuple[re.Pattern[str], Term]], found: dict[str, Term]
) -> str:
    """One text between tags, with the first place of each entry not yet found linked."""
    spans: list[tuple[int, int, Term]] = []
    for pattern, term in patterns:
        if term.id in found:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e, _t in spans):
                continue
            spans.append((start, end, term))
            found[term.id] = term
            break
    spans.sort(key=lambda span: span[0])
    pieces: list[str] = []
    at = 0
    for start, end, term in spans:
        pieces.append(text[at:start])
        pieces.append(
            f'<a class="glossary-term" href="#{term.anchor}" id="{term.anchor}-link" '
            f'data-glossary="{term.anchor}">{text[start:end]}</a>'
        )
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
