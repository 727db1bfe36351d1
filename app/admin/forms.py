"""Admin forms: role changes, account status and invitations."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.auth.forms import email_field, strip_text
from app.core.i18n import LANGUAGE_NAMES
from app.core.permissions import Role


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[InputRequired()])


class InviteForm(FlaskForm):
    """A new account opened by the secretariat; the person chooses a password from an e-mailed link."""

    name = StringField(_l("Full name"), filters=[strip_text], validators=[DataRequired(), Length(max=120)])
    email = email_field()
    role = SelectField(_l("Role"), validators=[InputRequired()])
    preferred_language = SelectField(_l("Language of the e-mails and pages"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()
        self.preferred_language.choices = list(LANGUAGE_NAMES.items())
