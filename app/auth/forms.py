"""Forms for sign-up, login, profile, password and account deletion."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.auth.models import Constituency, Sex
from app.auth.passwords import MAX_PASSWORD_LENGTH, password_problem
from app.core.i18n import COUNTRY_CODES, LANGUAGE_NAMES, country_choices


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


class StrongPassword:
    """Run the password policy; the e-mail and name fields, if the form has them, count too."""

    def __call__(self, form, field):
        email = form.email.data if hasattr(form, "email") else ""
        name = form.name.data if hasattr(form, "name") else ""
        problem = password_problem(field.data or "", email=email or "", name=name or "")
        if problem:
            raise ValidationError(str(problem))


def email_field():
    return EmailField(
        _l("E-mail address"),
        filters=[strip_text],
        validators=[DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("At least 10 characters. A short sentence is easy to remember and hard to guess."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class ProfileFields(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[strip_text],
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    country = SelectField(_l("Country"), validators=[InputRequired()])
    organisation = StringField(
        _l("Organisation"), filters=[strip_text], validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    constituency = SelectField(_l("Constituency"), validators=[InputRequired()])
    sex = SelectField(_l("Sex"), validators=[InputRequired()])
    preferred_language = SelectField(_l("Preferred language"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose a country"))] + country_choices()
        self.constituency.choices = [("", _l("Choose one"))] + Constituency.choices()
        self.sex.choices = [("", _l("Choose one"))] + Sex.choices()
        self.preferred_language.choices = list(LANGUAGE_NAMES.items())

    def validate_country(self, field):
        if field.data not in COUNTRY_CODES:
            raise ValidationError(_l("Choose a country from the list."))

    def profile_data(self) -> dict:
        data = {
            "name": self.name.data,
            "country": self.country.data,
            "organisation": self.organisation.data or None,
            "constituency": Constituency(self.constituency.data),
            "sex": Sex(self.sex.data),
        }
        if self.preferred_language is not None:  # a form may leave the language out
            data["preferred_language"] = self.preferred_language.data
        return data


class SignupForm(ProfileFields):
    email = email_field()
    password, confirm = _new_password_fields()
    accept_privacy = BooleanField(
        _l("I have read the data notice and agree that Passage keeps these details to run the workshops."),
        validators=[DataRequired(message=_l("Please accept the data notice to create an account."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[strip_text], validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))


class ProfileForm(ProfileFields):
    pass


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    password, confirm = _new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class ConfirmSignupForm(FlaskForm):
    password = PasswordField(_l("The password you chose when you signed up"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField(_l("I understand that this cannot be undone."),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
