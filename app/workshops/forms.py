"""Forms for participants (registration) and for trainers and admins (workshops, cohorts, sessions)."""
from importlib import resources
from typing import NamedTuple
from zoneinfo import available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
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
from app.core.i18n import LANGUAGE_NAMES, language_name
from app.core.timeutil import MAX_YEAR, MIN_YEAR, DateOutOfRange, local_to_utc, utc_to_local
from app.core.translated import cleaned
from app.workshops.models import Venue, WorkshopStatus

CHECKBOXES = widgets.ListWidget(prefix_label=False)
# A saved time shows as the browser's own format (2026-05-04T09:30); the other forms are still read.
LOCAL_MINUTES = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
CAMPUS_ZONE = "Europe/Rome"


def _canonical_zones() -> list[str]:
    """The tz database's canonical zones (zone.tab: one per place, no old aliases such as "US/Eastern")."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones = {line.split("\t")[2] for line in table.splitlines() if line and not line.startswith("#")}
    return sorted(zones & available_timezones())


CANONICAL_ZONES = _canonical_zones()
REGIONS = {
    "Africa": _l("Africa"), "America": _l("Americas"), "Antarctica": _l("Antarctica"), "Arctic": _l("Arctic"),
    "Asia": _l("Asia"), "Atlantic": _l("Atlantic Ocean"), "Australia": _l("Australia"), "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"), "Pacific": _l("Pacific"),
}


def zone_choices(in_use=()) -> dict[str, list[tuple[str, str]]]:
    """The zones as option groups: the usual ones first (the Turin campus, UTC, those workshops already use),
    then each region's canonical zones; each zone once."""
    usual = [CAMPUS_ZONE, "UTC", *sorted(zone for zone in set(in_use) if zone not in (CAMPUS_ZONE, "UTC"))]
    groups = {str(_l("Usual")): [(zone, _("%(zone)s (Turin campus)", zone=zone) if zone == CAMPUS_ZONE
                                   else zone.replace("_", " ")) for zone in usual]}
    for zone in CANONICAL_ZONES:
        if zone not in usual:
            region = zone.split("/")[0]
            groups.setdefault(str(REGIONS.get(region, region)), []).append((zone, zone.replace("_", " ")))
    return groups


# One line: titles and names go into e-mail subjects and headers (no CR, LF or other line separator).
ONE_LINE = Regexp(r"\A[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*\Z", message=_l("This must fit on one line."))


class Text(NamedTuple):
    """A text written in each working language: its label, its longest length, and whether it is long."""

    label: object
    max_length: int
    long: bool = False

    def validators(self, first) -> list:
        """`first` (DataRequired or Optional), the length, and for a short text, one line."""
        return [first, Length(max=self.max_length)] + ([] if self.long else [ONE_LINE])


class TranslatedFields:
    """One field per text and language ("title_en", "title_fr", …), each typed in its language (lang="fr").

    Which are required depends on the workshop (its first language), so the form says it:
    `keep_languages` drops the languages a workshop does not offer and requires the first one's.
    """

    TEXTS: dict[str, Text] = {}

    def _name_languages(self) -> None:
        for name, text in self.TEXTS.items():
            for code in LANGUAGE_NAMES:
                if f"{name}_{code}" in self:
                    self[f"{name}_{code}"].label.text = _("%(text)s (%(language)s)", text=text.label,
                                                          language=language_name(code))

    def require(self, name: str, code: str) -> None:
        field = self[f"{name}_{code}"]
        field.validators = self.TEXTS[name].validators(DataRequired())
        field.flags.required = True

    def keep_languages(self, languages, required=()) -> None:
        """Only these languages' fields; the texts named in `required` are required in the first one."""
        for name in self.TEXTS:
            for code in LANGUAGE_NAMES:
                if code not in languages and f"{name}_{code}" in self:
                    del self[f"{name}_{code}"]
        for name in required:
            self.require(name, (list(languages) or ["en"])[0])

    def text_fields(self, name: str, languages=LANGUAGE_NAMES) -> list:
        return [self[f"{name}_{code}"] for code in languages if f"{name}_{code}" in self]

    def texts(self, name: str, languages) -> dict[str, str]:
        """{language: text} of these languages, empty ones left out."""
        return cleaned({code: self[f"{name}_{code}"].data for code in languages if f"{name}_{code}" in self}, languages)

    def fill_texts(self, name: str, texts: dict | None) -> None:
        for code, text in (texts or {}).items():
            if f"{name}_{code}" in self:
                self[f"{name}_{code}"].data = text


def translated_fields(**texts: Text) -> type:
    """A form base class with the fields of these texts in every language (see TranslatedFields)."""
    fields = {"TEXTS": texts}
    for code in LANGUAGE_NAMES:
        for name, text in texts.items():
            kind = TextAreaField if text.long else StringField
            fields[f"{name}_{code}"] = kind(text.label, filters=[strip_text], render_kw={"lang": code},
                                            validators=text.validators(Optional()))
    return type("Texts", (TranslatedFields, FlaskForm), fields)


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


