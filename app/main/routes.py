"""Home page, data notice, language switcher and dashboard."""
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from app.certificates import queries as certificates
from app.core.i18n import SESSION_KEY, is_supported
from app.core.security import is_safe_local_path
from app.core.shared_pages import shared_page
from app.core.timeutil import utcnow
from app.courses.services import active_courses
from app.progress.services import learning_overview
from app.workshops import queries as workshops
from app.workshops.seats import closed_for_registration

bp = Blueprint("main", __name__)


@bp.route("/")
@shared_page(participants=True)
def index():
    open_workshops = workshops.listed_workshops(utcnow().date())[:5]
    return render_template("main/index.html", workshops=open_workshops, courses=active_courses(),
                           seats=workshops.seats_left_by_workshop(open_workshops),
                           closed=closed_for_registration(open_workshops))


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if is_supported(lang):
        remember_language(lang)
    target = request.form.get("next", "")
    return redirect(target if is_safe_local_path(target) else url_for(".index"))


def remember_language(lang: str) -> None:
    """The switcher's choice is kept in the session and, for a logged-in user, as their preference."""
    session[SESSION_KEY] = lang
    if current_user.is_authenticated and current_user.preferred_language != lang:
        current_user.preferred_language = lang


@bp.route("/dashboard")
@login_required
def dashboard():
    registrations = workshops.my_registrations(current_user.id)
    return render_template("main/dashboard.html", learning=learning_overview(current_user.id), registrations=registrations,
                           certificates=certificates.offers(current_user.id, registrations))
