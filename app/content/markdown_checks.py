"""What a section's Markdown may hold: no raw HTML, no images, and links that land somewhere."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.content.checks import SourceFile
from app.content.markdown import checking_parser
from app.content.tree import ContentTree, Problem

INTERNAL_LINK_RE = re.compile(r"^/courses/(?P<course>[^/?#]+)/(?P<module>[^/?#]+)/(?:(?P<section>[^/?#]+)/)?$")
ALLOWED_LINKS = "use https://…, http://…, mailto:…, /courses/<course>/<module>/, /courses/<course>/<module>/<section>/ or #section-key"

CHECKER = checking_parser()


@dataclass
class InternalLink:
    """A link to /courses/…, checked once the whole tree is known."""

    rel: str
    line: int
    href: str
    course: str
    module: str
    section: str | None


def check_body(file: SourceFile, body: str, first_line: int, anchors: list[tuple[int, str]], links: list[InternalLink]) -> None:
    """Raw HTML, images and links that go nowhere, in one section's Markdown.

    `#section-key` links go to `anchors` and /courses/… links to `links`, to be checked later."""
    for token in CHECKER.parse(body):
        if token.type == "html_block":
            file.error(first_line + token.map[0], "raw HTML is not allowed: write it in Markdown")
        if token.type != "inline" or not token.map:
            continue
        offset = token.map[0]
        for child in token.children or []:
            line = first_line + offset
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "html_inline":
                file.error(line, f"raw HTML is not allowed: {child.content.strip()!r}; write it in Markdown")
                offset += child.content.count("\n")
            elif child.type == "image":
                file.error(line, "images are not supported")
            elif child.type == "link_open":
                _check_link(file, str(child.attrGet("href") or ""), line, anchors, links)


def _check_link(file: SourceFile, href: str, line: int, anchors: list[tuple[int, str]], links: list[InternalLink]) -> None:
    if not href.strip():
        file.error(line, f"empty link: {ALLOWED_LINKS}")
        return
    if href.startswith("#"):
        anchors.append((line, href[1:]))
        return
    try:
        parts = urlsplit(href)
    except ValueError:
        file.error(line, f"link {href!r} is not a valid address")
        return
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.netloc:
            file.error(line, f"link {href!r} has no host")
        return
    if scheme == "mailto":
        if not parts.path:
            file.error(line, f"link {href!r} has no e-mail address")
        return
    if scheme:
        file.error(line, f"link {href!r}: {scheme}: links are not allowed; {ALLOWED_LINKS}")
        return
    match = INTERNAL_LINK_RE.match(href)
    if match is None:
        file.error(line, f"link {href!r} goes nowhere: {ALLOWED_LINKS}")
        return
    links.append(InternalLink(file.rel, line, href, match["course"], match["module"], match["section"]))


def check_anchors(file: SourceFile, anchors: list[tuple[int, str]], keys: list[str]) -> None:
    """`#section-key` links must name a section of the same module."""
    for line, anchor in anchors:
        if anchor not in keys:
            file.error(line, f"link '#{anchor}' points to no section of this module (its section keys: {', '.join(keys)})")


def check_internal_links(tree: ContentTree, links: list[InternalLink], problems: list[Problem]) -> None:
    """Links to /courses/... must land on a module or section that this very content publishes."""
    published = {(c.key, m.key): {s.key for s in m.sections} for c in tree.courses for m in c.modules}
    for link in links:
        sections = published.get((link.course, link.module))
        if sections is None:
            message = f"link {link.href!r} goes nowhere: there is no module {link.module!r} in course {link.course!r}"
        elif link.section is not None and link.section not in sections:
            message = f"link {link.href!r} goes nowhere: module {link.module!r} has no section {link.section!r}"
        else:
            continue
        problems.append(Problem(link.rel, link.line, message))
