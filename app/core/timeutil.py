"""Time helpers: the app stores aware UTC datetimes everywhere."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; treat them as the UTC they were stored as."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class AwareDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite drops the zone on the way back)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return as_utc(value)


class NonexistentLocalTime(DomainError):
    """A wall-clock time skipped by a daylight-saving change (02:30 on a spring-forward night)."""

    def default_message(self):
        return _l("This time does not exist in the chosen time zone: the clocks move forward then. Choose another time.")


MIN_YEAR, MAX_YEAR = 1900, 2100


class DateOutOfRange(DomainError):
    def default_message(self):
        return _l("Choose a date between the years 1900 and 2100.")


def local_to_utc(value: datetime | None, zone_name: str, *, field: str | None = None) -> datetime | None:
    """A naive local date and time in `zone_name`, as an aware UTC datetime.

    A time that happens twice (the clocks go back) is taken at its first occurrence; a time that
    never happens (the clocks go forward) is refused rather than silently moved.
    """
    if value is None:
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:  # year 9999 in New York would overflow in UTC
        raise DateOutOfRange(field=field)
    zone = ZoneInfo(zone_name)
    local = value.replace(tzinfo=zone, fold=0)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != value.replace(fold=0):
        raise NonexistentLocalTime(field=field)
    return utc


def utc_to_local(value: datetime | None, zone_name: str) -> datetime | None:
    """An aware datetime as the naive wall-clock time of `zone_name` (for a form field)."""
    if value is None:
        return None
    return as_utc(value).astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
