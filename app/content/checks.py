"""Checks on one file of content/: read it, parse its YAML, and say at which line a value is wrong."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from app.content.tree import Problem, Texts
from app.content.yaml_lines import LineLoader, YamlList, YamlMap, type_name

KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_MAX_LENGTH = 80  # the key columns are VARCHAR(80)
INVALID = object()  # parse_yaml's answer for text that is not YAML (already reported)


class LoadContext:
    """What every file of one load shares: the folder its paths are relative to, the languages, the problems found."""

    def __init__(self, root: Path, languages: tuple[str, ...]):
        self.root = root
        self.languages = languages
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def file(self, path: Path) -> SourceFile:
        return SourceFile(self, path)

    def folder_key(self, folder: Path, what: str) -> None:
        """A course or module folder's name is its key."""
        if not KEY_RE.match(folder.name) or len(folder.name) > KEY_MAX_LENGTH:
            self.problems.append(
                Problem(
                    self.rel(folder), 1,
                    f"{what} folder name {folder.name!r} is its key: use lowercase letters and digits joined by "
                    f"single hyphens, at most {KEY_MAX_LENGTH} characters",
                )
            )


class SourceFile:
    """Problems found in one file, and helpers that check a YAML value and say where it is wrong."""

    def __init__(self, context: LoadContext, path: Path):
        self.path = path
        self.rel = context.rel(path)
        self.problems = context.problems
        self.languages = context.languages

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

    def read_mapping(self, missing: str) -> YamlMap | None:
        """The whole file as a YAML mapping; None once whatever is wrong (missing, empty, invalid) is reported."""
        text = self.read(missing)
        if text is None:
            return None
        data = self.parse_yaml(text)
        if data is INVALID:
            return None
        if data is None:
            self.error(1, "file is empty")
            return None
        return self.mapping(data, getattr(data, "line", 1), "the file")

    def parse_yaml(self, text: str, first_line: int = 1) -> Any:
        """The parsed value (None when the text is empty), or INVALID once the syntax error is reported."""
        # Blank lines in front keep every mark on its real line in the file (front matter starts on line 2).
        loader = LineLoader("\n" * (first_line - 1) + text)
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
        self.error(line, f"{what} must be a mapping of keys to values, not {type_name(data)}")
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
            self.error(data.line_of(name), f"{where}{name} must be non-empty text, not {type_name(value)}")
            return None
        return value.strip()

    def texts(self, data: YamlMap, name: str, where: str = "") -> Texts:
        """A translated text: {en: ..., fr: ...}, English required, languages from the config."""
        if name not in data:
            return {}
        value, line = data[name], data.line_of(name)
        if not isinstance(value, YamlMap):
            self.error(line, f"{where}{name} must be a mapping of language to text, like `{name}: {{en: ...}}`, not {type_name(value)}")
            return {}
        texts: Texts = {}
        for lang, text in value.items():
            lang_line = value.line_of(lang)
            if lang not in self.languages:
                self.error(lang_line, f"{where}unknown language code {lang!r} in {name} (allowed: {', '.join(self.languages)})")
            elif not isinstance(text, str) or not text.strip():
                self.error(lang_line, f"{where}{name}.{lang} must be non-empty text, not {type_name(text)}")
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
            self.error(data.line_of(name), f"{where}{name} must be a list, not {type_name(value)}")
            return []
        items = []
        for item, line in value.items_with_lines():
            if isinstance(item, str) and item.strip():
                items.append(item.strip())
            else:
                self.error(line, f"{where}each item of {name} must be non-empty text, not {type_name(item)}")
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
            self.error(data.line_of(name), f"{where}{name} must be true or false, not {type_name(value)}")
            return None
        return value

    def key(self, value: Any, line: int, what: str, seen: dict[str, int] | None = None) -> str | None:
        """A stable key (it names a row and a URL), unique among `seen`; None when unusable."""
        if isinstance(value, bool):
            self.error(line, f'{what} key must be text: quote it, like "{str(value).lower()}"')
            return None
        if not isinstance(value, str):
            self.error(line, f"{what} key must be text, not {type_name(value)}")
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
