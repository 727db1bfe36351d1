"""Certificates: the participant's "get my certificate" and PDF, the public check page, and revoking (admins)."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.certificates import issuing, pdf, queries
from app.certificates.forms import RevokeForm
from app.certificates.models import Certificate
from app.core.permissions import Role, has_role, role_required
from app.core.transaction import apply
from app.core.urls import public_url
from app.extensions import db, limiter
from app.workshops import access

bp = Blueprint("certificates", __name__)

CHECK_LIMIT = "30 per minute"  # per address; CERTIFICATE_CHECK_LIMIT overrides it


@bp.post("/workshops/<slug>/certificate")
@login_required
def get_mine(slug: str):
    """Issue (or bring up to date) the person's certificate, then show its PDF; a double click issues one."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    workshop = access.get_by_slug(slug)
    if workshop is None:
        abort(404)
    outcome = apply(lambda: issuing.issue(workshop, current_user))
    if not outcome.ok:  # not earned, or revoked: apply() flashed why, and nothing was created
        return redirect(url_for("main.dashboard"))
    return redirect(url_for(".pdf_file", code=outcome.value.code))


@bp.get("/certificates/<code>/pdf")
@login_required
def pdf_file(code: str):
    """The stored certificate as a PDF, for its participant (and admins); anyone else gets 404."""
    found = queries.find_by_code(code)
    if (found is None or found.certificate.is_revoked
            or (found.user.id != current_user.id and not has_role(current_user, Role.ADMIN))):
        abort(404)
    data = pdf.render(found.certificate, found.user, found.workshop, public_url(".verify", code=code))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="certificate-{found.workshop.slug}.pdf"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/certificates/<code>")
@limiter.limit(lambda: current_app.config.get("CERTIFICATE_CHECK_LIMIT", CHECK_LIMIT), scope="certificate-check")
def verify(code: str):
    """Public: confirms the name, workshop, dates, hours and kind printed on a certificate, and nothing else."""
    found = queries.find_by_code(code)
    status = 404 if found is None else 200
    return render_template("certificates/verify.html", found=found, code=code[:40], hours_text=pdf.hours_text), status


@bp.get("/admin/workshops/<slug>/certificates")
@role_required(Role.ADMIN)
def workshop_certificates(slug: str):
    workshop = access.get_by_slug(slug)
    if workshop is None:
        abort(404)
    return render_template("certificates/admin_list.html", workshop=workshop, rows=queries.of_workshop(workshop.id),
                           form=RevokeForm(), hours_text=pdf.hours_text)


@bp.post("/admin/workshops/<slug>/certificates/<int:certificate_id>/revoke")
@role_required(Role.ADMIN)
def revoke(slug: str, certificate_id: int):
    workshop = access.get_by_slug(slug)
    certificate = db.session.get(Certificate, certificate_id)
    if workshop is None or certificate is None or certificate.workshop_id != workshop.id:
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(" ".join(str(error) for error in form.reason.errors), "error")
    else:
        apply(lambda: issuing.revoke(certificate, current_user, form.reason.data),
              success=_("The certificate %(code)s is revoked.", code=certificate.code))
    return redirect(url_for(".workshop_certificates", slug=workshop.slug))
