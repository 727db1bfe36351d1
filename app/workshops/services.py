"""Registration rules: seats, quotas, the waiting list, approval; cohorts and sessions.

Every change to a workshop's seats first takes the workshop's row lock (SELECT … FOR UPDATE),
so concurrent registrations, cancellations and promotions are serialized per workshop and
the order of arrival is the order in which they took the lock. Services flush; views commit.
"""
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import Constituency, User
from app.auth.services import name_or_email_matches
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import Role
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.mail.services import queue_template
from app.workshops.models import (
    Cohort,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    workshop_trainers,
)

ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class RegistrationRefused(DomainError):
    pass


class WorkshopNotOpen(RegistrationRefused):
    def default_message(self):
        return _l("This workshop is not open for registration.")


class OutsideWindow(RegistrationRefused):
    pass


class WorkshopFull(RegistrationRefused):
    def default_message(self):
        return _l("This workshop is full and has no waiting list.")


class AlreadyRegistered(RegistrationRefused):
    def default_message(self):
        return _l("You are already registered for this workshop.")


class LanguageNotOffered(RegistrationRefused):
    def default_message(self):
        return _l("Choose one of the languages this workshop offers.")


class ProfileIncomplete(RegistrationRefused):
    def default_message(self):
        return _l("Complete your country, constituency and sex first: the workshop reports on them.")


class InvalidChange(DomainError):
    pass


# ---------------------------------------------------------------- reading

def get_by_slug(slug: str) -> Workshop | None:
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))


def is_trainer_of(user, workshop_id: int) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(workshop_trainers)
        .where(workshop_trainers.c.workshop_id == workshop_id, workshop_trainers.c.user_id == user.id)
    ) > 0


