"""The easy-to-read check: long sentences, abbreviations, jargon, long explanations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from companion.catalogue.overlay import Report, read_yaml
from companion.catalogue.schema import Module

STYLE_FILE = Path("_style") / "plain-language.yaml"
_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+|\n+")
_WORD = re.compile(r"[\w’'-]+", re.UNICODE)
_MARKDOWN = re.compile(r"[*_`>#]|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)


class Style(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_sentence_words: int = 15
    max_explanation_words: int = 60
    abbreviations: list[str] = []
    jargon: dict[str, str] = {}
    special_characters: list[str] = []
    # Words a learner may not know: a step that uses one needs its glossary entry.
    hard_words: list[str] = []


@dataclass
class StyleReport:
    warnings: list[str] = field(default_factory=list)


def _key_line(path: Path, key: object) -> str:
    """' (line N)' where the file sets its top-level `key`, or '' when it cannot be told."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            if key_node.value == key:
                return f" (line {key_node.start_mark.line + 1})"
    return ""


def load_style(content_dir: Path, report: Report | None = None) -> Style:
    """The rules of content/_style/plain-language.yaml (the defaults without the file).

    A broken file is an error named with its file and line, like a broken module file: in
    `report` when one is given, else raised as ValueError.
    """
    path = content_dir / STYLE_FILE
    if not path.is_file():
        return Style()
    found = report if report is not None else Report()
    before = len(found.errors)
    raw = read_yaml(path, found)
    style = Style()
    if len(found.errors) == before:
        try:
            style = Style.model_validate(raw or {})
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "(top)"
                line = _key_line(path, err["loc"][0]) if err["loc"] else ""
                found.errors.append(f"{path}{line}: field '{field}': {err['msg']}")
    if report is None and found.errors:
        raise ValueError("\n".join(found.errors))
    return style


def sentences(text: str) -> list[str]:
    plain = _MARKDOWN.sub("", text)
    return [s.strip() for s in _SENTENCE_END.split(plain) if s and s.strip()]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def check_text(text: str, style: Style) -> list[str]:
    """Problems found in one piece of learner text."""
    problems = []
    lowered = f" {text.lower()} "
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > style.max_sentence_words:
            problems.append(
                f"sentence of {count} words (at most {style.max_sentence_words}): «{sentence}»"
            )
    for abbreviation in style.abbreviations:
        if re.search(rf"(?<![\w]){re.escape(abbreviation)}\.", lowered):
            problems.append(f"abbreviation «{abbreviation}.»: write the words out")
    for word, instead in style.jargon.items():
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", lowered):
            problems.append(f"jargon «{word}»: say «{instead}»")
    for char in style.special_characters:
        if char in text and not re.search(r"https?://|www\.", text):
            problems.append(f"special character «{char.strip()}» in a sentence")
    return problems


def check_module(module: Module, where: str, style: Style) -> list[str]:
    """Warnings for a whole module, each naming its step."""
    out: list[str] = []
    for text in (module.meta.title, module.meta.summary):
        out.extend(f"{where}/module.yaml: {p}" for p in check_text(text, style))
    for step in module.steps:
        label = f"{where}/steps.yaml: step '{step.id}'"
        for text in step.texts():
            out.extend(f"{label}: {p}" for p in check_text(text, style))
        body = step.screen_text()
        if body is not None:
            count = len(words(_MARKDOWN.sub("", body)))
            if count > style.max_explanation_words:
                out.append(
                    f"{label}: explanation of {count} words is longer than one phone screen "
                    f"(at most {style.max_explanation_words})"
                )
        for picture, alt in step.images():
            if not alt.strip():
                out.append(f"{label}: picture '{picture}' has no text alternative")
    return out
