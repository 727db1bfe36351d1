"""The trainers' area: their workshops' registrations, cohorts, sessions and attendance (admins see all)."""
from urllib.parse import parse_qsl

from babel import Locale
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.attendance import checkin, roster
from app.attendance.models import AttendanceStatus, MarkSource
from app.auth.models import Constituency
from app.core.i18n import LANGUAGE_NAMES
from app.core.pagination import LinePagination, page_number, parse_id
from app.core.permissions import Role, role_required
from app.core.timeutil import utcnow
from app.core.transaction import apply
from app.core.urls import public_url
from app.extensions import db
from app.workshops import access, queries, seats
from app.workshops import cohorts as cohort_rules
from app.workshops import sessions as session_rules
from app.workshops.errors import InvalidChange
from app.workshops.forms import CohortForm, ReasonForm, SessionForm
from app.workshops.models import Registration, RegistrationStatus

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.before_request
@role_required(Role.TRAINER)
def require_trainer():
    """Every /trainer/ URL is for trainers and administrators; each workshop is checked again below."""


def _ids() -> list[int]:
    ids = [parse_id(value) for value in request.form.getlist("ids")[:10_000]]
    if None in ids:
        abort(400)
    return ids


@bp.route("/")
def home():
    workshops = access.managed_workshops(current_user)
    return render_template("trainer/home.html", workshops=workshops, Status=RegistrationStatus,
                           counts=queries.registration_counts([w.id for w in workshops]))


FILTERS = ("status", "language", "constituency", "cohort", "q", "sort")


def _filters() -> dict:
    args = request.args
    status = args.get("status") if args.get("status") in {s.value for s in RegistrationStatus} else None
    language = args.get("language") if args.get("language") in LANGUAGE_NAMES else None
    constituency = args.get("constituency") if args.get("constituency") in {c.value for c in Constituency} else None
    cohort = args.get("cohort", "")
    cohort = cohort if cohort == "none" else parse_id(cohort)
    sort = args.get("sort") if args.get("sort") in queries.REGISTRATION_SORTS else "arrival"
    return {"status": status, "language": language, "constituency": constituency, "cohort": cohort,
            "query": args.get("q", "")[:100], "sort": sort}


@bp.route("/workshops/<slug>/")
def registrations(slug: str):
    workshop = access.managed_or_404(current_user, slug)
    filters = _filters()
    cohorts = cohort_rules.cohorts_of(workshop.id)
    page = LinePagination(select=queries.registration_lines(workshop.id, **filters), line=queries.RegistrationLine,
                          session=db.session(), page=page_number(), per_page=current_app.config["TRAINER_PAGE_SIZE"],
                          error_out=False, count=False)
    counts = queries.registration_counts([workshop.id])[workshop.id]
    unfiltered = not any(value for key, value in filters.items() if key != "sort")
    # The counts per status already add up to the whole list; a filtered list is counted on its own.
    page.total = sum(counts.values()) if unfiltered else queries.registrations_total(workshop.id, **filters)
    return render_template(
        "trainer/registrations.html", workshop=workshop, page=page, filters=filters,
        counts=counts, cohorts=cohorts,
        cohort_names={c.id: workshop.text(c.name) for c in cohorts},
        reason_form=ReasonForm(), Status=RegistrationStatus, Constituency=Constituency, kept=_kept(),
        # `?select=<page>` ticks every box of that page only: the pager's links keep it, page 2 is not ticked.
        select_all=request.args.get("select") == str(page.page),
        sorts=[("arrival", _("Arrival order")), ("name", _("Name")), ("status", _("Status")), ("date", _("Registration date"))],
    )


def _kept() -> dict:
    """The list's own filters and page from the query, by name: never the whole query as url_for's keywords
    (`?slug=`, `?endpoint=` or `?_method=` would reach url_for's own parameters)."""
    return {key: request.args.get(key) for key in FILTERS + ("page",) if request.args.get(key)}


def _back_to_list(slug):
    return redirect(url_for(".registrations", slug=slug, **_kept()))


