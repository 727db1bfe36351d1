"""Shared pieces of the content/ tests: the small fixture tree, a folder to break at will, and problem checks."""
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "content"
COURSE = "sample-course"
BASICS = f"{COURSE}/basics"
RECRUITMENT = f"{COURSE}/recruitment"


class ContentFolder:
    """A copy of tests/content/fixtures/content/ with helpers to edit it, and `flask content` run on it."""

    def __init__(self, root: Path, runner):
        self.root = root
        self.runner = runner

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def cut(self, rel: str, start: str, end: str, after: str = "") -> str:
        """Remove the text from `start` up to (not including) `end`, both looked for after `after`; returns the old text."""
        text = self.read(rel)
        begin = text.index(start, text.index(after))
        self.write(rel, text[:begin] + text[text.index(end, begin):])
        return text

    def line_of(self, rel: str, needle: str, occurrence: int = 1) -> int:
        """The line of the n-th line of `rel` that contains `needle`."""
        found = [n for n, line in enumerate(self.read(rel).splitlines(), 1) if needle in line]
        assert len(found) >= occurrence, f"{needle!r} not in {rel}"
        return found[occurrence - 1]

    def check(self):
        return self.runner.invoke(args=["content", "check", "--path", str(self.root)])

    def sync(self):
        return self.runner.invoke(args=["content", "sync", "--path", str(self.root)])


def assert_problem(result, location: str, fragment: str) -> None:
    """`location` ("path:line:") has a problem whose message contains `fragment`, and the command failed."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(location + " ")]
    assert lines, f"no problem at {location}:\n{result.output}"
    assert any(fragment in line for line in lines), f"{fragment!r} not at {location}:\n{result.output}"
