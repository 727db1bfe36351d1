"""Enum columns stored as short strings with a CHECK constraint, portable across databases."""
import enum

import sqlalchemy as sa


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members carry a translated, human-readable label."""

    @property
    def label(self) -> str:
        return str(self._labels().get(self, self.value))

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
