"""A message waiting in (or sent from, or abandoned by) the outbox."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import AwareDateTime, utcnow
from app.extensions import db


class OutboxMessage(db.Model):
    """Pending while neither sent nor abandoned; due once `next_attempt_at` has come.

    A failed attempt records `last_error` and moves `next_attempt_at` later (exponential
    back-off); a failure no retry can mend, or too many attempts, sets `abandoned_at`.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    abandoned_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    # The sender scans only what is pending and due.
    __table_args__ = (sa.Index("ix_outbox_messages_due", "sent_at", "abandoned_at", "next_attempt_at"),)

    @property
    def is_pending(self) -> bool:
        return self.sent_at is None and self.abandoned_at is None
