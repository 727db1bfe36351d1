"""Attendance marks and the check-in codes that let participants mark themselves present."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LabelledEnum, db_enum
from app.core.timeutil import AwareDateTime, utcnow
from app.extensions import db


class AttendanceStatus(LabelledEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"

    @classmethod
    def _labels(cls):
        return {cls.PRESENT: _l("Present"), cls.LATE: _l("Late"), cls.EXCUSED: _l("Excused"), cls.ABSENT: _l("Absent")}

    @property
    def attended(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class MarkSource(LabelledEnum):
    TRAINER = "trainer"
    SELF = "self"

    @classmethod
    def _labels(cls):
        return {cls.TRAINER: _l("Marked by a trainer"), cls.SELF: _l("Self check-in")}


class Attendance(db.Model):
    """One participant's mark for one session. A trainer's mark always wins over a self check-in."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(db_enum(AttendanceStatus))
    source: Mapped[MarkSource] = mapped_column(db_enum(MarkSource))
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)


class CheckIn(db.Model):
    """A session's self check-in: at most one per session; opening it again hands out a new code."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop_sessions.id", ondelete="CASCADE"), unique=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # Set when the trainer closes the session's attendance: the code stops working at once.
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.expires_at