def _decision_message(decision: seats.Decision) -> str:
    """Every outcome of a bulk decision, each counted correctly in the reader's language."""
    parts = []
    if decision.confirmed:
        parts.append(ngettext("%(num)d confirmed", "%(num)d confirmed", decision.confirmed))
    if decision.waitlisted:
        parts.append(ngettext("%(num)d placed on the waiting list", "%(num)d placed on the waiting list",
                              decision.waitlisted))
    if decision.rejected:
        parts.append(ngettext("%(num)d registration rejected", "%(num)d registrations rejected", decision.rejected))
    if decision.no_seat:
        parts.append(ngettext("%(num)d left pending: no seat and no waiting list",
                              "%(num)d left pending: no seat and no waiting list", decision.no_seat))
    if decision.skipped:
        parts.append(ngettext("%(num)d skipped: not in a state this action applies to",
                              "%(num)d skipped: not in a state this action applies to", decision.skipped))
    return ", ".join(parts) + "." if parts else _("Nothing changed.")


@bp.post("/workshops/<slug>/registrations")
def decide(slug: str):
    """Bulk actions on the ticked registrations: approve, move to a cohort; reject (from its confirmation page)."""
    workshop = access.managed_or_404(current_user, slug)
    ids, action = _ids(), request.form.get("action")
    if action == "reject":
        return _reject(workshop, ids)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not ids:
        flash(_("Tick at least one registration first."), "error")
        return _back_to_list(slug)
    changes = {
        "approve": (lambda: seats.approve(workshop.id, ids, current_user), _decision_message),
        "move": (lambda: cohort_rules.move_to_cohort(workshop, ids, _cohort_from_form(workshop), current_user),
                 lambda moved: ngettext("%(num)d participant moved.", "%(num)d participants moved.", moved)),
    }
    if action not in changes:
        abort(400)
    change, describe = changes[action]
    outcome = apply(change)
    if outcome.ok:
        flash(describe(outcome.value), "success")
    return _back_to_list(slug)


def _reject(workshop, ids: list[int]):
    """The POST of the confirmation page: a reason is required; without one, the page again and no change."""
    form = ReasonForm()
    if ids and form.validate_on_submit():
        outcome = apply(lambda: seats.reject(workshop.id, ids, current_user, form.reason.data))
        if outcome.ok:
            flash(_decision_message(outcome.value), "success")
        return _back_to_list(workshop.slug)
    return _reject_page(workshop, ids, form, _kept()), 422


def _reject_page(workshop, ids: list[int], form, kept: dict):
    chosen = list(db.session.scalars(queries.registrations_query(workshop.id).where(Registration.id.in_(ids)))) \
        if ids else []
    return render_template("trainer/reject_confirm.html", workshop=workshop, form=form, kept=kept,
                           rejected=[r for r in chosen if r.is_active], skipped=[r for r in chosen if not r.is_active])


@bp.get("/workshops/<slug>/registrations/reject")
def confirm_reject(slug: str):
    """What rejecting the ticked registrations will do, and the reason to send them; changes nothing."""
    workshop = access.managed_or_404(current_user, slug)
    # The list's filters come as one `back` value, so that its own `cohort` field (the move target) cannot clash.
    kept = {key: value for key, value in parse_qsl(request.args.get("back", "")[:1000])
            if key in FILTERS + ("page",) and value}
    if "csrf_token" in request.args:
        # Sent by the list's form: keep the token out of the address bar and history.
        return redirect(url_for(".confirm_reject", slug=slug, ids=request.args.getlist("ids")[:10_000],
                                back=request.args.get("back", "")[:1000]))
    ids = [parse_id(value) for value in request.args.getlist("ids")[:10_000]]
    return _reject_page(workshop, [i for i in ids if i is not None], ReasonForm(), kept)


def _cohort_from_form(workshop):
    value = request.form.get("cohort", "")
    if value == "none":
        return None
    cohort = cohort_rules.cohort_of_workshop(workshop, parse_id(value))
    if cohort is None:
        raise InvalidChange(_("Choose a cohort of this workshop."))
    return cohort


@bp.route("/workshops/<slug>/cohorts", methods=["GET", "POST"])
def cohorts(slug: str):
    workshop = access.managed_or_404(current_user, slug)
    form = CohortForm(workshop)
    if form.validate_on_submit() and apply(
            lambda: cohort_rules.create_cohort(workshop, form.texts("name", workshop.languages), current_user),
            form=form, success=_("Cohort created.")).ok:
        return redirect(url_for(".cohorts", slug=slug))
    return render_template("trainer/cohorts.html", workshop=workshop, form=form,
                           cohorts=cohort_rules.cohorts_of(workshop.id), sizes=cohort_rules.cohort_sizes(workshop.id),
                           action_form=FlaskForm()), 422 if request.method == "POST" else 200


