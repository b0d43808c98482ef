"""Sign-in forms (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class StaffSigninForm(FlaskForm):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=256)])


class PinForm(FlaskForm):
    pin = PasswordField(
        _l("Code à 4 chiffres"),
        validators=[
            DataRequired(message=_l("Tapez votre code à 4 chiffres.")),
            Regexp(r"^\d{4}$", message=_l("Le code a 4 chiffres.")),
        ],
    )


class KioskForm(FlaskForm):
    label = StringField(
        _l("Nom de la borne"),
        default="Borne",
        validators=[DataRequired(), Length(max=80)],
    )
