"""The attestation: modules a learner completed, when, and the competences they trained.

The page and the PDF print the same texts (``AttestationTexts``), made in the language the
CIP chooses (French, English or Arabic): dates in words ("29 novembre 2026"), competences
named in full, the person's full name as the CIP typed it. The PDF embeds DejaVu Sans
(companion/fonts, with its Arabic glyphs) and shapes the text with HarfBuzz, so Arabic
prints joined and right to left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from sqlalchemy import select

from companion import catalogue
from companion.catalogue import Module
from companion.catalogue.entry_check import is_check
from companion.extensions import db
from companion.models import Learner, Progress, StaffUser
from companion.services.assignments import PARIS, today
from companion.services.progress import ModuleState, summarise

FONTS = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"


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


def attestation_for(learner: Learner, locale: str | None = None) -> Attestation:
    """The modules the learner completed, titles in `locale` (None: the interface's)."""
    rows = db.session.scalars(select(Progress).where(Progress.learner_id == learner.id)).all()
    done = []
    for module in catalogue.modules(locale).values():
        if is_check(module):  # a level measured, not a module learned
            continue
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


def remember_full_name(actor: StaffUser, learner: Learner, full_name: str) -> None:
    """Keep the typed full name for the next attestation, only if the structure chose to."""
    if not learner.structure.keep_attestation_name or actor.structure_id != learner.structure_id:
        return
    name = full_name.strip() or None
    if learner.full_name != name:
        learner.full_name = name
        db.session.commit()


@dataclass(frozen=True)
class ModuleLines:
    title: str
    dates: str  # "Commencé le 2 novembre 2026, terminé le 29 novembre 2026."
    competences: list[str]  # one line per framework: "Pix : 4.1 Sécuriser …, 4.2 Protéger …"


@dataclass(frozen=True)
class AttestationTexts:
    """Every word of one attestation, in one language, for the page and the PDF."""

    lang: str
    rtl: bool
    title: str
    intro: str
    modules_heading: str
    modules: list[ModuleLines]
    none: str
    competences_heading: str
    competences: list[str]  # one line per framework, every competence trained
    issued: str
    signer: str  # "Nom et fonction du signataire"
    signature: str
    stamp: str
    footer: str
    extra: dict[str, str] = field(default_factory=dict)


def attestation_pdf(texts: AttestationTexts) -> bytes:
    """One A4 page (more when a person finished many modules), with lines to sign and stamp."""
    pdf = FPDF(format="A4")
    pdf.set_lang(texts.lang)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("body", "", str(REGULAR))
    pdf.add_font("body", "B", str(BOLD))
    pdf.set_text_shaping(
        use_shaping_engine=True,
        direction="rtl" if texts.rtl else "ltr",
        script="arab" if texts.rtl else None,
        language=texts.lang,
    )
    pdf.set_title(texts.title)
    pdf.set_creator("Compagnon numérique")
    pdf.add_page()
    align = Align.R if texts.rtl else Align.L
    width = pdf.epw

    def line(text: str, size: float = 11, height: float = 6.5, bold: bool = False) -> None:
        pdf.set_font("body", "B" if bold else "", size=size)
        pdf.multi_cell(width, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(texts.title, 20, 11, bold=True)
    pdf.ln(2)
    line(texts.intro, 12, 7)
    pdf.ln(3)
    if not texts.modules:
        line(texts.none)
    else:
        line(texts.modules_heading, 13, 8, bold=True)
    for item in texts.modules:
        line(item.title, 12, 7, bold=True)
        line(item.dates, 10.5, 6)
        for competence in item.competences:
            line(competence, 9.5, 5.5)
        pdf.ln(2)
    if texts.competences:
        line(texts.competences_heading, 13, 8, bold=True)
        for competence in texts.competences:
            line(competence, 9.5, 5.5)
    pdf.ln(4)
    line(texts.issued, 11, 7)
    pdf.ln(4)
    _signature_block(pdf, texts, width)
    pdf.ln(4)
    line(texts.footer, 8, 4.5)
    return bytes(pdf.output())


def _signature_block(pdf: FPDF, texts: AttestationTexts, width: float) -> None:
    """Three labelled places to fill by hand: signer, signature, and a box for the stamp."""
    if pdf.will_page_break(50):
        pdf.add_page()
    gap = 8
    half = (width - gap) / 2
    top = pdf.get_y()
    first_x, second_x = pdf.l_margin, pdf.l_margin + half + gap
    if texts.rtl:  # the signer's place first, on the reading side
        first_x, second_x = second_x, first_x
    align = Align.R if texts.rtl else Align.L
    pdf.set_font("body", "", 10)
    pdf.set_xy(first_x, top)
    pdf.cell(half, 6, texts.signer, align=align)
    pdf.line(first_x, top + 16, first_x + half, top + 16)
    pdf.set_xy(first_x, top + 20)
    pdf.cell(half, 6, texts.signature, align=align)
    pdf.line(first_x, top + 40, first_x + half, top + 40)
    pdf.set_xy(second_x, top)
    pdf.cell(half, 6, texts.stamp, align=align)
    pdf.rect(second_x, top + 7, half, 33)
    pdf.set_xy(pdf.l_margin, top + 44)
