"""`flask content check|sync`: every broken rule is reported at its file and line, and sync upserts by key."""
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.courses.models import Course, Module, Section
from app.courses.sync import render_markdown, sanitize
from app.extensions import db
from app.progress.models import ModuleProgress
from app.quizzes.models import Choice, Question, Quiz, QuizAttempt

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
COURSE = "labour-migration"
FAIR = f"{COURSE}/fair-recruitment"


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the real content/, to break at will."""
    root = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str, occurrence: int = 1) -> int:
    """The line of the n-th line of `rel` that contains `needle`: expected lines follow the file."""
    found = [n for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(found) >= occurrence, f"{needle!r} not in {rel}"
    return found[occurrence - 1]


def check(runner, root: Path):
    return runner.invoke(args=["content", "check", "--path", str(root)])


def sync(runner, root: Path):
    return runner.invoke(args=["content", "sync", "--path", str(root)])


def assert_problem(result, location: str, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(location + " ")]
    assert lines, f"no problem at {location}:\n{result.output}"
    assert any(fragment in line for line in lines), f"{fragment!r} not at {location}:\n{result.output}"


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@contextmanager
def sql_statements(app):
    """Every statement sent to the test's connection (the CLI's session uses the same one)."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        connection = db.engines[None]
    sa.event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(connection, "before_cursor_execute", record)


# -- The real content -------------------------------------------------------------------


def test_the_real_content_passes_check(runner):
    result = runner.invoke(args=["content", "check"])  # CONTENT_DIR: the repository's content/
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Content OK: 1 course, 6 modules, 32 sections, 61 questions."


