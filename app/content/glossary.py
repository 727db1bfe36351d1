"""A course's glossary.yml (optional): terms a learner can look up, each with a definition, in each language."""
from __future__ import annotations

from pathlib import Path

from app.content.checks import LoadContext
from app.content.languages import TranslatedText, check_languages
from app.content.tree import GlossaryTerm
from app.content.yaml_lines import YamlList, type_name

GLOSSARY_FILE = "glossary.yml"


def read_glossary(context: LoadContext, path: Path) -> list[GlossaryTerm]:
    if not path.is_file():
        return []
    file = context.file(path)
    data = file.read_mapping("file is missing")
    if data is None:
        return []
    file.fields(data, required=("terms",))
    items = data.get("terms")
    if "terms" in data and not isinstance(items, YamlList):
        file.error(data.line_of("terms"), f"terms must be a list, not {type_name(items)}")
        return []
    terms: list[GlossaryTerm] = []
    texts: list[TranslatedText] = []
    seen: dict[str, int] = {}
    for item, line in (items or YamlList()).items_with_lines():
        entry = file.mapping(item, line, "each term")
        if entry is None:
            continue
        key = file.key(entry["key"], entry.line_of("key"), "term", seen) if "key" in entry else None
        where = f"term {key!r}: " if key else ""
        file.fields(entry, required=("key", "term", "definition"), where=where)
        term, definition = file.texts(entry, "term", where), file.texts(entry, "definition", where)
        texts += [TranslatedText(entry.line_of(name), f"{where}{name}", value)
                  for name, value in (("term", term), ("definition", definition)) if name in entry]
        if key is not None and term and definition:
            terms.append(GlossaryTerm(key, term, definition))
    check_languages(file, texts, "glossary")
    return terms
