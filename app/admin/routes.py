"""Admin home: find users, change their role, deactivate or reactivate them."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.forms import ActiveForm, RoleForm
from app.auth import services as accounts
from app.auth.models import User
from app.core.errors import DomainError
from app.core.pagination import page_number
from app.core.permissions import Role, role_required
from app.extensions import db

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
    try:
        accounts.change_role(current_user, user, Role(form.role.data))
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is now: %(role)s.", name=user.name, role=user.role.label), "success")
    return _back()


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def change_active(user_id: int):
    user = _user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        abort(400)
    try:
        accounts.set_active(current_user, user, form.active.data == "1")
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        if user.active:
            flash(_("%(name)s can log in again.", name=user.name), "success")
        else:
            flash(_("%(name)s is deactivated and logged out.", name=user.name), "success")
    return _back()
