"""Texts stored per language as JSON ({"en": ..., "fr": ...}), read with an English fallback."""
import sqlalchemy as sa
import sqlalchemy.dialects.postgresql

from app.core.i18n import current_language

# JSON on SQLite, JSONB on PostgreSQL (compact, comparable).
JSONData = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
TranslatedText = JSONData


def pick(texts: dict | None, lang: str | None = None, default=""):
    """The text in `lang` (default: the page's language), else English, else the default."""
    if not texts:
        return default
    lang = lang or current_language()
    value = texts.get(lang)
    if value in (None, "", []):
        value = texts.get("en", default)
    return value


def shown_language(texts: dict | None, lang: str | None = None) -> str:
    """The language `pick` will show for these texts: the page's, or English when it is missing."""
    lang = lang or current_language()
    return lang if texts and texts.get(lang) not in (None, "", []) else "en"
