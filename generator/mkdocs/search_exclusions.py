"""Material's search skips what carries ``data-search-exclude``, but still parses it, tag by
tag: on our pages that is the charts, their tables and legends, the sparklines, most of
a page's bytes. Our own index (``search_sections``) does not read them; when Material's
parser is the one that reads a generated page (another version of Material), each
excluded element is emptied first (its own tags kept, its inside set aside behind a
comment, which the parser ignores); after it, the inside is put back. The parser sees the same tags around the
same text, so the index is the same (tests/unit/test_page_shortcuts.py compares it on
every page of a demo), in a fraction of the time.

An element is set aside only if it closes where it should and holds no heading (a
heading makes a section of the index even inside an excluded element).
"""

from __future__ import annotations

import re

_EXCLUDED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*\sdata-search-exclude(?=[\s>/])[^<>]*>")
_HEADING = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
# What Material's search plugin removes from a page once it has read it (data-search-* attributes with a value).
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")
_MARK = "<!--okrs-search-set-aside-{}-->"
_MARKS = re.compile(r"<!--okrs-search-set-aside-(\d+)-->")


def set_aside(html: str) -> tuple[str, list[str]]:
    """The HTML with every excluded element emptied, and the insides taken out, in order."""
    parts: list[str] = []
    insides: list[str] = []
    at = 0
    if "okrs-search-set-aside" in html:  # never mistake a page's own text for our marks
        return html, []
    for match in _EXCLUDED.finditer(html):
        if match.start() < at:  # inside an element already set aside
            continue
        tag = match.group(1).lower()
        end = excluded_inside_end(html, tag, match.end())
        if end is None:
            continue
        inside = html[match.end():end]
        parts += [html[at:match.end()], _MARK.format(len(insides))]
        insides.append(inside)
        at = end
    if not insides:
        return html, []
    parts.append(html[at:])
    return "".join(parts), insides


def put_back(html: str, insides: list[str]) -> str:
    """The inverse of set_aside, after the search plugin's own clean-up of the page."""
    if not insides:
        return html
    return _MARKS.sub(lambda m: _SEARCH_ATTRIBUTES.sub("", insides[int(m.group(1))]), html)


def excluded_inside_end(html: str, tag: str, start: int) -> int | None:
    """Where the inside of an excluded element whose opening tag ends at ``start`` ends
    (at its closing tag), when it may be skipped: it closes and holds no heading."""
    end = _closing(html, tag, start)
    return None if end is None or _HEADING.search(html, start, end) else end


def _closing(html: str, tag: str, start: int) -> int | None:
    """Where the element whose opening tag ends at ``start`` closes (the index of its
    closing tag), counting nested elements of the same name; None if it doesn't."""
    tags = re.compile(rf"<(/?){tag}(?=[\s>/])[^<>]*?(/?)>", re.IGNORECASE)
    depth = 1
    for match in tags.finditer(html, start):
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.start()
        elif not match.group(2):
            depth += 1
    return None