def test_sync_creates_the_course_then_a_second_sync_writes_nothing(app, runner, content):
    result = sync(runner, content)
    assert result.exit_code == 0, result.output
    assert "created 307, updated 0, retired 0, unchanged 0" in result.output
    with app.app_context():
        assert (count(Course), count(Module), count(Section), count(Quiz), count(Question)) == (1, 6, 32, 6, 61)
        course = db.session.scalar(sa.select(Course))
        assert course.key == COURSE and course.title["en"].startswith("International labour migration")
        modules = db.session.scalars(sa.select(Module).order_by(Module.position)).all()
        assert [m.key for m in modules][:2] == ["labour-migration-today", "fair-recruitment"]
        fair = modules[1]
        assert fair.title == {"en": "Fair recruitment"} and fair.minutes == 12
        assert fair.key_figures["en"][0].startswith("27.6 million people") and len(fair.sources["en"]) == 7
        roles = db.session.scalar(sa.select(Section).filter_by(module_id=fair.id, key="roles"))
        assert roles.position == 4 and roles.title == {"en": "Who does what"} and roles.words > 100
        assert "<table>" in roles.html["en"] and "<h3>Governments</h3>" in roles.html["en"]
        quiz = db.session.scalar(sa.select(Quiz).filter_by(module_id=fair.id))
        assert (quiz.pass_mark, quiz.max_attempts) == (70, 3)
        who_pays = db.session.scalar(sa.select(Question).filter_by(quiz_id=quiz.id, key="who-pays"))
        choices = db.session.scalars(sa.select(Choice).filter_by(question_id=who_pays.id).order_by(Choice.position)).all()
        assert [(c.key, c.correct) for c in choices] == [("a", False), ("b", True), ("c", False), ("d", False)]
        assert choices[1].feedback["en"].startswith("Correct.")

    with sql_statements(app) as statements:
        result = sync(runner, content)
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, retired 0, unchanged 307" in result.output
    assert any(s.lstrip().upper().startswith("SELECT") for s in statements), "the listener saw nothing"
    writes = [s for s in statements if s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


# -- Sync: edits, retirement, what it never touches --------------------------------------


def test_editing_a_section_updates_its_html_in_place(app, runner, content):
    assert sync(runner, content).exit_code == 0
    with app.app_context():
        before = db.session.scalar(sa.select(Section).filter_by(key="fees-and-costs"))
    edit(content, f"{FAIR}/en.md", "The core principle of fair recruitment is simple",
         "The *first* principle of fair recruitment is simple")
    result = sync(runner, content)
    assert result.exit_code == 0, result.output
    assert "created 0, updated 1, retired 0" in result.output
    with app.app_context():
        after = db.session.get(Section, before.id)
        assert "The <em>first</em> principle" in after.html["en"] and "core principle" not in after.html["en"]


def test_removing_a_question_retires_it_and_keeps_attempts_and_progress(app, runner, content, factory):
    assert sync(runner, content).exit_code == 0
    user = factory.participant()
    with app.app_context():
        module = db.session.scalar(sa.select(Module).filter_by(key="fair-recruitment"))
        quiz = db.session.scalar(sa.select(Quiz).filter_by(module_id=module.id))
        question = db.session.scalar(sa.select(Question).filter_by(quiz_id=quiz.id, key="passports"))
        section_ids = list(db.session.scalars(sa.select(Section.id).filter_by(module_id=module.id)))
        attempt = QuizAttempt(quiz_id=quiz.id, user_id=user.id, number=1, seed=1, answers={}, question_ids=[question.id])
        progress = ModuleProgress(user_id=user.id, module_id=module.id, sections_read=section_ids[:2])
        db.session.add_all([attempt, progress])
        db.session.commit()
        ids = (question.id, attempt.id, progress.id)

    quiz_file = content / FAIR / "quiz.yml"
    original = quiz_file.read_text(encoding="utf-8")
    start = original.index("  - key: passports")
    end = original.index("  - key: convention-181")
    quiz_file.write_text(original[:start] + original[end:], encoding="utf-8")
    result = sync(runner, content)
    assert result.exit_code == 0, result.output
    assert "retired 3," in result.output  # the question and its two choices
    with app.app_context():
        question = db.session.get(Question, ids[0])
        assert question.retired_at is not None
        retired_choices = db.session.scalars(sa.select(Choice.retired_at).filter_by(question_id=question.id)).all()
        assert len(retired_choices) == 2 and None not in retired_choices
        later = db.session.scalar(sa.select(Question).filter_by(quiz_id=question.quiz_id, key="convention-181"))
        assert later.retired_at is None and later.position == 4
        attempt, progress = db.session.get(QuizAttempt, ids[1]), db.session.get(ModuleProgress, ids[2])
        assert attempt.question_ids == [ids[0]] and progress.sections_read == section_ids[:2]

    quiz_file.write_text(original, encoding="utf-8")
    result = sync(runner, content)
    assert result.exit_code == 0 and "created 0," in result.output, result.output
    with app.app_context():
        question = db.session.get(Question, ids[0])
        assert question.retired_at is None and question.position == 4  # the same row comes back


def test_a_module_gone_from_content_is_retired_with_everything_in_it(app, runner, content):
    assert sync(runner, content).exit_code == 0
    edit(content, f"{COURSE}/course.yml", "  - governance\n", "")
    shutil.rmtree(content / COURSE / "governance")
    result = sync(runner, content)
    assert result.exit_code == 0, result.output
    with app.app_context():
        module = db.session.scalar(sa.select(Module).filter_by(key="governance"))
        assert module.retired_at is not None
        sections = db.session.scalars(sa.select(Section).filter_by(module_id=module.id)).all()
        assert sections and all(s.retired_at is not None for s in sections)
        quiz = db.session.scalar(sa.select(Quiz).filter_by(module_id=module.id))
        assert all(q.retired_at is not None for q in db.session.scalars(sa.select(Question).filter_by(quiz_id=quiz.id)))
        remittances = db.session.scalar(sa.select(Module).filter_by(key="remittances-and-development"))
        assert remittances.position == 4 and remittances.retired_at is None


def test_a_failed_sync_changes_nothing(app, runner, content):
    edit(content, f"{FAIR}/quiz.yml", "pass_mark: 70", "pass_mark: 0")
    result = sync(runner, content)
    assert_problem(result, f"{FAIR}/quiz.yml:1:", "pass_mark must be a whole number from 1 to 100")
    with app.app_context():
        assert count(Course) == 0 and count(Module) == 0

    edit(content, f"{FAIR}/quiz.yml", "pass_mark: 0", "pass_mark: 70")
    assert sync(runner, content).exit_code == 0
    edit(content, f"{FAIR}/en.md", "title: Fair recruitment", "title: Fairer recruitment")
    edit(content, f"{FAIR}/en.md", "## Who does what {#roles}", "## Who does what {#Roles}")
    with sql_statements(app) as statements:
        result = sync(runner, content)
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert statements == []  # it does not even read the database
    with app.app_context():
        assert db.session.scalar(sa.select(Module.title).filter_by(key="fair-recruitment")) == {"en": "Fair recruitment"}


# -- check: YAML ----------------------------------------------------------------------------


def test_yaml_syntax_error(runner, content):
    edit(content, f"{FAIR}/quiz.yml", "max_attempts: 3", "max_attempts: 3: 4")
    assert_problem(check(runner, content), f"{FAIR}/quiz.yml:2:", "invalid YAML: mapping values are not allowed here")


def test_yaml_syntax_error_in_front_matter_is_on_the_file_line(runner, content):
    edit(content, f"{FAIR}/en.md", "title: Fair recruitment", "title: [Fair recruitment")
    assert_problem(check(runner, content), f"{FAIR}/en.md:3:", "invalid YAML")


def test_missing_required_key(runner, content):
    quiz = f"{FAIR}/quiz.yml"
    line = line_of(content, quiz, "- key: contract-substitution")
    edit(content, quiz, '    explanation:\n      en: "Contract substitution happens', '    notes:\n      en: "Contract substitution happens')
    result = check(runner, content)
    assert_problem(result, f"{quiz}:{line}:", "question 'contract-substitution': missing required key 'explanation'")
    assert_problem(result, f"{quiz}:{line + 4}:", "unknown key 'notes'")


def test_missing_required_key_in_front_matter(runner, content):
    edit(content, f"{FAIR}/en.md", "title: Fair recruitment\n", "")
    assert_problem(check(runner, content), f"{FAIR}/en.md:2:", "missing required key 'title'")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("pass_mark: 70", "pass_mark: 101", 1, "pass_mark must be a whole number from 1 to 100, not 101"),
        ("pass_mark: 70", 'pass_mark: "70"', 1, "pass_mark must be a whole number from 1 to 100, not '70'"),
        ("max_attempts: 3", "max_attempts: 0", 2, "max_attempts must be a whole number of at least 1, not 0"),
        ("questions:", "questions: none\nold_questions:", 3, "questions must be a list, not text"),
        ("    type: single", "    type: essay", 5, "type must be one of single, multiple, true_false, not 'essay'"),
        ("        correct: false", "        correct: maybe", 12, "correct must be true or false, not text"),
        ('      en: "Under the ILO', '      de: "Under the ILO', 7, "unknown language code 'de' in text"),
    ],
)
def test_wrong_types_in_quiz(runner, content, old, new, line, message):
    edit(content, f"{FAIR}/quiz.yml", old, new)
    assert_problem(check(runner, content), f"{FAIR}/quiz.yml:{line}:", message)


