from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, Optional

from smallgrants.auth.models import GRANTABLE_ROLES


class RoleChangeForm(FlaskForm):
    role = HiddenField(validators=[AnyOf([r.value for r in GRANTABLE_ROLES])])
    action = HiddenField(validators=[AnyOf(["grant", "revoke"])])


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or e-mail"), validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()], validate_choice=False)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=False)
    actor = StringField(_l("Who (name or e-mail)"), validators=[Optional()])
    object_type = SelectField(_l("Object type"), validators=[Optional()], validate_choice=False)
    object_id = StringField(_l("Object number"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
