"""Read content/ (courses as Markdown and YAML) into plain dataclasses, reporting every problem with its file and line.

Nothing here touches the database, so `flask content check` runs anywhere and `flask content
sync` can refuse broken content before it writes a single row.

Layout (see content/README.md for authors):

    <course>/course.yml                 title, summary, modules (module keys in order)
    <course>/<module>/en.md             front matter, then sections "## Title {#section-key}"
    <course>/<module>/fr.md, es.md      optional translations with the same section keys
    <course>/<module>/quiz.yml          pass_mark, max_attempts, questions with choices
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_MAX_LENGTH = 80  # the key columns are VARCHAR(80)
# /courses/<course>/<module>/quiz is the quiz page: a section may not take its address.
RESERVED_SECTION_KEYS = frozenset({"quiz"})
QUESTION_TYPES = ("single", "multiple", "true_false")
COURSE_FILE = "course.yml"
QUIZ_FILE = "quiz.yml"
HEADING_KEY_RE = re.compile(r"^(?P<title>.*?)\s*\{#(?P<key>[^{}]*)\}\s*$")
INTERNAL_LINK_RE = re.compile(r"^/courses/(?P<course>[^/?#]+)/(?P<module>[^/?#]+)/(?:(?P<section>[^/?#]+)/)?$")
SECTION_HINT = "## Section title {#section-key}"
INVALID = object()  # parse_yaml's answer for text that is not YAML (already reported)

Texts = dict[str, str]


def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect of content/: CommonMark with tables, raw HTML off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _checking_parser() -> MarkdownIt:
    """The same dialect, but surfacing what the renderer would silently drop (raw HTML,
    javascript: links), so that the author hears about it instead of the reader."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True
    return md


_CHECKER = _checking_parser()


# -- The tree handed to sync ------------------------------------------------------------


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
class CourseContent:
    key: str
    title: Texts
    summary: Texts
    modules: list[ModuleContent]


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


def load_content(root: Path, languages: Iterable[str] = ("en", "fr", "es")) -> tuple[ContentTree, list[Problem]]:
    """Parse and validate everything under `root`. The tree is only meant to be used when
    the list of problems is empty; it is returned anyway so that counts can be shown."""
    loader = _Loader(Path(root), tuple(languages))
    tree = loader.load()
    # By file and line; within a line, in the order found (dict.fromkeys drops repeats, keeps order).
    problems = sorted(dict.fromkeys(loader.problems), key=lambda p: (p.path, p.line))
    return tree, problems


# -- YAML with line numbers -------------------------------------------------------------