def can_manage(user, workshop: Workshop) -> bool:
    """Admins manage every workshop; a trainer only those they are assigned to."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.TRAINER and is_trainer_of(user, workshop.id)


def can_view(user, workshop: Workshop) -> bool:
    return workshop.status != WorkshopStatus.DRAFT or can_manage(user, workshop)


def managed_workshops(user) -> list[Workshop]:
    statement = sa.select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id.desc())
    if user.role != Role.ADMIN:
        statement = statement.join(workshop_trainers).where(workshop_trainers.c.user_id == user.id)
    return list(db.session.scalars(statement.where(Workshop.status != WorkshopStatus.ARCHIVED)))


def listed_workshops(today: date) -> list[Workshop]:
    """Open and upcoming workshops for the public catalogue."""
    return list(db.session.scalars(
        sa.select(Workshop)
        .where(Workshop.status.in_([WorkshopStatus.OPEN, WorkshopStatus.CLOSED]), Workshop.ends_on >= today)
        .order_by(Workshop.starts_on, Workshop.id)
    ))


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


def registration_of(user_id: int, workshop_id: int) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(Registration.user_id == user_id, Registration.workshop_id == workshop_id)
    )


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Registration).where(
            Registration.workshop_id == registration.workshop_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.sequence <= registration.sequence,
        )
    )


def local_today(workshop: Workshop, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(workshop.timezone)).date()


# ---------------------------------------------------------------- seats

def _lock(workshop_id: int) -> Workshop:
    """The workshop's row lock: every seat decision for it happens one at a time."""
    return db.session.scalar(
        sa.select(Workshop).where(Workshop.id == workshop_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def _fits(workshop: Workshop, counts: Counter, constituency: Constituency | None) -> bool:
    if sum(counts.values()) >= workshop.capacity:
        return False
    quota = workshop.quota_for(constituency)
    return quota is None or counts[constituency] < quota


def _next_sequence(workshop: Workshop) -> int:
    sequence = workshop.next_sequence
    workshop.next_sequence = sequence + 1
    return sequence


def _notify(registration: Registration, user: User, workshop: Workshop, **extra) -> None:
    subjects = {
        RegistrationStatus.CONFIRMED: _l("Your seat is confirmed: %(title)s", title=workshop.title),
        RegistrationStatus.WAITLISTED: _l("You are on the waiting list: %(title)s", title=workshop.title),
        RegistrationStatus.PENDING: _l("We received your registration: %(title)s", title=workshop.title),
        RegistrationStatus.CANCELLED: _l("Your registration is cancelled: %(title)s", title=workshop.title),
        RegistrationStatus.REJECTED: _l("About your registration: %(title)s", title=workshop.title),
    }
    queue_template(user, f"registration_{registration.status.value}", subjects[registration.status],
                   workshop=workshop, registration=registration, **extra)


def _check_open(workshop: Workshop, now: datetime) -> None:
    if workshop.status != WorkshopStatus.OPEN or local_today(workshop, now) > workshop.ends_on:
        raise WorkshopNotOpen()
    opens, closes = as_utc(workshop.registration_opens_at), as_utc(workshop.registration_closes_at)
    if opens and now < opens:
        raise OutsideWindow(_l("Registration has not opened yet."))
    if closes and now > closes:
        raise OutsideWindow(_l("Registration for this workshop has closed."))


def register(user: User, workshop_id: int, working_language: str, motivation: str = "",
             now: datetime | None = None) -> Registration:
    """Register `user`: confirmed, waitlisted or pending approval, decided under the lock."""
    now = now or utcnow()
    workshop = _lock(workshop_id)
    _check_open(workshop, now)
    if working_language not in workshop.languages:
        raise LanguageNotOffered()
    if not (user.country and user.constituency and user.sex):
        raise ProfileIncomplete()
    registration = registration_of(user.id, workshop.id)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        if registration.status == RegistrationStatus.REJECTED:
            raise AlreadyRegistered(_l("Your registration for this workshop was not accepted."))
        raise AlreadyRegistered()
    if workshop.requires_approval:
        status = RegistrationStatus.PENDING
    else:
        status = _seat_or_queue(workshop, confirmed_counts([workshop.id])[workshop.id], user.constituency)
    if registration is None:
        registration = Registration(workshop_id=workshop.id, user_id=user.id)
        db.session.add(registration)
    # A returning person goes to the end of the queue: a new sequence number.
    registration.sequence = _next_sequence(workshop)
    registration.status = status
    registration.constituency = user.constituency
    registration.working_language = working_language
    registration.motivation = motivation.strip()
    registration.consent_at = now
    registration.decision_reason = ""
    registration.cohort_id = None
    db.session.flush()
    audit.record(user, f"registration.{status.value}", "registration", registration.id, workshop.slug)
    _notify(registration, user, workshop, position=waitlist_position(registration))
    return registration


def _seat_or_queue(workshop: Workshop, counts: Counter, constituency) -> RegistrationStatus:
    if _fits(workshop, counts, constituency):
        return RegistrationStatus.CONFIRMED
    if workshop.waitlist_enabled:
        return RegistrationStatus.WAITLISTED
    raise WorkshopFull()


def promote(workshop: Workshop) -> list[Registration]:
    """Give free seats to the first waitlisted people who fit them (caller holds the lock)."""
    counts = confirmed_counts([workshop.id])[workshop.id]
    if sum(counts.values()) >= workshop.capacity:
        return []
    promoted = []
    queue = db.session.execute(
        sa.select(Registration, User).join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.sequence)
    ).all()
    for registration, user in queue:
        if sum(counts.values()) >= workshop.capacity:
            break
        if _fits(workshop, counts, registration.constituency):
            registration.status = RegistrationStatus.CONFIRMED
            counts[registration.constituency] += 1
            promoted.append(registration)
            audit.record(None, "registration.promoted", "registration", registration.id, workshop.slug)
            _notify(registration, user, workshop)
    return promoted


def cancel(registration: Registration, actor: User) -> Registration:
    workshop = _lock(registration.workshop_id)
    db.session.refresh(registration)
    if registration.status not in ACTIVE:
        raise InvalidChange(_l("This registration is not active."))
    freed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cohort_id = None
    audit.record(actor, "registration.cancelled", "registration", registration.id, workshop.slug)
    user = db.session.get(User, registration.user_id)
    _notify(registration, user, workshop)
    if freed:
        promote(workshop)
    return registration


def _registrations_for_update(workshop: Workshop, ids: list[int]) -> list[tuple[Registration, User]]:
    return db.session.execute(
        sa.select(Registration, User).join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop.id, Registration.id.in_(ids))
        .order_by(Registration.sequence)
        .execution_options(populate_existing=True)
    ).all()


def approve(workshop_id: int, registration_ids: list[int], actor: User) -> dict[str, int]:
    """Confirm pending registrations in order of arrival while seats last; the rest are waitlisted."""
    workshop = _lock(workshop_id)
    counts = confirmed_counts([workshop.id])[workshop.id]
    result = Counter()
    for registration, user in _registrations_for_update(workshop, registration_ids):
        if registration.status != RegistrationStatus.PENDING:
            result["skipped"] += 1
            continue
        if _fits(workshop, counts, registration.constituency):
            registration.status = RegistrationStatus.CONFIRMED
            counts[registration.constituency] += 1
        elif workshop.waitlist_enabled:
            registration.status = RegistrationStatus.WAITLISTED
        else:
            result["no_seat"] += 1
            continue
        result[registration.status.value] += 1
        audit.record(actor, f"registration.approved.{registration.status.value}", "registration", registration.id, workshop.slug)
        _notify(registration, user, workshop, position=waitlist_position(registration))
    return dict(result)


