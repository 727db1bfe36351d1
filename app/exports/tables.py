"""What an export holds: a header and rows of typed cells, built lazily from one streaming query.

Each builder reads the small things first (the sessions, the modules), then runs one query over
the participants that the writers consume row by row (`yield_per`: a server-side cursor on
PostgreSQL), so a 10,000-row export never holds 10,000 objects. Cells are plain values: str,
int, None, `date`, `datetime` and `time` (naive, in the workshop's time zone), and `Percent`;
the writers decide how each looks in CSV and XLSX.

The rows are read after the view has returned (a streamed response runs in a new database
session), so a row generator never touches an ORM object loaded before: only plain values.
"""
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from app.attendance.models import Attendance, AttendanceStatus
from app.attendance.rates import Rate, rate_aggregates, with_expected_sessions
from app.auth.models import Constituency, Sex, User
from app.core.i18n import LANGUAGE_NAMES, country_choices, current_language
from app.core.timeutil import utcnow
from app.core.translated import shown
from app.courses.models import Module
from app.extensions import db
from app.progress.models import ModuleProgress
from app.workshops.models import (
    Cohort,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)

BATCH = 500  # rows fetched per round trip


class Percent(float):
    """A share between 0 and 1, shown as a percentage."""


@dataclass
class Table:
    name: str  # the sheet's title and the file's stem: "attendance"
    header: list[str]
    rows: Iterable[tuple]


KINDS = ("attendance", "registrations", "results")
LAYOUTS = ("wide", "long")


class Labels:
    """Translated labels and country names looked up once per export, not once per cell; the workshop's
    texts (cohort names, session titles) in the reader's language, else its first working language."""

    def __init__(self, workshop: Workshop):
        self.language, self.fallbacks = current_language(), (workshop.main_language, *workshop.languages)
        self.countries = dict(country_choices())
        self.status = {status: status.label for status in AttendanceStatus}
        self.registration = {status: status.label for status in RegistrationStatus}
        self.constituency = {c: c.label for c in Constituency}
        self.sex = {s: s.label for s in Sex}

    def text(self, texts: dict | None) -> str | None:
        return shown(texts, self.language, self.fallbacks) or None


def _people(workshop_id: int, *, anonymized: bool, confirmed_only: bool):
    """The person columns of a workshop's registrations, in the order the file lists them.

    Named files are sorted by name; anonymized ones by order of arrival, so that the order of
    the rows does not give the names back to someone holding the list of participants.
    """
    statement = (
        sa.select(Registration.user_id, Registration.sequence, User.name, User.email, User.country, User.organisation,
                  # the constituency the person registered with; their profile's if none was recorded
                  sa.func.coalesce(Registration.constituency, User.constituency).label("constituency"), User.sex, Cohort.name.label("cohort"))
        .select_from(Registration).join(User, User.id == Registration.user_id)
        .outerjoin(Cohort, Cohort.id == Registration.cohort_id)
        .where(Registration.workshop_id == workshop_id)
    )
    if confirmed_only:
        statement = statement.where(Registration.status == RegistrationStatus.CONFIRMED)
    order = (Registration.sequence,) if anonymized else (sa.func.lower(User.name), User.id)
    return statement.order_by(*order)


def _person_header(anonymized: bool) -> list[str]:
    who = [_("Participant no.")] if anonymized else [_("Name"), _("E-mail")]
    return who + [_("Country"), _("Organisation"), _("Constituency"), _("Sex"), _("Cohort")]


def _person(row, labels: Labels, anonymized: bool) -> list:
    who = [row.sequence] if anonymized else [row.name, row.email]
    return who + [labels.countries.get(row.country, row.country) if row.country else None, row.organisation,
                  labels.constituency.get(row.constituency), labels.sex.get(row.sex), labels.text(row.cohort)]


def _stream(statement) -> Iterator:
    """Rows in batches through a server-side cursor, on the session's connection without the ORM's
    per-row work (these are plain columns)."""
    return iter(db.session.connection().execute(statement, execution_options={"yield_per": BATCH}))


def _by_person(rows) -> Iterator[tuple[object, list]]:
    """Consecutive rows of one person (the query sorts by person) as (first row, all rows)."""
    for _user_id, group in itertools.groupby(rows, key=lambda row: row.user_id):
        group = list(group)
        yield group[0], group


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _sessions(workshop_id: int) -> list[WorkshopSession]:
    return list(db.session.scalars(sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop_id)
                                   .order_by(WorkshopSession.starts_at, WorkshopSession.id)))


