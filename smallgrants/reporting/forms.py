"""Forms of the final report. The activity form checks each breakdown like the grantee's event
form does — saying which one is off and by how much — unless the coordinator records the
figures as a source document gives them; then the reconciliation names them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import NumberInput

from smallgrants.auth.forms import REQUIRED
from smallgrants.core.forms import BoundedIntegerField, LongSelect, MoneyField, choices
from smallgrants.grants import breakdowns
from smallgrants.grants.forms import NOT_NEGATIVE, count_field
from smallgrants.grants.labels import mismatch_message
from smallgrants.organisations.forms import HolderChoice
from smallgrants.reporting.labels import TASK_KIND_LABELS, TEXT_LABELS
from smallgrants.reporting.models import TEXT_FIELDS, EffectKey


def _text(label, rows=3, max_length=20000):
    return TextAreaField(label, validators=[Length(max=max_length)], render_kw={"rows": rows})


def _count(label):
    return BoundedIntegerField(
        label,
        widget=NumberInput(min=0),
        render_kw={"inputmode": "numeric"},
        validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
    )


class ProjectForm(HolderChoice, FlaskForm):
    # a new project of a coordinator working for several organisations: which one
    organisation_id = SelectField(_l("Grant holder"))
    organisation = StringField(
        _l("Full name of the organisation"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    head_name = StringField(
        _l("Its head (surname, name, patronymic)"), validators=[Length(max=200)]
    )
    legal_address = StringField(_l("Legal address"), validators=[Length(max=500)])
    phone = StringField(_l("Contact phone"), validators=[Length(max=32)])
    title = StringField(
        _l("Name of the project"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    direction = StringField(_l("Direction"), validators=[Length(max=300)])
    agreement_number = StringField(_l("Grant agreement number"), validators=[Length(max=32)])
    agreement_date = DateField(_l("Grant agreement date"), validators=[Optional()])
    starts_on = DateField(_l("Project starts"), validators=[Optional()])
    ends_on = DateField(_l("Project ends"), validators=[Optional()])
    grant_sum = MoneyField(_l("Grant sum, ₸"), validators=[InputRequired(REQUIRED)])

    def __init__(self, *args, holders=None, locale: str = "kk", **kwargs):
        super().__init__(*args, **kwargs)
        self.choose_holder(holders, locale)


class TextsForm(FlaskForm):
    pass


for _name in TEXT_FIELDS:
    setattr(TextsForm, _name, _text(TEXT_LABELS[_name], rows=5))


class TaskForm(FlaskForm):
    title = TextAreaField(
        _l("Task"), validators=[DataRequired(REQUIRED), Length(max=2000)], render_kw={"rows": 2}
    )
    kind = SelectField(
        _l("Kind"), choices=choices((k.value, v) for k, v in TASK_KIND_LABELS.items())
    )


class AttachForm(FlaskForm):
    competition_id = SelectField(_l("Competition"), coerce=int, choices=[], widget=LongSelect())
    title = StringField(
        _l("Activity title in the report (the competition's title if empty)"),
        validators=[Length(max=2000)],
    )


class ActivityForm(FlaskForm):
    title = TextAreaField(
        _l("Activity"), validators=[DataRequired(REQUIRED), Length(max=2000)], render_kw={"rows": 2}
    )
    starts_on = DateField(_l("Starts"), validators=[Optional()])
    ends_on = DateField(_l("Ends"), validators=[Optional()])
    place = _text(_l("Place"), rows=2, max_length=2000)
    participants_note = _text(
        _l("Who the participants were and what they gained (after the number)"), rows=2
    )
    results = _text(_l("Short-term results achieved"), rows=4)
    effectiveness = _text(_l("Effectiveness"), rows=3)
    counted = BooleanField(
        _l("Count these participants as the project's direct beneficiaries (section 4)"),
        default=True,
    )
    as_given = BooleanField(
        _l(
            "Record the breakdowns as the source document gives them, even though they do not "
            "add up (the reconciliation will name them)"
        )
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.breakdown_errors = {}
        if (
            self.counted.data
            and not self.as_given.data
            and all(not getattr(self, c).errors for c in breakdowns.ALL_COLUMNS)
        ):
            for m in breakdowns.mismatches(self.counts()):
                self.breakdown_errors[m.breakdown] = mismatch_message(m)
        if self.starts_on.data and self.ends_on.data and self.starts_on.data > self.ends_on.data:
            self.ends_on.errors = [
                *self.ends_on.errors,
                _l("The activity cannot end before it starts."),
            ]
            ok = False
        return ok and not self.breakdown_errors

    def counts(self) -> dict[str, int]:
        return {c: getattr(self, c).data or 0 for c in breakdowns.ALL_COLUMNS}


for _column in breakdowns.ALL_COLUMNS:
    setattr(ActivityForm, _column, count_field(_column))


class IndicatorForm(FlaskForm):
    name = TextAreaField(
        _l("Indicator"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        render_kw={"rows": 2},
    )
    plan = _count(_l("Plan"))
    plan_at_least = BooleanField(_l("The plan is a minimum (“at least”)"))
    fact = _count(_l("Fact"))
    justification = _text(_l("Justification, if the fact is below plan"), rows=2)


class EffectsForm(FlaskForm):
    """Plan, fact and justification of each row of the effect table."""


for _key in EffectKey:
    setattr(EffectsForm, f"plan_{_key.value}", _count(_l("Planned level")))
    setattr(EffectsForm, f"fact_{_key.value}", _count(_l("Actual level")))
    setattr(EffectsForm, f"justification_{_key.value}", _text(_l("Justification"), rows=1))


class PartnerForm(FlaskForm):
    name = TextAreaField(
        _l("Organisation / partner's full name"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        render_kw={"rows": 2},
    )
    role = _text(_l("Role in the project"), rows=2, max_length=2000)
    contacts = StringField(_l("Contact details"), validators=[Length(max=200)])
    note = _text(_l("Note"), rows=1, max_length=2000)


class ProposalForm(FlaskForm):
    sphere = StringField(
        _l("Sphere of the state grant"), validators=[DataRequired(REQUIRED), Length(max=2000)]
    )
    priority = _text(_l("Proposed priority direction"), rows=2)
    problem = _text(_l("Short description of the problem the grant should solve"), rows=3)
    amount = MoneyField(_l("Amount of funding, ₸"), validators=[Optional()])
    grant_type = StringField(_l("Type of grant"), validators=[Length(max=100)])
    expected_results = _text(_l("Expected results"), rows=2)


class RecommendationForm(FlaskForm):
    body = StringField(_l("State body"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    recommendation = _text(_l("Recommendation"), rows=3)
    letter = StringField(
        _l("Number and date of the letter sending it"), validators=[Length(max=200)]
    )


LIST_FORMS = {
    "partners": PartnerForm,
    "proposals": ProposalForm,
    "recommendations": RecommendationForm,
}
