"""Export downloads, the same files under /admin/workshops/<slug>/ (admins) and /trainer/workshops/<slug>/.

Two blueprints share the views: the admin one lets administrators only in, the trainer one
trainers and administrators, and each workshop is checked again (a trainer of another workshop
gets 404).
"""
from flask import Blueprint, Response, abort, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import render_error
from app.core.pagination import parse_id
from app.core.permissions import Role, role_required
from app.exports import files, tables
from app.exports.signin import signin_pdf
from app.workshops import access
from app.workshops.sessions import session_of_workshop, sessions_of

admin_bp = Blueprint("admin_exports", __name__, url_prefix="/admin/workshops/<slug>")
trainer_bp = Blueprint("trainer_exports", __name__, url_prefix="/trainer/workshops/<slug>")


@admin_bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    """Admins only, as everywhere under /admin/."""


@trainer_bp.before_request
@role_required(Role.TRAINER)
def require_trainer():
    """Trainers and admins, as everywhere under /trainer/; the workshop is checked in each view."""


def _attachment(name: str, content_type: str, body) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a proxy or the browser cache
    return response


def download(slug: str, kind: str, fmt: str):
    workshop = access.managed_or_404(current_user, slug)
    anonymized = {"0": False, "1": True}.get(request.args.get("anonymized", "0"))
    if anonymized is None:
        return render_error(400, _("Use anonymized=1 for an anonymized file, or leave it out."))
    layout = request.args.get("layout", "wide")
    if layout not in tables.LAYOUTS or (layout == "long" and kind != "attendance"):
        return render_error(400, _("Only the attendance export has a long layout (layout=long)."))
    export = files.export(workshop, kind, fmt, anonymized=anonymized, layout=layout)
    return _attachment(export.name, export.content_type, stream_with_context(export.chunks))


def signin_sheet(slug: str):
    """`?session=ID`: that session's sheet (another workshop's session is a 404); without it, every session's."""
    workshop = access.managed_or_404(current_user, slug)
    if "session" in request.args:
        session_id = parse_id(request.args["session"])
        session = session_of_workshop(workshop, session_id) if session_id is not None else None
        if session is None:
            abort(404)
        sessions, name = [session], f"{workshop.slug}-signin-sheet-{session.id}.pdf"
    else:
        sessions, name = sessions_of(workshop.id), f"{workshop.slug}-signin-sheets.pdf"
    return _attachment(name, "application/pdf", signin_pdf(workshop, sessions))


for blueprint in (admin_bp, trainer_bp):
    for kind in tables.KINDS:
        for fmt in files.FORMATS:
            blueprint.add_url_rule(f"/{kind}.{fmt}", "download", download, defaults={"kind": kind, "fmt": fmt})
    blueprint.add_url_rule("/signin-sheet.pdf", "signin_sheet", signin_sheet)
