"""Enum columns stored as short strings with a CHECK constraint, portable across databases."""
import enum

import sqlalchemy as sa

from app.core.i18n import current_language

# (enum class, language) → {member: label}: a label is translated once per language and process,
# not at every look-up (a trainer's list of 100 registrations looked up hundreds per page).
_LABELS: dict[tuple[type, str], dict] = {}


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members carry a translated, human-readable label."""

    @property
    def label(self) -> str:
        return type(self).labels().get(self, self.value)

    @classmethod
    def labels(cls) -> dict:
        """{member: label} in the reader's language: a list of many rows reads it once, then looks up each row."""
        key = (cls, current_language())
        labels = _LABELS.get(key)
        if labels is None:
            labels = _LABELS[key] = {member: str(text) for member, text in cls._labels().items()}
            labels.update((member, member.value) for member in cls if member not in labels)
        return labels

    @classmethod
    def _labels(cls) -> dict:
        return {}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def db_enum(enum_cls: type[enum.Enum]) -> sa.Enum:
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        name=enum_cls.__name__.lower(),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
