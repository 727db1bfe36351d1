"""Counting attempts before they are checked: a slot is taken first, and given back when the guess was right.

A limit tested before the check and counted after it lets through every request that arrives
while the first ones are still hashing (50 wrong passwords at once got 8 past a limit of 5).
Here the count goes up first, in one atomic step of the rate limiter's storage (a lock in memory,
INCRBY in Redis, so every gunicorn worker shares it), and a request whose count passes the limit
is refused before anything is checked.
"""
import time
from dataclasses import dataclass

from flask import abort, make_response
from limits import parse

from app.core.errors import render_error
from app.extensions import limiter


@dataclass(frozen=True)
class Attempts:
    """The attempts counted under `key`, at most `limit` ("5 per minute") in a window."""

    limit: str
    key: str

    def _item(self):
        item = parse(self.limit)
        return item, item.key_for("attempts", self.key)

    def take(self) -> bool:
        """Count one attempt; False when it goes past the limit: refuse it, check nothing."""
        item, storage_key = self._item()
        return limiter.storage.incr(storage_key, item.get_expiry()) <= item.amount

    def give_back(self) -> None:
        """Uncount an attempt that turned out right: only failures use up the limit."""
        item, storage_key = self._item()
        # A window that ended meanwhile starts afresh, not with a credit.
        if limiter.storage.get(storage_key) > 0:
            limiter.storage.incr(storage_key, item.get_expiry(), amount=-1)

    def seconds_left(self) -> int:
        """Until this window ends and attempts count afresh (for Retry-After)."""
        _item, storage_key = self._item()
        return max(1, int(limiter.storage.get_expiry(storage_key) - time.time()) + 1)


def count(attempts: Attempts) -> None:
    """Count one attempt; past the limit, stop here with the 429 page, saying when to try again."""
    if not attempts.take():
        body, status = render_error(429)
        abort(make_response(body, status, {"Retry-After": str(attempts.seconds_left())}))