def test_english_is_required_in_every_text(runner, content):
    edit(content, f"{FAIR}/quiz.yml", '      en: "Under the ILO', '      fr: "Under the ILO')
    assert_problem(check(runner, content), f"{FAIR}/quiz.yml:6:", "text needs an English text (en)")


def test_duplicate_yaml_mapping_key(runner, content):
    edit(content, f"{COURSE}/course.yml", "summary:", "title:\n  en: Again\nsummary:")
    assert_problem(check(runner, content), f"{COURSE}/course.yml:3:", "duplicate key 'title' (first on line 1)")


def test_duplicate_and_bad_keys(runner, content):
    quiz = f"{FAIR}/quiz.yml"
    edit(content, f"{COURSE}/course.yml", "  - governance\n", "  - governance\n  - fair-recruitment\n")
    edit(content, quiz, "- key: related-costs", "- key: who-pays")
    edit(content, quiz, "      - key: b\n", "      - key: a\n")
    edit(content, quiz, "- key: convention-181", "- key: Convention_181")
    edit(content, f"{FAIR}/en.md", "{#deception}", "{#why-it-matters}")
    edit(content, f"{FAIR}/en.md", "{#roles}", "{#quiz}")
    edit(content, f"{FAIR}/en.md", "{#ilo-principles}", "{#ILO principles}")
    result = check(runner, content)
    assert_problem(result, f"{COURSE}/course.yml:{line_of(content, f'{COURSE}/course.yml', 'fair-recruitment', 2)}:",
                   "duplicate module key 'fair-recruitment' (first on line 7)")
    assert_problem(result, f"{quiz}:{line_of(content, quiz, 'key: who-pays', 2)}:", "duplicate question key 'who-pays'")
    assert_problem(result, f"{quiz}:{line_of(content, quiz, '- key: a', 2)}:", "duplicate choice key 'a'")
    assert_problem(result, f"{quiz}:{line_of(content, quiz, 'Convention_181')}:", "question key 'Convention_181' must be lowercase")
    md = f"{FAIR}/en.md"
    assert_problem(result, f"{md}:{line_of(content, md, '## Deception')}:", "duplicate section key 'why-it-matters' (first on line 19)")
    assert_problem(result, f"{md}:{line_of(content, md, '{#quiz}')}:", "section key 'quiz' is reserved")
    assert_problem(result, f"{md}:{line_of(content, md, '{#ILO principles}')}:", "section key 'ILO principles' must be lowercase")


def test_unquoted_true_as_a_choice_key(runner, content):
    quiz = f"{FAIR}/quiz.yml"
    edit(content, quiz, '      - key: "true"', "      - key: true")
    assert_problem(check(runner, content), f"{quiz}:{line_of(content, quiz, '- key: true')}:", 'choice key must be text: quote it, like "true"')


