"""A Python-Markdown extension that hands the generated pages' HTML through untouched.

Every page the plugin generates is complete HTML (rendered and escaped by our
templates). Python-Markdown would still parse all of it with its HTML parser, tag by
tag, to find Markdown inside (md_in_html): a quarter of MkDocs' build time. A page whose
first line is the marker goes into Markdown's stash in one piece instead, which is what
Markdown does with a raw HTML block anyway; other pages are left to Markdown.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

MARKER = "<!-- okrs: generated HTML -->"  # the first line of every generated page's body


class _WholePage(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if lines and lines[0] == MARKER:
            return [self.md.htmlStash.store("\n".join(lines[1:]))]
        return lines


class PassThroughExtension(Extension):
    """Register after whitespace normalisation (30), before the HTML block parser (20)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_WholePage(md), "okrs-whole-page", 25)


# Markdown extensions that leave a marked page's text alone before the pass-through takes
# it (MkDocs' defaults and mkdocs.yml's): with only these, ``converted`` is exact.
PLAIN_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list", "md_in_html"})
_BLANK_LINE_OF_SPACES = re.compile(r"(?<=\n) +\n")


def converted(markdown: str, *, tab_length: int = 4) -> str | None:
    """What Python-Markdown with PassThroughExtension (and PLAIN_EXTENSIONS) makes of a
    marked page, without running it: its whitespace normalisation, then the body as it
    is. None for a page without the marker. (Building a Markdown object and running its
    preprocessors over a large page costs a tenth of a page's build; the page writer
    takes this way, and tests hold it to Markdown's own result on every page of a demo.)"""
    source = markdown.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    source = _BLANK_LINE_OF_SPACES.sub("\n", source.expandtabs(tab_length))
    first, _, body = source.partition("\n")
    if first != MARKER:
        return None
    return body.strip()
