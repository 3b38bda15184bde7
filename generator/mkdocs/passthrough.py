"""A Python-Markdown extension that hands the generated pages' HTML through untouched.

Every page the plugin generates is complete HTML (rendered and escaped by our
templates). Python-Markdown would still parse all of it with its HTML parser, tag by
tag, to find Markdown inside (md_in_html): a quarter of MkDocs' build time. A page whose
first line is the marker goes into Markdown's stash in one piece instead, which is what
Markdown does with a raw HTML block anyway; other pages are left to Markdown.
"""

from __future__ import annotations

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
