"""The outbox for administrators: messages that failed (waiting for another attempt, or abandoned), sent again."""
from datetime import UTC

from babel.dates import format_datetime
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from app.admin.routes import bp
from app.core.i18n import current_language
from app.core.pagination import page_number
from app.core.transaction import apply
from app.extensions import db
from app.mail import services as outbox


def _when(moment) -> str:
    """A moment in UTC, as the mail log and the sender see it."""
    return format_datetime(moment.astimezone(UTC), format="medium", tzinfo=UTC, locale=current_language()) + " UTC"


@bp.route("/outbox/")
def outbox_list():
    page = db.paginate(outbox.failed_messages(), page=page_number(),
                       per_page=current_app.config["ADMIN_PAGE_SIZE"], error_out=False, count=True)
    return render_template("admin/outbox.html", page=page, counts=outbox.outbox_counts(), form=FlaskForm(),
                           when=_when, retry_hours=round(outbox.retry_span().total_seconds() / 3600),
                           max_attempts=current_app.config["MAIL_MAX_ATTEMPTS"])


def _back():
    page = page_number()
    return redirect(url_for(".outbox_list", page=page if page > 1 else None))


@bp.route("/outbox/<int:message_id>/send-again", methods=["POST"])
def outbox_send_again(message_id: int):
    """Due now with a fresh set of attempts (CSRF is checked for every POST by CSRFProtect)."""
    apply(lambda: outbox.send_again(message_id),
          success=_("Message %(id)d is back in the queue: it goes out with the next delivery.", id=message_id))
    return _back()


@bp.route("/outbox/send-again", methods=["POST"])
def outbox_send_all_again():
    count = apply(outbox.send_all_again).value or 0
    if count:
        flash(ngettext("%(num)d abandoned message is back in the queue: it goes out with the next delivery.",
                       "%(num)d abandoned messages are back in the queue: they go out with the next delivery.",
                       count), "success")
    else:
        flash(_("No message is abandoned."), "info")
    return _back()