# -- check: folders and files ------------------------------------------------------------


def test_module_folder_not_listed_and_listed_module_without_folder(runner, content):
    course = f"{COURSE}/course.yml"
    edit(content, course, "  - governance\n", "  - ghost\n")
    result = check(runner, content)
    assert_problem(result, f"{course}:5:", "module folder 'governance' is not listed in modules")
    assert_problem(result, f"{course}:{line_of(content, course, '- ghost')}:", "module 'ghost' is listed but there is no folder")


def test_missing_files(runner, content):
    (content / COURSE / "governance" / "en.md").unlink()
    (content / COURSE / "skills-and-migration" / "quiz.yml").unlink()
    (content / COURSE / "social-protection" / "de.md").write_text("---\ntitle: x\nsummary: y\n---\n", encoding="utf-8")
    result = check(runner, content)
    assert_problem(result, f"{COURSE}/governance/en.md:1:", "file is missing")
    assert_problem(result, f"{COURSE}/skills-and-migration/quiz.yml:1:", "file is missing")
    assert_problem(result, f"{COURSE}/social-protection/de.md:1:", "unknown language code 'de'")


# -- check: Markdown -----------------------------------------------------------------------


def test_text_before_the_first_section(runner, content):
    edit(content, f"{FAIR}/en.md", "---\n\n## Why recruitment matters", "---\n\nAn introduction.\n\n## Why recruitment matters")
    assert_problem(check(runner, content), f"{FAIR}/en.md:19:", "text before the first section")


def test_a_module_without_sections(runner, content):
    path = content / FAIR / "en.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("## Why recruitment")], encoding="utf-8")
    assert_problem(check(runner, content), f"{FAIR}/en.md:1:", "no sections")


def test_a_section_heading_without_key(runner, content):
    edit(content, f"{FAIR}/en.md", "## Fees and related costs {#fees-and-costs}", "## Fees and related costs")
    assert_problem(check(runner, content), f"{FAIR}/en.md:38:", "has no key: write it as ## Fees and related costs {#section-key}")


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("[the guidelines](guidelines.html)", "link 'guidelines.html' goes nowhere"),
        ("[the guidelines](../governance/)", "link '../governance/' goes nowhere"),
        ("[the guidelines]()", "empty link"),
        ("[below](#nowhere)", "link '#nowhere' points to no section of this module"),
        ("[click](javascript:alert(1))", "javascript: links are not allowed"),
        ("[a file](file:///etc/passwd)", "file: links are not allowed"),
        ("[ILO](https://)", "has no host"),
        ("[today](/courses/labour-migration/ghost/)", "there is no module 'ghost' in course 'labour-migration'"),
        ("[today](/courses/other-course/governance/)", "there is no module 'governance' in course 'other-course'"),
        ("[today](/courses/labour-migration/governance/nothing/)", "module 'governance' has no section 'nothing'"),
        ("[today](/courses/labour-migration/governance)", "goes nowhere"),
        ("![a chart](chart.png)", "images are not supported"),
        ("<b>bold</b>", "raw HTML is not allowed"),
        ("\n\n<div>\nA box\n</div>\n", "raw HTML is not allowed"),
    ],
)
def test_bad_links_and_raw_html(runner, content, link, message):
    md = f"{FAIR}/en.md"
    line = line_of(content, md, "The core principle of fair recruitment")
    edit(content, md, "The core principle of fair recruitment", f"{link} The core principle of fair recruitment")
    if link.startswith("\n"):
        line += 2
    assert_problem(check(runner, content), f"{md}:{line}:", message)


def test_good_links_pass(runner, content):
    edit(
        content, f"{FAIR}/en.md", "The core principle of fair recruitment",
        "See [the ILO](https://www.ilo.org/fair-recruitment), [the old site](http://example.org), "
        "[write](mailto:secretariat@example.org), <https://www.iom.int>, [below](#roles), "
        "[governance](/courses/labour-migration/governance/), "
        "[tripartism](/courses/labour-migration/governance/tripartism/).\n\nThe core principle of fair recruitment",
    )
    result = check(runner, content)
    assert result.exit_code == 0, result.output


def test_a_link_line_inside_a_paragraph(runner, content):
    md = f"{FAIR}/en.md"
    line = line_of(content, md, "*Illustrative example:*")
    edit(content, md, "*Illustrative example:* Rina borrows", "*Illustrative example:*\nRina [borrows](loan.md)")
    assert_problem(check(runner, content), f"{md}:{line + 1}:", "link 'loan.md' goes nowhere")


