"""The trainers' area: their workshops' registrations, cohorts and sessions (admins see all)."""
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.models import Constituency
from app.core.errors import DomainError
from app.core.i18n import LANGUAGE_NAMES, current_language
from app.core.pagination import page_number, parse_id
from app.core.permissions import Role, role_required
from app.core.views import apply_change, apply_form_change
from app.extensions import db
from app.workshops import services
from app.workshops.forms import CohortForm, ReasonForm, SessionForm
from app.workshops.models import Cohort, RegistrationStatus, WorkshopSession

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.before_request
@role_required(Role.TRAINER)
def require_trainer():
    """Every /trainer/ URL is for trainers and administrators; each workshop is checked again below."""


def _workshop_or_404(slug: str):
    """One place for object access: a trainer sees only the workshops assigned to them."""
    workshop = services.get_by_slug(slug)
    if workshop is None or not services.can_manage(current_user, workshop):
        abort(404)
    return workshop


def _ids() -> list[int]:
    ids = [parse_id(value) for value in request.form.getlist("ids")[:10_000]]
    if None in ids:
        abort(400)
    return ids


@bp.route("/")
def home():
    workshops = services.managed_workshops(current_user)
    counts = services.registration_counts([w.id for w in workshops])
    return render_template("trainer/home.html", workshops=workshops, counts=counts)


FILTERS = ("status", "language", "constituency", "cohort", "q")


def _filters() -> dict:
    args = request.args
    status = args.get("status") if args.get("status") in {s.value for s in RegistrationStatus} else None
    language = args.get("language") if args.get("language") in LANGUAGE_NAMES else None
    constituency = args.get("constituency") if args.get("constituency") in {c.value for c in Constituency} else None
    cohort = args.get("cohort", "")
    cohort = cohort if cohort == "none" else parse_id(cohort)
    return {"status": status, "language": language, "constituency": constituency, "cohort": cohort,
            "query": args.get("q", "")[:100]}


@bp.route("/workshops/<slug>/")
def registrations(slug: str):
    workshop = _workshop_or_404(slug)
    filters = _filters()
    cohorts = services.cohorts_of(workshop.id)
    page = db.paginate(services.registrations_query(workshop.id, **filters), page=page_number(),
                       per_page=current_app.config["TRAINER_PAGE_SIZE"], error_out=False, count=True)
    return render_template(
        "trainer/registrations.html", workshop=workshop, page=page, filters=filters,
        counts=services.registration_counts([workshop.id])[workshop.id], cohorts=cohorts,
        cohort_names={c.id: c.name for c in cohorts},
        reason_form=ReasonForm(), Status=RegistrationStatus, Constituency=Constituency,
    )


def _back_to_list(slug):
    kept = {key: request.args.get(key) for key in FILTERS + ("page",) if request.args.get(key)}
    return redirect(url_for(".registrations", slug=slug, **kept))


@bp.post("/workshops/<slug>/registrations")
def decide(slug: str):
    """Bulk actions on the ticked registrations: approve, reject (with a reason), move to a cohort."""
    workshop = _workshop_or_404(slug)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long (at most 1,000 characters)."), "error")
        return _back_to_list(slug)
    ids, action = _ids(), request.form.get("action")
    if not ids:
        flash(_("Tick at least one registration first."), "error")
        return _back_to_list(slug)
    try:
        if action == "approve":
            result = services.approve(workshop.id, ids, current_user)
            message = _("Approved: %(confirmed)d confirmed, %(waitlisted)d waitlisted.",
                        confirmed=result.get("confirmed", 0), waitlisted=result.get("waitlisted", 0))
        elif action == "reject":
            result = services.reject(workshop.id, ids, current_user, form.reason.data or "")
            message = _("%(n)d registration(s) rejected.", n=result.get("rejected", 0))
        elif action == "move":
            cohort = _cohort_from_form(workshop)
            moved = services.move_to_cohort(workshop, ids, cohort, current_user)
            message = _("%(n)d participant(s) moved.", n=moved)
        else:
            abort(400)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return _back_to_list(slug)


