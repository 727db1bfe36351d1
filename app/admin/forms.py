"""Admin forms: role changes and account status."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired

from app.core.permissions import Role


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[InputRequired()])
