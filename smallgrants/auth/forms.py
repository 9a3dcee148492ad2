"""Account forms. Every message is translated; every typed value survives an error."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError
from zxcvbn import zxcvbn

from smallgrants.core.forms import choices
from smallgrants.core.i18n import LANGUAGE_NAMES
from smallgrants.core.phone import normalize_phone

REQUIRED = _l("This field is required.")


def email_field(label=None):
    return EmailField(
        label or _l("E-mail"),
        validators=[
            DataRequired(REQUIRED),
            Email(
                _l("Enter a valid e-mail address, for example name@example.kz."),
                check_deliverability=False,
            ),
            Length(max=254, message=_l("The e-mail address is too long.")),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


class PasswordLength:
    """At least PASSWORD_MIN_LENGTH characters, and not easy to guess: zxcvbn (Dropbox's
    estimator, a kept library with the common-password lists built in) must rate it 2 of 4
    or better, knowing the e-mail and name typed on the same form."""

    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(
                _l("The password must have at least %(n)s characters.", n=minimum)
            )
        if len(field.data) > 200:
            raise ValidationError(_l("The password is too long."))
        known = [
            str(getattr(form, name).data or "")
            for name in ("email", "full_name")
            if hasattr(form, name)
        ]
        if current_user.is_authenticated:
            known += [current_user.email, current_user.full_name or ""]
        if zxcvbn(field.data, user_inputs=[k for k in known if k])["score"] < 2:
            raise ValidationError(
                _l(
                    "This password is too easy to guess (a common word, a sequence or "
                    "your name). Add words or characters nobody would expect."
                )
            )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), PasswordLength()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def consent_field():
    return BooleanField(
        _l("I agree to the processing of my personal data for taking part in the competition"),
        validators=[DataRequired(_l("Without this consent we cannot keep your application."))],
    )


class RegisterForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=_l("The name is too long."))],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password, password_confirm = new_password_fields()
    consent = consent_field()
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))
    submit = SubmitField(_l("Sign in"))


class EmailOnlyForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send the link"))


class ResetPasswordForm(FlaskForm):
    password, password_confirm = new_password_fields()
    submit = SubmitField(_l("Save the new password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_confirm = new_password_fields()
    submit = SubmitField(_l("Change password"))


class PhoneField(StringField):
    """Accepts any usual way of typing a Kazakhstan number; `.e164` holds the normalised one."""

    e164: str | None = None

    def pre_validate(self, form):
        self.e164 = None
        raw = (self.data or "").strip()
        if not raw:
            return
        self.e164 = normalize_phone(raw)
        if self.e164 is None:
            raise ValidationError(
                _l("Enter a Kazakhstan phone number, for example +7 701 234 56 78.")
            )


class ProfileForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(REQUIRED), Length(max=200, message=_l("The name is too long."))],
        render_kw={"autocomplete": "name"},
    )
    phone = PhoneField(
        _l("Phone"),
        validators=[Optional()],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "placeholder": "+7 (7XX) XXX-XX-XX"},
    )
    locale = SelectField(_l("Preferred language"), choices=choices(LANGUAGE_NAMES.items()))
    submit = SubmitField(_l("Save"))


class EraseForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    understood = BooleanField(
        _l("I understand that the account cannot be restored"),
        validators=[DataRequired(_l("Tick the box to confirm."))],
    )
    submit = SubmitField(_l("Erase my account"))


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("What the token is for"), validators=[DataRequired(REQUIRED), Length(max=100)]
    )
    days = SelectField(
        _l("It works for"),
        choices=choices([("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("a year"))]),
        default="90",
    )
