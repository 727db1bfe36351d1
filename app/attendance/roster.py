"""Taking attendance: who is expected at a session, their marks, and the trainer's changes.

Each function runs a fixed number of queries whatever the number of participants: marks are
written with one multi-row upsert, and their audit entries with one multi-row insert.
"""
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.attendance.models import Attendance, AttendanceStatus, CheckIn, MarkSource
from app.auth.models import User
from app.core.audit import AuditEntry
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Registration, RegistrationStatus, WorkshopSession


def upsert():
    """INSERT … ON CONFLICT for the database in use (both dialects spell it the same way)."""
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(Attendance.__table__)


def expected_query(session: WorkshopSession):
    """Confirmed participants of the session's cohort, or of the whole workshop for a plenary."""
    statement = (
        sa.select(User).join(Registration, Registration.user_id == User.id)
        .where(Registration.workshop_id == session.workshop_id, Registration.status == RegistrationStatus.CONFIRMED)
    )
    if session.cohort_id is not None:
        statement = statement.where(Registration.cohort_id == session.cohort_id)
    return statement


def expected_participants(session: WorkshopSession) -> list[User]:
    """Sorted by name (case-insensitive), then id so that namesakes keep a stable order."""
    return list(db.session.scalars(expected_query(session).order_by(sa.func.lower(User.name), User.id)))


def marks_of(session_id: int) -> dict[int, Attendance]:
    """The session's marks by user id, in one query."""
    return {mark.user_id: mark for mark in db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session_id))}


def check_in_of(session_id: int) -> CheckIn | None:
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.session_id == session_id))


def _audit(actor: User, session: WorkshopSession, changes: list[tuple[int, str, str]], now: datetime) -> None:
    if changes:
        db.session.execute(sa.insert(AuditEntry), [
            {"actor_id": actor.id, "action": "attendance.marked", "subject_type": "session", "subject_id": session.id,
             "details": f"user {user_id}: {old or '-'} -> {new}", "created_at": now}
            for user_id, old, new in changes
        ])


def save_marks(session: WorkshopSession, actor: User, choices: Mapping[int, AttendanceStatus],
               *, everyone_present: bool = False, now: datetime | None = None) -> int:
    """Set the chosen marks of expected participants; returns how many changed.

    `everyone_present` also marks present every expected participant with neither a mark
    nor a choice: the trainer's "mark everyone present", then the exceptions.

    A trainer's mark overwrites any mark, a self check-in included, even one that arrives
    between reading the marks and writing them (the upsert updates instead of failing).
    People not expected at the session are ignored.
    """
    now = now or utcnow()
    expected = set(db.session.scalars(expected_query(session).with_only_columns(User.id)))
    existing = {user_id: status for user_id, status in db.session.execute(
        sa.select(Attendance.user_id, Attendance.status).where(Attendance.session_id == session.id))}
    choices = dict(choices)
    if everyone_present:
        choices.update({user_id: AttendanceStatus.PRESENT for user_id in expected
                        if user_id not in choices and user_id not in existing})
    changes = [(user_id, existing.get(user_id), AttendanceStatus(status)) for user_id, status in choices.items()
               if user_id in expected and existing.get(user_id) != status]
    if not changes:
        return 0
    statement = upsert()
    statement = statement.on_conflict_do_update(
        index_elements=["session_id", "user_id"],
        set_={"status": statement.excluded.status, "source": statement.excluded.source,
              "marked_by_id": statement.excluded.marked_by_id, "marked_at": statement.excluded.marked_at},
    )
    db.session.execute(statement, [
        {"session_id": session.id, "user_id": user_id, "status": new, "source": MarkSource.TRAINER,
         "marked_by_id": actor.id, "marked_at": now} for user_id, _old, new in changes
    ])
    _audit(actor, session, [(user_id, old and old.value, new.value) for user_id, old, new in changes], now)
    # The upsert bypassed the ORM: marks already loaded in this session are stale.
    db.session.expire_all()
    return len(changes)


def unmarked_count(session: WorkshopSession) -> int:
    """How many expected participants have no mark yet: those that closing would mark absent."""
    marked = sa.select(Attendance.user_id).where(Attendance.session_id == session.id)
    return db.session.scalar(
        expected_query(session).with_only_columns(sa.func.count(User.id)).where(User.id.not_in(marked))
    )


def close_attendance(session: WorkshopSession, actor: User, *, now: datetime | None = None) -> int:
    """Stop the session's check-in code and mark everyone still unmarked absent; returns how many."""
    now = now or utcnow()
    check_in = check_in_of(session.id)
    if check_in is not None and check_in.closed_at is None:
        check_in.closed_at = now
    marked = sa.select(Attendance.user_id).where(Attendance.session_id == session.id)
    unmarked = list(db.session.scalars(expected_query(session).with_only_columns(User.id).where(User.id.not_in(marked))))
    if unmarked:
        # A self check-in landing at the same moment keeps its mark: closing only fills gaps.
        db.session.execute(upsert().on_conflict_do_nothing(index_elements=["session_id", "user_id"]), [
            {"session_id": session.id, "user_id": user_id, "status": AttendanceStatus.ABSENT, "source": MarkSource.TRAINER,
             "marked_by_id": actor.id, "marked_at": now} for user_id in unmarked
        ])
        _audit(actor, session, [(user_id, None, AttendanceStatus.ABSENT.value) for user_id in unmarked], now)
    db.session.add(AuditEntry(actor_id=actor.id, action="attendance.closed", subject_type="session",
                              subject_id=session.id, details=f"{len(unmarked)} marked absent", created_at=now))
    db.session.flush()
    return len(unmarked)