class CohortForm(translated_fields(name=Text(_l("Cohort name"), 80))):
    """A cohort's name in each working language of its workshop (the first one required)."""

    def __init__(self, workshop, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_languages(workshop.languages or ["en"], required=("name",))
        self._name_languages()


class SessionForm(translated_fields(title=Text(_l("Title"), 200))):
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_MINUTES,
                                   validators=[DataRequired(message=_l("Enter a date and time."))])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_MINUTES,
                                 validators=[DataRequired(message=_l("Enter a date and time."))])
    cohort = SelectField(_l("Who attends"), validators=[Optional()])
    room = StringField(_l("Room or link"), filters=[strip_text], validators=[Optional(), Length(max=120)])

    def __init__(self, workshop, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_languages(workshop.languages or ["en"], required=("title",))
        self._name_languages()
        self._cohorts = {str(cohort.id): cohort for cohort in cohorts}
        self.cohort.choices = [("", _l("Plenary (everyone)"))] + [
            (key, workshop.text(c.name)) for key, c in self._cohorts.items()]

    def fill_from(self, session, workshop) -> None:
        """Show a saved session: its title in each language, its times in the workshop's zone, its cohort."""
        self.fill_texts("title", session.title)
        self.room.data = session.room
        self.starts_at.data = utc_to_local(session.starts_at, workshop.timezone)
        self.ends_at.data = utc_to_local(session.ends_at, workshop.timezone)
        self.cohort.data = str(session.cohort_id) if session.cohort_id else ""

    def session_fields(self, workshop) -> dict:
        """The keyword arguments of sessions.add_session and edit_session; times read in the workshop's zone."""
        return {
            "title": self.texts("title", workshop.languages or ["en"]), "room": self.room.data or "",
            "cohort": self._cohorts.get(self.cohort.data),
            "starts_at": local_to_utc(self.starts_at.data, workshop.timezone, field="starts_at"),
            "ends_at": local_to_utc(self.ends_at.data, workshop.timezone, field="ends_at"),
        }


def _quota_field(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100_000)])


WORKSHOP_TEXTS = dict(
    title=Text(_l("Title"), 200),
    description=Text(_l("Description"), 10_000, long=True),
    place=Text(_l("Name of the place"), 200),
    city=Text(_l("City"), 100),
    address=Text(_l("Address, link or directions"), 1000, long=True),
)


class WorkshopForm(translated_fields(**WORKSHOP_TEXTS)):
    """Texts in each language (the first language offered needs its title, and for a venue elsewhere, the
    place's name and city; the others fall back to it), the slug (made from the title when left empty)…"""

    slug = StringField(
        _l("Short name in the address"), filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        validators=[Optional(), Length(max=80),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use lowercase letters, digits and hyphens."))],
        description=_l("Lowercase letters, digits and hyphens. Left empty, it is made from the title."),
    )
    course_id = SelectField(_l("Linked course"), validators=[Optional()])
    starts_on = DateField(_l("First day"), validators=[DataRequired(message=_l("Enter a date.")), within_years])
    ends_on = DateField(_l("Last day"), validators=[DataRequired(message=_l("Enter a date.")), within_years])
    timezone = SelectField(_l("Time zone"), default=CAMPUS_ZONE)
    venue = RadioField(_l("Venue"), validators=[InputRequired()], default=Venue.CAMPUS.value)
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

    def __init__(self, *args, courses=(), trainers=(), zones_in_use=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = [("", _l("None"))] + [(str(c.id), c.t_title()) for c in courses]
        self.timezone.choices = zone_choices(zones_in_use)
        self.venue.choices = Venue.choices()
        self.status.choices = WorkshopStatus.choices()
        self.languages.choices = list(LANGUAGE_NAMES.items())
        self.trainer_ids.choices = [(t.id, f"{t.name} <{t.email}>") for t in trainers]
        self._name_languages()
        for field in self.text_fields("place"):
            field.description = _l("With the city, required for a venue elsewhere, in the first language offered.")
        self[f"title_{self.main_language}"].flags.required = True

    @property
    def main_language(self) -> str:
        chosen = [code for code in (self.languages.data or []) if code in LANGUAGE_NAMES]
        return chosen[0] if chosen else "en"

    def languages_in_order(self) -> list[str]:
        """The languages offered first (the first one leads), then the others: the order of the text fieldsets."""
        chosen = [code for code in (self.languages.data or []) if code in LANGUAGE_NAMES]
        return chosen + [code for code in LANGUAGE_NAMES if code not in chosen]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        required = ["title"] + (["place", "city"] if self.venue.data == Venue.ELSEWHERE.value else [])
        for name in required:
            field = self[f"{name}_{self.main_language}"]
            if not field.data:
                field.errors = [*field.errors, _("Required in the first language offered, %(language)s.",
                                                 language=language_name(self.main_language))]
                valid = False
        return valid

    def fill_from(self, workshop, trainer_ids: list[int]) -> None:
        """Show a saved workshop: its texts, course, trainers and registration window in its own zone."""
        for name in WORKSHOP_TEXTS:
            self.fill_texts(name, getattr(workshop, name))
        self.course_id.data = str(workshop.course_id) if workshop.course_id else ""
        self.trainer_ids.data = trainer_ids
        self.registration_opens_at.data = utc_to_local(workshop.registration_opens_at, workshop.timezone)
        self.registration_closes_at.data = utc_to_local(workshop.registration_closes_at, workshop.timezone)

    def workshop_fields(self) -> dict:
        """The form's values as Workshop attributes: texts only in the languages offered; the registration
        window is read in the workshop's zone; an empty slug is made from the title by the service."""
        zone, languages = self.timezone.data, self.languages.data
        venue = Venue(self.venue.data)
        return {
            **{name: self.texts(name, languages) for name in WORKSHOP_TEXTS},
            # A place and city belong to a venue elsewhere only.
            **({} if venue == Venue.ELSEWHERE else {"place": {}, "city": {}}),
            "slug": self.slug.data or "",
            "course_id": int(self.course_id.data) if self.course_id.data else None,
            "starts_on": self.starts_on.data, "ends_on": self.ends_on.data, "timezone": zone,
            "venue": venue, "languages": languages,
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
