"""Forms of the commission's screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from smallgrants.auth.forms import REQUIRED, consent_field, email_field, new_password_fields
from smallgrants.commission.labels import (
    GROUND_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    TIE_BREAK_LABELS,
    outcome_labels,
)
from smallgrants.core.forms import BoundedIntegerField, LocalDateTimeField, MoneyField, choices


def _options(labels: dict) -> list:
    return choices((key.value, label) for key, label in labels.items())


class SettingsForm(FlaskForm):
    approval_number = StringField(
        _l("Approval protocol number"), validators=[Optional(), Length(max=32)]
    )
    approval_date = DateField(_l("Approval protocol date"), validators=[Optional()])
    approval_place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    quorum_numerator = BoundedIntegerField(
        _l("Quorum: numerator"),
        default=2,
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=100)],
    )
    quorum_denominator = BoundedIntegerField(
        _l("Quorum: denominator"),
        default=3,
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=100)],
    )
    tie_break_rule = SelectField(_l("Tie-break"), choices=_options(TIE_BREAK_LABELS))
    dispute_threshold = BoundedIntegerField(
        _l("Flag for discussion when scores differ by (of 100)"),
        default=25,
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=100)],
    )
    show_score_in_results = BooleanField(_l("Tell applicants their score with the result"))


class MemberForm(FlaskForm):
    email = email_field()
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    job_title = StringField(_l("Position and organisation"), validators=[Length(max=300)])
    role = SelectField(_l("Role on the commission"), choices=_options(ROLE_LABELS))
    voting = BooleanField(_l("Voting member"), default=True)


class MemberEditForm(FlaskForm):
    job_title = StringField(_l("Position and organisation"), validators=[Length(max=300)])
    role = SelectField(_l("Role on the commission"), choices=_options(ROLE_LABELS))
    voting = BooleanField(_l("Voting member"))


class AssignForm(FlaskForm):
    k = BoundedIntegerField(
        _l("Members per application (empty: every member scores every application)"),
        validators=[Optional(), NumberRange(min=1, max=50)],
    )


class InvitationAccountForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    password, password_confirm = new_password_fields()
    consent = consent_field()


class DeclarationForm(FlaskForm):
    conflict = RadioField(
        _l("Conflict of interest"),
        choices=choices(
            [
                ("no", _l("I have no conflict of interest with this applicant")),
                ("yes", _l("I have a conflict of interest")),
            ]
        ),
        validators=[DataRequired(_l("Choose one."))],
    )
    ground = SelectField(
        _l("Ground"),
        choices=choices([("", "—"), *((k.value, v) for k, v in GROUND_LABELS.items())]),
        default="",
    )
    reason = TextAreaField(_l("Details"), validators=[Length(max=2000)], render_kw={"rows": 2})


class ConflictForm(FlaskForm):
    """The coordinator or the chair records a member's conflict."""

    member_id = SelectField(_l("Member"), coerce=int, choices=[])
    ground = SelectField(_l("Ground"), choices=_options(GROUND_LABELS))
    reason = TextAreaField(_l("Details"), validators=[Length(max=2000)], render_kw={"rows": 2})


class ReopenForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(REQUIRED), Length(max=500)])


class ReactionsForm(FlaskForm):
    counted_on = DateField(_l("Counted on"), validators=[DataRequired(REQUIRED)])


class MeetingForm(FlaskForm):
    number = StringField(_l("Protocol number"), validators=[DataRequired(REQUIRED), Length(max=32)])
    held_at = LocalDateTimeField(_l("Date and time (Almaty)"), validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Place"), validators=[Length(max=200)])
    online_link = StringField(_l("Online link (Zoom etc.)"), validators=[Length(max=500)])


class DecisionForm(FlaskForm):
    outcome = SelectField(_l("Decision"), choices=_options(OUTCOME_LABELS))
    amount = MoneyField(_l("Amount, ₸"), validators=[Optional()])
    votes_for = BoundedIntegerField(_l("For"), validators=[Optional(), NumberRange(min=0)])
    votes_against = BoundedIntegerField(_l("Against"), validators=[Optional(), NumberRange(min=0)])
    votes_abstain = BoundedIntegerField(
        _l("Abstained"), validators=[Optional(), NumberRange(min=0)]
    )
    rationale = TextAreaField(_l("Rationale"), validators=[Length(max=2000)], render_kw={"rows": 2})
    tie_break = StringField(_l("How the tie was broken"), validators=[Length(max=500)])

    def __init__(self, *args, prizes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = _options(outcome_labels(prizes))


class SignForm(FlaskForm):
    locale = SelectField(
        _l("Language of the protocol"),
        choices=choices([("kk", "Қазақша"), ("ru", "Русский")]),
    )


class AddendumForm(FlaskForm):
    text = TextAreaField(
        _l("Text of the addendum"), validators=[DataRequired(REQUIRED)], render_kw={"rows": 3}
    )
