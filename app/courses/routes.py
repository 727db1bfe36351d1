"""The participant's path: catalogue, course, module, one section at a time."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.courses import services
from app.extensions import db
from app.progress import services as progress
from app.quizzes.services import quiz_for_module

bp = Blueprint("courses", __name__, url_prefix="/courses")


@bp.before_request
@login_required
def require_login():
    """Course pages follow each participant's progress: they need an account."""


def _module_or_404(course_key: str, module_key: str):
    try:
        return services.get_module(course_key, module_key)
    except services.ContentNotFound:
        abort(404)


@bp.get("/")
def index():
    courses = services.active_courses()
    modules = services.course_modules([course.id for course in courses])
    return render_template("courses/index.html", courses=courses, **_overview(modules))


@bp.get("/<course_key>/")
def course(course_key: str):
    try:
        course = services.get_course(course_key)
    except services.ContentNotFound:
        abort(404)
    modules = services.course_modules([course.id])
    return render_template("courses/course.html", course=course, **_overview(modules))


def _overview(modules) -> dict:
    """Modules with their section ids and the participant's progress: three queries in all."""
    module_ids = [module.id for module in modules]
    sections = services.section_ids_by_module(module_ids)
    progress_rows = progress.progress_by_module(current_user.id, module_ids)
    rows = []
    for module in modules:
        row = progress_rows.get(module.id)
        ids = sections[module.id]
        rows.append({
            "module": module,
            "sections": len(ids),
            "read": progress.read_count(row, ids),
            "status": progress.status(row, ids),
            "best_score": row.best_score if row else None,
        })
    return {"modules": rows}


@bp.get("/<course_key>/<module_key>/")
def module(course_key: str, module_key: str):
    """Open the first unread section; once all are read, the quiz (or the first section)."""
    course, module = _module_or_404(course_key, module_key)
    sections = services.section_outline(module)
    if not sections:
        abort(404)
    row = progress.progress_by_module(current_user.id, [module.id]).get(module.id)
    unread = progress.first_unread(row, [section.id for section in sections])
    if unread is None and quiz_for_module(module.id) is not None:
        return redirect(url_for("quizzes.quiz", course_key=course.key, module_key=module.key))
    target = next((section for section in sections if section.id == unread), sections[0])
    return redirect(url_for(".section", course_key=course.key, module_key=module.key, section_key=target.key))


@bp.route("/<course_key>/<module_key>/<section_key>/", methods=["GET", "POST"])
def section(course_key: str, module_key: str, section_key: str):
    course, module = _module_or_404(course_key, module_key)
    sections = services.section_outline(module)
    index = next((i for i, section in enumerate(sections) if section.key == section_key), None)
    if index is None:
        abort(404)
    current = sections[index]
    section_ids = [section.id for section in sections]
    has_quiz = quiz_for_module(module.id) is not None
    form = FlaskForm()
    if form.validate_on_submit():
        progress.mark_section_read(current_user.id, module.id, current.id, section_ids, has_quiz)
        db.session.commit()
        if index + 1 < len(sections):
            return redirect(url_for(".section", course_key=course.key, module_key=module.key,
                                    section_key=sections[index + 1].key))
        if has_quiz:
            return redirect(url_for("quizzes.quiz", course_key=course.key, module_key=module.key))
        flash(_("You have finished this module."), "success")
        return redirect(url_for(".course", course_key=course.key))
    row = progress.progress_by_module(current_user.id, [module.id]).get(module.id)
    return render_template(
        "courses/section.html", course=course, module=module, sections=sections, current=current,
        index=index, html=services.section_html(current.id), read=set(row.sections_read if row else []),
        read_count=progress.read_count(row, section_ids), has_quiz=has_quiz, form=form,
    )
