"""Admin area: users (find, invite, see one, change role, deactivate, send a password link) and workshops."""
import sqlalchemy as sa
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
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.forms import ActiveForm, InviteForm, RoleForm
from app.auth import services as accounts
from app.auth.models import TokenPurpose, User
from app.core.pagination import page_number
from app.core.permissions import Role, role_required
from app.core.transaction import apply
from app.courses.services import active_courses
from app.quizzes.history import attempts_of
from app.extensions import db
from app.workshops import access, queries, settings
from app.workshops.queries import my_registrations
from app.workshops.forms import WorkshopForm
from app.workshops.models import RegistrationStatus, Workshop
from app.workshops.sessions import sessions_of

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    """Every /admin/ URL is for administrators only."""


@bp.route("/")
def home():
    query = request.args.get("q", "")[:100]
    page = db.paginate(
        accounts.search_users(query), page=page_number(), per_page=current_app.config["ADMIN_PAGE_SIZE"],
        error_out=False, count=True,
    )
    return render_template("admin/home.html", page=page, query=query, role_form=RoleForm(), active_form=ActiveForm())


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


def _back():
    if request.args.get("from") == "detail":
        return redirect(url_for(".user_detail", user_id=request.view_args["user_id"]))
    return redirect(url_for(".home", q=request.args.get("q") or None, page=request.args.get("page") or None))


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = InviteForm()
    if form.validate_on_submit():
        outcome = apply(
            lambda: accounts.invite_user(current_user, email=form.email.data, name=form.name.data,
                                         role=Role(form.role.data), preferred_language=form.preferred_language.data),
            form=form,
            success=_("The account is open. %(email)s has been sent a link to choose a password.", email=form.email.data),
        )
        if outcome.ok:
            return redirect(url_for(".user_detail", user_id=outcome.value.id))
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    return render_template("admin/user_new.html", form=form, days=days), 200 if request.method == "GET" else 422


@bp.route("/users/<int:user_id>/")
def user_detail(user_id: int):
    """One account: profile, registrations, quiz attempts and what was done to it or by it."""
    user = _user_or_404(user_id)
    return render_template(
        "admin/user.html", user=user, registrations=my_registrations(user.id), attempts=attempts_of(user.id),
        trail=accounts.audit_trail(user), role_form=RoleForm(),
    )


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
def send_password_link(user_id: int):
    user = _user_or_404(user_id)  # CSRFProtect has checked the token of this bodiless form
    outcome = apply(lambda: accounts.send_password_link(current_user, user))
    if outcome.ok:
        flash(_("%(email)s has been sent a new invitation link.", email=user.email) if outcome.value is TokenPurpose.INVITE
              else _("%(email)s has been sent a link to choose a new password.", email=user.email), "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid role."), "error")
        return _back()
    role = Role(form.role.data)
    apply(lambda: accounts.change_role(current_user, user, role),
          success=_("%(name)s is now: %(role)s.", name=user.name, role=role.label))
    return _back()


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def change_active(user_id: int):
    user = _user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        abort(400)
    active = form.active.data == "1"
    message = (_("%(name)s can log in again.", name=user.name) if active
               else _("%(name)s is deactivated and logged out.", name=user.name))
    apply(lambda: accounts.set_active(current_user, user, active), success=message)
    return _back()


def _workshop_form(workshop=None) -> WorkshopForm:
    trainers = db.session.scalars(
        sa.select(User).where(User.role.in_([Role.TRAINER, Role.ADMIN]), User.deleted_at.is_(None)).order_by(User.name)
    ).all()
    form = WorkshopForm(obj=workshop, courses=active_courses(), trainers=trainers, zones_in_use=queries.zones_in_use())
    if workshop is not None and request.method == "GET":
        form.fill_from(workshop, access.trainer_ids_of(workshop.id))
    return form


@bp.route("/workshops/")
def workshop_list():
    rows = db.session.scalars(sa.select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id.desc())).all()
    return render_template("admin/workshops.html", workshops=rows, Status=RegistrationStatus,
                           counts=queries.registration_counts([w.id for w in rows]))


@bp.route("/workshops/<slug>/")
def workshop_detail(slug: str):
    """One workshop for administrators: its exports, sign-in sheets and report."""
    workshop = access.get_by_slug(slug)
    if workshop is None:
        abort(404)
    return render_template("admin/workshop.html", workshop=workshop, sessions=sessions_of(workshop.id))


@bp.route("/workshops/new", methods=["GET", "POST"])
def workshop_new():
    return _edit_workshop(None)


@bp.route("/workshops/<slug>/edit", methods=["GET", "POST"])
def workshop_edit(slug: str):
    workshop = access.get_by_slug(slug)
    if workshop is None:
        abort(404)
    return _edit_workshop(workshop)


def _edit_workshop(workshop):
    form = _workshop_form(workshop)
    if form.validate_on_submit():
        outcome = apply(
            lambda: settings.save_workshop(workshop or Workshop(), current_user, form.trainer_ids.data or [],
                                           **form.workshop_fields()),
            form=form, success=_("Workshop saved."),
        )
        if outcome.ok:
            return redirect(url_for(".workshop_edit", slug=outcome.value.slug))
    status = 200 if request.method == "GET" else 422
    return render_template("admin/workshop_form.html", form=form, workshop=workshop), status
