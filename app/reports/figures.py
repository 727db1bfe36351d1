"""The report's numbers as text and as charts, in the reader's language."""
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from app.reports.attendance import Rate
from app.reports.charts import Bar, bar_chart
from app.reports.participation import Breakdown, Report


def percent(value: float | None) -> str:
    return "–" if value is None else format_percent(value, format="#,##0%")


def rate_text(rate: Rate) -> str:
    """"75% (15/20)", or a dash when nobody was expected at a session that has started."""
    return "–" if rate.value is None else f"{percent(rate.value)} ({rate.attended}/{rate.expected})"


def score_text(score: float | None) -> str:
    return "–" if score is None else f"{score:.0f}"


def session_label(tallied, workshop) -> str:
    day = tallied.session.starts_at.astimezone(ZoneInfo(workshop.timezone)).date()
    return f"{format_date(day, format='d MMM')} · {workshop.text(tallied.session.title)}"


def _titles(key: str) -> tuple[str, str]:
    return {
        "sex": (_("Registrations by sex"), _("Attendance rate by sex")),
        "constituency": (_("Registrations by constituency"), _("Attendance rate by constituency")),
        "region": (_("Registrations by region"), _("Attendance rate by region")),
        "country": (_("Registrations by country"), _("Attendance rate by country")),
    }[key]


def breakdown_charts(breakdown: Breakdown) -> tuple[Markup, Markup]:
    registrations_title, attendance_title = _titles(breakdown.key)
    registrations = bar_chart(
        f"chart-{breakdown.key}-registrations", registrations_title,
        [Bar(g.label, (g.registered, g.confirmed), (str(g.registered), str(g.confirmed))) for g in breakdown.groups],
        [_("Registered"), _("Confirmed")], empty=_("No registrations yet."))
    attendance = bar_chart(
        f"chart-{breakdown.key}-attendance", attendance_title,
        [Bar(g.label, (None if g.rate.value is None else 100 * g.rate.value,), (rate_text(g.rate),)) for g in breakdown.groups],
        [_("Attendance rate")], maximum=100, empty=_("No registrations yet."))
    return registrations, attendance


def sessions_chart(report: Report) -> Markup:
    started = [t for t in report.sessions if t.started]
    return bar_chart(
        "chart-sessions", _("Attendance rate per session"),
        [Bar(session_label(t, report.workshop), (None if t.rate.value is None else 100 * t.rate.value,), (rate_text(t.rate),))
         for t in started],
        [_("Attendance rate")], maximum=100, empty=_("No session has started yet."))


def learning_charts(report: Report) -> tuple[Markup, Markup]:
    completion = bar_chart(
        "chart-completion", _("Module completion per cohort"),
        [Bar(c.label, (None if c.completion is None else 100 * c.completion,), (percent(c.completion),)) for c in report.learning],
        [_("Modules completed")], maximum=100, empty=_("No cohort yet."))
    scores = bar_chart(
        "chart-scores", _("Average best quiz score per cohort"),
        [Bar(c.label, (c.average,), (score_text(c.average),)) for c in report.learning],
        [_("Average score (out of 100)")], maximum=100, empty=_("No cohort yet."))
    return completion, scores
