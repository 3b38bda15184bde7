"""Search that helps, on a demo site: Material's index (search/search_index.json) holds
clean text, and in Chromium an objective's title finds that objective first.

What the index should hold is computed from the built pages themselves, with the same
rule Material's indexer follows (``data-search-exclude`` drops an element and all it
holds): every table cell and fact (td, th, dt, dd) reaches the index as its own words,
never glued to the next cell ("OwnerPriya Raman", "Off trackConfidence 40%").
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from urllib.parse import urlsplit

from e2e.conftest import BuiltSite, DemoSites
from e2e.test_browser import Visit

CELLS = ("td", "th", "dt", "dd")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Cells(HTMLParser):
    """The text of every cell in the page's article, without what search excludes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, excluded)
        self.in_article = 0
        self.open_cells: list[list[str]] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        excluded = any(name == "data-search-exclude" for name, _ in attrs) or (self.stack and self.stack[-1][1])
        self.stack.append((tag, bool(excluded)))
        if tag == "article":
            self.in_article += 1
        if self.in_article and tag in CELLS:
            self.open_cells.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.stack:
            return
        while self.stack:
            top, _ = self.stack.pop()
            if top in CELLS and self.in_article and self.open_cells:
                text = " ".join("".join(self.open_cells.pop()).split())
                if self.open_cells:
                    self.open_cells[-1].append(" ")
                if text:
                    self.cells.append(text)
            if top == "article":
                self.in_article -= 1
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.open_cells and not (self.stack and self.stack[-1][1]):
            self.open_cells[-1].append(data)


def cells_of(page_html: str) -> list[str]:
    parser = _Cells()
    parser.feed(page_html)
    parser.close()
    return parser.cells


def index_entries(site: BuiltSite) -> list[dict]:
    return json.loads(site.page("search/search_index.json"))["docs"]