class YamlMap(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A YAML sequence that remembers its own line and the line of each item."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def items_with_lines(self) -> Iterator[tuple[Any, int]]:
        return zip(self, self.item_lines)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines and reports duplicate keys (PyYAML keeps the last one silently)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    data = YamlMap(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, "found a key that is not a plain value", key_node.start_mark
            ) from None
        line = key_node.start_mark.line + 1
        if key in data:
            loader.duplicates.append((line, f"duplicate key {key!r} (first on line {data.key_lines[key]})"))
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
    return data


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    data = YamlList(node.start_mark.line + 1)
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(child.start_mark.line + 1)
    return data


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# -- Checks on one file ------------------------------------------------------------------


class _File:
    """Problems found in one file, and helpers that check a YAML value and say where it is wrong."""

    def __init__(self, loader: _Loader, path: Path):
        self.path = path
        self.rel = loader.rel(path)
        self.problems = loader.problems
        self.languages = loader.languages

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.rel, line or 1, message))

    def read(self, missing: str) -> str | None:
        if not self.path.is_file():
            self.error(1, missing)
            return None
        try:
            return self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            line = self.path.read_bytes()[: error.start].count(b"\n") + 1
            self.error(line, "not valid UTF-8 text: save the file as UTF-8")
            return None

    def parse_yaml(self, text: str, first_line: int = 1) -> Any:
        """The parsed value (None when the text is empty), or INVALID once the syntax error is reported."""
        # Blank lines in front keep every mark on its real line in the file (front matter starts on line 2).
        loader = _LineLoader("\n" * (first_line - 1) + text)
        try:
            data = loader.get_single_data()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            reason = ", ".join(str(part) for part in (error.context, error.problem) if part)
            self.error(mark.line + 1 if mark else first_line, f"invalid YAML: {reason}")
            return INVALID
        except yaml.YAMLError as error:
            self.error(first_line, f"invalid YAML: {error}")
            return INVALID
        finally:
            loader.dispose()
        for line, message in loader.duplicates:
            self.error(line, message)
        return data

    def mapping(self, data: Any, line: int, what: str) -> YamlMap | None:
        if isinstance(data, YamlMap):
            return data
        self.error(line, f"{what} must be a mapping of keys to values, not {_type_name(data)}")
        return None

    def fields(self, data: YamlMap, required: tuple[str, ...], optional: tuple[str, ...] = (), where: str = "") -> None:
        for name in required:
            if name not in data:
                self.error(data.line, f"{where}missing required key {name!r}")
        allowed = required + optional
        for name in data:
            if name not in allowed:
                self.error(data.line_of(name), f"{where}unknown key {name!r} (allowed: {', '.join(allowed)})")

    def text(self, data: YamlMap, name: str, where: str = "") -> str | None:
        if name not in data:
            return None
        value = data[name]
        if not isinstance(value, str) or not value.strip():
            self.error(data.line_of(name), f"{where}{name} must be non-empty text, not {_type_name(value)}")
            return None
        return value.strip()

    def texts(self, data: YamlMap, name: str, where: str = "") -> Texts:
        """A translated text: {en: ..., fr: ...}, English required, languages from the config."""
        if name not in data:
            return {}
        value, line = data[name], data.line_of(name)
        if not isinstance(value, YamlMap):
            self.error(line, f"{where}{name} must be a mapping of language to text, like `{name}: {{en: ...}}`, not {_type_name(value)}")
            return {}
        texts: Texts = {}
        for lang, text in value.items():
            lang_line = value.line_of(lang)
            if lang not in self.languages:
                self.error(lang_line, f"{where}unknown language code {lang!r} in {name} (allowed: {', '.join(self.languages)})")
            elif not isinstance(text, str) or not text.strip():
                self.error(lang_line, f"{where}{name}.{lang} must be non-empty text, not {_type_name(text)}")
            else:
                texts[lang] = text.strip()
        if "en" not in value:
            self.error(line, f"{where}{name} needs an English text (en)")
        return texts

    def text_list(self, data: YamlMap, name: str, where: str = "") -> list[str]:
        if name not in data:
            return []
        value = data[name]
        if not isinstance(value, YamlList):
            self.error(data.line_of(name), f"{where}{name} must be a list, not {_type_name(value)}")
            return []
        items = []
        for item, line in value.items_with_lines():
            if isinstance(item, str) and item.strip():
                items.append(item.strip())
            else:
                self.error(line, f"{where}each item of {name} must be non-empty text, not {_type_name(item)}")
        return items

    def integer(self, data: YamlMap, name: str, lowest: int, highest: int | None = None, where: str = "") -> int | None:
        if name not in data:
            return None
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < lowest or (highest is not None and value > highest):
            bounds = f"from {lowest} to {highest}" if highest is not None else f"of at least {lowest}"
            self.error(data.line_of(name), f"{where}{name} must be a whole number {bounds}, not {value!r}")
            return None
        return value

    def boolean(self, data: YamlMap, name: str, where: str = "") -> bool | None:
        if name not in data:
            return None
        value = data[name]
        if not isinstance(value, bool):
            self.error(data.line_of(name), f"{where}{name} must be true or false, not {_type_name(value)}")
            return None
        return value

    def key(self, value: Any, line: int, what: str, seen: dict[str, int] | None = None) -> str | None:
        """A stable key (it names a row and a URL), unique among `seen`; None when unusable."""
        if isinstance(value, bool):
            self.error(line, f'{what} key must be text: quote it, like "{str(value).lower()}"')
            return None
        if not isinstance(value, str):
            self.error(line, f"{what} key must be text, not {_type_name(value)}")
            return None
        if not KEY_RE.match(value) or len(value) > KEY_MAX_LENGTH:
            self.error(
                line,
                f"{what} key {value!r} must be lowercase letters and digits in words joined by single hyphens "
                f"(like 'fair-recruitment'), at most {KEY_MAX_LENGTH} characters",
            )
            return None
        if seen is not None:
            if value in seen:
                self.error(line, f"duplicate {what} key {value!r} (first on line {seen[value]})")
                return None
            seen[value] = line
        return value


# -- Walking the folders ------------------------------------------------------------------


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


@dataclass
class _InternalLink:
    rel: str
    line: int
    href: str
    course: str
    module: str
    section: str | None


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


