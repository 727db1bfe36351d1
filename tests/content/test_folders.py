"""`flask content check` on the folders and files of content/: what is missing, unlisted or unexpected."""
from tests.content.helpers import BASICS, COURSE, RECRUITMENT, assert_problem


def test_module_folder_not_listed_and_listed_module_without_folder(content):
    course = f"{COURSE}/course.yml"
    content.edit(course, "  - recruitment\n", "  - ghost\n")
    result = content.check()
    assert_problem(result, f"{course}:5:", "module folder 'recruitment' is not listed in modules")
    assert_problem(result, f"{course}:7:", f"module 'ghost' is listed but there is no folder {COURSE}/ghost/")


def test_missing_files(content):
    (content.root / BASICS / "en.md").unlink()
    (content.root / RECRUITMENT / "quiz.yml").unlink()
    content.write(f"{RECRUITMENT}/de.md", "---\ntitle: x\nsummary: y\n---\n")
    content.write(f"{RECRUITMENT}/notes.yml", "a: 1\n")
    result = content.check()
    assert_problem(result, f"{BASICS}/en.md:1:", "file is missing: every module needs its English text, en.md")
    assert_problem(result, f"{RECRUITMENT}/quiz.yml:1:", "file is missing: every module needs a quiz.yml")
    assert_problem(result, f"{RECRUITMENT}/de.md:1:", "unknown language code 'de'")
    assert_problem(result, f"{RECRUITMENT}/notes.yml:1:", "unexpected file: a module folder holds quiz.yml")


def test_folder_names_are_keys(content):
    (content.root / "Other_Course").mkdir()
    result = content.check()
    assert_problem(result, "Other_Course:1:", "course folder name 'Other_Course' is its key")
    assert_problem(result, "Other_Course/course.yml:1:", "file is missing: every course folder needs a course.yml")
