"""The easy-to-read check: long sentences, abbreviations, jargon, long explanations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from companion.catalogue.schema import Module
from companion.yamlfile import load_yaml

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


def load_style(content_dir: Path) -> Style:
    path = content_dir / STYLE_FILE
    if not path.is_file():
        return Style()
    return Style.model_validate(load_yaml(path.read_text(encoding="utf-8")) or {})


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
        body = getattr(step, "text", None)
        if step.type_name == "explain" and isinstance(body, str):
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
