"""The participant's path: catalogue, course, module, one section at a time, and each module's quiz."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.core.errors import render_error
from app.core.i18n import current_language
from app.core.transaction import apply
from app.courses import services as courses
from app.progress import services as progress
from app.quizzes import services as quizzes

bp = Blueprint("learning", __name__, url_prefix="/courses")


@bp.before_request
@login_required
def require_login():
    """Course pages follow each participant's progress, and attempts belong to a participant."""


def _module_or_404(course_key: str, module_key: str):
    try:
        return courses.get_module(course_key, module_key)
    except courses.ContentNotFound:
        abort(404)


@bp.get("/")
def index():
    course_list = courses.active_courses()
    modules = courses.course_modules([course.id for course in course_list])
    return render_template("courses/index.html", courses=course_list,
                           modules=progress.module_standings(current_user.id, modules))


@bp.get("/<course_key>/")
def course(course_key: str):
    try:
        course = courses.get_course(course_key)
    except courses.ContentNotFound:
        abort(404)
    modules = courses.course_modules([course.id])
    return render_template("courses/course.html", course=course, modules=progress.module_standings(current_user.id, modules))


@bp.get("/<course_key>/glossary")
def glossary(course_key: str):
    try:
        course = courses.get_course(course_key)
    except courses.ContentNotFound:
        abort(404)
    return render_template("courses/glossary.html", course=course, terms=courses.glossary(course, current_language()))


@bp.get("/<course_key>/<module_key>/")
def module(course_key: str, module_key: str):
    """Open the first unread section; once all are read, the quiz (or the first section)."""
    course, module = _module_or_404(course_key, module_key)
    sections = courses.section_outline(module)
    if not sections:
        abort(404)
    unread = progress.first_unread(progress.progress_of(current_user.id, module.id), [section.id for section in sections])
    if unread is None and quizzes.quiz_for_module(module.id) is not None:
        return redirect(url_for(".quiz", course_key=course.key, module_key=module.key))
    target = next((section for section in sections if section.id == unread), sections[0])
    return redirect(url_for(".section", course_key=course.key, module_key=module.key, section_key=target.key))


@bp.route("/<course_key>/<module_key>/<section_key>/", methods=["GET", "POST"])
def section(course_key: str, module_key: str, section_key: str):
    course, module = _module_or_404(course_key, module_key)
    sections = courses.section_outline(module)
    index = next((i for i, section in enumerate(sections) if section.key == section_key), None)
    if index is None:
        abort(404)
    current = sections[index]
    has_quiz = quizzes.quiz_for_module(module.id) is not None
    form = FlaskForm()
    if form.validate_on_submit():
        progress.mark_section_read(current_user.id, current)
        if index + 1 < len(sections):
            return redirect(url_for(".section", course_key=course.key, module_key=module.key,
                                    section_key=sections[index + 1].key))
        if has_quiz:
            return redirect(url_for(".quiz", course_key=course.key, module_key=module.key))
        flash(_("You have finished this module."), "success")
        return redirect(url_for(".course", course_key=course.key))
    row = progress.progress_of(current_user.id, module.id)
    return render_template(
        "courses/section.html", course=course, module=module, sections=sections, current=current,
        index=index, html=courses.section_html(current.id), read=set(row.sections_read if row else []),
        read_count=progress.read_count(row, [section.id for section in sections]), has_quiz=has_quiz, form=form,
    )


def _quiz_or_404(course_key: str, module_key: str):
    course, module = _module_or_404(course_key, module_key)
    quiz = quizzes.quiz_for_module(module.id)
    if quiz is None:
        abort(404)
    return course, module, quiz


def _own_attempt(course_key: str, module_key: str, attempt_id: int):
    """The participant's own attempt on this quiz; anyone else's is "not found"."""
    course, module, quiz = _quiz_or_404(course_key, module_key)
    attempt = quizzes.get_attempt(current_user.id, quiz, attempt_id)
    if attempt is None:
        abort(404)
    return course, module, quiz, attempt


def _quiz_url(course, module):
    return url_for(".quiz", course_key=course.key, module_key=module.key)


