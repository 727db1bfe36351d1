"""ModuleProgress: one row per participant and module; ProgressStatus, what it amounts to."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LabelledEnum
from app.core.timeutil import AwareDateTime, utcnow
from app.core.translated import JSONData
from app.extensions import db


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    # Section ids read; a section retired later simply stops counting.
    sections_read: Mapped[list] = mapped_column(JSONData, default=list)
    last_section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sections.id", ondelete="SET NULL"))
    best_score: Mapped[int | None]
    quiz_passed: Mapped[bool] = mapped_column(default=False)
    # Once completed, a module stays completed even if a section is added later.
    completed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.UniqueConstraint("user_id", "module_id"),)


class ProgressStatus(LabelledEnum):
    """Where a participant stands in a module: derived from ModuleProgress, never stored."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @classmethod
    def _labels(cls):
        return {cls.NOT_STARTED: _l("Not started"), cls.IN_PROGRESS: _l("In progress"), cls.COMPLETED: _l("Completed")}

    @property
    def tone(self) -> str:
        return {self.COMPLETED: "ok", self.IN_PROGRESS: "progress"}.get(self, "")
