"""Course → Module → Section. Rows are upserted by stable keys and retired, never deleted."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import AwareDateTime
from app.core.translated import JSONData, TranslatedText, pick
from app.extensions import db


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(TranslatedText)
    summary: Mapped[dict] = mapped_column(TranslatedText)
    # [{"key": ..., "term": {lang: text}, "definition": {lang: text}}], from the course's glossary.yml.
    glossary: Mapped[list] = mapped_column(JSONData, default=list, deferred=True)  # only its own page reads it
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position", lazy="raise"
    )

    def t_title(self) -> str:
        return pick(self.title)

    def t_summary(self) -> str:
        return pick(self.summary)


class Module(db.Model):
    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(TranslatedText)
    summary: Mapped[dict] = mapped_column(TranslatedText)
    key_figures: Mapped[dict] = mapped_column(TranslatedText)
    sources: Mapped[dict] = mapped_column(TranslatedText)
    minutes: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    course: Mapped[Course] = relationship(back_populates="modules", lazy="raise")
    sections: Mapped[list["Section"]] = relationship(
        back_populates="module", order_by="Section.position", lazy="raise"
    )

    __table_args__ = (sa.UniqueConstraint("course_id", "key"),)

    def t_title(self) -> str:
        return pick(self.title)

    def t_summary(self) -> str:
        return pick(self.summary)

    def t_key_figures(self) -> list[str]:
        return pick(self.key_figures, default=[])

    def t_sources(self) -> list[str]:
        return pick(self.sources, default=[])


class Section(db.Model):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict] = mapped_column(TranslatedText)
    # Sanitized HTML rendered at sync time: a page view never parses Markdown.
    html: Mapped[dict] = mapped_column(TranslatedText)
    words: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(AwareDateTime())

    module: Mapped[Module] = relationship(back_populates="sections", lazy="raise")

    __table_args__ = (sa.UniqueConstraint("module_id", "key"),)

    def t_title(self) -> str:
        return pick(self.title)

    def t_html(self) -> str:
        return pick(self.html)


class ContentVersion(db.Model):
    """One row: bumped by every `flask content sync` that changes something, so that each server's
    in-memory copy of the course content (courses.cache) knows when to reload."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
