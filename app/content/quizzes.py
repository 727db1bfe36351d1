"""A module's quiz.yml: pass mark, attempts, and questions whose choices can be answered right."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from app.content.checks import LoadContext, SourceFile
from app.content.languages import TranslatedText, check_languages
from app.content.tree import ChoiceContent, QuestionContent, QuizContent
from app.content.yaml_lines import YamlList, YamlMap, type_name

QUIZ_FILE = "quiz.yml"

QUESTION_TYPES = ("single", "multiple", "true_false")


def read_quiz(context: LoadContext, path: Path) -> QuizContent | None:
    """The quiz in `path`. A language used by one of its texts is used by all: a half-translated quiz
    would mix languages on one page (an untranslated quiz falls back to English as a whole)."""
    file = context.file(path)
    data = file.read_mapping(f"file is missing: every module needs a {QUIZ_FILE}")
    if data is None:
        return None
    file.fields(data, required=("pass_mark", "max_attempts", "questions"))
    pass_mark = file.integer(data, "pass_mark", 1, 100)
    max_attempts = file.integer(data, "max_attempts", 1)
    questions: list[QuestionContent] = []
    if "questions" in data:
        items = data["questions"]
        if not isinstance(items, YamlList):
            file.error(data.line_of("questions"), f"questions must be a list, not {type_name(items)}")
        elif not items:
            file.error(data.line_of("questions"), "a quiz needs at least one question")
        else:
            seen: dict[str, int] = {}
            texts: list[TranslatedText] = []
            for item, line in items.items_with_lines():
                question = _question(file, item, line, seen, texts)
                if question is not None:
                    questions.append(question)
            check_languages(file, texts, "quiz")
            _check_spread(file, data.line_of("questions"), questions)
    return QuizContent(pass_mark or 0, max_attempts or 0, questions)


def _question(file: SourceFile, item: Any, line: int, seen: dict[str, int], texts: list[TranslatedText]) -> QuestionContent | None:
    data = file.mapping(item, line, "each question")
    if data is None:
        return None
    key = file.key(data["key"], data.line_of("key"), "question", seen) if "key" in data else None
    where = f"question {key!r}: " if key else ""
    file.fields(data, required=("key", "type", "text", "explanation", "choices"), where=where)
    kind = data.get("type")
    if "type" in data and kind not in QUESTION_TYPES:
        file.error(data.line_of("type"), f"{where}type must be one of {', '.join(QUESTION_TYPES)}, not {kind!r}")
        kind = None
    text = file.texts(data, "text", where)
    explanation = file.texts(data, "explanation", where)
    texts += [TranslatedText(data.line_of(name), f"{where}{name}", value) for name, value in (("text", text), ("explanation", explanation))
              if name in data]
    choices = _choices(file, data, where, texts)
    if choices is not None and kind is not None:
        _check_answers(file, data.line_of("choices"), kind, choices, where)
    if key is None or kind is None:
        return None
    return QuestionContent(key, kind, text, explanation, choices or [])


def _choices(file: SourceFile, question: YamlMap, where: str, texts: list[TranslatedText]) -> list[ChoiceContent] | None:
    if "choices" not in question:
        return None
    items = question["choices"]
    if not isinstance(items, YamlList):
        file.error(question.line_of("choices"), f"{where}choices must be a list, not {type_name(items)}")
        return None
    choices: list[ChoiceContent] = []
    seen: dict[str, int] = {}
    for item, line in items.items_with_lines():
        data = file.mapping(item, line, f"{where}each choice")
        if data is None:
            continue
        key = file.key(data["key"], data.line_of("key"), "choice", seen) if "key" in data else None
        choice_where = f"{where}choice {key!r}: " if key else where
        file.fields(data, required=("key", "correct", "text", "feedback"), where=choice_where)
        correct = file.boolean(data, "correct", choice_where)
        text = file.texts(data, "text", choice_where)
        feedback = file.texts(data, "feedback", choice_where)
        texts += [TranslatedText(data.line_of(name), f"{choice_where}{name}", value)
                  for name, value in (("text", text), ("feedback", feedback)) if name in data]
        if key is not None:
            choices.append(ChoiceContent(key, bool(correct), text, feedback))
    return choices


def _check_answers(file: SourceFile, line: int, kind: str, choices: list[ChoiceContent], where: str) -> None:
    """Questions that cannot be answered right, or that give the answer away."""
    correct = sum(1 for c in choices if c.correct)
    if kind == "true_false" and len(choices) != 2:
        file.error(line, f"{where}a true_false question has exactly two choices, not {len(choices)}")
    elif len(choices) < 2:
        file.error(line, f"{where}a question needs at least two choices")
    if correct == 0:
        file.error(line, f"{where}no choice is correct: mark one with correct: true")
    elif kind in ("single", "true_false") and correct > 1:
        file.error(line, f"{where}a {kind} question has exactly one correct choice, not {correct}")


def _check_spread(file: SourceFile, line: int, questions: list[QuestionContent]) -> None:
    """Answers a learner could guess without reading: always the same position, or always all but one."""
    single = [q for q in questions if q.type == "single" and len(q.choices) >= 3]
    positions = {next(i for i, c in enumerate(q.choices) if c.correct) for q in single if any(c.correct for c in q.choices)}
    if len(single) >= 3 and len(positions) == 1:
        file.error(line, f"every single-choice question has its correct answer in position {positions.pop() + 1}: "
                         "spread the correct answers over the positions")
    multiple = [q for q in questions if q.type == "multiple"]
    if len(multiple) >= 2 and all(sum(not c.correct for c in q.choices) == 1 for q in multiple):
        file.error(line, "every multiple-choice question has exactly one wrong choice: vary how many choices are right")
