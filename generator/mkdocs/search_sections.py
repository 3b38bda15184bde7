"""Material's search parser, quicker: the same sections from the same HTML.

Material's search plugin splits every page into sections with its ``Parser``, an
``HTMLParser`` whose callbacks compare elements by tag through sets and lists of
``Element`` objects: on our pages (tables of key results, histories, lists of hundreds
of rows) that bookkeeping, not the tokenizing, was most of its time, and its time a
third of a cold build's. ``SectionParser`` is the same parser (the same tokenizer, the
same callbacks' decisions) with that bookkeeping kept as counts of tags; and HTML as our
templates write it is read by one regular expression that calls back what HTMLParser's
tokenizer would (``_plain_sections``; on our pages it leaves the excluded elements unread),
any other HTML by HTMLParser. Its rules, as
Material's code has them:

- elements are equal when their tags are (``Element.__eq__``), so "inside a skipped
  element" is "inside an element with the tag of one skipped", "inside the section's
  heading" is "inside an element with the heading's tag", and a skipped element is
  forgotten when any element of its tag closes (``object``, ``script``, ``style``: never);
- a kept tag's closing removes the section's items from the first opening of that tag
  on, when no text follows it (``data.index``: the first, not the matching one).

The plugin uses it only for Material's own parser, as this version of Material has it
(``matches_material``): another version's is used as it is. tests/unit/test_search_sections.py
compares the sections on every page of a demo and on hostile HTML.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from html import escape, unescape
from typing import Any

from material.plugins.search import plugin as material_search

from generator.mkdocs.search_exclusions import excluded_inside_end

_HEADINGS = frozenset(f"h{x}" for x in range(1, 7))
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_ALWAYS_SKIPPED = ("object", "script", "style")
# The digest of Material's Parser (and what it uses) as this module copies it (9.8.2).
_MATERIAL_PARSER = "36f3d7bc91c0a1cfef6a693c50d095d80bf7556e9439233dfea39d619d0ee92e"


def material_parser_digest() -> str:
    """A digest of the source of Material's Parser, Element, Section, void tags, and of the
    method that runs the parser on a page."""
    parts = [inspect.getsource(material_search.Parser), inspect.getsource(material_search.Element),
             inspect.getsource(material_search.Section), inspect.getsource(material_search.SearchIndex.add_entry_from_context),
             repr(sorted(material_search.void))]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def matches_material() -> bool:
    """Whether Material's parser is the one this module is a copy of (False when its
    source cannot be read)."""
    try:
        return material_parser_digest() == _MATERIAL_PARSER
    except (OSError, TypeError):  # installed without its .py files
        return False


class SectionParser(material_search.HTMLParser):
    """Material's ``Parser``: ``feed`` HTML, ``close``, then ``data`` is its list of ``Section``."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = {tag: 1 for tag in _ALWAYS_SKIPPED}  # the tags of skipped elements
        self.context: list[tuple[str, dict[str, str]]] = []  # the open elements: tag, attributes
        self.open: dict[str, int] = {}  # how many of each tag are open
        self.skipped = 0  # how many open elements have a tag of ``skip``
        self.section: Any = None
        self.data: list[Any] = []

    def _target(self) -> list[str]:
        """The list an item goes to: the section's title inside its heading, else its text."""
        section = self.section
        return section.title if self.open.get(section.el.tag) else section.text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in material_search.void:
            return
        attributes = dict(attrs)
        self.context.append((tag, attributes))
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag in self.skip:
            self.skipped += 1
        if tag in _HEADINGS:
            depth = len(self.context)
            if "id" in attributes:
                if tag != "h1" and not self.data:
                    self.section = material_search.Section(material_search.Element("hx"), depth)
                    self.data.append(self.section)
                self.section = material_search.Section(material_search.Element(tag, attributes), depth)
                if self.data:
                    self.section.id = attributes["id"]
                self.data.append(self.section)
        if not self.section:
            self.section = material_search.Section(material_search.Element("hx"))
            self.data.append(self.section)
        for key, value in attributes.items():
            if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                if tag not in self.skip:
                    self.skip[tag] = 1
                    self.skipped += self.open[tag]
                return
        if tag in _KEEP and not self.skipped:
            self._target().append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        context = self.context
        if not context or context[-1][0] != tag:
            return
        if self.section.depth > len(context):
            for section in reversed(self.data):
                if section.depth <= len(context):
                    self.section.depth = float("inf")
                    self.section = section
                    break
        context.pop()
        self.open[tag] -= 1
        if tag in self.skip:
            self.skipped -= 1
            if tag not in _ALWAYS_SKIPPED:
                del self.skip[tag]
                self.skipped -= self.open[tag]
            return
        if tag in _KEEP and not self.skipped:
            data = self._target()
            index = data.index(f"<{tag}>")
            for i in range(index + 1, len(data)):
                if not data[i].isspace():
                    index = len(data)
                    break
            if len(data) > index:
                del data[index:]
            else:
                data.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipped:
            return
        if not self.open.get("pre"):
            data = data.replace("\n", " ") if not data.isspace() else " "
        if not self.section:
            self.section = material_search.Section(material_search.Element("hx"))
            self.data.append(self.section)
        section = self.section
        if self.open.get(section.el.tag):
            if not any(tag == "a" and attributes.get("class") == "headerlink" for tag, attributes in self.context):
                section.title.append(escape(data, quote=False))
        elif data.isspace():
            text = section.text
            if not text or not text[-1].isspace():
                text.append(data)
            elif self.open.get("pre"):
                text.append(data)
        else:
            section.text.append(escape(data, quote=False))


