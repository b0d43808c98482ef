"""The module format: metadata in module.yaml, ordered steps in steps.yaml."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from companion.catalogue.steps import StepBase

MODULE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
# Fields of module.yaml that hold data, not words: an overlay may not give them.
META_DATA_FIELDS = frozenset({"id", "pictogram", "kind", "areas"})


class Competences(BaseModel):
    """Competence references (see docs/content.md): DigComp 2.2, Pix/CRCN, CléA Numérique."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    digcomp: list[str] = Field(min_length=1)
    pix: list[str] = Field(default_factory=list)
    clea: list[Literal["1", "2", "3", "4"]] = Field(default_factory=list)


class ModuleMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=MODULE_ID_PATTERN)
    version: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=80)
    summary: str = Field(min_length=1, max_length=200)
    minutes: int = Field(ge=1, le=120)
    level: Literal[1, 2, 3]
    pictogram: str = Field(min_length=1)
    pictogram_alt: str = Field(min_length=1)
    competences: Competences
    order: int = 100
    # "check": an entry check ("Par où commencer ?"), not a module to learn from; `areas`
    # names, for each step it measures, the area (a module id) it measures (entry_check.py).
    kind: Literal["module", "check"] = "module"
    areas: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _areas_only_in_a_check(self) -> Self:
        if self.areas and self.kind != "check":
            raise ValueError("only a check (kind: check) has areas")
        if self.kind == "check" and not self.areas:
            raise ValueError("a check needs areas: the area each step measures")
        return self


class Module(BaseModel):
    """A validated module: metadata and its steps in order."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    meta: ModuleMeta
    steps: tuple[StepBase, ...]

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> StepBase | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        return self.step_ids.index(step_id)
