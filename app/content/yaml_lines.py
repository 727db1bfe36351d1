"""YAML that keeps line numbers: mappings and lists that know where each key and item was, and duplicate keys found."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml


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


class LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines and reports duplicate keys (PyYAML keeps the last one silently)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> YamlMap:
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


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> YamlList:
    data = YamlList(node.start_mark.line + 1)
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(child.start_mark.line + 1)
    return data


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def type_name(value: Any) -> str:
    """What a YAML value is, in an author's words, for messages like "must be a list, not text"."""
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
