"""Certificate: one per participant and workshop, found by an unguessable code printed on the PDF."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LabelledEnum, db_enum
from app.core.timeutil import AwareDateTime, utcnow
from app.extensions import db


class CertificateKind(LabelledEnum):
    PARTICIPATION = "participation"
    COMPLETION = "completion"

    @classmethod
    def _labels(cls):
        return {cls.PARTICIPATION: _l("Certificate of participation"), cls.COMPLETION: _l("Certificate of completion")}

    @property
    def rank(self) -> int:
        return 1 if self == CertificateKind.COMPLETION else 0


class Certificate(db.Model):
    """Issued when the participant first asks for it; hours and kind are brought up to date on each request."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[CertificateKind] = mapped_column(db_enum(CertificateKind))
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow)
    # The hours attended, kept in minutes (an integer on every database); `hours` shows them.
    minutes_attended: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(sa.Text, default="")

    # One certificate per person and workshop: a double click on "Get my certificate" issues one.
    __table_args__ = (sa.UniqueConstraint("user_id", "workshop_id"),)

    @property
    def hours(self) -> float:
        return self.minutes_attended / 60

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
