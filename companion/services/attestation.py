"""The attestation: modules a learner completed, when, and the competences they trained."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from sqlalchemy import select

from companion import catalogue
from companion.catalogue import Module
from companion.extensions import db
from companion.models import Learner, Progress
from companion.services.assignments import PARIS, today
from companion.services.progress import ModuleState, summarise

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
]


@dataclass(frozen=True)
class CompletedModule:
    module: Module
    started: date
    completed: date


@dataclass(frozen=True)
class Attestation:
    learner: Learner
    structure_name: str
    modules: list[CompletedModule]
    issued: date

    def competences(self, framework: str) -> list[str]:
        seen: list[str] = []
        for item in self.modules:
            for ref in getattr(item.module.meta.competences, framework):
                if ref not in seen:
                    seen.append(ref)
        return sorted(seen)


def attestation_for(learner: Learner) -> Attestation:
    rows = db.session.scalars(select(Progress).where(Progress.learner_id == learner.id)).all()
    done = []
    for module in catalogue.modules().values():
        mine = [r for r in rows if r.module_id == module.id]
        summary = summarise(module, mine)
        if summary.state == ModuleState.COMPLETED and summary.last_activity is not None:
            started = min(r.started_at for r in mine)
            done.append(
                CompletedModule(
                    module,
                    started.astimezone(PARIS).date(),
                    summary.last_activity.astimezone(PARIS).date(),
                )
            )
    return Attestation(learner, learner.structure.name, done, today())


def attestation_pdf(att: Attestation, texts: dict[str, str]) -> bytes:
    """One A4 page. texts carries the translated labels so the PDF follows the interface."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = next((p for p in FONT_CANDIDATES if p.exists()), None)
    if font is not None:
        pdf.add_font("body", "", str(font))
        family = "body"
    else:  # pragma: no cover - machines without DejaVu fall back to the core font
        family = "helvetica"
    width = pdf.epw

    def line(text: str, size: int = 11, height: float = 7) -> None:
        pdf.set_font(family, size=size)
        if family == "helvetica":
            text = text.encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")

    line(texts["title"], 20, 12)
    line(texts["intro"], 12)
    pdf.ln(3)
    if not att.modules:
        line(texts["none"])
    for item in att.modules:
        line(item.module.meta.title, 14, 9)
        line(texts["dates"].format(start=item.started, end=item.completed))
        comp = item.module.meta.competences
        line(
            texts["refs"].format(
                digcomp=", ".join(comp.digcomp),
                pix=", ".join(comp.pix) or "–",
                clea=", ".join(comp.clea) or "–",
            )
        )
        pdf.ln(2)
    pdf.ln(4)
    line(texts["issued"])
    return bytes(pdf.output())
