"""Forms for participants (registration) and for trainers and admins (workshops, cohorts, sessions)."""
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import widgets
from wtforms import (BooleanField, DateField, DateTimeLocalField, IntegerField, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.auth.forms import ProfileFields, _strip
from app.core.i18n import LANGUAGE_NAMES
from app.workshops.models import Venue, WorkshopStatus

CHECKBOXES = widgets.ListWidget(prefix_label=False)
TIMEZONES = sorted(available_timezones() - {"localtime", "Factory"})


class RegistrationForm(ProfileFields):
    working_language = SelectField(_l("Working language during the workshop"), validators=[InputRequired()])
    motivation = TextAreaField(
        _l("Why do you want to take part?"), filters=[_strip], validators=[DataRequired(), Length(max=2000)],
        description=_l("A few sentences on your work and what you hope to take home (at most 2,000 characters)."),
    )
    accept_privacy = BooleanField(
        _l("I have read the data notice and agree that the organisers use these details for this workshop."),
        validators=[DataRequired(message=_l("Please accept the data notice to register."))],
    )

    def __init__(self, workshop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.working_language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in workshop.languages]
        del self.preferred_language


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the participant)"), filters=[_strip], validators=[Optional(), Length(max=1000)])


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), filters=[_strip], validators=[DataRequired(), Length(max=80)])


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired(message=_l("Enter a date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired(message=_l("Enter a date and time."))])
    cohort = SelectField(_l("Who attends"), validators=[Optional()])
    room = StringField(_l("Room or link"), filters=[_strip], validators=[Optional(), Length(max=120)])


def _quota_field(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100_000)])


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name in the address"), filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        validators=[DataRequired(), Length(max=80),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use lowercase letters, digits and hyphens."))],
    )
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[Optional(), Length(max=10_000)])
    course_id = SelectField(_l("Linked course"), validators=[Optional()])
    starts_on = DateField(_l("First day"), validators=[DataRequired(message=_l("Enter a date."))])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(message=_l("Enter a date."))])
    timezone = SelectField(_l("Time zone"), default="Europe/Rome")
    venue = SelectField(_l("Venue"), validators=[InputRequired()])
    address = TextAreaField(_l("Address or online link"), filters=[_strip], validators=[Optional(), Length(max=1000)])
    languages = SelectMultipleField(_l("Languages offered"), widget=CHECKBOXES, option_widget=widgets.CheckboxInput(),
                                    validators=[DataRequired(message=_l("Choose at least one language."))])
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=100_000)])
    waitlist_enabled = BooleanField(_l("Keep a waiting list when full"), default=True)
    quota_government = _quota_field(_l("Seats for governments"))
    quota_workers = _quota_field(_l("Seats for workers' organisations"))
    quota_employers = _quota_field(_l("Seats for employers' organisations"))
    quota_other = _quota_field(_l("Seats for others"))
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()])
    requires_approval = BooleanField(_l("Registrations need approval"))
    status = SelectField(_l("Status"), validators=[InputRequired()])
    trainer_ids = SelectMultipleField(_l("Trainers"), coerce=int, widget=CHECKBOXES, option_widget=widgets.CheckboxInput(),
                                      validators=[Optional()])

    def __init__(self, *args, courses=(), trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = [("", _l("None"))] + [(str(c.id), c.t_title()) for c in courses]
        self.timezone.choices = [(zone, zone) for zone in TIMEZONES]
        self.venue.choices = Venue.choices()
        self.status.choices = WorkshopStatus.choices()
        self.languages.choices = list(LANGUAGE_NAMES.items())
        self.trainer_ids.choices = [(t.id, f"{t.name} <{t.email}>") for t in trainers]

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first."))

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))
