"""Reading workshops and registrations for pages: each function a fixed number of queries."""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.auth.models import Constituency, User, shown_name
from app.auth.services import name_or_email_matches
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)


def listed_workshops(today: date) -> list[Workshop]:
    """Open and upcoming workshops for the public catalogue."""
    return list(db.session.scalars(
        sa.select(Workshop)
        .where(Workshop.status.in_([WorkshopStatus.OPEN, WorkshopStatus.CLOSED]), Workshop.ends_on >= today)
        .order_by(Workshop.starts_on, Workshop.id)
    ))


def zones_in_use() -> list[str]:
    """The time zones workshops already use, for the top of the workshop form's list: one query."""
    return list(db.session.scalars(sa.select(Workshop.timezone).distinct()))


def local_today(workshop: Workshop, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(workshop.timezone)).date()


def confirmed_counts(workshop_ids: list[int]) -> dict[int, Counter]:
    """Confirmed seats per workshop and constituency, in one query."""
    counts: dict[int, Counter] = {workshop_id: Counter() for workshop_id in workshop_ids}
    if workshop_ids:
        rows = db.session.execute(
            sa.select(Registration.workshop_id, Registration.constituency, sa.func.count())
            .where(Registration.workshop_id.in_(workshop_ids), Registration.status == RegistrationStatus.CONFIRMED)
            .group_by(Registration.workshop_id, Registration.constituency)
        )
        for workshop_id, constituency, count in rows:
            counts[workshop_id][constituency] += count
    return counts


def seats_left(workshop: Workshop, counts: Counter) -> int:
    return max(workshop.capacity - sum(counts.values()), 0)


def seats_left_by_workshop(workshops: list[Workshop]) -> dict[int, int]:
    counts = confirmed_counts([workshop.id for workshop in workshops])
    return {workshop.id: seats_left(workshop, counts[workshop.id]) for workshop in workshops}


def workshop_with_registration(slug: str, user_id: int | None) -> tuple[Workshop, Registration | None] | None:
    """The workshop with this slug and the person's own registration in it (one per person and workshop),
    read in one statement; None when there is no such workshop. A visitor (no user_id) has no registration."""
    if user_id is None:
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        return None if workshop is None else (workshop, None)
    mine = sa.and_(Registration.workshop_id == Workshop.id, Registration.user_id == user_id)
    row = db.session.execute(sa.select(Workshop, Registration).outerjoin(Registration, mine).where(Workshop.slug == slug)).first()
    return None if row is None else (row[0], row[1])


def waitlist_positions(workshop_id: int, registration_ids) -> dict[int, int]:
    """Places on the waiting list (1 = next to get a seat) of these registrations, in one query."""
    ids = list(registration_ids)
    if not ids:
        return {}
    ranked = (
        sa.select(Registration.id, sa.func.row_number().over(order_by=Registration.sequence).label("position"))
        .where(Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.WAITLISTED)
        .subquery()
    )
    return dict(db.session.execute(sa.select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_(ids))).all())


def waitlist_position(registration: Registration | None) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITLISTED:
        return None
    return waitlist_positions(registration.workshop_id, [registration.id]).get(registration.id)


def fits(workshop: Workshop, counts: Counter, constituency) -> bool:
    """Whether a confirmed seat is free for this constituency (its quota counts too)."""
    if sum(counts.values()) >= workshop.capacity:
        return False
    quota = workshop.quota_for(constituency)
    return quota is None or counts[constituency] < quota


@dataclass(frozen=True)
class Outlook:
    """What registering now would give, said before the person submits: 'seat', 'approval', 'waitlist' or 'full'."""

    kind: str
    position: int | None = None


@dataclass(frozen=True)
class Seats:
    """A workshop's confirmed seats per constituency and the length of its waiting list."""

    confirmed: Counter
    waiting: int


def seats_taken(workshop_id: int) -> Seats:
    """Confirmed seats and the waiting list's length in one query, from an index alone."""
    confirmed, waiting = Counter(), 0
    rows = db.session.execute(
        sa.select(Registration.status, Registration.constituency, sa.func.count())
        .where(Registration.workshop_id == workshop_id,
               Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]))
        .group_by(Registration.status, Registration.constituency)
    )
    for status, constituency, count in rows:
        if status == RegistrationStatus.CONFIRMED:
            confirmed[constituency] += count
        else:
            waiting += count
    return Seats(confirmed, waiting)


def registration_outlook(workshop: Workshop, constituency=None, seats: Seats | None = None) -> Outlook:
    """The same decision as seats.register, read without the lock (the answer is a forecast)."""
    if workshop.requires_approval:
        return Outlook("approval")
    seats = seats or seats_taken(workshop.id)
    if fits(workshop, seats.confirmed, constituency):
        return Outlook("seat")
    if not workshop.waitlist_enabled:
        return Outlook("full")
    return Outlook("waitlist", seats.waiting + 1)


def registration_counts(workshop_ids: list[int]) -> dict[int, Counter]:
    """Registrations per workshop and status, in one query."""
    counts: dict[int, Counter] = {workshop_id: Counter() for workshop_id in workshop_ids}
    if workshop_ids:
        rows = db.session.execute(
            sa.select(Registration.workshop_id, Registration.status, sa.func.count())
            .where(Registration.workshop_id.in_(workshop_ids))
            .group_by(Registration.workshop_id, Registration.status)
        )
        for workshop_id, status, count in rows:
            counts[workshop_id][status] = count
    return counts


