"""Participants: the workshop catalogue, one workshop, registration, cancellation, calendar file."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from icalendar import Calendar, Event

from app.auth import services as accounts
from app.core.timeutil import utcnow
from app.core.views import apply_change
from app.extensions import db
from app.workshops import services
from app.workshops.forms import RegistrationForm
from app.workshops.models import RegistrationStatus

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


def visible_or_404(slug: str):
    workshop = services.get_by_slug(slug)
    if workshop is None or not services.can_view(current_user, workshop):
        abort(404)
    return workshop


@bp.get("/")
def index():
    today = utcnow().date()
    workshops = services.listed_workshops(today)
    counts = services.confirmed_counts([w.id for w in workshops])
    return render_template("workshops/index.html", workshops=workshops,
                           seats={w.id: services.seats_left(w, counts[w.id]) for w in workshops})


@bp.get("/<slug>/")
def detail(slug: str):
    workshop = visible_or_404(slug)
    registration = position = None
    if current_user.is_authenticated:
        registration = services.registration_of(current_user.id, workshop.id)
        position = services.waitlist_position(registration) if registration else None
    counts = services.confirmed_counts([workshop.id])[workshop.id]
    return render_template(
        "workshops/detail.html", workshop=workshop, registration=registration, position=position,
        seats_left=services.seats_left(workshop, counts), sessions=services.sessions_of(workshop.id),
        cohorts={c.id: c for c in services.cohorts_of(workshop.id)}, form=FlaskForm(), Status=RegistrationStatus,
    )


@bp.route("/<slug>/register", methods=["GET", "POST"])
@login_required
def register(slug: str):
    workshop = visible_or_404(slug)
    existing = services.registration_of(current_user.id, workshop.id)
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        flash(_("You are already registered for this workshop."), "info")
        return redirect(url_for(".detail", slug=slug))
    form = RegistrationForm(workshop, obj=current_user)
    if request.method == "GET" and current_user.preferred_language in workshop.languages:
        form.working_language.data = current_user.preferred_language
    if form.validate_on_submit():
        try:
            accounts.update_profile(current_user, **form.profile_data())
            registration = services.register(current_user, workshop.id, form.working_language.data, form.motivation.data)
        except services.RegistrationRefused as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for(".detail", slug=slug))
        db.session.commit()
        messages = {
            RegistrationStatus.CONFIRMED: _("You are registered: your seat is confirmed."),
            RegistrationStatus.WAITLISTED: _("The workshop is full: you are number %(n)d on the waiting list.",
                                             n=services.waitlist_position(registration) or 0),
            RegistrationStatus.PENDING: _("Thank you: your registration awaits the organisers' approval."),
        }
        flash(messages[registration.status], "success")
        return redirect(url_for(".detail", slug=slug))
    return render_template("workshops/register.html", workshop=workshop, form=form), 200 if request.method == "GET" else 422


@bp.post("/<slug>/cancel")
@login_required
def cancel(slug: str):
    workshop = visible_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    registration = services.registration_of(current_user.id, workshop.id)
    if registration is None:
        abort(404)
    apply_change(lambda: services.cancel(registration, current_user), _("Your registration is cancelled."))
    return redirect(url_for(".detail", slug=slug))


@bp.get("/<slug>/timetable.ics")
def timetable_ics(slug: str):
    workshop = visible_or_404(slug)
    calendar = Calendar()
    calendar.add("prodid", "-//Passage//Workshop timetable//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", workshop.title)
    calendar.add("x-wr-timezone", workshop.timezone)
    cohorts = {c.id: c.name for c in services.cohorts_of(workshop.id)}
    host = request.host.split(":")[0]
    for session in services.sessions_of(workshop.id):
        event = Event()
        event.add("uid", f"session-{session.id}@{host}")
        event.add("summary", session.title if session.cohort_id is None else f"{session.title} ({cohorts.get(session.cohort_id, '')})")
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", utcnow())
        if session.room:
            event.add("location", session.room)
        event.add("url", url_for(".detail", slug=slug, _external=True))
        calendar.add_component(event)
    return Response(calendar.to_ical(), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-timetable.ics"'})
