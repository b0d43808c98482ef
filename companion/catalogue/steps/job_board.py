"""job_board: a simulated job board with filters over bundled offers in Occitanie.

Tasks: search with filters then pick an offer that fits given criteria; read one offer and
answer a question about it; choose among a few offers (the one that fits a person, or the
fake one). Filters are a GET form read by view_context, so they work without JavaScript.

A search task teaches the filters, so it needs them, as a real board with thousands of offers
does: a list shows its first RESULTS_SHOWN offers only (the fitting one is not among them
without filters), and the answer form carries the filters used: the right offer picked
without the right filters is not yet the answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Self

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import MultiDict

from companion.catalogue.datasets import DataSet, french_data, register
from companion.catalogue.steps.base import (
    STEP_ID_PATTERN,
    BadAnswer,
    EmptyAnswer,
    Outcome,
    PracticeStep,
    StepContext,
)
from companion.catalogue.steps.choose import Option
from companion.catalogue.steps.type_answer import search_words

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "job_offers.yaml"
CONTRACTS = ("CDI", "CDD", "intérim", "CDDI")
DISTANCES = (10, 30, 50, 100)
MAX_KEYWORD = 80
RESULTS_SHOWN = 10
# Little words a keyword search skips, in the languages of the offers.
_STOP_WORDS = frozenset(
    {"de", "des", "du", "la", "le", "les", "l", "d", "un", "une", "et", "en"}
    | {"the", "a", "an", "of", "and", "in", "for", "to", "or"}
    | {"في", "من", "و", "علي", "الي", "او", "مع", "عن"}
)

Contract = Literal["CDI", "CDD", "intérim", "CDDI"]


class Town(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    lat: float = Field(ge=42.0, le=45.5)
    lon: float = Field(ge=-0.5, le=5.0)


class Offer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=STEP_ID_PATTERN)
    title: str = Field(min_length=1, max_length=80)
    employer: str = Field(min_length=1)
    sector: str = Field(min_length=1)
    town: str = Field(min_length=1)
    contract: Contract
    hours: str = Field(min_length=1)
    pay: str = Field(min_length=1)
    requirements: list[str] = Field(min_length=1)
    description: str = Field(min_length=1)
    # A fake offer shows the signs of a scam; `warning_signs` say which, for the feedback.
    fake: bool = False
    warning_signs: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fake_has_signs(self) -> Self:
        if self.fake and not self.warning_signs:
            raise ValueError(f"fake offer {self.id} needs its warning_signs")
        return self

    def texts(self) -> list[str]:
        return [self.title, self.hours, self.pay, self.description, *self.requirements]


class JobBoardData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    towns: list[Town] = Field(min_length=2)
    offers: list[Offer] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Self:
        names = {t.name for t in self.towns}
        ids = [o.id for o in self.offers]
        if len(set(ids)) != len(ids):
            raise ValueError("two offers have the same id")
        for offer in self.offers:
            if offer.town not in names:
                raise ValueError(f"offer {offer.id}: unknown town {offer.town!r}")
        return self

    def town(self, name: str) -> Town | None:
        return next((t for t in self.towns if t.name == name), None)

    def town_named(self, name: str) -> Town:
        """A town the data or a validated filter names (KeyError otherwise: a bug)."""
        town = self.town(name)
        if town is None:
            raise KeyError(name)
        return town

    def offer(self, offer_id: str) -> Offer | None:
        return next((o for o in self.offers if o.id == offer_id), None)


def board_data(path: Path = DATA_FILE) -> JobBoardData:
    """The bundled offers in French, read and validated once."""
    data: JobBoardData = french_data(path, JobBoardData)
    return data


# What job_offers.<lang>.yaml may translate: the words of each offer. Towns, employers and
# contracts stay as written on French offers (they are also the search filters).
BOARD = register(
    DataSet(
        path=DATA_FILE,
        model=JobBoardData,
        texts={
            "offers": frozenset(
                {"title", "sector", "hours", "pay", "requirements", "description", "warning_signs"}
            )
        },
        step_type="job_board",
        kept="a town, an employer, a contract or data: it stays as written in France",
    )
)


def board(locale: str | None = None) -> JobBoardData:
    """The offers in the learner's language (see BOARD.get): French where not translated."""
    return BOARD.get(locale)


