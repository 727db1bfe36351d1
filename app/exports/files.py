"""One export, named and typed: what the web and `flask export` both hand out."""
from collections.abc import Iterator
from dataclasses import dataclass

from app.exports import tables, writers
from app.workshops.models import Workshop

FORMATS = tuple(writers.FORMATS)


@dataclass
class ExportFile:
    name: str  # "workshop-slug-attendance-long-anonymized.csv": ASCII, as slugs are
    content_type: str
    chunks: Iterator[bytes]


def file_name(workshop: Workshop, kind: str, fmt: str, *, anonymized: bool, layout: str) -> str:
    parts = [workshop.slug, kind]
    if layout == "long":
        parts.append("long")
    if anonymized:
        parts.append("anonymized")
    return "-".join(parts) + f".{fmt}"


def export(workshop: Workshop, kind: str, fmt: str, *, anonymized: bool = False, layout: str = "wide") -> ExportFile:
    """The small reads (sessions, modules) happen now; the rows are read while the chunks are consumed."""
    if kind not in tables.KINDS or fmt not in writers.FORMATS or layout not in tables.LAYOUTS:
        raise ValueError(f"unknown export {kind}.{fmt} ({layout})")
    if layout == "long" and kind != "attendance":
        raise ValueError("only the attendance export has a long layout")
    table = tables.build(kind, workshop, anonymized=anonymized, layout=layout)
    content_type, write = writers.FORMATS[fmt]
    return ExportFile(file_name(workshop, kind, fmt, anonymized=anonymized, layout=layout), content_type, write(table))
