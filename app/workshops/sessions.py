"""The timetable: sessions of a workshop, for everyone (plenary) or for one cohort."""
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import audit
from app.core.translated import cleaned, written
from app.extensions import db
from app.workshops.display import session_day, session_hours
from app.workshops.errors import InvalidChange
from app.workshops.locking import lock
from app.workshops.models import (
    Cohort,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)


def sessions_of(workshop_id: int) -> list[WorkshopSession]:
    return list(db.session.scalars(
        sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop_id).order_by(WorkshopSession.starts_at)
    ))


def own_timetable(workshop: Workshop, registration: Registration | None, *, sees_all: bool) -> list[WorkshopSession]:
    """What a person's timetable shows: a confirmed participant sees their cohort's sessions and the
    plenaries, not other cohorts' parallel sessions; trainers and visitors see every session."""
    statement = sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop.id)
    if not sees_all and registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        statement = statement.where(sa.or_(WorkshopSession.cohort_id.is_(None),
                                           WorkshopSession.cohort_id == registration.cohort_id))
    return list(db.session.scalars(statement.order_by(WorkshopSession.starts_at)))


def session_of_workshop(workshop: Workshop, session_id: int) -> WorkshopSession | None:
    """The session with this id if it belongs to `workshop`, else None."""
    session = db.session.get(WorkshopSession, session_id)
    return session if session is not None and session.workshop_id == workshop.id else None


def _check(workshop: Workshop, starts_at: datetime, ends_at: datetime, cohort: Cohort | None,
           excluding: int | None = None) -> None:
    """The rules of a session's place in the timetable, checked under the workshop's lock (the caller
    writes before the request ends, so the same form sent four times at once adds one session)."""
    zone = ZoneInfo(workshop.timezone)
    if ends_at <= starts_at:
        raise InvalidChange(_l("A session must end after it starts."), field="ends_at")
    if starts_at.astimezone(zone).date() < workshop.starts_on or ends_at.astimezone(zone).date() > workshop.ends_on:
        raise InvalidChange(_l("A session must take place within the workshop's dates."), field="starts_at")
    if cohort is not None and cohort.workshop_id != workshop.id:
        raise InvalidChange(_l("This cohort belongs to another workshop."), field="cohort")
    lock(workshop.id)
    # The same cohort (and a plenary, which everyone attends) cannot be in two places at once.
    overlap = sa.select(WorkshopSession).where(
        WorkshopSession.workshop_id == workshop.id,
        WorkshopSession.starts_at < ends_at, WorkshopSession.ends_at > starts_at,
    )
    if excluding is not None:
        overlap = overlap.where(WorkshopSession.id != excluding)
    if cohort is not None:
        overlap = overlap.where(sa.or_(WorkshopSession.cohort_id == cohort.id, WorkshopSession.cohort_id.is_(None)))
    clash = db.session.scalar(overlap.order_by(WorkshopSession.starts_at).limit(1))
    if clash is not None:
        # Name the session it clashes with, in the workshop's time, so the trainer need not hunt for it.
        raise InvalidChange(_l("This overlaps another session for the same people: %(title)s, %(day)s, %(hours)s.",
                               title=workshop.text(clash.title), day=session_day(clash, workshop), hours=session_hours(clash, workshop)),
                            field="starts_at")


def _titles(workshop: Workshop, title: dict[str, str]) -> dict[str, str]:
    """The title in the workshop's languages, stripped; the first language's is required."""
    title = cleaned(title, workshop.languages or ["en"])
    if workshop.main_language not in title:
        raise InvalidChange(_l("Give the session a title in the first language of the workshop."),
                            field=f"title_{workshop.main_language}")
    return title


def add_session(workshop: Workshop, actor: User, *, title: dict[str, str], starts_at: datetime, ends_at: datetime,
                cohort: Cohort | None, room: str = "") -> WorkshopSession:
    """Times are aware datetimes; they must fall within the workshop's dates (in its time zone).
    The title is per working language ({"en": ..., "fr": ...})."""
    title = _titles(workshop, title)
    _check(workshop, starts_at, ends_at, cohort)
    session = WorkshopSession(workshop_id=workshop.id, cohort_id=cohort.id if cohort else None, title=title,
                              starts_at=starts_at, ends_at=ends_at, room=room.strip())
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "session.created", "session", session.id, written(title))
    return session


def edit_session(session: WorkshopSession, workshop: Workshop, actor: User, *, title: dict[str, str],
                 starts_at: datetime, ends_at: datetime, cohort: Cohort | None, room: str = "") -> WorkshopSession:
    """The same rules as adding one; the session does not overlap itself."""
    title = _titles(workshop, title)
    _check(workshop, starts_at, ends_at, cohort, excluding=session.id)
    session.title, session.room = title, room.strip()
    session.starts_at, session.ends_at = starts_at, ends_at
    session.cohort_id = cohort.id if cohort else None
    db.session.flush()
    audit.record(actor, "session.edited", "session", session.id, written(title))
    return session


def delete_session(session: WorkshopSession, actor: User) -> None:
    audit.record(actor, "session.deleted", "session", session.id, written(session.title))
    db.session.delete(session)
    db.session.flush()