# -- check: quiz rules ----------------------------------------------------------------------


def test_question_without_a_correct_choice(runner, content):
    quiz = f"{FAIR}/quiz.yml"
    edit(content, quiz, "      - key: b\n        correct: true", "      - key: b\n        correct: false")
    assert_problem(check(runner, content), f"{quiz}:{line_of(content, quiz, 'choices:')}:", "question 'who-pays': no choice is correct")


def test_single_choice_with_two_correct(runner, content):
    quiz = f"{FAIR}/quiz.yml"
    edit(content, quiz, "      - key: a\n        correct: false", "      - key: a\n        correct: true")
    assert_problem(check(runner, content), f"{quiz}:{line_of(content, quiz, 'choices:')}:",
                   "question 'who-pays': a single question has exactly one correct choice, not 2")


def test_true_false_rules(runner, content):
    quiz = f"{FAIR}/quiz.yml"
    edit(content, quiz, '      - key: "false"\n        correct: false', '      - key: "false"\n        correct: true')
    text = (content / quiz).read_text(encoding="utf-8")
    start = text.index('      - key: "false"', text.index("- key: passports"))
    end = text.index("  - key: convention-181")
    (content / quiz).write_text(text[:start] + text[end:], encoding="utf-8")
    result = check(runner, content)
    assert_problem(result, f"{quiz}:{line_of(content, quiz, 'choices:', 4)}:", "question 'forced-labour-risk': a true_false question has exactly one correct choice, not 2")
    assert_problem(result, f"{quiz}:{line_of(content, quiz, 'choices:', 5)}:", "question 'passports': a true_false question has exactly two choices, not 1")


# -- check: translations ------------------------------------------------------------------


def test_translation_sections_must_match_english(runner, content):
    english = (content / FAIR / "en.md").read_text(encoding="utf-8")
    french = english.replace("title: Fair recruitment", "title: Recrutement équitable")
    start, end = french.index("## Deception"), french.index("## The ILO fair recruitment")
    french = french[:start] + french[end:]
    french = french.replace("{#roles}", "{#acteurs}")
    (content / FAIR / "fr.md").write_text(french, encoding="utf-8")
    result = check(runner, content)
    assert_problem(result, f"{FAIR}/fr.md:1:", "section 'deception' of en.md is missing from this translation")
    assert_problem(result, f"{FAIR}/fr.md:1:", "section 'roles' of en.md is missing")
    assert_problem(result, f"{FAIR}/fr.md:{line_of(content, f'{FAIR}/fr.md', '{#acteurs}')}:", "section 'acteurs' is not in en.md")


def test_a_complete_translation_is_synced_beside_english(app, runner, content):
    english = (content / FAIR / "en.md").read_text(encoding="utf-8")
    french = english.replace("title: Fair recruitment", "title: Recrutement équitable").replace(
        "## Who does what {#roles}", "## Qui fait quoi {#roles}")
    (content / FAIR / "fr.md").write_text(french, encoding="utf-8")
    assert sync(runner, content).exit_code == 0
    with app.app_context():
        module = db.session.scalar(sa.select(Module).filter_by(key="fair-recruitment"))
        assert module.title == {"en": "Fair recruitment", "fr": "Recrutement équitable"}
        roles = db.session.scalar(sa.select(Section).filter_by(module_id=module.id, key="roles"))
        assert roles.title == {"en": "Who does what", "fr": "Qui fait quoi"} and set(roles.html) == {"en", "fr"}


# -- Rendering ------------------------------------------------------------------------------


def test_the_sanitizer_strips_what_the_renderer_should_never_produce():
    html = sanitize('<p onclick="x()">Hi <a href="javascript:alert(1)">me</a> <script>alert(2)</script><img src=x></p>'
                    '<h1>Big</h1><a href="https://www.ilo.org" target="_blank">ILO</a>')
    assert "javascript" not in html and "script" not in html and "onclick" not in html and "<img" not in html
    assert "<h1>" not in html and "target" not in html
    assert '<a href="https://www.ilo.org" rel="noopener noreferrer">ILO</a>' in html


def test_render_markdown_escapes_html_and_points_anchors_at_section_pages():
    html = render_markdown(
        "A [link](javascript:alert(1)) and <script>alert(1)</script>, [next](#roles), [ILO](https://www.ilo.org).\n",
        "/courses/c/m/",
    )
    assert "<script>" not in html and 'href="javascript' not in html
    assert '<a href="/courses/c/m/roles/" rel="noopener noreferrer">next</a>' in html
    assert '<a href="https://www.ilo.org" rel="noopener noreferrer">ILO</a>' in html
