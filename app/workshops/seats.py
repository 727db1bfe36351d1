"""Seats: register, cancel, approve, reject and promote from the waiting list.

Every change to a workshop's seats first takes the workshop's row lock (SELECT … FOR UPDATE),
so concurrent registrations, cancellations and promotions are serialized per workshop and the
order of arrival is the order in which they took the lock. Services flush; the request commits.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import audit
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.mail.services import queue_template
from app.workshops.errors import (
    AccountClosed,
    AlreadyRegistered,
    InvalidChange,
    LanguageNotOffered,
    OutsideWindow,
    ProfileIncomplete,
    RegistrationRefused,
    WorkshopFull,
    WorkshopNotOpen,
)
from app.workshops.locking import lock
from app.workshops.models import (
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopStatus,
)
from app.workshops.queries import (
    confirmed_counts,
    fits,
    local_today,
    waitlist_position,
    waitlist_positions,
)


def _next_sequence(workshop: Workshop) -> int:
    sequence = workshop.next_sequence
    workshop.next_sequence = sequence + 1
    return sequence


def _notify(registration: Registration, user: User, workshop: Workshop, **extra) -> None:
    # The title is read when the subject is written, in the recipient's language (see queue_template).
    title = LazyString(workshop.t_title)
    subjects = {
        RegistrationStatus.CONFIRMED: _l("Your seat is confirmed: %(title)s", title=title),
        RegistrationStatus.WAITLISTED: _l("You are on the waiting list: %(title)s", title=title),
        RegistrationStatus.PENDING: _l("We received your registration: %(title)s", title=title),
        RegistrationStatus.CANCELLED: _l("Your registration is cancelled: %(title)s", title=title),
        RegistrationStatus.REJECTED: _l("About your registration: %(title)s", title=title),
    }
    queue_template(user, f"registration_{registration.status.value}", subjects[registration.status],
                   workshop=workshop, registration=registration, **extra)


def registration_refusal(workshop: Workshop, now: datetime | None = None) -> RegistrationRefused | None:
    """Why nobody can register now, if nobody can (pages ask before offering the form; register() raises it).

    Once the workshop's first day has come, registration is closed unless the admin set a closing
    time later than that: leaving it empty never lets people join a workshop already under way.
    """
    now = now or utcnow()
    today = local_today(workshop, now)
    if workshop.status != WorkshopStatus.OPEN or today > workshop.ends_on:
        return WorkshopNotOpen()
    opens, closes = as_utc(workshop.registration_opens_at), as_utc(workshop.registration_closes_at)
    if opens and now < opens:
        return OutsideWindow(_l("Registration has not opened yet."))
    if closes and now > closes:
        return OutsideWindow(_l("Registration for this workshop has closed."))
    if closes is None and today >= workshop.starts_on:
        return OutsideWindow(_l("This workshop has started: registration is closed."))
    return None


def closed_for_registration(workshops) -> set[int]:
    """The ids of the open workshops that take no registration now (not yet, no longer, or already started)."""
    now = utcnow()
    return {w.id for w in workshops if w.is_open and registration_refusal(w, now) is not None}


def _check_open(workshop: Workshop, now: datetime) -> None:
    refusal = registration_refusal(workshop, now)
    if refusal is not None:
        raise refusal


def already_registered(registration: Registration | None) -> AlreadyRegistered | None:
    """Why this person cannot register again, if they cannot: only a cancelled registration may be renewed."""
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return None
    if registration.status == RegistrationStatus.REJECTED:
        return AlreadyRegistered(_l("Your registration for this workshop was not accepted."))
    return AlreadyRegistered()


def _still_open_account(user: User) -> None:
    """Share-lock the person's row before the workshop's, and refuse a closed account.

    Deleting an account locks that row first (exclusively), then gives up the seats: a deletion in one
    tab and a registration in another happen one after the other, in the same lock order, so the
    registration is either refused or made in time for the deletion to give it up.
    """
    row = db.session.execute(
        sa.select(User.active, User.deleted_at).where(User.id == user.id).with_for_update(read=True)
    ).one()
    if not row.active or row.deleted_at is not None:
        raise AccountClosed()


def register(user: User, workshop_id: int, working_language: str, motivation: str = "",
             now: datetime | None = None) -> Registration:
    """Register `user`: confirmed, waitlisted or pending approval, decided under the lock."""
    now = now or utcnow()
    _still_open_account(user)
    workshop = lock(workshop_id)
    _check_open(workshop, now)
    if working_language not in workshop.languages:
        raise LanguageNotOffered()
    if not (user.country and user.constituency and user.sex):
        raise ProfileIncomplete()
    # Read again under the lock: the page may have loaded this row before a simultaneous click changed it.
    registration = db.session.scalar(
        sa.select(Registration).where(Registration.user_id == user.id, Registration.workshop_id == workshop.id)
        .execution_options(populate_existing=True)
    )
    refusal = already_registered(registration)
    if refusal is not None:
        raise refusal
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
    if fits(workshop, counts, constituency):
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
        if fits(workshop, counts, registration.constituency):
            registration.status = RegistrationStatus.CONFIRMED
            counts[registration.constituency] += 1
            promoted.append(registration)
            audit.record(None, "registration.promoted", "registration", registration.id, workshop.slug)
            _notify(registration, user, workshop)
    return promoted


def cancel(registration: Registration, actor: User) -> Registration:
    workshop = lock(registration.workshop_id)
    db.session.refresh(registration)
    if not registration.is_active:
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


@dataclass
class Decision:
    """What a bulk decision did to each ticked registration, for the trainer's message."""

    confirmed: int = 0
    waitlisted: int = 0
    rejected: int = 0
    no_seat: int = 0  # approval found neither a seat nor a waiting list
    skipped: int = 0  # not in a state the decision applies to

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def _registrations_for_update(workshop: Workshop, ids: list[int]) -> list[tuple[Registration, User]]:
    return db.session.execute(
        sa.select(Registration, User).join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop.id, Registration.id.in_(ids))
        .order_by(Registration.sequence)
        .execution_options(populate_existing=True)
    ).all()


