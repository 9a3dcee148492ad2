"""Form helpers shared by every context."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may be lazy strings."""
    return [SelectChoice(value, label) for value, label in pairs]


class LanguageForm(FlaskForm):
    locale = SelectField(choices=choices([("kk", "kk"), ("ru", "ru"), ("en", "en")]))
    next = HiddenField()