class _Loader:
    def __init__(self, root: Path, languages: tuple[str, ...]):
        self.root = root
        self.languages = languages
        self.problems: list[Problem] = []
        self.internal_links: list[_InternalLink] = []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def load(self) -> ContentTree:
        if not self.root.is_dir():
            self.problems.append(Problem(str(self.root), 1, "content folder not found"))
            return ContentTree()
        tree = ContentTree([self._course(folder) for folder in _subfolders(self.root)])
        self._check_internal_links(tree)
        return tree

    def _folder_key(self, folder: Path, what: str) -> None:
        if not KEY_RE.match(folder.name) or len(folder.name) > KEY_MAX_LENGTH:
            self.problems.append(
                Problem(
                    self.rel(folder), 1,
                    f"{what} folder name {folder.name!r} is its key: use lowercase letters and digits joined by "
                    f"single hyphens, at most {KEY_MAX_LENGTH} characters",
                )
            )

    def _yaml_file(self, path: Path, missing: str) -> tuple[_File, YamlMap | None]:
        file = _File(self, path)
        text = file.read(missing)
        if text is None:
            return file, None
        data = file.parse_yaml(text)
        if data is INVALID:
            return file, None
        if data is None:
            file.error(1, "file is empty")
            return file, None
        return file, file.mapping(data, getattr(data, "line", 1), "the file")

    # Courses --------------------------------------------------------------------------

    def _course(self, folder: Path) -> CourseContent:
        self._folder_key(folder, "course")
        folders = {sub.name: sub for sub in _subfolders(folder)}
        modules = {name: self._module(folder.name, sub) for name, sub in folders.items()}
        file, data = self._yaml_file(folder / COURSE_FILE, f"file is missing: every course folder needs a {COURSE_FILE}")
        if data is None:
            return CourseContent(folder.name, {}, {}, [])
        file.fields(data, required=("title", "summary", "modules"))
        order = self._module_order(file, data, folders)
        return CourseContent(
            key=folder.name,
            title=file.texts(data, "title"),
            summary=file.texts(data, "summary"),
            modules=[modules[key] for key in order],
        )

    def _module_order(self, file: _File, data: YamlMap, folders: dict[str, Path]) -> list[str]:
        if "modules" not in data:
            return []
        listed, line = data["modules"], data.line_of("modules")
        if not isinstance(listed, YamlList):
            file.error(line, f"modules must be a list of module keys (folder names), not {_type_name(listed)}")
            return []
        if not listed:
            file.error(line, "modules is empty: list the module folders in the order participants take them")
        order: list[str] = []
        seen: dict[str, int] = {}
        for value, item_line in listed.items_with_lines():
            key = file.key(value, item_line, "module", seen)
            if key is None:
                continue
            if key not in folders:
                file.error(item_line, f"module {key!r} is listed but there is no folder {file.rel.rsplit('/', 1)[0]}/{key}/")
                continue
            order.append(key)
        for name in folders:
            if name not in seen:
                file.error(line, f"module folder {name!r} is not listed in modules: add it, or move the folder out of content/")
        return order

    # Modules --------------------------------------------------------------------------

    def _module(self, course_key: str, folder: Path) -> ModuleContent:
        self._folder_key(folder, "module")
        documents: dict[str, _Document] = {}
        files: dict[str, _File] = {}
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.suffix == ".md":
                lang = path.stem
                if lang not in self.languages:
                    _File(self, path).error(
                        1, f"unknown language code {lang!r}: name a text after its language ({', '.join(f'{l}.md' for l in self.languages)})"
                    )
                    continue
                files[lang] = _File(self, path)
                document = self._document(files[lang], course_key, folder.name)
                if document is not None:
                    documents[lang] = document
            elif path.suffix in (".yml", ".yaml") and path.name != QUIZ_FILE:
                _File(self, path).error(1, f"unexpected file: a module folder holds {QUIZ_FILE} and one <language>.md per language")
        if not (folder / "en.md").is_file():
            _File(self, folder / "en.md").error(1, "file is missing: every module needs its English text, en.md")
        quiz = self._quiz(folder / QUIZ_FILE)

        english = documents.get("en")
        if english is not None:
            self._compare_translations(english, documents, files)
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

    def _compare_translations(self, english: _Document, documents: dict[str, _Document], files: dict[str, _File]) -> None:
        """A translation has exactly the English sections: progress is recorded per section, whatever the language."""
        english_keys = [s.key for s in english.sections]
        for lang, document in documents.items():
            if lang == "en":
                continue
            keys = {s.key for s in document.sections}
            for key in english_keys:
                if key not in keys:
                    files[lang].error(1, f"section {key!r} of en.md is missing from this translation")
            for section in document.sections:
                if section.key not in english_keys:
                    files[lang].error(section.line, f"section {section.key!r} is not in en.md: translations have the same sections")

    # Markdown -------------------------------------------------------------------------

    def _document(self, file: _File, course_key: str, module_key: str) -> _Document | None:
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
        document.sections = self._sections(file, lines[end + 1 :], end + 2, course_key, module_key)
        return document

    def _sections(self, file: _File, body_lines: list[str], first_line: int, course_key: str, module_key: str) -> list[_Section]:
        """Split the body at its `## Title {#key}` lines; `first_line` is the file line of body_lines[0]."""
        tokens = _CHECKER.parse("".join(body_lines))
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
            self._check_body(file, body, first_line + start, anchors)
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
        keys = [s.key for s in sections]
        for line, anchor in anchors:
            if anchor not in keys:
                file.error(line, f"link '#{anchor}' points to no section of this module (its section keys: {', '.join(keys)})")
        return sections

    def _check_body(self, file: _File, body: str, first_line: int, anchors: list[tuple[int, str]]) -> None:
        """Raw HTML, images and links that go nowhere, in one section's Markdown."""
        for token in _CHECKER.parse(body):
            if token.type == "html_block":
                file.error(first_line + token.map[0], "raw HTML is not allowed: write it in Markdown")
            if token.type != "inline" or not token.map:
                continue
            offset = token.map[0]
            for child in token.children or []:
                line = first_line + offset
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type == "html_inline":
                    file.error(line, f"raw HTML is not allowed: {child.content.strip()!r}; write it in Markdown")
                    offset += child.content.count("\n")
                elif child.type == "image":
                    file.error(line, "images are not supported")
                elif child.type == "link_open":
                    self._check_link(file, str(child.attrGet("href") or ""), line, anchors)

    def _check_link(self, file: _File, href: str, line: int, anchors: list[tuple[int, str]]) -> None:
        allowed = "use https://…, http://…, mailto:…, /courses/<course>/<module>/, /courses/<course>/<module>/<section>/ or #section-key"
        if not href.strip():
            file.error(line, f"empty link: {allowed}")
            return
        if href.startswith("#"):
            anchors.append((line, href[1:]))
            return
        try:
            parts = urlsplit(href)
        except ValueError:
            file.error(line, f"link {href!r} is not a valid address")
            return
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            if not parts.netloc:
                file.error(line, f"link {href!r} has no host")
            return
        if scheme == "mailto":
            if not parts.path:
                file.error(line, f"link {href!r} has no e-mail address")
            return
        if scheme:
            file.error(line, f"link {href!r}: {scheme}: links are not allowed; {allowed}")
            return
        match = INTERNAL_LINK_RE.match(href)
        if match is None:
            file.error(line, f"link {href!r} goes nowhere: {allowed}")
            return
        self.internal_links.append(_InternalLink(file.rel, line, href, match["course"], match["module"], match["section"]))

    def _check_internal_links(self, tree: ContentTree) -> None:
        """Links to /courses/... must land on a module or section that this very content publishes."""
        published = {(c.key, m.key): {s.key for s in m.sections} for c in tree.courses for m in c.modules}
        for link in self.internal_links:
            sections = published.get((link.course, link.module))
            if sections is None:
                message = f"link {link.href!r} goes nowhere: there is no module {link.module!r} in course {link.course!r}"
            elif link.section is not None and link.section not in sections:
                message = f"link {link.href!r} goes nowhere: module {link.module!r} has no section {link.section!r}"
            else:
                continue
            self.problems.append(Problem(link.rel, link.line, message))

    # Quizzes --------------------------------------------------------------------------

    def _quiz(self, path: Path) -> QuizContent | None:
        file, data = self._yaml_file(path, f"file is missing: every module needs a {QUIZ_FILE}")
        if data is None:
            return None
        file.fields(data, required=("pass_mark", "max_attempts", "questions"))
        pass_mark = file.integer(data, "pass_mark", 1, 100)
        max_attempts = file.integer(data, "max_attempts", 1)
        questions: list[QuestionContent] = []
        if "questions" in data:
            items = data["questions"]
            if not isinstance(items, YamlList):
                file.error(data.line_of("questions"), f"questions must be a list, not {_type_name(items)}")
            elif not items:
                file.error(data.line_of("questions"), "a quiz needs at least one question")
            else:
                seen: dict[str, int] = {}
                for item, line in items.items_with_lines():
                    question = self._question(file, item, line, seen)
                    if question is not None:
                        questions.append(question)
        return QuizContent(pass_mark or 0, max_attempts or 0, questions)

    def _question(self, file: _File, item: Any, line: int, seen: dict[str, int]) -> QuestionContent | None:
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
        choices = self._choices(file, data, where)
        if choices is not None and kind is not None:
            self._check_answers(file, data.line_of("choices"), kind, choices, where)
        if key is None or kind is None:
            return None
        return QuestionContent(key, kind, text, explanation, choices or [])

    def _choices(self, file: _File, question: YamlMap, where: str) -> list[ChoiceContent] | None:
        if "choices" not in question:
            return None
        items = question["choices"]
        if not isinstance(items, YamlList):
            file.error(question.line_of("choices"), f"{where}choices must be a list, not {_type_name(items)}")
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
            if key is not None:
                choices.append(ChoiceContent(key, bool(correct), text, feedback))
        return choices

    @staticmethod
    def _check_answers(file: _File, line: int, kind: str, choices: list[ChoiceContent], where: str) -> None:
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