def distance_km(a: Town, b: Town) -> int:
    """Distance as the crow flies, rounded to the kilometre (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * 6371 * math.asin(math.sqrt(h)))


def _tokens(text: str) -> list[str]:
    return [t for t in search_words(text) if t not in _STOP_WORDS]


def _stem(word: str) -> str:
    """A crude plural folding: 'verts' and 'vert', 'agents' and 'agent' compare equal."""
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


@cache
def _text_words(text: str) -> frozenset[str]:
    return frozenset(_stem(t) for t in _tokens(text))


def _offer_words(offer: Offer) -> frozenset[str]:
    """The words a keyword finds the offer by: its own and those of its French text, so
    "espaces verts" finds it in every language, and "green spaces" in English."""
    french = board_data().offer(offer.id) or offer
    words: frozenset[str] = frozenset()
    for one in (offer,) if french is offer else (offer, french):
        words |= _text_words(
            " ".join([one.title, one.employer, one.sector, one.description, *one.requirements])
        )
    return words


@dataclass(frozen=True)
class Filters:
    """The learner's search, cleaned: anything unknown in the query is ignored, never an error."""

    keyword: str = ""
    town: str = ""
    distance: int | None = None
    contract: str = ""

    @classmethod
    def from_args(cls, args: MultiDict[str, str], data: JobBoardData) -> Filters:
        keyword = " ".join(args.get("q", "")[:MAX_KEYWORD].split())
        town = args.get("ville", "")
        if data.town(town) is None:
            town = ""
        raw_distance = args.get("distance", "")
        distance = int(raw_distance) if raw_distance in {str(d) for d in DISTANCES} else None
        contract = args.get("contrat", "")
        if contract not in CONTRACTS:
            contract = ""
        return cls(keyword=keyword, town=town, distance=distance, contract=contract)

    @property
    def active(self) -> bool:
        return bool(self.keyword or self.town or self.contract)

    def matches(self, offer: Offer, data: JobBoardData) -> bool:
        if self.contract and offer.contract != self.contract:
            return False
        if self.town:
            here, there = data.town_named(self.town), data.town_named(offer.town)
            limit = self.distance if self.distance is not None else 0
            if distance_km(here, there) > limit:
                return False
        if self.keyword:
            words = _offer_words(offer)
            for token in _tokens(self.keyword):
                stem = _stem(token)
                if not any(w.startswith(stem) for w in words):
                    return False
        return True

    def search(self, data: JobBoardData) -> list[Offer]:
        found = [o for o in data.offers if self.matches(o, data)]
        if self.town:
            here = data.town_named(self.town)
            found.sort(key=lambda o: distance_km(here, data.town_named(o.town)))
        return found


