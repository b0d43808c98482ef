"""Forms of the structure's digital diagnostic (the answers themselves are radio buttons
read by services/diagnostic.py: one field per question, ``q-<question id>``)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from companion.models import PlanStatus
from companion.web.forms import FIRST_YEAR, LAST_YEAR, Form, PlainDateField, options, sensible_date

PLAN_STATUS_LABELS = {
    PlanStatus.TODO: _l("À faire"),
    PlanStatus.DOING: _l("En cours"),
    PlanStatus.DONE: _l("Fait"),
}


class OpenDiagnosticForm(Form):
    year = IntegerField(
        _l("Année"),
        validators=[
            InputRequired(message=_l("Écrivez une année.")),
            NumberRange(min=FIRST_YEAR, max=LAST_YEAR, message=_l("Une année entre 2000 et 2100.")),
        ],
    )
    label = StringField(_l("Nom (facultatif)"), validators=[Optional(), Length(max=120)])


class CloseDiagnosticForm(Form):
    meeting_note = TextAreaField(
        _l("Ce que l'équipe a décidé pendant la réunion"),
        validators=[Optional(), Length(max=4000)],
    )


class PlanEditForm(Form):
    owner = SelectField(_l("Responsable"), coerce=int, validate_choice=True)
    due_date = PlainDateField(_l("Échéance"), validators=[Optional(), sensible_date])
    status = SelectField(
        _l("État"),
        choices=options([(s.value, label) for s, label in PLAN_STATUS_LABELS.items()]),
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    @property
    def owner_id(self) -> int | None:
        return self.owner.data or None

    def set_owners(self, people: list[tuple[int, str]], none_label: Any) -> None:
        self.owner.choices = options([(0, none_label), *people])


class PlanAddForm(PlanEditForm):
    action = SelectField(_l("Action"), validate_choice=True)


class SharingForm(Form):
    share_results = BooleanField(
        _l("Partager nos résultats, sans aucun nom, dans la vue du territoire")
    )
    visible_to_peers = BooleanField(
        _l("Montrer le nom de notre structure aux structures qui ont choisi les mêmes actions")
    )
