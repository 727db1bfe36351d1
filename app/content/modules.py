"""A module folder: its en/fr/es.md texts (front matter, then `## Title {#key}` sections), translations matched to English, and its quiz."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from app.content.checks import INVALID, LoadContext, SourceFile
from app.content.figures import difference
from app.content.markdown_checks import CHECKER, InternalLink, check_anchors, check_body
from app.content.quizzes import QUIZ_FILE, read_quiz
from app.content.tree import ModuleContent, SectionContent

# /courses/<course>/<module>/quiz is the quiz page: a section may not take its address.
RESERVED_SECTION_KEYS = frozenset({"quiz"})
HEADING_KEY_RE = re.compile(r"^(?P<title>.*?)\s*\{#(?P<key>[^{}]*)\}\s*$")
SECTION_HINT = "## Section title {#section-key}"


@dataclass
class _Section:
    key: str
    title: str
    body: str
    line: int


@dataclass
class _Document:
    """One en.md / fr.md / es.md."""

    title: str | None
    summary: str | None
    key_figures: list[str]
    sources: list[str]
    sections: list[_Section]


def read_module(context: LoadContext, folder: Path, links: list[InternalLink]) -> ModuleContent:
    """The module in `folder`; its /courses/… links are added to `links` to be checked against the whole tree."""
    context.folder_key(folder, "module")
    documents: dict[str, _Document] = {}
    files: dict[str, SourceFile] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix == ".md":
            lang = path.stem
            if lang not in context.languages:
                context.file(path).error(
                    1, f"unknown language code {lang!r}: name a text after its language ({', '.join(f'{l}.md' for l in context.languages)})"
                )
                continue
            files[lang] = context.file(path)
            document = _document(files[lang], links)
            if document is not None:
                documents[lang] = document
        elif path.suffix in (".yml", ".yaml") and path.name != QUIZ_FILE:
            context.file(path).error(1, f"unexpected file: a module folder holds {QUIZ_FILE} and one <language>.md per language")
    if not (folder / "en.md").is_file():
        context.file(folder / "en.md").error(1, "file is missing: every module needs its English text, en.md")
    quiz = read_quiz(context, folder / QUIZ_FILE)

    english = documents.get("en")
    if english is not None:
        _compare_translations(english, documents, files)
    sections = []
    for section in english.sections if english else []:
        titles, bodies = {}, {}
        for lang, document in documents.items():
            match = next((s for s in document.sections if s.key == section.key), None)
            if match is not None:
                titles[lang], bodies[lang] = match.title, match.body
        sections.append(SectionContent(section.key, titles, bodies))
    return ModuleContent(
        key=folder.name,
        title={lang: d.title for lang, d in documents.items() if d.title},
        summary={lang: d.summary for lang, d in documents.items() if d.summary},
        key_figures={lang: d.key_figures for lang, d in documents.items() if d.key_figures},
        sources={lang: d.sources for lang, d in documents.items() if d.sources},
        sections=sections,
        quiz=quiz,
    )


def _compare_translations(english: _Document, documents: dict[str, _Document], files: dict[str, SourceFile]) -> None:
    """A translation has exactly the English sections (progress is recorded per section, whatever the
    language) and the same figures in each of them and in its key figures."""
    english_sections = {s.key: s for s in english.sections}
    for lang, document in documents.items():
        if lang == "en":
            continue
        keys = {s.key for s in document.sections}
        for key in english_sections:
            if key not in keys:
                files[lang].error(1, f"section {key!r} of en.md is missing from this translation")
        for section in document.sections:
            if section.key not in english_sections:
                files[lang].error(section.line, f"section {section.key!r} is not in en.md: translations have the same sections")
            elif problem := difference(english_sections[section.key].body, section.body):
                files[lang].error(section.line, f"section {section.key!r} does not say the figures of en.md ({problem})")
        if problem := difference(" ".join(english.key_figures), " ".join(document.key_figures)):
            files[lang].error(1, f"key_figures do not say the figures of en.md ({problem})")


def _document(file: SourceFile, links: list[InternalLink]) -> _Document | None:
    text = file.read("file is missing")
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        file.error(1, "a module text starts with front matter: a line ---, then title and summary in YAML, then ---")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        file.error(1, "the front matter is not closed: add a line --- after it")
        return None
    document = _Document(None, None, [], [], [])
    meta = file.parse_yaml("".join(lines[1:end]), first_line=2)
    if meta is None:
        file.error(1, "the front matter is empty: title and summary are required")
    elif meta is not INVALID and (meta := file.mapping(meta, 2, "the front matter")) is not None:
        file.fields(meta, required=("title", "summary"), optional=("key_figures", "sources"))
        document.title = file.text(meta, "title")
        document.summary = file.text(meta, "summary")
        document.key_figures = file.text_list(meta, "key_figures")
        document.sources = file.text_list(meta, "sources")
    document.sections = _sections(file, lines[end + 1 :], end + 2, links)
    return document


def _sections(file: SourceFile, body_lines: list[str], first_line: int, links: list[InternalLink]) -> list[_Section]:
    """Split the body at its `## Title {#key}` lines; `first_line` is the file line of body_lines[0]."""
    tokens = CHECKER.parse("".join(body_lines))
    headings: list[tuple[Token, Token]] = []
    before: Token | None = None
    for index, token in enumerate(tokens):
        line = first_line + token.map[0] if token.map else first_line
        if token.type == "heading_open" and token.tag == "h1":
            file.error(line, f"a heading with one # is not allowed: start a section with {SECTION_HINT}, and use ### inside it")
        elif token.type == "heading_open" and token.tag == "h2" and token.level > 0:
            file.error(line, "a section heading (##) cannot sit inside a list or a quote: use ### or deeper")
        elif token.type == "heading_open" and token.tag == "h2":
            if token.markup != "##":
                file.error(line, f"write a section heading on one line: {SECTION_HINT}")
            headings.append((token, tokens[index + 1]))
            continue
        elif not headings and before is None and token.map and token.level == 0:
            before = token
    if before is not None:
        file.error(first_line + before.map[0], f"text before the first section: every part of the text belongs to a section, {SECTION_HINT}")
    if not headings:
        file.error(1, f"no sections: start each section with a line {SECTION_HINT}")
        return []

    sections: list[_Section] = []
    seen: dict[str, int] = {}
    anchors: list[tuple[int, str]] = []
    for number, (heading, inline) in enumerate(headings):
        line = first_line + heading.map[0]
        start = heading.map[1]
        end = headings[number + 1][0].map[0] if number + 1 < len(headings) else len(body_lines)
        body = "".join(body_lines[start:end])
        check_body(file, body, first_line + start, anchors, links)
        # The plain text of the heading: emphasis markers and escapes are not part of a title.
        plain = "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))
        match = HEADING_KEY_RE.match(plain)
        if match is None:
            file.error(line, f"section heading {plain!r} has no key: write it as ## {plain} {{#section-key}}")
            continue
        key = file.key(match["key"], line, "section", seen)
        if key in RESERVED_SECTION_KEYS:
            file.error(line, f"section key {key!r} is reserved (it is the address of the quiz)")
            key = None
        title = match["title"].strip()
        if not title:
            file.error(line, "section heading has no title before its {#key}")
        if not body.strip():
            file.error(line, f"section {match['key']!r} has no text")
        if key is not None:
            sections.append(_Section(key, title, body.strip("\n") + "\n", line))
    check_anchors(file, anchors, [s.key for s in sections])
    return sections
