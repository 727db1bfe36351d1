"""The Markdown of content/: its one dialect, rendering to sanitized HTML (nh3), and word counts."""
from __future__ import annotations

from collections.abc import Iterator

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect of content/: CommonMark with tables, raw HTML off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def checking_parser() -> MarkdownIt:
    """The same dialect, but surfacing what the renderer would silently drop (raw HTML,
    javascript: links), so that the author hears about it instead of the reader."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True
    return md


_MARKDOWN = markdown_parser()


def sanitize(html: str) -> str:
    """The last gate before a page: whatever the renderer let through, only these tags survive."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener noreferrer",
        url_schemes=URL_SCHEMES,
    )


def render_markdown(source: str, section_base: str = "") -> str:
    """Markdown → sanitized HTML, once, at sync time.

    Each section is a page of its own, so a `#section-key` link becomes
    `<section_base><section-key>/` (section_base is "/courses/<course>/<module>/").
    """
    tokens = _MARKDOWN.parse(source)
    if section_base:
        for token in _inline_children(tokens):
            href = token.attrGet("href") if token.type == "link_open" else None
            if isinstance(href, str) and href.startswith("#") and len(href) > 1:
                token.attrSet("href", f"{section_base}{href[1:]}/")
    return sanitize(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def count_words(source: str) -> int:
    """Words a reader reads: text and code, not Markdown syntax or link addresses."""
    parts: list[str] = []
    for token in _MARKDOWN.parse(source):
        if token.type in ("fence", "code_block"):
            parts.append(token.content)
        elif token.type == "inline":
            parts.append(
                "".join(
                    " " if child.type in ("softbreak", "hardbreak") else child.content
                    for child in token.children or []
                    if child.type in ("text", "code_inline", "softbreak", "hardbreak")
                )
            )
    return len(" ".join(parts).split())


def _inline_children(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield from token.children or []
