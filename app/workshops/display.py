"""Dates and times of a workshop, in the reader's language and the workshop's time zone."""
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_time, get_timezone_name
from babel.numbers import format_decimal

from app.core.i18n import current_language


def workshop_dates(workshop) -> str:
    return _dates(workshop.starts_on, workshop.ends_on, current_language())


@lru_cache(maxsize=1024)
def _dates(starts_on, ends_on, locale: str) -> str:
    # Babel matches the skeleton against the locale's patterns each time (about 0.4 ms); the answer
    # depends on these three values only, and catalogues list the same few workshops again and again.
    if starts_on == ends_on:
        return format_date(starts_on, format="long", locale=locale)
    return format_interval(starts_on, ends_on, skeleton="yMMMMd", locale=locale)


def session_day(session, workshop) -> str:
    local = session.starts_at.astimezone(ZoneInfo(workshop.timezone))
    return format_date(local.date(), format="full", locale=current_language())


def session_hours(session, workshop) -> str:
    zone = ZoneInfo(workshop.timezone)
    locale = current_language()
    start = format_time(session.starts_at.astimezone(zone), format="short", locale=locale)
    end = format_time(session.ends_at.astimezone(zone), format="short", locale=locale)
    return f"{start}–{end}"


def local_time(moment, workshop) -> str:
    """A moment as the workshop's wall-clock time: "09:15", "9:15 AM"."""
    return format_time(moment.astimezone(ZoneInfo(workshop.timezone)), format="short", locale=current_language())


def local_date(moment, workshop) -> str:
    """A moment's day in the workshop's time zone, short: "23 Nov 2026"."""
    return format_date(moment.astimezone(ZoneInfo(workshop.timezone)).date(), format="medium", locale=current_language())


def local_dates(workshop):
    """local_date for the many moments of one list: the zone and language read once, each day formatted once.

    `{% set registered = local_dates(workshop) %}` then `{{ registered(moment) }}` on each row.
    """
    zone, locale, days = ZoneInfo(workshop.timezone), current_language(), {}

    def local_date_of(moment) -> str:
        day = moment.astimezone(zone).date()
        text = days.get(day)
        if text is None:
            text = days[day] = format_date(day, format="medium", locale=locale)
        return text

    return local_date_of


def local_datetime(moment, workshop) -> str:
    """A moment in the workshop's time zone, in words: "31 May 2010, 09:30", "31 mai 2010, 09:30",
    "31 de mayo de 2010, 9:30" (the locale's own long date and short time, joined its way)."""
    locale = Locale.parse(current_language())
    local = moment.astimezone(ZoneInfo(workshop.timezone))
    joined = str(locale.datetime_formats["long"]).replace("'", "")
    return joined.format(format_time(local, format="short", locale=locale),
                         format_date(local.date(), format="long", locale=locale))


def number(value) -> str:
    """A number the reader's way: "1,234.5", "1 234,5", "1234,5"."""
    return format_decimal(value, locale=current_language())


def zone_name(workshop) -> str:
    """The zone named for people: "Central European Time (Europe/Rome)"."""
    zone = ZoneInfo(workshop.timezone)
    return f"{get_timezone_name(zone, locale=current_language())} ({workshop.timezone})"


def groupby_day(sessions, workshop) -> list[tuple[str, list]]:
    """Sessions grouped by their local day, for the timetable."""
    days: dict[str, list] = {}
    for session in sessions:
        days.setdefault(session_day(session, workshop), []).append(session)
    return list(days.items())
