"""The competition set-up form: one page, sections, rows for criteria and the checklist."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FileField,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from smallgrants.auth.forms import REQUIRED
from smallgrants.competitions.models import DEFAULT_VIDEO_HOSTS
from smallgrants.core import geography
from smallgrants.core.forms import BoundedIntegerField, LocalDateTimeField, MoneyField, choices
from smallgrants.organisations.forms import HolderChoice

PRIZE_ROWS = 5  # rows for prizes by place; a saved form shows one empty row more
CRITERION_ROWS_SPARE = 3
CHECKLIST_ROWS_SPARE = 3


class CriterionRow(Form):
    title_kk = StringField(_l("Criterion (Kazakh)"), validators=[Optional(), Length(max=300)])
    title_ru = StringField(_l("Criterion (Russian)"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("What the commission looks at"), validators=[Optional()], render_kw={"rows": 2}
    )
    max_points = BoundedIntegerField(
        _l("Maximum points"),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_l("From 1 to 1000."))],
    )
    weight = BoundedIntegerField(
        _l("Weight"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
    )

    @property
    def is_blank(self) -> bool:
        return not (self.title_kk.data or "").strip()


class ChecklistRow(Form):
    title_kk = StringField(_l("Document (Kazakh)"), validators=[Optional(), Length(max=300)])
    title_ru = StringField(_l("Document (Russian)"), validators=[Optional(), Length(max=300)])
    required = BooleanField(_l("Required"), default=True)

    @property
    def is_blank(self) -> bool:
        return not (self.title_kk.data or "").strip()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompetitionForm(HolderChoice, FlaskForm):
    # a new competition of a coordinator working for several organisations: which one
    organisation_id = SelectField(_l("Organisation that runs it"))
    title_kk = StringField(
        _l("Title (Kazakh)"), validators=[DataRequired(REQUIRED), Length(max=300)]
    )
    title_ru = StringField(_l("Title (Russian)"), validators=[Optional(), Length(max=300)])
    description_kk = TextAreaField(_l("Description (Kazakh)"), render_kw={"rows": 5})
    description_ru = TextAreaField(_l("Description (Russian)"), render_kw={"rows": 5})
    direction_kk = StringField(
        _l("Priority direction (Kazakh)"), validators=[Optional(), Length(max=300)]
    )
    direction_ru = StringField(
        _l("Priority direction (Russian)"), validators=[Optional(), Length(max=300)]
    )
    entry_kind = SelectField(_l("Entries are"), default="project")
    video_hosts = StringField(
        _l("Sites the video links may lead to"),
        default=DEFAULT_VIDEO_HOSTS,
        validators=[Optional(), Length(max=1000)],
    )
    counts_reactions = BooleanField(_l("Public reactions (likes) are counted for each entry"))
    reaction_weight = BoundedIntegerField(
        _l("Weight of the reactions in the final score, %"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("From 0 to 100."))],
    )
    region_code = SelectField(_l("Region"), validators=[DataRequired(REQUIRED)])
    district_codes = MultiCheckboxField(_l("Eligible districts"), validate_choice=False)
    award_kind = SelectField(_l("Winners receive"), default="grant")
    # no default amount or number: the coordinator types them (required unless the prizes
    # differ by place, which then decide both)
    grant_amount = MoneyField(
        _l("Amount of one award, ₸"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("The amount must be more than zero.")),
        ],
    )
    grant_count = BoundedIntegerField(
        _l("Number of awards"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("From 1 to 1000.")),
        ],
    )
    place_amounts = FieldList(
        MoneyField(
            _l("Prize, ₸"),
            validators=[
                Optional(),
                NumberRange(min=1, message=_l("The amount must be more than zero.")),
            ],
        ),
        min_entries=PRIZE_ROWS,
    )
    accepts_ngo = BooleanField(_l("NGOs may apply"), default=True)
    accepts_group = BooleanField(_l("Initiative groups may apply"), default=True)
    accepts_individual = BooleanField(_l("Individuals may enter as themselves"), default=False)
    min_age = BoundedIntegerField(
        _l("Individuals aged from"),
        validators=[Optional(), NumberRange(min=0, max=150, message=_l("From 0 to 150."))],
    )
    max_age = BoundedIntegerField(
        _l("to (years, on the closing day)"),
        validators=[Optional(), NumberRange(min=0, max=150, message=_l("From 0 to 150."))],
    )
    min_group_members = BoundedIntegerField(
        _l("Minimum members of an initiative group"),
        default=3,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=1, max=100, message=_l("From 1 to 100.")),
        ],
    )
    opens_at = LocalDateTimeField(
        _l("Applications open (Almaty time)"), validators=[InputRequired(REQUIRED)]
    )
    closes_at = LocalDateTimeField(
        _l("Applications close (Almaty time)"),
        validators=[InputRequired(REQUIRED)],
        end_of_minute=True,
    )
    rules_kk = TextAreaField(_l("Rules (Kazakh)"), render_kw={"rows": 8})
    rules_ru = TextAreaField(_l("Rules (Russian)"), render_kw={"rows": 8})
    rules_file = FileField(_l("Rules as a document (PDF or DOCX)"))
    number_prefix = StringField(
        _l("Prefix of application numbers"),
        default="SG",
        validators=[DataRequired(REQUIRED), Length(max=12)],
    )
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERION_ROWS_SPARE)
    checklist = FieldList(FormField(ChecklistRow), min_entries=CHECKLIST_ROWS_SPARE)

    def __init__(self, *args, locale: str = "kk", holders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose_holder(holders, locale)
        self.award_kind.choices = choices(
            [
                ("grant", _l("Grants: agreements, tranches and reports")),
                ("prize", _l("Prizes: one payment to each winner")),
            ]
        )
        self.entry_kind.choices = choices(
            [
                ("project", _l("Projects with a plan and a budget")),
                ("video", _l("Links to videos (a video contest)")),
            ]
        )
        self.region_code.choices = choices(
            [("", _l("Choose…"))] + [(r.code, r.name(locale)) for r in geography.REGIONS]
        )
        self.district_codes.choices = choices(
            geography.named(geography.districts_of("KZ-33"), locale)
        )
        self._label_places()

    def _label_places(self) -> None:
        for place, entry in enumerate(self.place_amounts.entries, 1):
            entry.label.text = _l("Prize for place %(n)s, ₸", n=place)

    def add_spare_rows(self) -> None:
        for _ in range(CRITERION_ROWS_SPARE):
            self.criteria.append_entry()
        for _ in range(CHECKLIST_ROWS_SPARE):
            self.checklist.append_entry()
        for _ in range(max(1, PRIZE_ROWS - len(self.place_amounts.entries))):
            self.place_amounts.append_entry()
        self._label_places()

    @property
    def prize_amounts(self) -> list[int]:
        """The prizes typed by place, 1st first (empty rows left out)."""
        return [e.data for e in self.place_amounts if e.data is not None]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for row in (entry.form for entry in self.criteria):
            if not row.is_blank and row.max_points.data is None:
                row.max_points.errors = [*row.max_points.errors, REQUIRED]
                ok = False
        if not self.prize_amounts:  # equal awards: their amount and number are needed
            for name in ("grant_amount", "grant_count"):
                field = getattr(self, name)
                if field.data is None and not field.errors:
                    field.errors = [*field.errors, REQUIRED]
                    ok = False
        return ok


class QuestionForm(FlaskForm):
    text = TextAreaField(
        _l("Your question"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=2000, message=_l("At most 2000 characters.")),
        ],
        render_kw={"rows": 3},
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Answer"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=5000, message=_l("At most 5000 characters.")),
        ],
        render_kw={"rows": 3},
    )