def _cohort_from_form(workshop) -> Cohort | None:
    value = request.form.get("cohort", "")
    if value == "none":
        return None
    cohort_id = parse_id(value)
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    if cohort is None or cohort.workshop_id != workshop.id:
        raise services.InvalidChange(_("Choose a cohort of this workshop."))
    return cohort


@bp.route("/workshops/<slug>/cohorts", methods=["GET", "POST"])
def cohorts(slug: str):
    workshop = _workshop_or_404(slug)
    form = CohortForm()
    if form.validate_on_submit() and apply_form_change(
            lambda: services.create_cohort(workshop, form.name.data, current_user), form.name, _("Cohort created.")):
        return redirect(url_for(".cohorts", slug=slug))
    return render_template("trainer/cohorts.html", workshop=workshop, form=form,
                           cohorts=services.cohorts_of(workshop.id), sizes=services.cohort_sizes(workshop.id),
                           action_form=FlaskForm()), 422 if request.method == "POST" else 200


def _own_cohort(workshop, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.workshop_id != workshop.id:
        abort(404)
    return cohort


@bp.post("/workshops/<slug>/cohorts/<int:cohort_id>/rename")
def rename_cohort(slug: str, cohort_id: int):
    workshop = _workshop_or_404(slug)
    cohort = _own_cohort(workshop, cohort_id)
    form = CohortForm()
    if not form.validate_on_submit():
        flash(_("Give the cohort a name of at most 80 characters."), "error")
    else:
        apply_change(lambda: services.rename_cohort(cohort, form.name.data, current_user), _("Cohort renamed."))
    return redirect(url_for(".cohorts", slug=slug))


@bp.post("/workshops/<slug>/cohorts/<int:cohort_id>/delete")
def delete_cohort(slug: str, cohort_id: int):
    workshop = _workshop_or_404(slug)
    cohort = _own_cohort(workshop, cohort_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    apply_change(lambda: services.delete_cohort(cohort, current_user), _("Cohort deleted."))
    return redirect(url_for(".cohorts", slug=slug))


@bp.post("/workshops/<slug>/cohorts/split")
def split_cohorts(slug: str):
    workshop = _workshop_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    # Named in the trainer's language: "English group", "Groupe anglais", "Grupo inglés".
    language_names = Locale.parse(current_language()).languages
    names = {code: _("%(language)s group", language=language_names.get(code, code)) for code in LANGUAGE_NAMES}
    placed = {}
    if apply_change(lambda: placed.update(services.split_by_language(workshop, current_user, names))):
        flash(_("Participants placed by working language: %(n)d moved.", n=sum(placed.values())), "success")
    return redirect(url_for(".cohorts", slug=slug))


@bp.route("/workshops/<slug>/sessions", methods=["GET", "POST"])
def sessions(slug: str):
    workshop = _workshop_or_404(slug)
    cohorts = services.cohorts_of(workshop.id)
    form = SessionForm()
    form.cohort.choices = [("", _("Plenary (everyone)"))] + [(str(c.id), c.name) for c in cohorts]
    if form.validate_on_submit():
        zone = ZoneInfo(workshop.timezone)
        cohort = next((c for c in cohorts if str(c.id) == form.cohort.data), None)

        def add():
            services.add_session(
                workshop, current_user, title=form.title.data, room=form.room.data or "", cohort=cohort,
                starts_at=form.starts_at.data.replace(tzinfo=zone), ends_at=form.ends_at.data.replace(tzinfo=zone),
            )

        if apply_form_change(add, form.starts_at, _("Session added to the timetable.")):
            return redirect(url_for(".sessions", slug=slug))
    return render_template("trainer/sessions.html", workshop=workshop, form=form,
                           sessions=services.sessions_of(workshop.id), cohorts={c.id: c for c in cohorts},
                           action_form=FlaskForm()), 422 if request.method == "POST" else 200


@bp.post("/workshops/<slug>/sessions/<int:session_id>/delete")
def delete_session(slug: str, session_id: int):
    workshop = _workshop_or_404(slug)
    session = db.session.get(WorkshopSession, session_id)
    if session is None or session.workshop_id != workshop.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    apply_change(lambda: services.delete_session(session, current_user), _("Session removed."))
    return redirect(url_for(".sessions", slug=slug))
