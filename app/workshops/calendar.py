"""The workshop's timetable as an iCalendar file, for phones and desktop calendars."""
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from app.core.timeutil import utcnow
from app.workshops.models import Cohort, Workshop, WorkshopSession


def timetable_ics(workshop: Workshop, sessions: list[WorkshopSession], cohorts: list[Cohort], *,
                  workshop_url: str) -> bytes:
    """One event per session, in the reader's language; UIDs are stable, so re-importing updates events
    instead of duplicating them."""
    calendar = Calendar()
    calendar.add("prodid", "-//Passage//Workshop timetable//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", workshop.t_title())
    calendar.add("x-wr-timezone", workshop.timezone)
    cohort_names = {cohort.id: workshop.text(cohort.name) for cohort in cohorts}
    host = urlsplit(workshop_url).hostname or "passage"
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.id}@{host}")
        title = workshop.text(session.title)
        summary = title if session.cohort_id is None else f"{title} ({cohort_names.get(session.cohort_id, '')})"
        event.add("summary", summary)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", utcnow())
        if session.room:
            event.add("location", session.room)
        event.add("url", workshop_url)
        calendar.add_component(event)
    return calendar.to_ical()
