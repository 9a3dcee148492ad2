"""Applicant profile and application forms. A draft saves whatever is typed; the checks that
make an application complete run at submission."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from smallgrants.applications.services import video_link_error
from smallgrants.auth.forms import REQUIRED, PhoneField
from smallgrants.core.forms import BoundedIntegerField, MoneyField, choices
from smallgrants.core.identifiers import IdError, bin_error, clean, iin_error

SPARE_ROWS = 2

ID_MESSAGES = {
    IdError.FORMAT: _l("It must be 12 digits."),
    IdError.DATE: _l("The date part of the number is impossible."),
    IdError.CENTURY: _l("The 7th digit must be from 1 to 6."),
    IdError.KIND: _l("The 5th and 6th digits do not describe an organisation."),
    IdError.CHECKSUM: _l("The check digit does not match: look for a typo."),
}


class IdentifierField(StringField):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def pre_validate(self, form):
        if self.data:
            self.data = clean(self.data)
            error = self.check(self.data)
            if error is not None:
                raise ValidationError(ID_MESSAGES[error])


class MemberRow(Form):
    full_name = StringField(_l("Member’s full name"), validators=[Optional(), Length(max=200)])
    phone = PhoneField(_l("Phone"), validators=[Optional()])
    email = EmailField(
        _l("E-mail (optional)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(
                _l("Enter a valid e-mail address, for example name@example.kz."),
                check_deliverability=False,
            ),
        ],
    )

    @property
    def is_blank(self) -> bool:
        return not (self.full_name.data or "").strip()


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=300)])
    bin = IdentifierField(_l("BIN"), check=bin_error, render_kw={"inputmode": "numeric"})
    leader_iin = IdentifierField(
        _l("Leader’s IIN"), check=iin_error, render_kw={"inputmode": "numeric"}
    )
    head_name = StringField(_l("Head (full name)"), validators=[Optional(), Length(max=200)])
    legal_address = StringField(_l("Legal address"), validators=[Optional(), Length(max=500)])
    phone = PhoneField(
        _l("Phone"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"inputmode": "tel", "placeholder": "+7 (7XX) XXX-XX-XX"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Email(
                _l("Enter a valid e-mail address, for example name@example.kz."),
                check_deliverability=False,
            ),
        ],
    )
    members = FieldList(FormField(MemberRow), min_entries=3)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "ngo":
            self.bin.validators = [DataRequired(REQUIRED)]
            self.head_name.validators = [DataRequired(REQUIRED), Length(max=200)]
        elif kind == "individual":
            self.name.label.text = _l("Full name")
            self.leader_iin.label.text = _l("IIN")
            self.leader_iin.validators = [DataRequired(REQUIRED)]
        else:
            self.leader_iin.validators = [DataRequired(REQUIRED)]
            self.head_name.validators = [DataRequired(REQUIRED), Length(max=200)]
            self.head_name.label.text = _l("Group leader (full name)")

    def add_spare_rows(self) -> None:
        for _ in range(SPARE_ROWS):
            self.members.append_entry()


class ActivityForm(Form):
    activity = StringField(_l("Activity"), validators=[Optional(), Length(max=500)])
    dates = StringField(_l("Dates"), validators=[Optional(), Length(max=100)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    planned_participants = BoundedIntegerField(
        _l("Participants"),
        validators=[Optional(), NumberRange(min=0, message=_l("Not less than zero."))],
    )

    @property
    def is_blank(self) -> bool:
        return not (self.activity.data or "").strip()


class BudgetForm(Form):
    item = StringField(_l("Item"), validators=[Optional(), Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=50)])
    quantity = BoundedIntegerField(
        _l("Quantity"), validators=[Optional(), NumberRange(min=1, message=_l("At least 1."))]
    )
    unit_cost = MoneyField(
        _l("Unit cost, ₸"),
        validators=[Optional(), NumberRange(min=0, message=_l("Not less than zero."))],
    )

    @property
    def is_blank(self) -> bool:
        return not (self.item.data or "").strip()


class ResultForm(Form):
    result = StringField(_l("Expected result"), validators=[Optional(), Length(max=500)])
    indicator = StringField(_l("Indicator"), validators=[Optional(), Length(max=300)])
    planned_value = StringField(_l("Planned value"), validators=[Optional(), Length(max=100)])

    @property
    def is_blank(self) -> bool:
        return not (self.result.data or "").strip()


class ApplicationForm(FlaskForm):
    title = StringField(_l("Project title"), validators=[Optional(), Length(max=300)])
    district_code = SelectField(_l("District"), validators=[Optional()], validate_choice=False)
    settlement = StringField(_l("Settlement"), validators=[Optional(), Length(max=200)])
    problem = TextAreaField(_l("Problem and its relevance"), render_kw={"rows": 5})
    goal = TextAreaField(_l("Goal"), render_kw={"rows": 2})
    tasks = TextAreaField(_l("Tasks"), render_kw={"rows": 4})
    target_group = TextAreaField(_l("Target group"), render_kw={"rows": 2})
    planned_participants = BoundedIntegerField(
        _l("Planned number of participants"),
        validators=[Optional(), NumberRange(min=0, message=_l("Not less than zero."))],
    )
    video_url = URLField(
        _l("Link to the video"),
        validators=[
            Optional(),
            URL(require_tld=True, message=_l("Enter a link that starts with https://.")),
            Length(max=500),
        ],
        render_kw={"placeholder": "https://", "inputmode": "url"},
    )
    sustainability = TextAreaField(
        _l("Sustainability: what remains after the grant"), render_kw={"rows": 3}
    )
    team = TextAreaField(_l("Team"), render_kw={"rows": 3})
    activities = FieldList(FormField(ActivityForm), min_entries=3)
    budget = FieldList(FormField(BudgetForm), min_entries=3)
    results = FieldList(FormField(ResultForm), min_entries=2)

    def __init__(self, *args, districts=(), competition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_code.choices = choices([("", _l("Choose…")), *districts])
        self.competition = competition
        if competition is not None and competition.takes_videos:
            self.title.label.text = _l("Title")

    def validate_video_url(self, field) -> None:
        """Beside the field, the service's rule (`services.video_link_error`)."""
        error = self.competition is not None and video_link_error(self.competition, field.data)
        if error:
            raise ValidationError(error)

    def add_spare_rows(self) -> None:
        for rows in (self.activities, self.budget, self.results):
            for _ in range(SPARE_ROWS):
                rows.append_entry()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for row in (entry.form for entry in self.budget):
            if row.is_blank:
                continue
            for name in ("quantity", "unit_cost"):
                if getattr(row, name).data is None and not getattr(row, name).errors:
                    getattr(row, name).errors = [REQUIRED]
                    ok = False
        return ok
