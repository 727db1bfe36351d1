"""The content tree handed from the loader to sync, and `Problem`, one thing wrong at a file and line."""
from __future__ import annotations

from dataclasses import dataclass, field

Texts = dict[str, str]


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where an editor can jump to it. Whole-file problems sit on line 1."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ChoiceContent:
    key: str
    correct: bool
    text: Texts
    feedback: Texts


@dataclass
class QuestionContent:
    key: str
    type: str
    text: Texts
    explanation: Texts
    choices: list[ChoiceContent]


@dataclass
class QuizContent:
    pass_mark: int
    max_attempts: int
    questions: list[QuestionContent]


@dataclass
class SectionContent:
    key: str
    title: Texts
    # Markdown source per language; rendered once, at sync time.
    body: Texts


@dataclass
class ModuleContent:
    key: str
    title: Texts
    summary: Texts
    key_figures: dict[str, list[str]]
    sources: dict[str, list[str]]
    sections: list[SectionContent]
    quiz: QuizContent | None


@dataclass
class GlossaryTerm:
    key: str
    term: Texts
    definition: Texts


@dataclass
class CourseContent:
    key: str
    title: Texts
    summary: Texts
    modules: list[ModuleContent]
    glossary: list[GlossaryTerm] = field(default_factory=list)


@dataclass
class ContentTree:
    courses: list[CourseContent] = field(default_factory=list)

    def summary(self) -> str:
        modules = [m for c in self.courses for m in c.modules]
        sections = sum(len(m.sections) for m in modules)
        questions = sum(len(m.quiz.questions) for m in modules if m.quiz)
        return ", ".join(
            _plural(n, word)
            for n, word in ((len(self.courses), "course"), (len(modules), "module"), (sections, "section"), (questions, "question"))
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
