"""Forms (Flask-WTF: CSRF on every form). Messages are French, shown next to their field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from companion.i18n import languages
from companion.services.accounts import normalise_pin
from companion.services.password_policy import is_leaked, password_ok
from companion.services.two_step import normalise as normalise_code

LEARNER_PICTOGRAMS = [
    "sunflower",
    "bicycle",
    "butterfly",
    "lion",
    "cat",
    "dog",
    "bird",
    "fish",
    "tree",
    "tulip",
    "star",
    "sun",
    "moon",
    "apple",
    "guitar",
    "football",
    "car",
    "bus",
]


def options(pairs: list[tuple[Any, Any]]) -> list[SelectChoice]:
    """Choices for select, radio and checkbox fields (wtforms 3.3 wants SelectChoice)."""
    return [SelectChoice(value, label) for value, label in pairs]


def language_choices(offered: set[str] | None = None) -> list[SelectChoice]:
    """The app's languages (one per catalogue in translations/), by their own names; only
    those in `offered` when given."""
    return options(
        [(lang.tag, lang.name) for lang in languages() if offered is None or lang.tag in offered]
    )


# Dates a person would type on these pages. Far ones (year 9999, year 1) once overflowed
# the date arithmetic of the export (a 500); they are refused with a clear message.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def sensible_date(form: Any, field: Any) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            str(
                _l(
                    "Choisissez une date entre %(first)d et %(last)d.",
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            )
        )


def _required(message: Any) -> DataRequired:
    return DataRequired(message=message)


class Form(FlaskForm):
    """Hidden fields rendered without an id: several forms on one page keep ids unique."""

    def hidden_tag(self, *fields: Any) -> Markup:
        hidden = [f for f in (fields or self) if f.type in ("HiddenField", "CSRFTokenField")]
        return Markup("").join(
            Markup('<input type="hidden" name="{}" value="{}">').format(f.name, f._value())
            for f in hidden
        )


class StaffSigninForm(Form):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=256)])


def _ascii_digits(value: Any) -> Any:
    """A phone set to Arabic or Persian types ٢٥٨٠ or ۲۵۸۰: the same PIN as 2580."""
    return normalise_pin(value) if isinstance(value, str) else value


class PinForm(Form):
    pin = PasswordField(
        _l("Code à 4 chiffres"),
        filters=[_ascii_digits],
        validators=[
            DataRequired(message=_l("Tapez votre code à 4 chiffres.")),
            Regexp(r"^\d{4}$", message=_l("Le code a 4 chiffres.")),
        ],
    )


def _without_spaces(value: Any) -> Any:
    """Apps show "123 456": spaces and dashes typed with the code are not part of it."""
    return normalise_code(value) if isinstance(value, str) else value


class TwoStepCodeForm(Form):
    code = StringField(
        _l("Code à 6 chiffres"),
        filters=[_without_spaces],
        validators=[
            DataRequired(message=_l("Tapez le code à 6 chiffres de l'application.")),
            Regexp(r"^\d{6}$", message=_l("Le code a 6 chiffres.")),
        ],
    )


class KioskForm(Form):
    label = StringField(
        _l("Nom de la borne"),
        default="Borne",
        validators=[DataRequired(), Length(max=80)],
    )


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


def team_choices(teams: list[Any], none_label: Any) -> list[SelectChoice]:
    return options([(0, none_label), *[(t.id, t.name) for t in teams]])


class LearnerForm(Form):
    first_name = StringField(
        _l("Prénom"),
        validators=[
            _required(_l("Écrivez le prénom.")),
            Length(max=60, message=_l("60 caractères au plus.")),
        ],
    )
    initial = StringField(
        _l("Initiale du nom (si deux personnes ont le même prénom)"),
        validators=[
            Optional(),
            Regexp(r"^[^\W\d_]{1,3}$", message=_l("Une à trois lettres, sans point.")),
        ],
    )
    team_id = SelectField(_l("Équipe"), coerce=int, validate_choice=True)
    locale = SelectField(_l("Langue"), choices=language_choices, default="fr")
    pictogram = RadioField(
        _l("Image qui aide à reconnaître son prénom"),
        choices=options([(p, p) for p in LEARNER_PICTOGRAMS]),
        validators=[InputRequired(message=_l("Choisissez une image."))],
    )


def _note_body(label: Any) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            _required(_l("Écrivez la note avant de l'enregistrer.")),
            Length(max=2000, message=_l("2000 caractères au plus.")),
        ],
    )


class NoteForm(Form):
    body = _note_body(_l("Nouvelle note"))


class NoteEditForm(Form):
    body = _note_body(_l("Texte de la note"))


class ListField(SelectField):
    """A select whose "not in the list" message says what to do, in French."""

    def __init__(self, *args: Any, not_listed: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_listed = not_listed

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(self.not_listed)) from None


class AssignmentEditForm(Form):
    """What can change in an assignment: its date and message (AssignForm adds the rest)."""

    due_date = DateField(
        _l("À finir avant le (facultatif)"),
        validators=[Optional(), sensible_date],
        render_kw={"autocomplete": "off"},
    )
    message = TextAreaField(
        _l("Message court (facultatif)"),
        validators=[Length(max=280, message=_l("280 caractères au plus."))],
    )


class AssignForm(AssignmentEditForm):
    module_id = ListField(
        _l("Module"),
        validators=[_required(_l("Choisissez un module."))],
        not_listed=_l("Choisissez un module de la liste."),
    )
    target = ListField(
        _l("Pour qui"),
        validators=[_required(_l("Choisissez pour qui."))],
        not_listed=_l("Choisissez une équipe ou une personne de la liste."),
    )

    def parsed_target(self) -> tuple[int | None, int | None]:
        """(learner_id, team_id) from 'learner:12' or 'team:3'."""
        kind, _sep, raw = (self.target.data or "").partition(":")
        if not raw.isdigit():
            return None, None
        return (int(raw), None) if kind == "learner" else (None, int(raw))


def _cnil_password(form: Any, field: Any) -> None:
    if field.data and is_leaked(field.data):
        raise ValidationError(
            str(
                _l(
                    "Ce mot de passe est dans les listes de mots de passe volés. "
                    "Choisissez-en un autre."
                )
            )
        )
    if field.data and not password_ok(field.data):
        raise ValidationError(
            str(
                _l(
                    "Mot de passe trop faible : il doit atteindre 80 bits, comme le conseille "
                    "la CNIL. Prenez 12 caractères au hasard avec majuscules, minuscules, "
                    "chiffres et signes, ou 7 mots au hasard. Un mot courant, une année ou "
                    "une suite comme 1234 compte peu."
                )
            )
        )


ROLE_CHOICES = [
    ("cip", _l("Conseiller ou conseillère en insertion (CIP)")),
    ("encadrant", _l("Encadrant technique")),
    ("direction", _l("Direction")),
]


def _email_field(label: Any) -> EmailField:
    return EmailField(
        label,
        validators=[
            _required(_l("Écrivez l'adresse e-mail.")),
            Email(message=_l("Cette adresse e-mail n'est pas valide."), check_deliverability=False),
            Length(max=254),
        ],
    )


class StaffCreateForm(Form):
    email = _email_field(_l("Adresse e-mail"))
    role = SelectField(_l("Rôle"), choices=options(ROLE_CHOICES))
    team_id = SelectField(_l("Équipe (pour un encadrant)"), coerce=int)


class StaffEditForm(Form):
    role = SelectField(_l("Rôle"), choices=options(ROLE_CHOICES))
    team_id = SelectField(_l("Équipe"), coerce=int)
    active = BooleanField(_l("Compte actif"))


class TeamForm(Form):
    name = StringField(
        _l("Nom de l'équipe"),
        validators=[_required(_l("Écrivez le nom de l'équipe.")), Length(max=80)],
    )


class TeamRemoveForm(Form):
    into = SelectField(_l("Ses salariés et ses encadrants vont dans l'équipe"), coerce=int)


def _new_password(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            _required(_l("Écrivez un mot de passe.")),
            _cnil_password,
            Length(max=256, message=_l("256 caractères au plus.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_password() -> PasswordField:
    return PasswordField(
        _l("Le même mot de passe, encore une fois"),
        validators=[
            _required(_l("Écrivez le mot de passe une deuxième fois.")),
            EqualTo("password", message=_l("Les deux mots de passe ne sont pas les mêmes.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(Form):
    """Through a one-time link: the person chooses their own password."""

    password = _new_password(_l("Nouveau mot de passe"))
    confirm = _confirm_password()


class ChangePasswordForm(Form):
    current = PasswordField(
        _l("Mot de passe actuel"),
        validators=[_required(_l("Écrivez votre mot de passe actuel.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password(_l("Nouveau mot de passe"))
    confirm = _confirm_password()


class ForgotPasswordForm(Form):
    email = _email_field(_l("Adresse e-mail de votre compte"))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SettingsForm(Form):
    languages = MultiCheckboxField(_l("Langues proposées aux salariés"), choices=language_choices)
    kiosk_idle_seconds = IntegerField(
        _l("Délai avant la déconnexion automatique sur la borne (en secondes)"),
        validators=[
            InputRequired(message=_l("Écrivez un nombre de secondes.")),
            NumberRange(min=60, max=1800, message=_l("Entre 60 et 1800 secondes.")),
        ],
    )
    kiosk_lifetime_days = IntegerField(
        _l("Durée de vie d'une borne (en jours)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=730, message=_l("Entre 1 et 730 jours.")),
        ],
    )
    retention_months = IntegerField(
        _l("Durée de conservation après la fin du parcours (en mois)"),
        validators=[
            InputRequired(message=_l("Écrivez un nombre de mois.")),
            NumberRange(min=1, max=60, message=_l("Entre 1 et 60 mois.")),
        ],
    )
    require_totp_for_direction = BooleanField(
        _l("Exiger la vérification en deux étapes pour la direction")
    )
    keep_attestation_name = BooleanField(
        _l("Garder le nom complet tapé sur l'attestation pour la prochaine fois")
    )


class PlainDateField(DateField):
    """A date typed or picked, refused with a French message when it is not a real day
    ("2026-13-45", "99999-01-01"). Give it `sensible_date` too (years 2000–2100): a period
    never goes past what Python counts."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Écrivez une date réelle, par exemple 2026-03-31."))) from None


