"""Form helpers shared by every context."""

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateTimeLocalField, HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import Select, TextInput

from smallgrants.core.converters import INT_MAX  # the largest INTEGER on every database
from smallgrants.core.i18n import format_number
from smallgrants.core.timeutil import local_to_utc, to_local


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may be lazy strings."""
    return [SelectChoice(value, label) for value, label in pairs]


class LanguageForm(FlaskForm):
    locale = SelectField(choices=choices([("kk", "kk"), ("ru", "ru"), ("en", "en")]))
    next = HiddenField()


class BoundedIntegerField(IntegerField):
    """An integer that fits its column: above `max_value` (the column's limit unless a field
    says less) the form says so in the reader's language, instead of the database refusing
    the value with a server error."""

    def __init__(self, *args, max_value: int = INT_MAX, **kwargs):
        self.max_value = max_value
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        """Digits only (WTForms' int() also takes "²" and "1_000", and says so in English)."""
        if not valuelist:
            return
        raw = (valuelist[0] or "").strip()
        if not raw:
            self.data = None
            return
        if not re.fullmatch(r"-?[0-9]+", raw):
            self.data = None
            raise ValueError(_l("Enter a whole number."))
        self.data = int(raw)

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data is not None and self.data > self.max_value:
            raise StopValidation(_l("At most %(max)s.", max=format_number(self.max_value)))


class MoneyField(BoundedIntegerField):
    """Whole tenge as people type it: `300 000`, `300000 ₸`, `300 000,00`.

    A text box (a number box refuses the spaces people type), numeric keypad on phones.
    """

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0] or ""
        cleaned = "".join(ch for ch in raw if not ch.isspace()).replace("₸", "")
        cleaned = re.sub(r"[.,]00$", "", cleaned)
        self.raw_data = [raw]
        if not cleaned:
            self.data = None
            return
        if not re.fullmatch(r"[0-9]+", cleaned):  # str.isdigit() also takes "²"
            self.data = None
            raise ValueError(_l("Enter a whole number of tenge, for example 300 000."))
        self.data = int(cleaned)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}".replace(",", " ")


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time in Almaty (the configured zone), held as aware UTC in `.data`.

    People type minutes. With `end_of_minute=True` (deadlines) "23:59" means until
    23:59:59, so a deadline of "30 September 23:59" admits a submission at 23:59:30.
    """

    def __init__(self, *args, end_of_minute: bool = False, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        self.end_of_minute = end_of_minute
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Enter a date and time, for example 2023-09-30 23:59.")) from error
        if self.data is not None:
            self.data = local_to_utc(self.data.replace(second=59 if self.end_of_minute else 0))

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_local(self.data).strftime(self.format[0]) if self.data else ""


class LongSelect(Select):
    """WTForms' `Select` for a choice among hundreds (the competitions a final report may
    attach): the same HTML, each plain option written with one escape rather than through
    `html_params` (profiled: 2 × 400 options were a third of the report page)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{value}">{label}</option>')  # noqa: S704
