from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField


class LanguageForm(FlaskForm):
    locale = SelectField(choices=[("kk", "kk"), ("ru", "ru"), ("en", "en")])
    next = HiddenField()
