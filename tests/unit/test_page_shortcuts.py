"""The two shortcuts of the page writer change nothing, checked on every page of an
`okrs demo` organisation with history: setting the excluded elements aside before
Material's search reads a page gives Material's own index, and the page once they are
back; a marked page's HTML made without Python-Markdown is Markdown's own."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from demo_pages import SEARCH, demo_pages
from material.plugins.search.plugin import SearchIndex

from generator.mkdocs.search_exclusions import put_back, set_aside
MATERIALS_CLEAN_UP = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # what its on_page_context does to a page


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list:
    return demo_pages(tmp_path_factory.mktemp("exclusions") / "repo", objectives=24, seed=3)


def entries(html: str, page) -> list[dict]:
    index = SearchIndex(**SEARCH)
    boost = {"search": {"boost": page.search_boost}} if page.search_boost else {}
    index.add_entry_from_context(SimpleNamespace(meta={"title": page.title, **boost}, content=html, toc=[],
                                                 url=page.path, title=page.title))
    return index.entries


def test_the_index_and_the_page_are_the_same_on_every_page(pages):
    set_aside_somewhere = 0
    for page in pages:
        html = page.html
        reduced, insides = set_aside(html)
        set_aside_somewhere += bool(insides)
        assert entries(reduced, page) == entries(html, page), page.path
        assert put_back(MATERIALS_CLEAN_UP.sub("", reduced), insides) == MATERIALS_CLEAN_UP.sub("", html), page.path
    assert set_aside_somewhere > len(pages) / 10  # the objective pages' charts at least


def test_what_is_set_aside_is_parsed_no_more():
    chart = '<figure data-search-exclude><svg>' + '<line x1="0" y1="0"/>' * 2000 + '</svg></figure>'
    html = "<h1 id='t'>Title</h1><p>Kept text</p>" + chart + "<p>More</p>"
    reduced, insides = set_aside(html)
    assert "<line" not in reduced and len(insides) == 1
    page = SimpleNamespace(title="T", search_boost=None, path="p/")
    started = time.perf_counter()
    fast = entries(reduced, page)
    reduced_seconds = time.perf_counter() - started
    started = time.perf_counter()
    slow = entries(html, page)
    full_seconds = time.perf_counter() - started
    assert fast == slow and "Kept text" in slow[0]["text"] and "More" in slow[0]["text"]
    assert reduced_seconds < full_seconds / 5


@pytest.mark.parametrize("html", [
    "<div data-search-exclude><h2 id='x'>A heading</h2></div>",  # a heading makes a section: left alone
    "<div data-search-exclude><p>never closed</p>",  # no closing tag: left alone
    "<p>our own mark <!--okrs-search-set-aside-0--> in a page</p><div data-search-exclude>x</div>",
])
def test_what_cannot_be_set_aside_safely_is_left_as_it_is(html):
    assert set_aside(html) == (html, [])


def test_nested_elements_of_the_same_name_close_at_the_right_place():
    html = "<div data-search-exclude><div>inner</div><div>second</div></div><p>after</p>"
    reduced, insides = set_aside(html)
    assert reduced == "<div data-search-exclude><!--okrs-search-set-aside-0--></div><p>after</p>"
    assert put_back(reduced, insides) == html


def test_a_marked_page_converts_as_python_markdown_converts_it(pages):
    """The page writer's shortcut past Markdown gives Markdown's own HTML, on every page."""
    import markdown
    from mkdocs.utils import meta

    from generator.mkdocs.passthrough import PassThroughExtension, converted
    from generator.mkdocs.plugin import _markdown_source

    for page in pages:
        body, _ = meta.get_data(_markdown_source(page))
        md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "md_in_html",
                                           PassThroughExtension()])
        assert converted(body) == md.convert(body), page.path
    assert converted("# A hand-written page\n") is None
    tricky = "<!-- okrs: generated HTML -->\n<div>\ttab</div>\n   \n<p>\x02x\x03</p>\r\n"
    assert converted(tricky) == markdown.Markdown(extensions=[PassThroughExtension()]).convert(tricky)
