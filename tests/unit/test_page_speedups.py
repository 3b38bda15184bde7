"""The shortcuts taken for speed in page generation give what the long ways give."""

from __future__ import annotations

import posixpath
import random

import markdown

from generator.mkdocs.passthrough import PassThroughExtension
from generator.mkdocs.passthrough import MARKER as HTML_MARKER
from generator.site.links import relpath as _relpath
from generator.site.narrative import _narrative_converter, narrative_html


def test_relative_paths_equal_posixpath_relpath():
    segments = ["a", "b", "objectives", "2026-Q4", "x.y", "index", "", ".", ".."]
    rng = random.Random(3)
    for _ in range(20000):
        path = "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4))) + rng.choice(["", "/"]) or "."
        start = "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4))) + rng.choice(["", "/"]) or "."
        if path.startswith("/") or start.startswith("/"):
            continue
        assert _relpath(path, start) == posixpath.relpath(path, start), (path, start)


def test_one_converter_for_every_narrative_gives_what_a_new_one_gives():
    texts = ["# Title\n\nSome *text* with [a link](https://example.com) and [^1].\n\n[^1]: not a footnote",
             "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\ncode <b>\n```\n", "[x][ref]\n\n[ref]: https://example.com\n",
             "[y][ref]\n", "<script>alert(1)</script>\n\n[bad](javascript:alert(1))", "- one\n- two\n\n1. a\n2. b\n"]
    for text in texts + texts[::-1]:
        assert narrative_html(text) == _narrative_converter().convert(text)


def test_a_generated_page_passes_through_markdown_untouched():
    body = "<div class=\"okrs-page\">\n<p>*not emphasis* &amp; <a href=\"x/\">a</a></p>\n\n<table><tr><td>1</td></tr></table>\n</div>"
    md = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", PassThroughExtension()])
    assert md.convert(HTML_MARKER + "\n" + body) == body
    md.reset()
    assert md.convert("# A hand-written page\n\n*emphasis*") == \
        '<h1>A hand-written page</h1>\n<p><em>emphasis</em></p>'
