"""`flask content check|sync`: what they print and their exit codes."""
from tests.content.helpers import BASICS


def test_the_real_content_passes_check(runner):
    result = runner.invoke(args=["content", "check"])  # CONTENT_DIR: the repository's content/
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Content OK: ") and result.output.count("\n") == 1


def test_check_counts_what_it_read(content):
    result = content.check()
    assert result.exit_code == 0, result.output
    assert result.output == "Content OK: 1 course, 2 modules, 6 sections, 4 questions.\n"


def test_check_lists_every_problem_then_how_many(content):
    content.edit(f"{BASICS}/quiz.yml", "pass_mark: 70", "pass_mark: 0")
    content.edit(f"{BASICS}/quiz.yml", "max_attempts: 3", "max_attempts: 0")
    result = content.check()
    assert result.exit_code == 1
    quiz = f"{BASICS}/quiz.yml"
    assert result.output.splitlines() == [
        f"{quiz}:1: pass_mark must be a whole number from 1 to 100, not 0",
        f"{quiz}:2: max_attempts must be a whole number of at least 1, not 0",
        f"2 problems in {content.root}; nothing was changed.",
    ]


def test_a_missing_content_folder(runner, tmp_path):
    result = runner.invoke(args=["content", "check", "--path", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{tmp_path / 'nowhere'}:1: content folder not found",
        f"1 problem in {tmp_path / 'nowhere'}; nothing was changed.",
    ]


def test_sync_reports_what_it_did(content):
    result = content.sync()
    assert result.exit_code == 0, result.output
    assert result.output == "Synced 1 course, 2 modules, 6 sections, 4 questions: created 24, updated 0, retired 0, unchanged 0.\n"