def reject(workshop_id: int, registration_ids: list[int], actor: User, reason: str) -> dict[str, int]:
    workshop = _lock(workshop_id)
    result = Counter()
    freed = False
    for registration, user in _registrations_for_update(workshop, registration_ids):
        if registration.status not in ACTIVE:
            result["skipped"] += 1
            continue
        freed |= registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.REJECTED
        registration.decision_reason = reason.strip()
        registration.cohort_id = None
        result["rejected"] += 1
        audit.record(actor, "registration.rejected", "registration", registration.id, reason.strip()[:500])
        _notify(registration, user, workshop, reason=registration.decision_reason)
    if freed:
        promote(workshop)
    return dict(result)


# ---------------------------------------------------------------- workshop settings

def check_capacity(workshop: Workshop) -> None:
    """Capacity and quotas may not fall below the seats already confirmed; quotas fit capacity."""
    counts = confirmed_counts([workshop.id])[workshop.id] if workshop.id else Counter()
    if workshop.capacity < sum(counts.values()):
        raise InvalidChange(_l("Capacity cannot be lower than the %(n)d seats already confirmed.", n=sum(counts.values())))
    quotas = workshop.quotas
    if sum(quotas.values()) > workshop.capacity:
        raise InvalidChange(_l("The seat quotas add up to more than the capacity."))
    for constituency, quota in quotas.items():
        if quota < counts[constituency]:
            raise InvalidChange(_l("The %(group)s quota cannot be lower than the %(n)d seats already confirmed for it.",
                                   group=constituency.label, n=counts[constituency]))


def save_workshop(workshop: Workshop, actor: User, trainer_ids: list[int], **fields) -> Workshop:
    """Create or update a workshop; higher capacity or quotas promote from the waiting list at once."""
    if workshop.id is not None:
        workshop = _lock(workshop.id)
    for name, value in fields.items():
        setattr(workshop, name, value)
    check_capacity(workshop)
    trainers = list(db.session.scalars(sa.select(User).where(User.id.in_(trainer_ids), User.role.in_([Role.TRAINER, Role.ADMIN]))))
    if workshop.id is None:
        db.session.add(workshop)
        db.session.flush()
    db.session.execute(sa.delete(workshop_trainers).where(workshop_trainers.c.workshop_id == workshop.id))
    if trainers:
        db.session.execute(sa.insert(workshop_trainers), [{"workshop_id": workshop.id, "user_id": t.id} for t in trainers])
    audit.record(actor, "workshop.saved", "workshop", workshop.id, workshop.slug)
    promote(workshop)
    return workshop


def trainer_ids_of(workshop_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(workshop_trainers.c.user_id).where(workshop_trainers.c.workshop_id == workshop_id)))


# ---------------------------------------------------------------- cohorts

def cohorts_of(workshop_id: int) -> list[Cohort]:
    return list(db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop_id).order_by(Cohort.name)))


def cohort_sizes(workshop_id: int) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Registration.cohort_id, sa.func.count())
        .where(Registration.workshop_id == workshop_id, Registration.cohort_id.is_not(None))
        .group_by(Registration.cohort_id)
    )
    return dict(rows.all())


def _cohort_name_taken(workshop_id: int, name: str, except_id: int | None = None) -> bool:
    statement = sa.select(Cohort.id).where(Cohort.workshop_id == workshop_id, sa.func.lower(Cohort.name) == name.lower())
    if except_id:
        statement = statement.where(Cohort.id != except_id)
    return db.session.scalar(statement) is not None


def create_cohort(workshop: Workshop, name: str, actor: User, language: str | None = None) -> Cohort:
    name = name.strip()
    if _cohort_name_taken(workshop.id, name):
        raise InvalidChange(_l("A cohort with this name already exists."))
    cohort = Cohort(workshop_id=workshop.id, name=name, language=language)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.created", "cohort", cohort.id, name)
    return cohort


def rename_cohort(cohort: Cohort, name: str, actor: User) -> None:
    name = name.strip()
    if _cohort_name_taken(cohort.workshop_id, name, except_id=cohort.id):
        raise InvalidChange(_l("A cohort with this name already exists."))
    audit.record(actor, "cohort.renamed", "cohort", cohort.id, f"{cohort.name} -> {name}")
    cohort.name = name


def delete_cohort(cohort: Cohort, actor: User) -> None:
    if cohort_sizes(cohort.workshop_id).get(cohort.id):
        raise InvalidChange(_l("Move everyone out of this cohort before deleting it."))
    audit.record(actor, "cohort.deleted", "cohort", cohort.id, cohort.name)
    db.session.delete(cohort)


