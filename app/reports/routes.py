"""Progress at a glance and the participation report: read-only pages for a workshop's trainers and admins."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core.pagination import parse_id
from app.core.permissions import Role, role_required
from app.reports import figures
from app.reports.matrix import NO_COHORT, progress_matrix
from app.reports.participation import participation_report
from app.workshops import access
from app.workshops import cohorts as cohort_rules

# No prefix: the pages sit in the trainer's (/trainer/workshops/<slug>/…) and the admin's areas.
bp = Blueprint("reports", __name__)


@bp.get("/trainer/workshops/<slug>/progress")
@role_required(Role.TRAINER)
def progress(slug: str):
    """Participants × modules; `?cohort=ID` or `?cohort=none` narrows it, a cohort of elsewhere is ignored with a word."""
    workshop = access.managed_or_404(current_user, slug)
    cohorts = cohort_rules.cohorts_of(workshop.id)
    value, warning = request.args.get("cohort", ""), None
    chosen = NO_COHORT if value == NO_COHORT else parse_id(value)
    if value and chosen != NO_COHORT and chosen not in {cohort.id for cohort in cohorts}:
        chosen, warning = None, _("That cohort is not one of this workshop's: every participant is shown.")
    return render_template("reports/progress.html", workshop=workshop, cohorts=cohorts, chosen=chosen, warning=warning,
                           matrix=progress_matrix(workshop, chosen), cohort_names={c.id: workshop.text(c.name) for c in cohorts},
                           NO_COHORT=NO_COHORT, figures=figures)


def _report(slug: str, area: str):
    workshop = access.managed_or_404(current_user, slug)
    report = participation_report(workshop)
    return render_template("reports/report.html", workshop=workshop, report=report, area=area, figures=figures)


@bp.get("/trainer/workshops/<slug>/report")
@role_required(Role.TRAINER)
def trainer_report(slug: str):
    return _report(slug, "trainer")


@bp.get("/admin/workshops/<slug>/report")
@role_required(Role.ADMIN)
def admin_report(slug: str):
    return _report(slug, "admin")