class Criteria(BaseModel):
    """What the offer picked in a search task must satisfy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keyword: str = ""
    town: str = ""
    distance: int | None = None
    contract: Contract | None = None

    def as_filters(self) -> Filters:
        return Filters(
            keyword=self.keyword,
            town=self.town,
            distance=self.distance if self.town else None,
            contract=self.contract or "",
        )


class JobBoardStep(PracticeStep):
    type: Literal["job_board"]
    task: Literal["search", "read", "choose"]
    question: str = Field(min_length=1)
    # A short description of the person the offer is for (choose tasks).
    person: str | None = None
    # The offers shown (read: exactly one; choose: two to five). Search shows the whole board.
    offers: list[str] = Field(default_factory=list, max_length=5)
    criteria: Criteria | None = None
    options: list[Option] = Field(default_factory=list, max_length=6)
    answer: str | None = None
    # Feedback for each offer of a choose task, by offer id.
    feedback: dict[str, str] = Field(default_factory=dict)

    script = "job_board.js"
    data_fields = frozenset(
        {"answer", "contract", "correct", "criteria", "keyword", "offers", "task", "town"}
    )

    @model_validator(mode="after")
    def _task_fits(self) -> Self:
        data = board_data()
        for offer_id in self.offers:
            if data.offer(offer_id) is None:
                raise ValueError(f"unknown offer {offer_id!r}")
        if self.task == "search":
            self._search_fits(data)
        elif self.task == "read":
            self._read_fits()
        else:
            self._choose_fits()
        return self

    def _search_fits(self, data: JobBoardData) -> None:
        if self.criteria is None:
            raise ValueError("a search task needs criteria")
        if self.criteria.town and data.town(self.criteria.town) is None:
            raise ValueError(f"unknown town {self.criteria.town!r}")
        if not self.criteria.as_filters().search(data):
            raise ValueError("no offer fits the criteria")

    def _read_fits(self) -> None:
        if len(self.offers) != 1:
            raise ValueError("a read task shows exactly one offer")
        if sum(o.correct for o in self.options) != 1:
            raise ValueError("a read task needs options with exactly one correct")

    def _choose_fits(self) -> None:
        if len(self.offers) < 2:
            raise ValueError("a choose task shows at least two offers")
        if self.answer not in self.offers:
            raise ValueError("the answer must be one of the offers shown")
        if set(self.feedback) != set(self.offers):
            raise ValueError("a choose task needs feedback for each offer")

    def shown_offers(self) -> list[Offer]:
        data = board()
        return [o for o in data.offers if o.id in self.offers]

    def view_context(self, args: MultiDict[str, str], ctx: StepContext) -> dict[str, Any]:
        data = board()
        if self.task != "search":
            return {"offers": self.shown_offers(), "board": data}
        filters = Filters.from_args(args, data)
        found = filters.search(data)
        return {
            "board": data,
            "filters": filters,
            "found": len(found),
            "results": found[:RESULTS_SHOWN],
            "contracts": CONTRACTS,
            "distances": DISTANCES,
            "distance_ignored": filters.distance is not None and not filters.town,
        }

    def _why_not(self, offer: Offer, criteria: Criteria) -> str:
        data = board()
        reasons = []
        if criteria.contract and offer.contract != criteria.contract:
            reasons.append(
                _("Cette offre est en %(got)s. Cherchez un %(want)s.")
                % {"got": offer.contract, "want": criteria.contract}
            )
        if criteria.town:
            here, there = data.town_named(criteria.town), data.town_named(offer.town)
            if distance_km(here, there) > (criteria.distance or 0):
                reasons.append(
                    _("%(town)s est trop loin de %(here)s.")
                    % {"town": offer.town, "here": criteria.town}
                )
        if criteria.keyword and not Filters(keyword=criteria.keyword).matches(offer, data):
            reasons.append(_("Ce n'est pas le bon métier."))
        return " ".join(reasons)

    def check(self, form: MultiDict[str, str], ctx: StepContext) -> Outcome:
        data = board()
        if self.task == "read":
            chosen = form.getlist("choice")
            if not chosen:
                raise EmptyAnswer("no option chosen")
            if len(chosen) != 1 or chosen[0] not in {o.id for o in self.options}:
                raise BadAnswer("unknown option")
            option = next(o for o in self.options if o.id == chosen[0])
            return Outcome(
                correct=option.correct,
                feedback={option.id: option.feedback},
                selected=(option.id,),
            )
        picked = form.getlist("offer")
        if not picked:
            raise EmptyAnswer("no offer chosen")
        if len(picked) != 1:
            raise BadAnswer("only one offer may be chosen")
        offer = data.offer(picked[0])
        if offer is None or (self.task == "choose" and offer.id not in self.offers):
            raise BadAnswer("unknown offer")
        if self.task == "choose":
            return Outcome(
                correct=offer.id == self.answer,
                feedback={offer.id: self.feedback[offer.id]},
                selected=(offer.id,),
            )
        criteria = self.criteria or Criteria()  # a search task always has them (validated)
        if not criteria.as_filters().matches(offer, data):
            note = self._why_not(offer, criteria)
            return Outcome(correct=False, feedback={offer.id: note}, selected=(offer.id,))
        missing = self._filters_missing(Filters.from_args(form, data), offer, criteria)
        if missing:
            note = " ".join([_("Cette offre convient. Retrouvez-la avec les filtres."), *missing])
            return Outcome(correct=False, feedback={offer.id: note}, selected=(offer.id,))
        note = _("Cette offre convient.")
        return Outcome(correct=True, feedback={offer.id: note}, selected=(offer.id,))

    def _filters_missing(self, used: Filters, offer: Offer, criteria: Criteria) -> list[str]:
        """What the learner still has to set in the filters to find the offer the right way."""
        out = []
        if criteria.keyword and not (
            used.keyword and Filters(keyword=used.keyword).matches(offer, board())
        ):
            out.append(_("Tapez le métier dans « Métier ou mot-clé »."))
        if criteria.town and used.town != criteria.town:
            out.append(_("Choisissez la ville : %(town)s.") % {"town": criteria.town})
        if (
            criteria.town
            and criteria.distance is not None
            and (used.distance is None or used.distance > criteria.distance)
        ):
            out.append(
                _("Choisissez la distance : moins de %(km)s km.") % {"km": criteria.distance}
            )
        if criteria.contract and used.contract != criteria.contract:
            out.append(_("Choisissez le contrat : %(contract)s.") % {"contract": criteria.contract})
        return out

    def task_texts(self) -> list[str]:
        return [self.question, *([self.person] if self.person else [])]

    def feedback_texts(self) -> list[str]:
        shown = [t for o in self.shown_offers() for t in o.texts()]
        return [
            *(t for o in self.options for t in (o.text, o.feedback)),
            *self.feedback.values(),
            *shown,
        ]
