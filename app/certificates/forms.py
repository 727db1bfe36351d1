"""The admin's form to revoke a certificate."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.auth.forms import strip_text


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking"), filters=[strip_text],
                           validators=[DataRequired(message=_l("Say why the certificate is revoked.")), Length(max=1000)])