PEOPLE_CHOICES = [
    ("present", _l("Présents (salariés actuels)")),
    ("left", _l("Sortis (salariés archivés)")),
    ("all", _l("Tous")),
]


class ExportForm(Form):
    """Read from the query string: no CSRF, nothing changes."""

    class Meta:
        csrf = False

    start = PlainDateField(_l("Du"), validators=[Optional(), sensible_date])
    end = PlainDateField(_l("Au"), validators=[Optional(), sensible_date])
    team_id = ListField(
        _l("Équipe"), default="0", not_listed=_l("Choisissez une équipe de la liste.")
    )
    people = ListField(
        _l("Salariés"),
        choices=options(PEOPLE_CHOICES),
        default="all",
        not_listed=_l("Choisissez présents, sortis ou tous."),
    )

    def validate_end(self, field: Any) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(str(_l("La date de fin est avant la date de début.")))

    @property
    def team(self) -> int | None:
        raw = self.team_id.data or "0"
        return int(raw) if raw.isdigit() and raw != "0" else None


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string: who, which action, which days."""

    class Meta:
        csrf = False

    actor = ListField(_l("Qui"), default="", not_listed=_l("Choisissez une personne de la liste."))
    action = ListField(
        _l("Action"), default="", not_listed=_l("Choisissez une action de la liste.")
    )
    start = PlainDateField(_l("Du"), validators=[Optional(), sensible_date])
    end = PlainDateField(_l("Au"), validators=[Optional(), sensible_date])

    def validate_end(self, field: Any) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(str(_l("La date de fin est avant la date de début.")))


class AttestationForm(Form):
    """The full name printed on the attestation, typed by the CIP at each printing."""

    full_name = StringField(
        _l("Nom complet sur l'attestation"),
        validators=[Length(max=120, message=_l("120 caractères au plus."))],
        render_kw={"autocomplete": "off"},
    )
    lang = ListField(
        _l("Langue de l'attestation"),
        choices=language_choices,
        not_listed=_l("Choisissez une langue de la liste."),
    )


class LearnerFilterForm(Form):
    """The CIP home's search, filters and sort, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Chercher un prénom"),
        validators=[Length(max=60, message=_l("60 caractères au plus."))],
        render_kw={"type": "search", "autocomplete": "off"},
    )
    team = ListField(_l("Équipe"), default="", not_listed=_l("Choisissez une équipe de la liste."))
    module = ListField(_l("Module"), default="", not_listed=_l("Choisissez un module de la liste."))
    status = ListField(
        _l("État"),
        default="",
        choices=options(
            [
                ("", _l("Tous les états")),
                ("not_started", _l("Rien commencé")),
                ("in_progress", _l("En cours")),
                ("completed", _l("Terminé")),
            ]
        ),
        not_listed=_l("Choisissez un état de la liste."),
    )
    assignment = ListField(
        _l("Modules attribués"),
        default="",
        choices=options(
            [
                ("", _l("Avec ou sans")),
                ("open", _l("Un module attribué à faire")),
                ("overdue", _l("En retard")),
                ("none", _l("Rien à faire")),
            ]
        ),
        not_listed=_l("Choisissez dans la liste."),
    )
    sort = ListField(
        _l("Trier par"),
        default="name",
        choices=options(
            [
                ("name", _l("Prénom (A → Z)")),
                ("activity", _l("Dernière activité")),
                ("progress", _l("Avancement")),
            ]
        ),
        not_listed=_l("Choisissez un tri de la liste."),
    )


class StructureForm(Form):
    name = StringField(
        _l("Nom de la structure"),
        validators=[_required(_l("Écrivez le nom de la structure.")), Length(max=120)],
    )
    kind = SelectField(_l("Type"), choices=options([(k, k) for k in ("ACI", "EI", "AI", "ETTI")]))
    email = _email_field(_l("Adresse e-mail de la direction"))


class DirectionForm(Form):
    email = _email_field(_l("Adresse e-mail de la nouvelle direction"))
