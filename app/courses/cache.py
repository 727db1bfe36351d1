"""Course content held in process memory, keyed by the content version that `flask content sync` bumps.

Courses, modules, sections and quizzes change only at a sync, yet every course page read them
(four of the section page's six queries). Each app keeps here plain values built from them
(frozen dataclasses, dicts: never ORM objects, never anything of one user), one entry per name,
each labelled with the content version it was built at.

Knowing the current version costs no query on most requests: the user load reads it in the
same statement as the user (`saw`), so a logged-in request sees a sync made by any server at
its next request. Anonymous requests read the version themselves, at most once every
CONTENT_VERSION_CHECK_SECONDS per process (5 by default): a sync reaches them within that time.
A sync in this process expires the check at once (`expire`).

A version read before the rows are, in one transaction, is never newer than those rows (the sync
bumps it in the transaction that changes them), so an entry is never older than its label.
"""
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g

from app.core.timeutil import utcnow
from app.courses.models import ContentVersion
from app.extensions import db

T = TypeVar("T")
EXTENSION = "content_cache"
VERSION_ID = 1


def version_query() -> sa.Select:
    """The current content version as a statement, for a query to carry along (0 when no row)."""
    return sa.select(ContentVersion.version).where(ContentVersion.id == VERSION_ID)


class ContentCache:
    def __init__(self, check_seconds: float):
        self.check_seconds = check_seconds
        self._version: int | None = None
        self._checked_at = float("-inf")
        self._entries: dict[str, tuple[int, object]] = {}
        self._lock = threading.Lock()

    def version(self) -> int:
        """The version this request works with: read once per request at most, and only when due."""
        if "content_version" in g:
            return g.content_version
        if self._version is None or time.monotonic() - self._checked_at >= self.check_seconds:
            self._note(db.session.scalar(version_query()) or 0)
        g.content_version = self._version
        return self._version

    def saw(self, version: int | None) -> None:
        """A query this request made anyway read the version (the user load): no need to ask again."""
        self._note(version or 0)
        g.content_version = self._version

    def _note(self, version: int) -> None:
        self._version = version
        self._checked_at = time.monotonic()

    def get(self, name: str, build: Callable[[], T]) -> T:
        """The value built by `build()` at the current version; built again after a sync."""
        version = self.version()
        entry = self._entries.get(name)
        if entry is not None and entry[0] == version:
            return entry[1]
        value = build()
        with self._lock:
            self._entries[name] = (version, value)
        return value

    def expire(self) -> None:
        """Read the version again at the next use (a sync in this process has just changed it)."""
        self._checked_at = float("-inf")
        g.pop("content_version", None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        self._version = None
        self._checked_at = float("-inf")

    def size(self) -> int:
        return len(self._entries)


def content_cache() -> ContentCache:
    return current_app.extensions[EXTENSION]


def cached(name: str, build: Callable[[], T]) -> T:
    return content_cache().get(name, build)


def bump_version() -> int:
    """Content changed: the next version, for every server. Flushes; the caller commits."""
    updated = db.session.execute(
        sa.update(ContentVersion).where(ContentVersion.id == VERSION_ID)
        .values(version=ContentVersion.version + 1, changed_at=utcnow())
        .returning(ContentVersion.version)
    ).scalar()
    if updated is None:
        db.session.add(ContentVersion(id=VERSION_ID, version=2, changed_at=utcnow()))
        db.session.flush()
        updated = 2
    content_cache().expire()
    return updated


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = ContentCache(app.config["CONTENT_VERSION_CHECK_SECONDS"])