def move_to_cohort(workshop: Workshop, registration_ids: list[int], cohort: Cohort | None, actor: User) -> int:
    """Place confirmed participants in a cohort (or none); returns how many moved."""
    if cohort is not None and cohort.workshop_id != workshop.id:
        raise InvalidChange(_l("This cohort belongs to another workshop."))
    registrations = db.session.scalars(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.id.in_(registration_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ).all()
    target = cohort.id if cohort else None
    moved = 0
    for registration in registrations:
        if registration.cohort_id != target:
            audit.record(actor, "registration.moved", "registration", registration.id,
                         f"cohort {registration.cohort_id} -> {target}")
            registration.cohort_id = target
            moved += 1
    return moved


def split_by_language(workshop: Workshop, actor: User, names: dict[str, str]) -> dict[str, int]:
    """One cohort per working language (created when missing), every confirmed person placed in theirs."""
    cohorts = {cohort.language: cohort for cohort in cohorts_of(workshop.id) if cohort.language}
    placed = Counter()
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.workshop_id == workshop.id,
                                      Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    for language in sorted({r.working_language for r in registrations}):
        if language not in cohorts:
            name = names.get(language, language)
            while _cohort_name_taken(workshop.id, name):
                name += "+"
            cohorts[language] = create_cohort(workshop, name, actor, language=language)
    for registration in registrations:
        cohort = cohorts[registration.working_language]
        if registration.cohort_id != cohort.id:
            registration.cohort_id = cohort.id
            placed[registration.working_language] += 1
    audit.record(actor, "cohort.split_by_language", "workshop", workshop.id, str(dict(placed)))
    return dict(placed)


# ---------------------------------------------------------------- sessions

def sessions_of(workshop_id: int) -> list[WorkshopSession]:
    return list(db.session.scalars(
        sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop_id).order_by(WorkshopSession.starts_at)
    ))


def add_session(workshop: Workshop, actor: User, *, title: str, starts_at: datetime, ends_at: datetime,
                cohort: Cohort | None, room: str = "") -> WorkshopSession:
    """Times are aware datetimes; they must fall within the workshop's dates (in its time zone)."""
    zone = ZoneInfo(workshop.timezone)
    if ends_at <= starts_at:
        raise InvalidChange(_l("A session must end after it starts."))
    if starts_at.astimezone(zone).date() < workshop.starts_on or ends_at.astimezone(zone).date() > workshop.ends_on:
        raise InvalidChange(_l("A session must take place within the workshop's dates."))
    if cohort is not None and cohort.workshop_id != workshop.id:
        raise InvalidChange(_l("This cohort belongs to another workshop."))
    # The same cohort (and a plenary, which everyone attends) cannot be in two places at once.
    overlap = sa.select(WorkshopSession.id).where(
        WorkshopSession.workshop_id == workshop.id,
        WorkshopSession.starts_at < ends_at, WorkshopSession.ends_at > starts_at,
    )
    if cohort is not None:
        overlap = overlap.where(sa.or_(WorkshopSession.cohort_id == cohort.id, WorkshopSession.cohort_id.is_(None)))
    if db.session.scalar(overlap.limit(1)) is not None:
        raise InvalidChange(_l("This overlaps another session for the same people."))
    session = WorkshopSession(workshop_id=workshop.id, cohort_id=cohort.id if cohort else None, title=title.strip(),
                              starts_at=starts_at, ends_at=ends_at, room=room.strip())
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "session.created", "session", session.id, title)
    return session


def delete_session(session: WorkshopSession, actor: User) -> None:
    audit.record(actor, "session.deleted", "session", session.id, session.title)
    db.session.delete(session)


# ---------------------------------------------------------------- trainer lists

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
            counts[workshop_id][status.value] = count
    return counts


def registrations_query(workshop_id: int, *, status=None, language=None, constituency=None, cohort=None, query=""):
    """A select() of registrations, each with its user loaded, for the trainer's list, in order of arrival."""
    statement = (
        sa.select(Registration).join(Registration.user).options(sa.orm.contains_eager(Registration.user))
        .where(Registration.workshop_id == workshop_id).order_by(Registration.sequence)
    )
    if status:
        statement = statement.where(Registration.status == status)
    if language:
        statement = statement.where(Registration.working_language == language)
    if constituency:
        statement = statement.where(Registration.constituency == constituency)
    if cohort == "none":
        statement = statement.where(Registration.cohort_id.is_(None))
    elif cohort:
        statement = statement.where(Registration.cohort_id == cohort)
    if query.strip():
        statement = statement.where(name_or_email_matches(query))
    return statement


def my_registrations(user_id: int, now: datetime | None = None) -> list[dict]:
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
    result = []
    for registration, workshop in rows:
        next_session = None
        if registration.status == RegistrationStatus.CONFIRMED:
            next_session = next((s for s in upcoming if s.workshop_id == workshop.id
                                 and s.cohort_id in (None, registration.cohort_id)), None)
        result.append({"registration": registration, "workshop": workshop, "next_session": next_session})
    return result
