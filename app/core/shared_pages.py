"""Pages that are the same for everyone of a kind, kept a few seconds per process.

An announcement e-mailed to a few thousand people brings them, signed out, to the home page and
the workshop pages within minutes; during a workshop, its sixty participants open the catalogue
between sessions. Those pages are the same for every visitor (or every participant) in one
language except the form token (the header's language and logout forms), so each process keeps
each page for SHARED_PAGE_SECONDS (5) and fills in the person's own token: a burst costs one
render and its statements per page, language, kind of reader and process every few seconds.

What a reader may see late, by at most that long: the seats left, a workshop opened or closed, a
content sync (the content version is checked as often for visitors anyway). Registering always
decides on the live row, under its lock. Never kept nor served from here: trainers' and
administrators' pages (they act on what they see), a participant's page where the view does not
say it is the same for all of them, a reader with a message waiting (flashed), a query string
other than `?lang=`, and any answer but a page (a redirect, a 404). At most SHARED_PAGES_KEPT
pages per process, the least recently used dropped first.
"""
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.core.i18n import LANGUAGE_PARAMETER, current_language
from app.core.layout import CSRF_SLOT

EXTENSION = "shared_pages"
# Flask-WTF keeps the request's token in g under the token's field name and returns it from there.
TOKEN_FIELD = "csrf_token"
VISITOR, PARTICIPANT = "visitor", "participant"


class SharedPages:
    def __init__(self, size: int, version: Callable[[], int]):
        self.size = size
        self.version = version  # the content version: a page is never kept across a sync
        self._pages: OrderedDict[tuple, tuple[float, int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, version: int) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            kept_until, kept_version, html = page
            if kept_version != version or time.monotonic() >= kept_until:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return html

    def put(self, key: tuple, version: int, html: str, seconds: float) -> None:
        with self._lock:
            self._pages[key] = (time.monotonic() + seconds, version, html)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


def shared_page(*, participants: bool):
    """A view whose page is the same for every visitor (and, if `participants`, for every participant)
    in one language, but for the form token."""

    def decorator(view):
        @wraps(view)
        def keeping(*args, **kwargs):
            seconds = current_app.config["SHARED_PAGE_SECONDS"]
            kind = _reader_kind(participants) if seconds > 0 else None
            if kind is None:
                return view(*args, **kwargs)
            pages: SharedPages = current_app.extensions[EXTENSION]
            key = (request.path, current_language(), kind, request.script_root)
            version = pages.version()
            html = pages.get(key, version)
            if html is None:
                html = _render_without_token(view, args, kwargs)
                if not isinstance(html, str):
                    return html  # a redirect or a response of its own: never kept
                pages.put(key, version, html, seconds)
            return html.replace(CSRF_SLOT, generate_csrf())

        return keeping

    return decorator


def _reader_kind(participants: bool) -> str | None:
    """Whom this request's page may be shared with, or None when it must be made for this reader alone."""
    if request.method != "GET" or "_flashes" in session:
        return None
    if any(name != LANGUAGE_PARAMETER for name in request.args):
        return None
    if not current_user.is_authenticated:
        return VISITOR
    if participants and not current_user.is_trainer:  # is_trainer: trainers and administrators
        return PARTICIPANT
    return None


def _render_without_token(view, args, kwargs):
    """The page with a placeholder wherever the reader's form token goes (filled in on each request)."""
    own = g.pop(TOKEN_FIELD, None)
    setattr(g, TOKEN_FIELD, CSRF_SLOT)
    try:
        return view(*args, **kwargs)
    finally:
        g.pop(TOKEN_FIELD, None)
        if own is not None:
            setattr(g, TOKEN_FIELD, own)


def init_app(app: Flask, version: Callable[[], int]) -> None:
    """`version()` names the content a page shows (core cannot read it: the content cache sits above)."""
    app.extensions[EXTENSION] = SharedPages(app.config["SHARED_PAGES_KEPT"], version)
