"""What deleting an account does to the person's registrations (connected to `auth.services.account_deleting`).

A seat still to come is given up exactly as a cancellation gives it up (`seats.cancel`: under the
workshop's lock, the next person waiting promoted and told), which also leaves the group. A workshop
that has ended keeps the confirmed registration as an anonymous count: the seat was used, its
figures stay right, and nobody on its old waiting list is offered a seat in the past. Free text
goes from every registration. Services flush; the request commits.
"""
from datetime import datetime

import sqlalchemy as sa

from app.auth.models import User
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops import seats
from app.workshops.errors import InvalidChange
from app.workshops.models import Registration, RegistrationStatus, Workshop
from app.workshops.queries import local_today


def _took_place(registration: Registration, workshop: Workshop, now: datetime) -> bool:
    return registration.status == RegistrationStatus.CONFIRMED and local_today(workshop, now) > workshop.ends_on


def forget_participant(user: User, now: datetime | None = None) -> None:
    """Cancel what the person still has coming and erase what they wrote; keep the anonymous rest."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Registration, Workshop).join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.user_id == user.id)
        .order_by(Registration.workshop_id)  # locks always taken in one order
    ).all()
    for registration, workshop in rows:
        if registration.is_active and not _took_place(registration, workshop, now):
            try:
                seats.cancel(registration, user)
            except InvalidChange:
                pass  # cancelled meanwhile (another tab): there is nothing left to give up
        registration.motivation = ""
        registration.decision_reason = ""
    db.session.flush()
