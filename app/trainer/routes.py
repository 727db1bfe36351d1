"""Trainer home. Workshops, cohorts and sessions arrive with the workshops domain."""
from flask import Blueprint, render_template

from app.core.permissions import Role, role_required

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.before_request
@role_required(Role.TRAINER)
def require_trainer():
    """Every /trainer/ URL is for trainers and administrators."""


@bp.route("/")
def home():
    return render_template("trainer/home.html")
