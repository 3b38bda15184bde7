"""Our copy of Material's search parser finds the sections Material's own finds, on every
page of an `okrs demo` organisation with history and on HTML made to trip it; and it is
used only for the parser it copies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from demo_pages import SEARCH, demo_pages
from material.plugins.search import plugin as material_search

from generator.mkdocs import search_sections
from generator.mkdocs.search_exclusions import set_aside
from generator.mkdocs.search_sections import SectionParser, _plain_sections, add_entries, sections


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list:
    return demo_pages(tmp_path_factory.mktemp("sections") / "repo", objectives=24, seed=5)


def materials(html: str) -> list:
    parser = material_search.Parser()
    parser.feed(html)
    parser.close()
    return parser.data


def fed(html: str) -> list:
    parser = SectionParser()
    parser.feed(html)
    parser.close()
    return parser.data


def shown(data: list) -> list:
    return [(s.el.tag, dict(s.el.attrs), s.depth, s.id, list(s.title), list(s.text), s.is_excluded()) for s in data]


def test_the_sections_of_every_page_are_materials(pages):
    plain = 0
    for page in pages:
        for html in (page.html, set_aside(page.html)[0]):  # as written, and as Material's search reads it
            expected = shown(materials(html))
            assert shown(sections(html)) == expected, page.path
            assert shown(sections(html, templated=True)) == expected, page.path  # its exclusions unread
            assert shown(fed(html)) == expected, page.path  # the parser for any other HTML
        plain += _plain_sections(page.html, templated=True) is not None
    assert plain > 0.95 * len(pages), "as our index reads them, our pages take the quick tokenizer"


def test_the_inside_of_an_excluded_element_of_ours_is_not_read(monkeypatch):
    html = ("<p>before</p><div class=\"chart\" data-search-exclude><svg><title>a chart</title><rect/></svg>"
            "<table><tr><td>99</td></tr></table></div><h2 id=\"next\">Next</h2><p>after</p>")
    read = []
    original = SectionParser.handle_data
    monkeypatch.setattr(SectionParser, "handle_data", lambda self, data: read.append(data) or original(self, data))
    assert shown(sections(html, templated=True)) == shown(materials(html))
    assert read == ["before", "Next", "after"]  # not the chart's title, not its table
    read.clear()
    assert shown(sections(html)) == shown(materials(html))
    assert "a chart" in read and "99" in read  # any other HTML: read, as Material reads it


TRICKY = [
    "",
    "plain text, no tags at all & an &amp; entity &#233; &eacute;",
    "<h1 id='t'>Title</h1><p>Text</p><h2 id=\"s\">Section <a class=\"headerlink\" href=\"#s\">¶</a></h2><p>More</p>",
    "<h2 id='first'>Not h1 first</h2><p>text</p>",
    "<p>before any heading</p><h3>no id</h3><p>after</p>",
    "<div data-search-exclude><p>gone</p></div><p>kept</p><div><p>a div again</p></div>",
    "<div data-search-exclude>x<div>inner</div>y</div><div>z</div><p>after</p>",  # any div closing forgets it
    "<span data-search-exclude><span>a</span>still skipped?</span>after",
    # Skipped unread only when reading it would change nothing: these are read.
    "<div data-search-exclude><p>unclosed</div><p>after</p></div><p>later</p>",
    "<div data-search-exclude><b>x</i></b></div><p>after</p>",
    "<section data-search-exclude><div data-search-exclude>a<div>b</div>c</div>d</section>e",
    "<div data-search-exclude><span data-search-exclude>a<span>b</span>c</span>d</div><span>e</span>f",
    "<div data-search-exclude><br>a<img src=\"x\"/></br></div><p>after</p>",
    "<div data-search-exclude>a<!-- <div> -->b</div><p>after</p>",
    "<div data-search-exclude>a<title></div></title>b</div><p>after</p>",
    "<div data-search-exclude><svg><title>a chart</title><rect/></svg></div><p>after</p>",
    "<div data-search-exclude><svg><title>a <b>bold</b> title</title></svg></div><p>after</p>",
    "<div data-search-exclude><textarea>t</textarea><plaintext></div><p>after</p>",
    "<div data-search-exclude>a<object><p>o</p></object>b</div><p>after</p>",
    "<div><span data-search-exclude>a<div>b</div>c</span>d</div><p>after</p>",
    "<div data-search-exclude><p data-search-exclude>a</p><svg><rect/></svg></div><p>after</p>",
    "<p data-search-exclude/>x<p>y</p>",
    "<div data-search-exclude>a<span title='q'>b</span></div><p>after</p>",
    "<div class=\"linenodiv\"><pre>1\n2</pre></div><pre>  keep\n  this  </pre>",
    "<ul><li>one</li><li>  </li><li><code>two</code></li></ul><p> </p><p>x</p>",
    "<p><code>a</code><code></code>b</p>",  # an empty kept tag after another: the first opening
    "<h2 id=\"a\">Title <code>with</code> code</h2><p>t</p>",
    "<div><h2 id=\"nested\">In a div</h2><p>one</p></div><p>two</p><h2 id=\"b\">B</h2>",
    "<script>var x = '<p>not text</p>';</script><p>after</p><style>p{}</style>",
    "<object><p>x</p></object><p>y</p>",
    "<!-- a comment --><p>t</p><!-- a -- tricky --- comment --><p>u</p><!--okrs-search-set-aside-3-->",
    "<P CLASS=\"X\">Upper</P><BR/><br><hr /><img src=x alt='y'>",
    "<div/><p>self-closed div</p><span/>t",
    "<p>unclosed <b>bold<p>next</p>",
    "</p>stray end</div><p>ok</p>",
    "a < b and c > d, 3<4",
    "<p title='single' data-x=unquoted data-y>attrs</p>",
    "<p title=\"a &amp; b &lt;c&gt;\" data-search-exclude=\"\">empty valued exclusion</p><p>next</p>",
    "<![CDATA[ raw ]]><!DOCTYPE html><?pi x?><p>t</p>",
    "<my-element>custom</my-element><p>t</p>",
    "<p>line\nbreaks\n\nin text</p>\n\n<p>\n</p>",
    "<table><tr><td>a</td><td>b</td></tr></table><dl><dt>k</dt><dd>v</dd></dl>",
    "<h1 id='x'>T</h1><h2 id='y'><code>only code</code></h2>",
    "<sub>2</sub><sup></sup><ol><li>1</li></ol>",
    "<p>&notanentity; &amp &#x41; &#65</p>",
    "<p a=\"1\"\nb=\"2\"\tc>whitespace between attributes</p>",
    "<hx>a tag named like the preface</hx><p>t</p>",
]


@pytest.mark.parametrize("html", TRICKY)
def test_html_made_to_trip_it_gives_materials_sections_or_its_error(html):
    try:
        expected = shown(materials(html))
    except Exception as error:  # noqa: BLE001 - Material's parser fails on some HTML: so must ours
        for ours in (sections, fed):
            with pytest.raises(type(error)):
                ours(html)
        return
    assert shown(sections(html)) == expected
    assert shown(fed(html)) == expected


def test_its_entries_are_materials_and_material_is_asked_otherwise(pages, monkeypatch):
    page = next(p for p in pages if p.path.startswith("objectives/"))

    def entries(add) -> list[dict]:
        index = material_search.SearchIndex(**SEARCH)
        context = SimpleNamespace(meta={"title": page.title, "search": {"boost": 5}}, content=page.html, toc=[],
                                  url=page.path, title=page.title)
        done = add(index, context)
        return index.entries if done is not False else None

    expected = entries(lambda index, context: index.add_entry_from_context(context))
    assert expected and entries(add_entries) == expected
    assert search_sections.matches_material(), "this Material's parser is the one copied"
    monkeypatch.setattr(search_sections, "_MATERIAL_PARSER", "another version")
    search_sections._copies_material.cache_clear()
    try:
        assert entries(add_entries) is None, "another version of Material's parser: it indexes the page itself"
    finally:
        monkeypatch.undo()
        search_sections._copies_material.cache_clear()
    assert add_entries(SimpleNamespace(entries=[]), SimpleNamespace(meta={}, content="<p>x</p>")) is False, \
        "MkDocs' own search index (or any other): left to it"
