"""Admin area: users (find, change role, deactivate) and workshops (create, edit)."""
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.forms import ActiveForm, RoleForm
from app.auth import services as accounts
from app.auth.models import User
from app.core.pagination import page_number
from app.core.permissions import Role, role_required
from app.core.views import apply_change, apply_form_change
from app.extensions import db
from app.workshops import services as workshops
from app.workshops.forms import WorkshopForm
from app.workshops.models import Venue, Workshop, WorkshopStatus

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
    return redirect(url_for(".home", q=request.args.get("q") or None, page=request.args.get("page") or None))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid role."), "error")
        return _back()
    role = Role(form.role.data)
    apply_change(lambda: accounts.change_role(current_user, user, role),
                 _("%(name)s is now: %(role)s.", name=user.name, role=role.label))
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
    apply_change(lambda: accounts.set_active(current_user, user, active), message)
    return _back()


# ---------------------------------------------------------------- workshops

def _workshop_form(workshop=None):
    from app.courses.services import active_courses

    trainers = db.session.scalars(
        sa.select(User).where(User.role.in_([Role.TRAINER, Role.ADMIN]), User.deleted_at.is_(None)).order_by(User.name)
    ).all()
    form = WorkshopForm(obj=workshop, courses=active_courses(), trainers=trainers)
    if workshop is not None and request.method == "GET":
        form.course_id.data = str(workshop.course_id) if workshop.course_id else ""
        form.trainer_ids.data = workshops.trainer_ids_of(workshop.id)
        zone = ZoneInfo(workshop.timezone)
        for name in ("registration_opens_at", "registration_closes_at"):
            value = getattr(workshop, name)
            getattr(form, name).data = value.astimezone(zone).replace(tzinfo=None) if value else None
    return form


def _workshop_fields(form) -> dict:
    zone = ZoneInfo(form.timezone.data)
    local = lambda value: value.replace(tzinfo=zone) if value else None  # noqa: E731
    return {
        "title": form.title.data, "slug": form.slug.data, "description": form.description.data or "",
        "course_id": int(form.course_id.data) if form.course_id.data else None,
        "starts_on": form.starts_on.data, "ends_on": form.ends_on.data, "timezone": form.timezone.data,
        "venue": Venue(form.venue.data), "address": form.address.data or "", "languages": form.languages.data,
        "capacity": form.capacity.data, "waitlist_enabled": form.waitlist_enabled.data,
        "quota_government": form.quota_government.data, "quota_workers": form.quota_workers.data,
        "quota_employers": form.quota_employers.data, "quota_other": form.quota_other.data,
        "registration_opens_at": local(form.registration_opens_at.data),
        "registration_closes_at": local(form.registration_closes_at.data),
        "requires_approval": form.requires_approval.data, "status": WorkshopStatus(form.status.data),
    }


@bp.route("/workshops/")
def workshop_list():
    rows = db.session.scalars(sa.select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id.desc())).all()
    counts = workshops.registration_counts([w.id for w in rows])
    return render_template("admin/workshops.html", workshops=rows, counts=counts)


@bp.route("/workshops/new", methods=["GET", "POST"])
def workshop_new():
    return _edit_workshop(None)


@bp.route("/workshops/<slug>/edit", methods=["GET", "POST"])
def workshop_edit(slug: str):
    workshop = workshops.get_by_slug(slug)
    if workshop is None:
        abort(404)
    return _edit_workshop(workshop)


def _edit_workshop(workshop):
    form = _workshop_form(workshop)
    if form.validate_on_submit():
        other = workshops.get_by_slug(form.slug.data)
        if other is not None and other is not workshop:
            form.slug.errors.append(_("Another workshop already uses this short name."))
        else:
            saved = []

            def save():
                saved.append(workshops.save_workshop(workshop or Workshop(), current_user,
                                                     form.trainer_ids.data or [], **_workshop_fields(form)))

            if apply_form_change(save, form.capacity, _("Workshop saved.")):
                return redirect(url_for(".workshop_edit", slug=saved[0].slug))
    status = 200 if request.method == "GET" else 422
    return render_template("admin/workshop_form.html", form=form, workshop=workshop), status