def add_entries(index: Any, page: Any) -> bool:
    """Material's ``index.add_entry_from_context(page)`` for a page of ours (``sections``'
    ``templated``), with the sections of this parser;
    False, and nothing added, unless ``index`` is Material's and its parser the one this
    module copies (or the page is excluded: Material then adds nothing itself)."""
    if not isinstance(index, material_search.SearchIndex) or not _copies_material():
        return False
    if (page.meta.get("search") or {}).get("exclude"):
        return False
    for section in sections(page.content, templated=True):
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
    return True


@functools.cache
def _copies_material() -> bool:
    return matches_material()


def sections(html: str, *, templated: bool = False) -> list[Any]:
    """The sections Material's parser finds in ``html``. ``templated``: HTML as our templates
    write it, whose excluded elements (``data-search-exclude``: the charts, their tables,
    the sparklines; most of a page's bytes) nest well and hold no element of their own
    tag; the inside of one that holds no heading is then not read, as the parser would
    only open and close elements there (what ``search_exclusions`` does for Material's own
    parser; tests/unit/test_search_sections.py holds it to Material's sections on every
    page of a demo)."""
    found = _plain_sections(html, templated=templated)
    if found is not None:
        return found
    parser = SectionParser()
    parser.feed(html)
    parser.close()
    return parser.data


# HTML as our templates write it: text without "<", comments without "--" inside, start tags
# whose attributes are bare or double-quoted (no "<" or ">" in a value), plain end tags.
# For these, HTMLParser's tokenizer calls back what the branches below call, and it is most
# of the time left: a page that has anything else is parsed by HTMLParser, all of it.
_TOKEN = re.compile(
    r'([^<]+)'  # text
    r'|<!--((?:[^-]|-(?!-))*)-->'  # a comment
    r'|<([a-zA-Z][a-zA-Z0-9]*)((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)[ \t\n\r\f]*(/?)>'
    r'|</([a-zA-Z][a-zA-Z0-9]*)>'  # an end tag
)
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"<>]*)")?')
# Elements whose inside HTMLParser reads as text (or may, in other versions of Python).
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                       "noscript", "plaintext"})


def _plain_sections(html: str, *, templated: bool = False) -> list[Any] | None:
    """``sections(html)`` of HTML of the plain kind above; None for any other (``templated``:
    see ``sections``)."""
    parser = SectionParser()
    starttag, endtag, data = parser.handle_starttag, parser.handle_endtag, parser.handle_data
    at, size, token = 0, len(html), _TOKEN.match
    while at < size:
        match = token(html, at)
        if match is None:  # something else here
            return None
        at = match.end()
        text, comment, tag, attributes, closed, end = match.groups()
        if text is not None:
            data(unescape(text))
        elif tag is not None:
            tag = tag.lower()
            if tag in _RAW_TEXT:
                return None
            attrs = [(a[1].lower(), a[2] if not a[2] else unescape(a[2]))  # bare: None
                     for a in _ATTRIBUTE.finditer(attributes)] if attributes else []
            starttag(tag, attrs)
            if closed:
                endtag(tag)  # HTMLParser's handle_startendtag
            elif templated and "data-search-exclude" in attributes and tag not in material_search.void and \
                    any(name == "data-search-exclude" for name, _ in attrs):
                inside_end = excluded_inside_end(html, tag, at)
                if inside_end is not None:
                    at = inside_end  # on from its closing tag
        elif end is not None:
            endtag(end.lower())
    return parser.data
