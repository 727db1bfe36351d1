"""Participants: the workshop catalogue, one workshop, registration, cancellation, calendar file."""
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.auth import services as accounts
from app.core.shared_pages import shared_page
from app.core.timeutil import utcnow
from app.core.transaction import apply
from app.core.urls import public_url
from app.workshops import access, calendar, cohorts, queries, seats, sessions
from app.workshops.forms import RegistrationForm
from app.workshops.models import RegistrationStatus

bp = Blueprint("workshops", __name__, url_prefix="/workshops")


def _visible_or_404(slug: str):
    """The workshop the person may see, with their own registration in it (None for a visitor), else 404."""
    found = queries.workshop_with_registration(slug, current_user.id if current_user.is_authenticated else None)
    if found is None or not access.can_view(current_user, found[0]):
        abort(404)
    return found


@bp.get("/")
@shared_page(participants=True)
def index():
    workshops = queries.listed_workshops(utcnow().date())
    return render_template("workshops/index.html", workshops=workshops, seats=queries.seats_left_by_workshop(workshops),
                           closed=seats.closed_for_registration(workshops))


@bp.get("/<slug>/")
@shared_page(participants=False)  # a participant sees their own registration
def detail(slug: str):
    workshop, registration = _visible_or_404(slug)
    refusal = seats.registration_refusal(workshop) if workshop.is_open else None
    taken = queries.seats_taken(workshop.id)
    return render_template(
        "workshops/detail.html", workshop=workshop, registration=registration,
        closed=str(refusal) if refusal is not None else None,
        position=queries.waitlist_position(registration),
        seats_left=queries.seats_left(workshop, taken.confirmed), sessions=_timetable(workshop, registration),
        cohorts={c.id: c for c in cohorts.cohorts_of(workshop.id)}, now=utcnow(),
        outlook=None if refusal is not None else _outlook(workshop, registration, taken),
    )


def _outlook(workshop, registration, taken):
    """What registering would give, for someone who may register now (None for everyone else)."""
    if not workshop.is_open or (registration is not None and not registration.is_cancelled):
        return None
    constituency = current_user.constituency if current_user.is_authenticated else None
    return queries.registration_outlook(workshop, constituency, taken)


def _timetable(workshop, registration):
    """The person's own timetable (their cohort and the plenaries) once confirmed; everyone else sees it all."""
    return sessions.own_timetable(workshop, registration, sees_all=access.can_manage(current_user, workshop))


def _likely_language(workshop, preferred: str) -> str:
    """The person's own language if the workshop offers it, its only language, or none: they choose."""
    if preferred in workshop.languages:
        return preferred
    return workshop.languages[0] if len(workshop.languages) == 1 else ""


def _registered_message(registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("The workshop is full: you are number %(n)d on the waiting list.",
                 n=queries.waitlist_position(registration) or 0)
    if registration.status == RegistrationStatus.PENDING:
        return _("Thank you: your registration awaits the organisers' approval.")
    return _("You are registered: your seat is confirmed.")


@bp.route("/<slug>/register", methods=["GET", "POST"])
@login_required
def register(slug: str):
    workshop, registration = _visible_or_404(slug)
    refusal = seats.already_registered(registration) \
        or seats.registration_refusal(workshop)
    if refusal is not None:
        flash(str(refusal), "info")
        return redirect(url_for(".detail", slug=slug))
    form = RegistrationForm(workshop, obj=current_user)
    if request.method == "GET":
        form.working_language.data = _likely_language(workshop, current_user.preferred_language)
    if form.validate_on_submit():
        def register_with_profile():
            accounts.update_profile(current_user, **form.profile_data())
            return seats.register(current_user, workshop.id, form.working_language.data, form.motivation.data)

        outcome = apply(register_with_profile)
        if outcome.ok:
            flash(_registered_message(outcome.value), "success")
        return redirect(url_for(".detail", slug=slug))
    return render_template("workshops/register.html", workshop=workshop, form=form,
                           outlook=queries.registration_outlook(workshop, current_user.constituency)), \
        200 if request.method == "GET" else 422


@bp.route("/<slug>/cancel", methods=["GET", "POST"])
@login_required
def cancel(slug: str):
    """GET: what cancelling will do (changes nothing); POST: the cancellation."""
    workshop, registration = _visible_or_404(slug)
    if registration is None:
        abort(404)
    form = FlaskForm()
    if request.method == "GET":
        if not registration.is_active:
            return redirect(url_for(".detail", slug=slug))
        waiting = queries.registration_counts([workshop.id])[workshop.id][RegistrationStatus.WAITLISTED]
        return render_template("workshops/cancel.html", workshop=workshop, registration=registration, form=form,
                               seat_goes_on=registration.status == RegistrationStatus.CONFIRMED and waiting > 0,
                               position=queries.waitlist_position(registration))
    if not form.validate_on_submit():
        abort(400)
    apply(lambda: seats.cancel(registration, current_user), success=_("Your registration is cancelled."))
    return redirect(url_for(".detail", slug=slug))


@bp.get("/<slug>/timetable.ics")
def timetable_ics(slug: str):
    workshop, registration = _visible_or_404(slug)
    ics = calendar.timetable_ics(workshop, _timetable(workshop, registration), cohorts.cohorts_of(workshop.id),
                                 workshop_url=public_url(".detail", slug=slug))
    return Response(ics, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-timetable.ics"'})
