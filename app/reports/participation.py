"""The participation report: registrations and attendance by group, per session, and learning per cohort.

Everything comes from eight queries whatever the number of participants; the rest is counting
in Python. Nobody is dropped: a person who prefers not to say their sex is counted under that
label, and a missing sex, constituency or country under "Not given".
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import Constituency, Sex, User
from app.core.i18n import COUNTRY_CODES, country_name
from app.core.timeutil import utcnow
from app.courses.models import Course, Module
from app.extensions import db
from app.reports.attendance import Rate, SessionTally, sessions_and_marks, tally
from app.reports.matrix import course_and_modules, progress_rows
from app.reports.regions import Region, region_of
from app.workshops.models import (
    ACTIVE_STATUSES,
    Cohort,
    Registration,
    RegistrationStatus,
    Workshop,
)

UNKNOWN = "unknown"
NOT_GIVEN = _l("Not given")


@dataclass
class Group:
    """One row of a breakdown: registrations (active), confirmed participants and their attendance."""

    key: str
    label: str
    registered: int = 0
    confirmed: int = 0
    rate: Rate = field(default_factory=Rate)


@dataclass(frozen=True)
class Breakdown:
    key: str  # "sex", "constituency", "country", "region"
    title: str  # "By sex"
    column: str  # "Sex": the heading of the groups' column
    groups: list[Group]
    total: Group


@dataclass
class ModuleResult:
    """A cohort in one module: how many completed it, and the average of their best quiz scores."""

    completed: int = 0
    scores: list[int] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None


@dataclass
class CohortLearning:
    label: str
    members: int
    modules: list[ModuleResult]

    @property
    def completion(self) -> float | None:
        """Modules completed over modules to complete (members × modules)."""
        possible = self.members * len(self.modules)
        return sum(result.completed for result in self.modules) / possible if possible else None

    @property
    def average(self) -> float | None:
        scores = [score for result in self.modules for score in result.scores]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class Report:
    workshop: Workshop
    registered: int
    confirmed: int
    breakdowns: list[Breakdown]
    sessions: list[SessionTally]
    cohort_names: dict[int, str]
    course: Course | None
    modules: list[Module]
    learning: list[CohortLearning]

    @property
    def overall(self) -> Rate:
        return self.breakdowns[0].total.rate if self.breakdowns else Rate()


@dataclass(frozen=True)
class Person:
    user_id: int
    status: RegistrationStatus
    cohort_id: int | None
    constituency: Constituency | None
    sex: Sex | None
    country: str | None


def _people(workshop_id: int) -> list[Person]:
    """Active registrations (pending, confirmed, waitlisted) with the profile fields reported on: one query."""
    rows = db.session.execute(
        sa.select(Registration.user_id, Registration.status, Registration.cohort_id, Registration.constituency,
                  User.sex, User.country)
        .join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop_id, Registration.status.in_(ACTIVE_STATUSES))
    )
    return [Person(*row) for row in rows]


def _breakdown(key: str, title: str, column: str, people: list[Person], rates: dict[int, Rate],
               group_of: Callable[[Person], tuple[str, str]], fixed: list[tuple[str, str]], sort_by_size: bool) -> Breakdown:
    """Rows for `fixed` groups (always shown, in order), then any other group found, then "Not given"."""
    groups = {group_key: Group(group_key, label) for group_key, label in fixed}
    total = Group("total", str(_l("Total")))
    for person in people:
        group_key, label = group_of(person)
        group = groups.setdefault(group_key, Group(group_key, label))
        for row in (group, total):
            row.registered += 1
            if person.status == RegistrationStatus.CONFIRMED:
                row.confirmed += 1
                row.rate += rates.get(person.user_id, Rate())
    fixed_keys = [group_key for group_key, _label in fixed]
    found = [group for group_key, group in groups.items() if group_key not in fixed_keys and group_key != UNKNOWN]
    if sort_by_size:
        found.sort(key=lambda group: (-group.registered, group.label.casefold()))
    ordered = [groups[group_key] for group_key in fixed_keys] + found
    if UNKNOWN in groups:
        ordered.append(groups[UNKNOWN])
    return Breakdown(key, title, column, ordered, total)


def _sex(person: Person) -> tuple[str, str]:
    return (person.sex.value, person.sex.label) if person.sex else (UNKNOWN, str(NOT_GIVEN))


def _constituency(person: Person) -> tuple[str, str]:
    return (person.constituency.value, person.constituency.label) if person.constituency else (UNKNOWN, str(NOT_GIVEN))


def _country(person: Person) -> tuple[str, str]:
    if person.country and person.country.upper() in COUNTRY_CODES:
        return person.country.upper(), country_name(person.country.upper())
    return UNKNOWN, str(NOT_GIVEN)


def _region(person: Person) -> tuple[str, str]:
    region = region_of(person.country)
    return (region.value, region.label) if region else (UNKNOWN, str(_l("Unknown region")))


def breakdowns(people: list[Person], rates: dict[int, Rate]) -> list[Breakdown]:
    return [
        _breakdown("sex", str(_l("By sex")), str(_l("Sex")), people, rates, _sex, [(s.value, s.label) for s in Sex], False),
        _breakdown("constituency", str(_l("By constituency")), str(_l("Constituency")), people, rates, _constituency,
                   [(c.value, c.label) for c in Constituency], False),
        _breakdown("region", str(_l("By region")), str(_l("Region")), people, rates, _region, [(r.value, r.label) for r in Region], False),
        _breakdown("country", str(_l("By country")), str(_l("Country")), people, rates, _country, [], True),
    ]


def learning_by_cohort(cohorts: list[tuple[Cohort, str]], confirmed: dict[int, int | None],
                       modules: list[Module]) -> list[CohortLearning]:
    """Module completion and average best quiz score per cohort (each with its name as shown), and for those
    in no cohort: two queries."""
    if not modules:
        return []
    module_ids = [module.id for module in modules]
    # Sections are not needed here: completion is stored, and scores are the best attempts.
    rows = progress_rows(list(confirmed), module_ids) if confirmed else {}
    members: dict[int | None, list[int]] = defaultdict(list)
    for user_id, cohort_id in confirmed.items():
        members[cohort_id].append(user_id)
    groups = [(cohort.id, name) for cohort, name in cohorts]
    if members.get(None):
        groups.append((None, str(_l("No cohort"))))
    result = []
    for cohort_id, label in groups:
        per_module = []
        for module in modules:
            module_result = ModuleResult()
            for user_id in members.get(cohort_id, []):
                progress = rows.get((user_id, module.id))
                if progress is None:
                    continue
                module_result.completed += progress.completed_at is not None
                if progress.best_score is not None:
                    module_result.scores.append(progress.best_score)
            per_module.append(module_result)
        result.append(CohortLearning(label, len(members.get(cohort_id, [])), per_module))
    return result


def participation_report(workshop: Workshop, now: datetime | None = None) -> Report:
    now = now or utcnow()
    people = _people(workshop.id)
    confirmed = {p.user_id: p.cohort_id for p in people if p.status == RegistrationStatus.CONFIRMED}
    sessions, marks = sessions_and_marks(workshop.id)
    rates, per_session = tally(confirmed, sessions, marks, now)
    cohorts = list(db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop.id).order_by(Cohort.id)))
    named = [(cohort, workshop.text(cohort.name)) for cohort in cohorts]
    course, modules = course_and_modules(workshop)
    return Report(
        workshop=workshop, registered=len(people), confirmed=len(confirmed),
        breakdowns=breakdowns(people, rates), sessions=per_session, cohort_names={c.id: name for c, name in named},
        course=course, modules=modules, learning=learning_by_cohort(named, confirmed, modules),
    )
