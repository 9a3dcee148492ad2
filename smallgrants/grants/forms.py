"""Forms of grants and monitoring. The event form checks that each breakdown sums to the
total and says which one is off and by how much, keeping every value typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FileField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import NumberInput

from smallgrants.auth.forms import REQUIRED
from smallgrants.core.forms import BoundedIntegerField, LocalDateTimeField, MoneyField, choices
from smallgrants.grants import breakdowns
from smallgrants.grants.labels import (
    COLUMN_LABELS,
    CONDITION_LABELS,
    FORMAT_LABELS,
    GRANT_STATUS_LABELS,
    PERIOD_LABELS,
    mismatch_message,
)
from smallgrants.grants.models import FilePurpose

MAX_TRANCHES = 3
NOT_NEGATIVE = _l("Enter a number from 0.")


def _options(labels: dict) -> list:
    return choices((key.value, label) for key, label in labels.items())


class TermsForm(FlaskForm):
    grantor_name = StringField(_l("Grantor (the grant holder)"), validators=[Length(max=300)])
    grantor_head = StringField(_l("Its head"), validators=[Length(max=200)])
    grantor_bin = StringField(_l("Its BIN"), validators=[Length(max=12)])
    grantor_address = StringField(_l("Its legal address"), validators=[Length(max=500)])
    signing_place = StringField(_l("Place of signing"), validators=[Length(max=200)])
    agreement_prefix = StringField(_l("Agreement number prefix"), validators=[Length(max=16)])
    starts_on = DateField(_l("Implementation starts"), validators=[Optional()])
    ends_on = DateField(_l("Implementation ends"), validators=[Optional()])
    duties_kk = TextAreaField(
        _l("Reporting duties (Kazakh)"), validators=[Length(max=5000)], render_kw={"rows": 3}
    )
    duties_ru = TextAreaField(
        _l("Reporting duties (Russian)"), validators=[Length(max=5000)], render_kw={"rows": 3}
    )


class TranchesForm(FlaskForm):
    """Up to three tranches: a share and its condition each; empty shares are left out."""

    percent_1 = BoundedIntegerField(
        _l("Tranche 1, %"), validators=[Optional(), NumberRange(1, 100)]
    )
    condition_1 = SelectField(_l("Paid"), choices=_options(CONDITION_LABELS))
    percent_2 = BoundedIntegerField(
        _l("Tranche 2, %"), validators=[Optional(), NumberRange(1, 100)]
    )
    condition_2 = SelectField(_l("Paid"), choices=_options(CONDITION_LABELS))
    percent_3 = BoundedIntegerField(
        _l("Tranche 3, %"), validators=[Optional(), NumberRange(1, 100)]
    )
    condition_3 = SelectField(_l("Paid"), choices=_options(CONDITION_LABELS))

    def schedule(self) -> list[tuple[int, str]]:
        rows = []
        for i in range(1, MAX_TRANCHES + 1):
            percent = getattr(self, f"percent_{i}").data
            if percent:
                rows.append((percent, getattr(self, f"condition_{i}").data))
        return rows


class PeriodForm(FlaskForm):
    kind = SelectField(_l("Report"), choices=_options(PERIOD_LABELS))
    due_at = LocalDateTimeField(
        _l("Due (Almaty time)"), end_of_minute=True, validators=[DataRequired(REQUIRED)]
    )


class DueForm(FlaskForm):
    due_at = LocalDateTimeField(
        _l("Due (Almaty time)"), end_of_minute=True, validators=[DataRequired(REQUIRED)]
    )


class AgreementForm(FlaskForm):
    agreement_number = StringField(
        _l("Agreement number"), validators=[DataRequired(REQUIRED), Length(max=32)]
    )
    agreement_date = DateField(_l("Agreement date"), validators=[Optional()])
    starts_on = DateField(_l("Implementation starts"), validators=[Optional()])
    ends_on = DateField(_l("Implementation ends"), validators=[Optional()])


class PaymentForm(FlaskForm):
    tranche = SelectField(_l("Tranche"), coerce=int, choices=[])
    paid_on = DateField(_l("Date of payment"), validators=[DataRequired(REQUIRED)])
    amount = MoneyField(_l("Amount, ₸"), validators=[DataRequired(REQUIRED)])
    document_number = StringField(
        _l("Payment document number"), validators=[DataRequired(REQUIRED), Length(max=64)]
    )


class PrizePaymentForm(FlaskForm):
    paid_on = DateField(_l("Date of payment"), validators=[DataRequired(REQUIRED)])
    document_number = StringField(
        _l("Payment document number"), validators=[DataRequired(REQUIRED), Length(max=64)]
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=_options(GRANT_STATUS_LABELS))

    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)], render_kw={"rows": 2})


class VisitForm(FlaskForm):
    visited_on = DateField(_l("Date of the visit"), validators=[DataRequired(REQUIRED)])
    visitors = StringField(_l("Who visited"), validators=[DataRequired(REQUIRED), Length(max=300)])
    findings = TextAreaField(
        _l("Findings"), validators=[DataRequired(REQUIRED)], render_kw={"rows": 3}
    )
    photos = MultipleFileField(_l("Photos (JPG or PNG)"))


class ReviewForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices(
            [("accept", _l("Accept the report")), ("return", _l("Return for corrections"))]
        ),
        validators=[DataRequired(_l("Choose one."))],
    )
    comment = TextAreaField(
        _l("Comments for the grantee"), validators=[Length(max=5000)], render_kw={"rows": 3}
    )


class NarrativeForm(FlaskForm):
    results = TextAreaField(
        _l("Results achieved"), validators=[Length(max=10000)], render_kw={"rows": 4}
    )
    difficulties = TextAreaField(
        _l("Difficulties"), validators=[Length(max=10000)], render_kw={"rows": 3}
    )
    success_story = TextAreaField(
        _l("A success story"), validators=[Length(max=10000)], render_kw={"rows": 3}
    )


def count_field(column: str) -> BoundedIntegerField:
    return BoundedIntegerField(
        COLUMN_LABELS[column],
        default=0,
        widget=NumberInput(min=0),
        render_kw={"inputmode": "numeric"},
        validators=[InputRequired(NOT_NEGATIVE), NumberRange(min=0, message=NOT_NEGATIVE)],
    )


class EventForm(FlaskForm):
    title = StringField(_l("Event"), validators=[DataRequired(REQUIRED), Length(max=300)])
    held_on = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    district_code = SelectField(_l("District"), choices=[])
    settlement = StringField(_l("Settlement"), validators=[Length(max=200)])
    format = SelectField(_l("Format"), choices=_options(FORMAT_LABELS))
    description = TextAreaField(
        _l("What happened"), validators=[Length(max=5000)], render_kw={"rows": 3}
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.breakdown_errors = {}
        if all(not getattr(self, c).errors for c in breakdowns.ALL_COLUMNS):
            counts = {c: getattr(self, c).data for c in breakdowns.ALL_COLUMNS}
            for m in breakdowns.mismatches(counts):
                self.breakdown_errors[m.breakdown] = mismatch_message(m)
        return ok and not self.breakdown_errors

    def counts(self) -> dict[str, int]:
        return {c: getattr(self, c).data or 0 for c in breakdowns.ALL_COLUMNS}


for _column in breakdowns.ALL_COLUMNS:
    setattr(EventForm, _column, count_field(_column))


class PublicationForm(FlaskForm):
    url = StringField(_l("Link"), validators=[DataRequired(REQUIRED), Length(max=500)])
    media_name = StringField(_l("Media or page"), validators=[Length(max=200)])
    published_on = DateField(_l("Published on"), validators=[Optional()])
    reach = BoundedIntegerField(
        _l("Views / reach"),
        widget=NumberInput(min=0),
        validators=[Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
    )


class ExpenseForm(FlaskForm):
    budget_line_id = SelectField(_l("Budget line"), coerce=int, choices=[])
    spent_on = DateField(_l("Date"), validators=[DataRequired(REQUIRED)])
    amount = MoneyField(_l("Amount, ₸"), validators=[DataRequired(REQUIRED)])
    document = StringField(
        _l("Document (receipt, invoice, act)"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    receipt = FileField(_l("Scanned receipt (optional)"))


class FileForm(FlaskForm):
    purpose = SelectField(
        _l("What it is"),
        choices=choices(
            [
                (FilePurpose.PHOTO.value, _l("Photo")),
                (FilePurpose.EVIDENCE.value, _l("Other evidence")),
            ]
        ),
    )
    caption = StringField(_l("Caption"), validators=[Length(max=300)])
    file = FileField(_l("File"))