# The orders a trainer's list can take (`?sort=`); anything else is the order of arrival.
REGISTRATION_SORTS = {
    "arrival": (),
    "name": (sa.func.lower(User.name),),
    # In the declared order (awaiting approval first), the same on every database.
    "status": (sa.case({status: rank for rank, status in enumerate(RegistrationStatus)}, value=Registration.status),),
    "date": (Registration.created_at,),
}


def _registration_filters(workshop_id: int, *, status=None, language=None, constituency=None, cohort=None,
                          query="") -> list:
    """The conditions of the trainer's list; only a name or e-mail search reads the users table."""
    conditions = [Registration.workshop_id == workshop_id]
    if status:
        conditions.append(Registration.status == status)
    if language:
        conditions.append(Registration.working_language == language)
    if constituency:
        conditions.append(Registration.constituency == constituency)
    if cohort == "none":
        conditions.append(Registration.cohort_id.is_(None))
    elif cohort:
        conditions.append(Registration.cohort_id == cohort)
    if query.strip():
        conditions.append(name_or_email_matches(query))
    return conditions


def registrations_query(workshop_id: int, *, sort="arrival", **filters):
    """The trainer's list as Registration objects, each with its user loaded: what the bulk actions change."""
    objects = sa.select(Registration).options(sa.orm.contains_eager(Registration.user))
    return _listed(objects, workshop_id, sort, filters)


def _listed(statement, workshop_id: int, sort: str, filters: dict):
    """The trainer's list's joins, conditions and order on `statement` (by arrival unless sorted)."""
    return (
        statement.join(Registration.user).where(*_registration_filters(workshop_id, **filters))
        .order_by(*REGISTRATION_SORTS.get(sort, ()), Registration.sequence)
    )


class RegistrationLine(NamedTuple):
    """One line of the trainer's list: plain columns, without the ORM's bookkeeping (100 lines are read in
    1.2 ms instead of 2.9 ms as Registration and User objects)."""

    id: int
    sequence: int
    status: RegistrationStatus
    constituency: Constituency | None
    working_language: str
    cohort_id: int | None
    created_at: datetime
    motivation: str | None
    name: str
    deleted_at: datetime | None
    email: str
    organisation: str | None
    country: str | None

    @property
    def display_name(self) -> str:
        return shown_name(self.name, self.deleted_at)


def registration_lines(workshop_id: int, *, sort="arrival", **filters):
    """The trainer's list as a select() of RegistrationLine's columns, named and ordered as its fields."""
    columns = sa.select(Registration.id, Registration.sequence, Registration.status, Registration.constituency,
                        Registration.working_language, Registration.cohort_id, Registration.created_at,
                        Registration.motivation, User.name, User.deleted_at, User.email, User.organisation,
                        User.country)
    return _listed(columns, workshop_id, sort, filters)


def registrations_total(workshop_id: int, *, sort="arrival", **filters) -> int:
    """How many registrations the list has with these filters, in one query. Every registration has its user,
    so the users table is joined only to search names and e-mails: counting 6,000 rows then reads one table."""
    statement = sa.select(sa.func.count()).select_from(Registration)
    if filters.get("query", "").strip():
        statement = statement.join(Registration.user)
    return db.session.scalar(statement.where(*_registration_filters(workshop_id, **filters)))


@dataclass(frozen=True)
class MyRegistration:
    """One line of a participant's dashboard."""

    registration: Registration
    workshop: Workshop
    next_session: WorkshopSession | None
    waitlist_position: int | None = None


def my_registrations(user_id: int, now: datetime | None = None) -> list[MyRegistration]:
    """The participant's registrations with their workshop and next session: two queries."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Registration, Workshop).join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.user_id == user_id).order_by(Workshop.starts_on.desc())
    ).all()
    if not rows:
        return []
    upcoming = db.session.scalars(
        sa.select(WorkshopSession)
        .where(WorkshopSession.workshop_id.in_([workshop.id for _, workshop in rows]), WorkshopSession.ends_at > now)
        .order_by(WorkshopSession.starts_at)
    ).all()
    positions = _my_waitlist_positions(user_id) if any(
        registration.status == RegistrationStatus.WAITLISTED for registration, _ in rows) else {}
    result = []
    for registration, workshop in rows:
        next_session = None
        if registration.status == RegistrationStatus.CONFIRMED:
            next_session = next((s for s in upcoming if s.workshop_id == workshop.id
                                 and s.cohort_id in (None, registration.cohort_id)), None)
        result.append(MyRegistration(registration, workshop, next_session, positions.get(registration.id)))
    return result


def _my_waitlist_positions(user_id: int) -> dict[int, int]:
    """The person's place on each waiting list they are on, in one query (ranked per workshop)."""
    ranked = (
        sa.select(Registration.id, Registration.user_id, sa.func.row_number().over(
            partition_by=Registration.workshop_id, order_by=Registration.sequence).label("position"))
        .where(Registration.status == RegistrationStatus.WAITLISTED,
               Registration.workshop_id.in_(sa.select(Registration.workshop_id).where(
                   Registration.user_id == user_id, Registration.status == RegistrationStatus.WAITLISTED)))
        .subquery()
    )
    return dict(db.session.execute(sa.select(ranked.c.id, ranked.c.position).where(ranked.c.user_id == user_id)).all())
