"""Reading the report pages back: their tables as rows of cell texts, their SVG charts parsed."""
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SVG_NS = "{http://www.w3.org/2000/svg}"


class Tables(HTMLParser):
    """Every <table> of a page as a list of rows, each a list of its cells' whitespace-collapsed text."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> list[list[list[str]]]:
    return Tables(response.get_data(as_text=True)).tables


def as_dict(table) -> dict[str, list[str]]:
    """Rows keyed by their first cell (header row included)."""
    return {row[0]: row[1:] for row in table if row}


def svgs(response) -> list[ET.Element]:
    """Every inline <svg> of the page, parsed as XML: a malformed one fails here."""
    return [ET.fromstring(match) for match in re.findall(r"<svg\b.*?</svg>", response.get_data(as_text=True), re.S)]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in svg.iter(f"{SVG_NS}text")]


def title(svg: ET.Element) -> str:
    return svg.find(f"{SVG_NS}title").text
