"""Take a quiz: start or resume, answer on one page, save for later, submit, review."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.core.errors import render_error
from app.core.views import apply_change
from app.courses import services as courses
from app.extensions import db
from app.quizzes import services

bp = Blueprint("quizzes", __name__, url_prefix="/courses")


@bp.before_request
@login_required
def require_login():
    """Attempts belong to a participant: quizzes need an account."""


def _load(course_key: str, module_key: str):
    try:
        course, module = courses.get_module(course_key, module_key)
    except courses.ContentNotFound:
        abort(404)
    quiz = services.quiz_for_module(module.id)
    if quiz is None:
        abort(404)
    return course, module, quiz


def _own_attempt(course_key: str, module_key: str, attempt_id: int):
    """The participant's own attempt on this quiz; anyone else's is "not found"."""
    course, module, quiz = _load(course_key, module_key)
    attempt = services.get_attempt(current_user.id, quiz, attempt_id)
    if attempt is None:
        abort(404)
    return course, module, quiz, attempt


def _quiz_url(course, module):
    return url_for(".quiz", course_key=course.key, module_key=module.key)


@bp.get("/<course_key>/<module_key>/quiz")
def quiz(course_key: str, module_key: str):
    course, module, quiz = _load(course_key, module_key)
    attempts = services.attempts_for(current_user.id, quiz.id)
    attempt = services.open_attempt(attempts)
    questions = services.load_questions(quiz)
    context = dict(course=course, module=module, quiz=quiz, attempts=attempts, questions=questions,
                   attempts_left=services.attempts_left(quiz, attempts), form=FlaskForm())
    if attempt is None:
        return render_template("quizzes/start.html", **context)
    return render_template(
        "quizzes/attempt.html", attempt=attempt, answers=services.stored_answers(attempt),
        ordered=lambda item: services.ordered_choices(attempt, item), **context,
    )


@bp.post("/<course_key>/<module_key>/quiz/start")
def start(course_key: str, module_key: str):
    course, module, quiz = _load(course_key, module_key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    apply_change(lambda: services.start_or_resume(current_user.id, quiz))
    return redirect(_quiz_url(course, module))


@bp.post("/<course_key>/<module_key>/quiz/attempts/<int:attempt_id>")
def answer(course_key: str, module_key: str, attempt_id: int):
    course, module, quiz, attempt = _own_attempt(course_key, module_key, attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    result_url = url_for(".result", course_key=course.key, module_key=module.key, attempt_id=attempt.id)
    if attempt.is_submitted:
        flash(str(services.AttemptAlreadySubmitted()), "info")
        return redirect(result_url)
    questions = services.load_questions(quiz)
    try:
        answers = services.parse_answers(request.form, questions)
    except services.InvalidAnswer as error:
        return render_error(400, str(error))
    if request.form.get("action") == "submit":
        section_ids = courses.section_ids_by_module([module.id])[module.id]
        try:
            services.submit(attempt, quiz, answers, questions, section_ids)
        except services.AttemptAlreadySubmitted as error:
            db.session.rollback()
            flash(str(error), "info")
        else:
            db.session.commit()
        return redirect(result_url)
    services.save_answers(attempt, answers)
    db.session.commit()
    flash(_("Your answers are saved. Come back to finish whenever you like."), "success")
    return redirect(_quiz_url(course, module))


@bp.get("/<course_key>/<module_key>/quiz/attempts/<int:attempt_id>")
def result(course_key: str, module_key: str, attempt_id: int):
    course, module, quiz, attempt = _own_attempt(course_key, module_key, attempt_id)
    if not attempt.is_submitted:
        return redirect(_quiz_url(course, module))
    attempts = services.attempts_for(current_user.id, quiz.id)
    return render_template(
        "quizzes/result.html", course=course, module=module, quiz=quiz, attempt=attempt,
        questions=services.load_questions(quiz, attempt.question_ids), answers=services.stored_answers(attempt),
        attempts_left=services.attempts_left(quiz, attempts), form=FlaskForm(),
    )