def attendance(workshop: Workshop, *, anonymized: bool = False, layout: str = "wide",
               now: datetime | None = None) -> Table:
    """Confirmed participants' attendance: a column per session and the rate, or (long) a row per session."""
    if layout == "long":
        return _attendance_long(workshop, anonymized=anonymized)
    labels, zone = Labels(workshop), ZoneInfo(workshop.timezone)
    sessions = _sessions(workshop.id)
    # A row per person and expected session, each carrying the person's rate (window sums).
    rates = [aggregate.over(partition_by=Registration.user_id).label(name)
             for aggregate, name in zip(rate_aggregates(now or utcnow()), ("expected", "attended", "excused"))]
    statement = with_expected_sessions(
        _people(workshop.id, anonymized=anonymized, confirmed_only=True)
        .add_columns(WorkshopSession.id.label("session_id"), Attendance.status, *rates)
    )
    header = _person_header(anonymized) + [
        f"{workshop.text(session.title)} ({_local(session.starts_at, zone):%Y-%m-%d %H:%M})" for session in sessions
    ] + [_("Sessions attended"), _("Sessions expected"), _("Attendance rate")]
    session_ids = [session.id for session in sessions]

    def rows():
        for person, group in _by_person(_stream(statement)):
            statuses = {row.session_id: row.status for row in group if row.session_id is not None}
            rate = Rate(person.expected or 0, person.attended or 0, person.excused or 0)
            yield (*_person(person, labels, anonymized),
                   *(labels.status.get(statuses.get(session_id)) for session_id in session_ids),
                   rate.attended, rate.expected, None if rate.value is None else Percent(rate.value))

    return Table("attendance", header, rows())


def _attendance_long(workshop: Workshop, *, anonymized: bool) -> Table:
    """One row per confirmed participant and session they are expected at (plenaries and their cohort's)."""
    labels, zone = Labels(workshop), ZoneInfo(workshop.timezone)
    statement = (
        _people(workshop.id, anonymized=anonymized, confirmed_only=True)
        .add_columns(WorkshopSession.title.label("session"), WorkshopSession.starts_at, WorkshopSession.ends_at,
                     WorkshopSession.room, Attendance.status)
        .join(WorkshopSession, sa.and_(
            WorkshopSession.workshop_id == Registration.workshop_id,
            sa.or_(WorkshopSession.cohort_id.is_(None), WorkshopSession.cohort_id == Registration.cohort_id)))
        .outerjoin(Attendance, sa.and_(Attendance.session_id == WorkshopSession.id,
                                       Attendance.user_id == Registration.user_id))
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    header = _person_header(anonymized) + [_("Session"), _("Date"), _("Starts"), _("Ends"), _("Room"), _("Status")]

    def rows():
        for row in _stream(statement):
            starts, ends = _local(row.starts_at, zone), _local(row.ends_at, zone)
            yield (*_person(row, labels, anonymized), labels.text(row.session), starts.date(), starts.time(), ends.time(),
                   row.room or None, labels.status.get(row.status))

    return Table("attendance", header, rows())


def registrations(workshop: Workshop, *, anonymized: bool = False) -> Table:
    """Every registration, whatever its status, in order of arrival."""
    labels, zone = Labels(workshop), ZoneInfo(workshop.timezone)
    statement = (
        _people(workshop.id, anonymized=anonymized, confirmed_only=False)
        .add_columns(Registration.status, Registration.working_language, Registration.created_at,
                     Registration.motivation)
        .order_by(None).order_by(Registration.sequence)
    )
    header = _person_header(anonymized) + [_("Status"), _("Working language"), _("Registered on")]
    if not anonymized:  # free text may name the person
        header.append(_("Motivation"))

    def rows():
        for row in _stream(statement):
            cells = [*_person(row, labels, anonymized), labels.registration.get(row.status),
                     LANGUAGE_NAMES.get(row.working_language, row.working_language), _local(row.created_at, zone)]
            if not anonymized:
                cells.append(row.motivation or None)
            yield tuple(cells)

    return Table("registrations", header, rows())


def results(workshop: Workshop, *, anonymized: bool = False) -> Table:
    """Confirmed participants' best quiz score per module of the workshop's course (from ModuleProgress)."""
    labels = Labels(workshop)
    modules = [] if workshop.course_id is None else list(db.session.scalars(
        sa.select(Module).where(Module.course_id == workshop.course_id, Module.retired_at.is_(None))
        .order_by(Module.position, Module.id)))
    progress = (sa.select(ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.best_score,
                          ModuleProgress.completed_at)
                .where(ModuleProgress.module_id.in_([module.id for module in modules])).subquery("progress"))
    statement = (
        _people(workshop.id, anonymized=anonymized, confirmed_only=True)
        .add_columns(progress.c.module_id, progress.c.best_score, progress.c.completed_at)
        .outerjoin(progress, progress.c.user_id == Registration.user_id)
    )
    header = _person_header(anonymized) + [
        _("%(module)s: best score", module=module.t_title()) for module in modules
    ] + [_("Modules completed")]
    module_ids = [module.id for module in modules]

    def rows():
        for person, group in _by_person(_stream(statement)):
            found = {row.module_id: row for row in group if row.module_id is not None}
            yield (*_person(person, labels, anonymized),
                   *(found[module_id].best_score if module_id in found else None for module_id in module_ids),
                   sum(1 for row in found.values() if row.completed_at is not None))

    return Table("results", header, rows())


def build(kind: str, workshop: Workshop, *, anonymized: bool = False, layout: str = "wide") -> Table:
    if kind == "attendance":
        return attendance(workshop, anonymized=anonymized, layout=layout)
    if kind == "registrations":
        return registrations(workshop, anonymized=anonymized)
    if kind == "results":
        return results(workshop, anonymized=anonymized)
    raise ValueError(kind)
