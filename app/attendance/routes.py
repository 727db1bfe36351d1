"""Self check-in for participants: type or scan a code, confirm, and you are marked present."""
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.attendance import checkin
from app.attendance.errors import AttendanceRefused
from app.attendance.models import AttendanceStatus
from app.auth.throttle import Attempts, count
from app.core.timeutil import utcnow
from app.core.transaction import apply

bp = Blueprint("attendance", __name__, url_prefix="/checkin")


def _person_key() -> str:
    return f"user-{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _limited(view):
    """Guessing codes is limited per person and per address.

    Each try is counted before the code is looked at, so guesses sent at once cannot slip past the
    limit while the first are checked, and given back when the code was right: only refusals use
    the limits up, and a room of 60 checking in from one address is fine.
    """
    @wraps(view)
    def counted(*args, **kwargs):
        limits = (Attempts(current_app.config["CHECKIN_LIMIT_PER_ADDRESS"], f"checkin-address:{get_remote_address()}"),
                  Attempts(current_app.config["CHECKIN_LIMIT_PER_USER"], f"checkin-person:{_person_key()}"))
        for attempts in limits:
            count(attempts)
        response = make_response(view(*args, **kwargs))
        if response.status_code < 400:
            for attempts in limits:
                attempts.give_back()
        return response

    return counted


@bp.get("/")
@login_required
def enter():
    """A box to type the code in; sending it goes to the code's own page (nothing is stored)."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for(".confirm", code=checkin.normalize(code) or "".join(code.split())[:20] or "-"))
    return render_template("attendance/enter.html")


def _refusal_page(error: AttendanceRefused, code: str):
    return render_template("attendance/refused.html", message=str(error), code=code), error.status


@bp.get("/<code>")
@_limited
@login_required
def confirm(code: str):
    """Shows what the code is for and a button; a GET never checks anybody in."""
    found = checkin.find(code)
    error = checkin.refusal(found, current_user)
    if error is not None:
        return _refusal_page(error, code)
    mark = checkin.mark_of(found.session.id, current_user.id)
    return render_template("attendance/confirm.html", found=found, code=found.check_in.code, mark=mark,
                           form=FlaskForm(), late=checkin.would_be_late(found.session, current_app.config["CHECKIN_GRACE_MINUTES"], utcnow()))


@bp.post("/<code>")
@_limited
@login_required
def check_in(code: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    error = checkin.refusal(checkin.find(code), current_user)
    if error is not None:
        return _refusal_page(error, code)
    outcome = apply(lambda: checkin.check_in(code, current_user, grace_minutes=current_app.config["CHECKIN_GRACE_MINUTES"]))
    if not outcome.ok:  # the check-in closed in between: apply() flashed why
        return redirect(url_for(".confirm", code=code))
    result = outcome.value
    if result.new:
        message = (_("You are checked in, marked late.") if result.mark.status == AttendanceStatus.LATE
                   else _("You are checked in. Welcome!"))
    else:
        message = _("Your attendance was already recorded: %(status)s.", status=result.mark.status.label)
    flash(message, "success")
    return redirect(url_for(".confirm", code=code))