def plain(text: str) -> str:
    """An entry's text as a reader sees it: Material keeps a few tags (p, code, li)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def page_text(entries: list[dict], location: str) -> str:
    return " ".join(plain(e["text"]) for e in entries if e["location"].split("#")[0] == location)


def unique_titles(site: BuiltSite) -> dict[str, str]:
    """Objective page location -> title, for titles no other objective has."""
    objectives = json.loads(site.page("okrs.json"))["objectives"]
    counts = Counter(o["title"] for o in objectives)
    return {f"objectives/{o['id']}/": o["title"] for o in objectives if counts[o["title"]] == 1}


def test_the_index_holds_no_chart_or_sparkline_words(demo_sites: DemoSites) -> None:
    entries = index_entries(demo_sites.open)
    assert len(entries) > 100
    texts = [plain(e["text"]) for e in entries]
    # What the charts and sparklines say to screen readers, and the chart's table.
    for words in ("expected by", "over 2 check-ins", "updates;", "Check-ins as a table", "Progress over time"):
        hits = [t[:120] for t in texts if words in t]
        assert not hits, f"{words!r} is in the index: {hits[:3]}"


@pytest.mark.parametrize("kind", ["objective", "person", "team", "dashboard", "period", "closed-period",
                                  "closed-objective", "how-to-edit"])
def test_every_cell_reaches_the_index_as_its_own_words(demo_sites: DemoSites, kind: str) -> None:
    site = demo_sites.closed if kind.startswith("closed") else demo_sites.open
    entries = index_entries(site)
    location = {
        "objective": next(iter(sorted(unique_titles(site)))),
        "closed-objective": next(iter(sorted(unique_titles(site)))),
        "person": sorted(e["location"] for e in entries if re.fullmatch(r"people/[^/]+/", e["location"]))[0],
        "team": sorted(e["location"] for e in entries if re.fullmatch(r"teams/[^/]+/", e["location"]))[0],
        "period": "periods/2026-Q4/", "closed-period": "periods/2026-Q4/", "dashboard": "",
        "people": "people/", "teams": "teams/", "how-to-edit": "how-to-edit/",
    }[kind]
    cells = cells_of(site.page(location + "index.html"))
    # A period page's list of objectives is out of search (each is found on its own page): its facts stay.
    assert len(cells) > (4 if kind.endswith("period") else 10), cells
    text = page_text(entries, location)
    glued = [cell for cell in cells if not re.search(rf"(?:^|\s){re.escape(cell)}(?:\s|$)", text)]
    assert not glued, f"{location}: cells run into their neighbours in the index: {glued[:5]}\n{text[:600]}"


@pytest.mark.parametrize("index, kind", [("people/", "people"), ("teams/", "teams")])
def test_the_people_and_teams_indexes_leave_each_to_its_own_page(demo_sites: DemoSites, index: str,
                                                                 kind: str) -> None:
    """The indexes are lists: their title is found, and each person or team on their own page."""
    site = demo_sites.open
    entries = index_entries(site)
    names = {i: p["name"] for i, p in json.loads(site.page("okrs.json"))[kind].items()}
    listed = page_text(entries, index)
    assert [e for e in entries if e["location"] == index and e["title"]], "the index's title is searchable"
    assert not [n for n in names.values() if n in listed], f"{index} lists names in search"
    titled = {e["location"]: e["title"] for e in entries}
    assert all(titled.get(f"{kind}/{i}/") == n for i, n in names.items())


def test_objective_pages_are_boosted_and_people_pages_are_not(demo_sites: DemoSites) -> None:
    entries = index_entries(demo_sites.open)
    # the objective pages, not the index of them all (a list, like the people pages)
    objective = [e for e in entries if e["location"].startswith("objectives/") and
                 e["location"].split("#")[0] != "objectives/"]
    people = [e for e in entries if e["location"].startswith("people/")]
    assert objective and people
    assert all(e.get("boost", 1) > 1 for e in objective)
    assert all(e.get("boost", 1) == 1 for e in people)


def _first_hit(page, query: str) -> str:
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=10)
    page.locator(".md-search-result__item").first.wait_for(timeout=5_000)
    page.wait_for_timeout(300)  # the results settle as the last letters are typed
    href = page.locator(".md-search-result__item > a").first.get_attribute("href") or ""
    return urlsplit(href).path


def test_typing_an_objective_title_lists_that_objective_first(browser, serve, demo_sites: DemoSites) -> None:
    site = demo_sites.open
    titles = unique_titles(site)
    entries = index_entries(site)
    listed_elsewhere = {loc: t for loc, t in titles.items()
                        if any(t in plain(e["text"]) for e in entries if e["location"].startswith("people/"))}
    assert len(listed_elsewhere) >= 5, "titles should also be listed on people pages, or the test proves nothing"
    visit = Visit(browser, serve(site.site))
    try:
        page = visit.open("/")
        for location, title in sorted(listed_elsewhere.items())[:3]:
            assert _first_hit(page, title).endswith("/" + location), title
        # Part of a title ("in Mobile"): people pages list many such titles, and without the
        # objective pages' boost a person who owns several ranked first.
        for location, title in sorted(listed_elsewhere.items()):
            query = " ".join(title.split()[-2:])
            first = _first_hit(page, query)
            assert "/objectives/" in first, (query, first)
        visit.assert_clean()
    finally:
        visit.close()


_MATERIAL_INDEXES = """
import sys
import generator.mkdocs.search_sections as ours
ours._copies_material = lambda: False  # as if Material's parser were another than the one copied
from generator.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("fixture", ["example_site", "hostile_site"])
def test_the_site_is_the_same_when_material_indexes_our_pages_itself(fixture, request, tmp_path):
    """Our pages are indexed by our copy of Material's parser (search_sections.py), and
    Material skips them: with Material's own parser instead, every file is the same."""
    import subprocess
    import sys

    from e2e.conftest import AS_OF, build_env, file_contents

    built: BuiltSite = request.getfixturevalue(fixture)
    assert not (built.root / ".okrs-cache").exists(), "no build cache: both builds index every page"
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-c", _MATERIAL_INDEXES, "build", "--root", str(built.root),
                             "--as-of", AS_OF, "--site-dir", str(site)], capture_output=True, text=True,
                            env=build_env(PYTHONHASHSEED="1"), timeout=300)
    assert result.returncode == 0, result.stderr
    ours, materials = file_contents(built.site), file_contents(site)
    assert ours.keys() == materials.keys()
    assert [name for name in ours if ours[name] != materials[name]] == []
    index = json.loads(materials["search/search_index.json"])
    assert len(index["docs"]) > 40
