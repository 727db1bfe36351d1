"""`load_content(root)`: walk content/ into a ContentTree and collect every problem, sorted by file and line.

Nothing here touches the database, so `flask content check` runs anywhere and `flask content
sync` can refuse broken content before it writes a single row.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.content.checks import LoadContext, SourceFile
from app.content.glossary import GLOSSARY_FILE, read_glossary
from app.content.markdown_checks import InternalLink, check_internal_links
from app.content.modules import read_module
from app.content.tree import ContentTree, CourseContent, Problem
from app.content.yaml_lines import YamlList, YamlMap, type_name

COURSE_FILE = "course.yml"


def load_content(root: Path, languages: Iterable[str] = ("en", "fr", "es")) -> tuple[ContentTree, list[Problem]]:
    """Parse and validate everything under `root`. The tree is only meant to be used when
    the list of problems is empty; it is returned anyway so that counts can be shown."""
    context = LoadContext(Path(root), tuple(languages))
    links: list[InternalLink] = []
    tree = _tree(context, links)
    # By file and line; within a line, in the order found (dict.fromkeys drops repeats, keeps order).
    problems = sorted(dict.fromkeys(context.problems), key=lambda p: (p.path, p.line))
    return tree, problems


def _tree(context: LoadContext, links: list[InternalLink]) -> ContentTree:
    if not context.root.is_dir():
        context.problems.append(Problem(str(context.root), 1, "content folder not found"))
        return ContentTree()
    tree = ContentTree([_course(context, folder, links) for folder in _subfolders(context.root)])
    check_internal_links(tree, links, context.problems)
    return tree


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _course(context: LoadContext, folder: Path, links: list[InternalLink]) -> CourseContent:
    context.folder_key(folder, "course")
    folders = {sub.name: sub for sub in _subfolders(folder)}
    modules = {name: read_module(context, sub, links) for name, sub in folders.items()}
    file = context.file(folder / COURSE_FILE)
    data = file.read_mapping(f"file is missing: every course folder needs a {COURSE_FILE}")
    if data is None:
        return CourseContent(folder.name, {}, {}, [])
    file.fields(data, required=("title", "summary", "modules"))
    order = _module_order(file, data, folders)
    return CourseContent(
        key=folder.name,
        title=file.texts(data, "title"),
        summary=file.texts(data, "summary"),
        modules=[modules[key] for key in order],
        glossary=read_glossary(context, folder / GLOSSARY_FILE),
    )


def _module_order(file: SourceFile, data: YamlMap, folders: dict[str, Path]) -> list[str]:
    if "modules" not in data:
        return []
    listed, line = data["modules"], data.line_of("modules")
    if not isinstance(listed, YamlList):
        file.error(line, f"modules must be a list of module keys (folder names), not {type_name(listed)}")
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