def _own_cohort(workshop, cohort_id: int):
    cohort = cohort_rules.cohort_of_workshop(workshop, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


@bp.post("/workshops/<slug>/cohorts/<int:cohort_id>/rename")
def rename_cohort(slug: str, cohort_id: int):
    workshop = access.managed_or_404(current_user, slug)
    cohort = _own_cohort(workshop, cohort_id)
    form = CohortForm(workshop)
    if not form.validate_on_submit():
        flash(_("Give the cohort a name of at most 80 characters, at least in the workshop's first language."), "error")
    else:
        apply(lambda: cohort_rules.rename_cohort(cohort, workshop, form.texts("name", workshop.languages), current_user),
              success=_("Cohort renamed."))
    return redirect(url_for(".cohorts", slug=slug))


@bp.post("/workshops/<slug>/cohorts/<int:cohort_id>/delete")
def delete_cohort(slug: str, cohort_id: int):
    workshop = access.managed_or_404(current_user, slug)
    cohort = _own_cohort(workshop, cohort_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    apply(lambda: cohort_rules.delete_cohort(cohort, current_user), success=_("Cohort deleted."))
    return redirect(url_for(".cohorts", slug=slug))


def _language_cohort_names(workshop) -> dict[str, dict[str, str]]:
    """Each language's cohort named in every working language: {"fr": {"en": "French group", "fr": "Groupe
    français", "es": "Grupo francés"}}."""
    names: dict[str, dict[str, str]] = {code: {} for code in LANGUAGE_NAMES}
    for written_in in workshop.languages or ["en"]:
        with force_locale(written_in):
            language_names = Locale.parse(written_in).languages
            for code in LANGUAGE_NAMES:
                names[code][written_in] = _("%(language)s group", language=language_names.get(code, code))
    return names


@bp.route("/workshops/<slug>/cohorts/split", methods=["GET", "POST"])
def split_cohorts(slug: str):
    """GET: who would move where (changes nothing); POST: the split."""
    workshop = access.managed_or_404(current_user, slug)
    form = FlaskForm()
    if request.method == "GET":
        return render_template("trainer/split_confirm.html", workshop=workshop, form=form,
                               steps=cohort_rules.split_plan(workshop, _language_cohort_names(workshop)))
    if not form.validate_on_submit():
        abort(400)
    names = _language_cohort_names(workshop)
    outcome = apply(lambda: cohort_rules.split_by_language(workshop, current_user, names))
    if outcome.ok:
        flash(ngettext("Participants placed by working language: %(num)d moved.",
                       "Participants placed by working language: %(num)d moved.", sum(outcome.value.values())),
              "success")
    return redirect(url_for(".cohorts", slug=slug))


@bp.route("/workshops/<slug>/sessions", methods=["GET", "POST"])
def sessions(slug: str):
    workshop = access.managed_or_404(current_user, slug)
    cohorts = cohort_rules.cohorts_of(workshop.id)
    form = SessionForm(workshop, cohorts=cohorts)
    if form.validate_on_submit() and apply(
            lambda: session_rules.add_session(workshop, current_user, **form.session_fields(workshop)),
            form=form, success=_("Session added to the timetable.")).ok:
        return redirect(url_for(".sessions", slug=slug))
    return render_template("trainer/sessions.html", workshop=workshop, form=form,
                           sessions=session_rules.sessions_of(workshop.id), cohorts={c.id: c for c in cohorts},
                           now=utcnow()), 422 if request.method == "POST" else 200


def _own_session(workshop, session_id: int):
    """A session id from another workshop is a 404, as is the workshop of another trainer."""
    session = session_rules.session_of_workshop(workshop, session_id)
    if session is None:
        abort(404)
    return session


@bp.route("/workshops/<slug>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(slug: str, session_id: int):
    workshop = access.managed_or_404(current_user, slug)
    session = _own_session(workshop, session_id)
    cohorts = cohort_rules.cohorts_of(workshop.id)
    form = SessionForm(workshop, cohorts=cohorts)
    if request.method == "GET":
        form.fill_from(session, workshop)
    elif form.validate_on_submit() and apply(
            lambda: session_rules.edit_session(session, workshop, current_user, **form.session_fields(workshop)),
            form=form, success=_("Session changed.")).ok:
        return redirect(url_for(".sessions", slug=slug))
    return render_template("trainer/session_edit.html", workshop=workshop, session=session, form=form), \
        422 if request.method == "POST" else 200


@bp.route("/workshops/<slug>/sessions/<int:session_id>/delete", methods=["GET", "POST"])
def delete_session(slug: str, session_id: int):
    """GET: the session and what goes with it (changes nothing); POST: the removal."""
    workshop = access.managed_or_404(current_user, slug)
    session = _own_session(workshop, session_id)
    form = FlaskForm()
    if request.method == "GET":
        return render_template("trainer/session_delete.html", workshop=workshop, session=session, form=form,
                               marks=len(roster.marks_of(session.id)))
    if not form.validate_on_submit():
        abort(400)
    apply(lambda: session_rules.delete_session(session, current_user), success=_("Session removed."))
    return redirect(url_for(".sessions", slug=slug))


def _marks_from_form() -> dict[int, AttendanceStatus]:
    """`status-<user id>` = present | late | excused | absent; anything else is a bad request."""
    choices = {}
    for key, value in list(request.form.items())[:10_000]:
        if not key.startswith("status-"):
            continue
        user_id = parse_id(key.removeprefix("status-"))
        if user_id is None or value not in AttendanceStatus._value2member_map_:
            abort(400)
        choices[user_id] = AttendanceStatus(value)
    return choices


@bp.route("/workshops/<slug>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
def attendance(slug: str, session_id: int):
    """The roster: present / late / excused / absent for each participant expected at the session."""
    workshop = access.managed_or_404(current_user, slug)
    session = _own_session(workshop, session_id)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        choices, everyone = _marks_from_form(), "everyone_present" in request.form
        outcome = apply(lambda: roster.save_marks(session, current_user, choices, everyone_present=everyone))
        if outcome.ok:
            flash(ngettext("%(num)d mark saved.", "%(num)d marks saved.", outcome.value) if outcome.value
                  else _("Nothing changed."), "success")
        return redirect(url_for(".attendance", slug=slug, session_id=session.id))
    check_in = roster.check_in_of(session.id)
    now = utcnow()
    open_check_in = check_in if check_in is not None and check_in.is_open(now) and now < session.ends_at else None
    checkin_url = public_url("attendance.confirm", code=open_check_in.code) if open_check_in else None
    return render_template(
        "trainer/attendance.html", workshop=workshop, session=session, form=form,
        participants=roster.expected_participants(session), marks=roster.marks_of(session.id),
        cohort=cohort_rules.cohort_of_workshop(workshop, session.cohort_id), Status=AttendanceStatus, Source=MarkSource,
        check_in=open_check_in, checkin_url=checkin_url, qr=checkin.qr_svg(checkin_url) if checkin_url else None,
    )


@bp.post("/workshops/<slug>/sessions/<int:session_id>/attendance/checkin")
def open_check_in(slug: str, session_id: int):
    workshop = access.managed_or_404(current_user, slug)
    session = _own_session(workshop, session_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    config = current_app.config
    apply(lambda: checkin.open_check_in(session, current_user, minutes=config["CHECKIN_CODE_MINUTES"],
                                        opens_before=config["CHECKIN_OPENS_BEFORE_MINUTES"]),
          success=_("Self check-in is open: show the code or the QR code to the room."))
    return redirect(url_for(".attendance", slug=slug, session_id=session.id, _anchor="checkin"))


@bp.route("/workshops/<slug>/sessions/<int:session_id>/attendance/close", methods=["GET", "POST"])
def close_attendance(slug: str, session_id: int):
    """Close check-in and mark everyone still unmarked absent, after a page saying how many."""
    workshop = access.managed_or_404(current_user, slug)
    session = _own_session(workshop, session_id)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        outcome = apply(lambda: roster.close_attendance(session, current_user))
        if outcome.ok:
            flash(ngettext("Attendance closed: %(num)d participant marked absent.",
                           "Attendance closed: %(num)d participants marked absent.", outcome.value), "success")
        return redirect(url_for(".attendance", slug=slug, session_id=session.id))
    return render_template("trainer/attendance_close.html", workshop=workshop, session=session, form=form,
                           unmarked=roster.unmarked_count(session))
