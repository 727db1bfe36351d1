"""Forms for participants (registration) and for trainers and admins (workshops, cohorts, sessions)."""
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.auth.forms import ProfileFields, strip_text
from app.core.i18n import LANGUAGE_NAMES
from app.core.timeutil import MAX_YEAR, MIN_YEAR, DateOutOfRange, local_to_utc, utc_to_local
from app.workshops.models import Venue, WorkshopStatus

CHECKBOXES = widgets.ListWidget(prefix_label=False)
# A saved time shows as the browser's own format (2026-05-04T09:30); the other forms are still read.
LOCAL_MINUTES = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
TIMEZONES = sorted(available_timezones() - {"localtime", "Factory"})


def within_years(form, field):
    """A workshop's days take the same years as its times (`local_to_utc`): a first day in 9999 could hold no session."""
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(DateOutOfRange().message)


class RegistrationForm(ProfileFields):
    working_language = SelectField(_l("Working language during the workshop"), validators=[InputRequired()])
    motivation = TextAreaField(
        _l("Why do you want to take part?"), filters=[strip_text], validators=[DataRequired(), Length(max=2000)],
        description=_l("A few sentences on your work and what you hope to take home (at most 2,000 characters)."),
    )
    accept_privacy = BooleanField(
        _l("I have read the data notice and agree that the organisers use these details for this workshop."),
        validators=[DataRequired(message=_l("Please accept the data notice to register."))],
    )

    def __init__(self, workshop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.working_language.choices = [("", _l("Choose a language"))] + [
            (code, LANGUAGE_NAMES.get(code, code)) for code in workshop.languages]
        del self.preferred_language


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (sent to the participant)"), filters=[strip_text],
        validators=[DataRequired(message=_l("Give a reason: it is e-mailed to each person you reject.")),
                    Length(max=1000, message=_l("The reason is too long (at most 1,000 characters)."))],
        description=_l("At most 1,000 characters."),
    )


class CohortForm(FlaskForm):
    name = StringField(_l("Cohort name"), filters=[strip_text], validators=[DataRequired(), Length(max=80)])


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip_text], validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_MINUTES,
                                   validators=[DataRequired(message=_l("Enter a date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_MINUTES,
                                 validators=[DataRequired(message=_l("Enter a date and time."))])
    cohort = SelectField(_l("Who attends"), validators=[Optional()])
    room = StringField(_l("Room or link"), filters=[strip_text], validators=[Optional(), Length(max=120)])

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._cohorts = {str(cohort.id): cohort for cohort in cohorts}
        self.cohort.choices = [("", _l("Plenary (everyone)"))] + [(key, c.name) for key, c in self._cohorts.items()]

    def fill_from(self, session, workshop) -> None:
        """Show a saved session: its times in the workshop's zone, its cohort."""
        self.title.data, self.room.data = session.title, session.room
        self.starts_at.data = utc_to_local(session.starts_at, workshop.timezone)
        self.ends_at.data = utc_to_local(session.ends_at, workshop.timezone)
        self.cohort.data = str(session.cohort_id) if session.cohort_id else ""

    def session_fields(self, workshop) -> dict:
        """The keyword arguments of sessions.add_session and edit_session; times read in the workshop's zone."""
        return {
            "title": self.title.data, "room": self.room.data or "", "cohort": self._cohorts.get(self.cohort.data),
            "starts_at": local_to_utc(self.starts_at.data, workshop.timezone, field="starts_at"),
            "ends_at": local_to_utc(self.ends_at.data, workshop.timezone, field="ends_at"),
        }


def _quota_field(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100_000)])


class WorkshopForm(FlaskForm):
    # One line: the title goes into e-mail subjects (no CR, LF or other line separator).
    title = StringField(_l("Title"), filters=[strip_text], validators=[
        DataRequired(), Length(max=200),
        Regexp(r"\A[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*\Z", message=_l("The title must fit on one line."))])
    slug = StringField(
        _l("Short name in the address"), filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        validators=[DataRequired(), Length(max=80),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use lowercase letters, digits and hyphens."))],
    )
    description = TextAreaField(_l("Description"), filters=[strip_text], validators=[Optional(), Length(max=10_000)])
    course_id = SelectField(_l("Linked course"), validators=[Optional()])
    starts_on = DateField(_l("First day"), validators=[DataRequired(message=_l("Enter a date.")), within_years])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(message=_l("Enter a date.")), within_years])
    timezone = SelectField(_l("Time zone"), default="Europe/Rome")
    venue = SelectField(_l("Venue"), validators=[InputRequired()])
    address = TextAreaField(_l("Address or online link"), filters=[strip_text], validators=[Optional(), Length(max=1000)])
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
    attendance_threshold = IntegerField(
        _l("Attendance for a certificate (%)"), default=80, validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("The share of their sessions a participant must attend to earn a certificate (1 to 100; 80 if left empty)."),
    )
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

    def fill_from(self, workshop, trainer_ids: list[int]) -> None:
        """Show a saved workshop: its course, trainers and registration window in its own zone."""
        self.course_id.data = str(workshop.course_id) if workshop.course_id else ""
        self.trainer_ids.data = trainer_ids
        self.registration_opens_at.data = utc_to_local(workshop.registration_opens_at, workshop.timezone)
        self.registration_closes_at.data = utc_to_local(workshop.registration_closes_at, workshop.timezone)

    def workshop_fields(self) -> dict:
        """The form's values as Workshop attributes; the registration window is read in the workshop's zone."""
        zone = self.timezone.data
        return {
            "title": self.title.data, "slug": self.slug.data, "description": self.description.data or "",
            "course_id": int(self.course_id.data) if self.course_id.data else None,
            "starts_on": self.starts_on.data, "ends_on": self.ends_on.data, "timezone": zone,
            "venue": Venue(self.venue.data), "address": self.address.data or "", "languages": self.languages.data,
            "capacity": self.capacity.data, "waitlist_enabled": self.waitlist_enabled.data,
            "quota_government": self.quota_government.data, "quota_workers": self.quota_workers.data,
            "quota_employers": self.quota_employers.data, "quota_other": self.quota_other.data,
            "registration_opens_at": local_to_utc(self.registration_opens_at.data, zone, field="registration_opens_at"),
            "registration_closes_at": local_to_utc(self.registration_closes_at.data, zone, field="registration_closes_at"),
            "requires_approval": self.requires_approval.data, "status": WorkshopStatus(self.status.data),
            "attendance_threshold": self.attendance_threshold.data or 80,
        }

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first."))

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))
