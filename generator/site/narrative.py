"""An objective's narrative (its Markdown body) as safe HTML.

Markdown with raw HTML disabled and unsafe link schemes dropped; past the limits of
reading/narrative.py, escaped plain text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown

from generator.reading.narrative import narrative_problem


def _narrative_converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    # Raw HTML in a narrative is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeLinks(md), "okrs-safe-links", 0)  # after the inline links
    return md


_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}


def safe_url(url: str) -> bool:
    """Relative, http(s) or mailto: never javascript:, data: and the like.

    Browsers decode entities and drop tabs, newlines and spaces before reading the scheme,
    so `java&#x09;script:` must be refused as well.
    """
    plain = "".join(ch for ch in html.unescape(url) if ord(ch) > 0x20)
    scheme = _URL_SCHEME.match(plain)
    return scheme is None or scheme[1].lower() in _SAFE_SCHEMES


class _SafeLinks(markdown.treeprocessors.Treeprocessor):
    """A narrative's links and images keep safe URLs only; an unsafe one is dropped."""

    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                url = element.get(attribute)
                if url is not None and not safe_url(url):
                    del element.attrib[attribute]


def narrative_html(text: str) -> str:
    if not text.strip():
        return ""
    if narrative_problem(text) is not None:  # okrs check warns: narrative-too-complex
        return plain_narrative_html(text)
    converter = _shared_converter()
    converter.reset()  # one converter for every narrative: making one costs more than converting
    try:
        return converter.convert(text)
    except RecursionError:  # nesting the limits did not foresee: shown, as text, rather than lost
        return plain_narrative_html(text)


def plain_narrative_html(text: str) -> str:
    """A narrative too complex to render as Markdown, as escaped preformatted text."""
    return f'<pre class="okrs-narrative-plain" style="white-space: pre-wrap">{html.escape(text, quote=False)}</pre>'


@lru_cache(maxsize=1)
def _shared_converter() -> markdown.Markdown:
    return _narrative_converter()