@bp.get("/<course_key>/<module_key>/quiz")
def quiz(course_key: str, module_key: str):
    course, module, quiz = _quiz_or_404(course_key, module_key)
    attempts = quizzes.attempts_for(current_user.id, quiz.id)
    attempt = quizzes.open_attempt(attempts)
    questions = quizzes.load_questions(quiz)
    context = dict(course=course, module=module, quiz=quiz, attempts=attempts, questions=questions,
                   attempts_left=quizzes.attempts_left(quiz, attempts), form=FlaskForm())
    if attempt is None:
        return render_template("quizzes/start.html", **context)
    return render_template(
        "quizzes/attempt.html", attempt=attempt, answers=quizzes.stored_answers(attempt),
        ordered=lambda item: quizzes.ordered_choices(attempt, item), **context,
    )


@bp.post("/<course_key>/<module_key>/quiz/start")
def start_quiz(course_key: str, module_key: str):
    course, module, quiz = _quiz_or_404(course_key, module_key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    apply(lambda: quizzes.start_or_resume(current_user.id, quiz))
    return redirect(_quiz_url(course, module))


@bp.post("/<course_key>/<module_key>/quiz/attempts/<int:attempt_id>")
def answer_quiz(course_key: str, module_key: str, attempt_id: int):
    course, module, quiz, attempt = _own_attempt(course_key, module_key, attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    result_url = url_for(".quiz_result", course_key=course.key, module_key=module.key, attempt_id=attempt.id)
    if attempt.is_submitted:
        flash(str(quizzes.AttemptAlreadySubmitted()), "info")
        return redirect(result_url)
    questions = quizzes.load_questions(quiz)
    try:
        answers = quizzes.parse_answers(request.form, questions)
    except quizzes.InvalidAnswer as error:
        return render_error(400, str(error))
    action = request.form.get("action")
    unanswered = [item for item in questions if item.question.id not in answers]
    if action == "submit" and unanswered:
        # Warn before grading: nothing is spent, the answers given so far are kept.
        if not apply(lambda: quizzes.save_answers(attempt, answers)).ok:
            return redirect(result_url)  # another tab submitted it meanwhile
        attempts = quizzes.attempts_for(current_user.id, quiz.id)
        return render_template(
            "quizzes/attempt.html", course=course, module=module, quiz=quiz, attempts=attempts, questions=questions,
            attempts_left=quizzes.attempts_left(quiz, attempts), form=FlaskForm(), attempt=attempt, answers=answers,
            ordered=lambda item: quizzes.ordered_choices(attempt, item), unanswered=unanswered,
            numbers={item.question.id: number for number, item in enumerate(questions, 1)},
        )
    if action in ("submit", "submit_anyway"):
        # A graded attempt counts towards the module's progress in the same transaction.
        apply(lambda: progress.record_quiz_result(quizzes.submit(attempt, quiz, answers, questions), quiz.module_id))
        return redirect(result_url)
    if not apply(lambda: quizzes.save_answers(attempt, answers),
                 success=_("Your answers are saved. Come back to finish whenever you like.")).ok:
        return redirect(result_url)  # another tab submitted it meanwhile: its result stands
    return redirect(_quiz_url(course, module))


@bp.get("/<course_key>/<module_key>/quiz/attempts/<int:attempt_id>")
def quiz_result(course_key: str, module_key: str, attempt_id: int):
    course, module, quiz, attempt = _own_attempt(course_key, module_key, attempt_id)
    if not attempt.is_submitted:
        return redirect(_quiz_url(course, module))
    attempts = quizzes.attempts_for(current_user.id, quiz.id)
    attempts_left = quizzes.attempts_left(quiz, attempts)
    modules = courses.course_modules([course.id])
    following = [other for other in modules if other.position > module.position]
    # While attempts remain and the quiz is not passed, the review says only what was wrong:
    # the right answers and explanations would turn the next attempt into a memory test.
    reveal = attempts_left == 0 or any(other.passed for other in attempts)
    return render_template(
        "quizzes/result.html", course=course, module=module, quiz=quiz, attempt=attempt,
        questions=quizzes.load_questions(quiz, attempt.question_ids), answers=quizzes.stored_answers(attempt),
        attempts_left=attempts_left, form=FlaskForm(), next_module=following[0] if following else None,
        reveal=reveal, first_section=None if reveal else next(iter(courses.section_outline(module)), None),
    )