def approve(workshop_id: int, registration_ids: list[int], actor: User) -> Decision:
    """Confirm pending registrations in order of arrival while seats last; the rest are waitlisted."""
    workshop = lock(workshop_id)
    counts = confirmed_counts([workshop.id])[workshop.id]
    decision = Decision()
    decided = []
    for registration, user in _registrations_for_update(workshop, registration_ids):
        if registration.status != RegistrationStatus.PENDING:
            decision.count("skipped")
            continue
        if fits(workshop, counts, registration.constituency):
            registration.status = RegistrationStatus.CONFIRMED
            counts[registration.constituency] += 1
        elif workshop.waitlist_enabled:
            registration.status = RegistrationStatus.WAITLISTED
        else:
            decision.count("no_seat")
            continue
        decision.count(registration.status.value)
        decided.append((registration, user))
        audit.record(actor, f"registration.approved.{registration.status.value}", "registration", registration.id, workshop.slug)
    db.session.flush()
    # Positions once everyone has their new status: an earlier arrival may queue ahead of a later one.
    positions = waitlist_positions(workshop.id, [registration.id for registration, _ in decided])
    for registration, user in decided:
        _notify(registration, user, workshop, position=positions.get(registration.id))
    return decision


def reject(workshop_id: int, registration_ids: list[int], actor: User, reason: str) -> Decision:
    workshop = lock(workshop_id)
    decision = Decision()
    freed = False
    for registration, user in _registrations_for_update(workshop, registration_ids):
        if not registration.is_active:
            decision.count("skipped")
            continue
        freed |= registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.REJECTED
        registration.decision_reason = reason.strip()
        registration.cohort_id = None
        decision.count("rejected")
        audit.record(actor, "registration.rejected", "registration", registration.id, reason.strip()[:500])
        _notify(registration, user, workshop, reason=registration.decision_reason)
    if freed:
        promote(workshop)
    return decision
