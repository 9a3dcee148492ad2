"""The site administrator's forms: an organisation, a coordinator to add."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from smallgrants.auth.forms import REQUIRED
from smallgrants.core import geography
from smallgrants.core.forms import choices


class HolderChoice:
    """For a form that makes a competition or a project: which of the coordinator's
    organisations it belongs to — a choice only when they work for several (one: it is
    that one; none: the service says so). The form class declares `organisation_id`."""

    def choose_holder(self, holders, locale: str) -> None:
        if holders is None or len(holders) < 2:
            del self.organisation_id
        else:
            self.organisation_id.choices = choices((str(o.id), o.name(locale)) for o in holders)

    def chosen_holder(self) -> int | None:
        field = getattr(self, "organisation_id", None)
        return int(field.data) if field is not None and (field.data or "").isdigit() else None


class OrganisationForm(FlaskForm):
    short_name = StringField(
        _l("Short name (its address)"), validators=[DataRequired(REQUIRED), Length(max=40)]
    )
    name_kk = StringField(
        _l("Full name (Kazakh)"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    name_ru = StringField(_l("Full name (Russian)"), validators=[Optional(), Length(max=300)])
    bin = StringField(_l("BIN"), validators=[Optional(), Length(max=20)])
    head_name = StringField(_l("Head"), validators=[Optional(), Length(max=200)])
    address = StringField(_l("Legal address"), validators=[Optional(), Length(max=500)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32)])
    region_code = SelectField(_l("Region"), validators=[Optional()])

    def __init__(self, *args, locale: str = "kk", **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code.choices = choices(
            [("", _l("Choose…"))] + [(r.code, r.name(locale)) for r in geography.REGIONS]
        )


class CoordinatorForm(FlaskForm):
    email = EmailField(
        _l("E-mail of the coordinator's account"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
    )


YEARS = NumberRange(2000, 2100, message=_l("A year from 2000 to 2100."))


class ProgrammeForm(FlaskForm):
    name_kk = StringField(
        _l("Programme name (Kazakh)"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    name_ru = StringField(_l("Programme name (Russian)"), validators=[Optional(), Length(max=300)])
    starts_year = IntegerField(_l("First year"), validators=[DataRequired(REQUIRED), YEARS])
    ends_year = IntegerField(_l("Last year"), validators=[DataRequired(REQUIRED), YEARS])


class HolderForm(FlaskForm):
    organisation_id = SelectField(_l("Grant holder"), validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, organisations=(), locale: str = "kk", **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = choices(
            [("", _l("Choose…"))] + [(str(o.id), o.name(locale)) for o in organisations]
        )


class OperatorForm(FlaskForm):
    email = EmailField(
        _l("E-mail of the operator's account"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
    )
