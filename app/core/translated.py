"""Texts stored per language as JSON ({"en": ..., "fr": ...}), read in the reader's language with a fallback."""
from collections.abc import Iterable

import sqlalchemy as sa
import sqlalchemy.dialects.postgresql
from markupsafe import Markup

from app.core.i18n import current_language

# JSON on SQLite, JSONB on PostgreSQL (compact, comparable).
JSONData = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
TranslatedText = JSONData


def _present(value) -> bool:
    return value not in (None, "", [])


def pick(texts: dict | None, lang: str | None = None, default=""):
    """The text in `lang` (default: the page's language), else English, else the default."""
    if not texts:
        return default
    lang = lang or current_language()
    value = texts.get(lang)
    if not _present(value):
        value = texts.get("en", default)
    return value


def shown_language(texts: dict | None, lang: str | None = None) -> str:
    """The language `pick` will show for these texts: the page's, or English when it is missing."""
    lang = lang or current_language()
    return lang if texts and _present(texts.get(lang)) else "en"


class Shown(str):
    """A text chosen for a reader, which knows its language: a fallback is marked `lang="…"` on the page."""

    lang: str

    def __new__(cls, text: str, lang: str):
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown


def shown(texts: dict | None, lang: str | None = None, fallbacks: Iterable[str] = ("en",)) -> Shown:
    """The text in `lang` (default: the page's language), else in the first of `fallbacks` that has one,
    else in any language that has one; an empty Shown in `lang` when there is none."""
    lang = lang or current_language()
    texts = texts or {}
    for code in (lang, *fallbacks, *sorted(texts)):
        if _present(texts.get(code)):
            return Shown(texts[code], code)
    return Shown("", lang)


def lang_attr(text) -> Markup:
    """' lang="fr"' for a text shown in another language than the page's, for the element that holds it."""
    code = getattr(text, "lang", None)
    if code and code != current_language():
        return Markup(' lang="%s"') % code
    return Markup("")


def marked(text) -> Markup:
    """The text, in a <span lang="…"> when it is shown in another language than the page's (a fallback)."""
    attr = lang_attr(text)
    if attr:
        return Markup("<span%s>%s</span>") % (attr, text)
    return Markup("%s") % text


def cleaned(texts: dict | None, languages: Iterable[str]) -> dict:
    """Only these languages' texts, stripped; empty ones left out."""
    texts = texts or {}
    result = {}
    for code in languages:
        value = texts.get(code)
        if isinstance(value, str):
            value = value.strip()
        if _present(value):
            result[code] = value
    return result


def written(texts: dict | None) -> str:
    """Texts per language on one line, for the audit trail: "en: Group A / fr: Groupe A"."""
    return " / ".join(f"{code}: {text}" for code, text in (texts or {}).items())
