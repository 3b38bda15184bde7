"""Bounded pages: long lists are paged (or capped with a link to the fuller list), so no
page grows with the organisation.

A real `okrs build` of an `okrs demo` organisation, with the page size lowered (a module
constant, set in the build's own process) so a small demo pages everything: every
objective is reachable through the pager, every pager link lands, the index's filters
search every objective through its data file (Chromium), the feed parses, and the
aggregate pages' lists stay out of the search index. One more check builds the site
model of two organisations, one three times the other, and compares their biggest pages.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from e2e.conftest import REPO, BuiltSite, build_env, run_okrs

PAGE_SIZE = 7
CAP = 3
MAX_OPTIONS = 10  # so the index's owner filter is a typed field, as on a large site (not status)
AS_OF = "2026-12-01"
# `okrs build` with the paging constants lowered, in the build's own process (its workers fork from it).
BUILD = ("import sys; import generator.site.paging as p, generator.site.index_pages as i; "
         f"p.PAGE_SIZE = {PAGE_SIZE}; p.CAP = {CAP}; i.MAX_OPTIONS = {MAX_OPTIONS}; "
         "from generator.cli.main import main; sys.exit(main(sys.argv[1:]))")


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    base = tmp_path_factory.mktemp("paged")
    root = base / "repo"
    made = run_okrs("demo", root, "--root", REPO, "--objectives", "40", "--weeks", "6")
    assert made.returncode == 0, made.stderr
    site = base / "site"
    result = subprocess.run([sys.executable, "-c", BUILD, "build", "--root", str(root), "--as-of", AS_OF,
                             "--site-dir", str(site)], capture_output=True, text=True, env=build_env(), timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(root=root, site=site, result=result, okrs_before={}, finished=0.0)


class _Links(HTMLParser):
    """The article's links, and those of its pagers (nav.okrs-pages) and its index rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.pager_links: list[tuple[str, str]] = []  # (href, rel)
        self.current: list[str] = []  # the pager's current page numbers
        self.row_links: list[str] = []  # the first link of each table row / list item in the article
        self.links: list[str] = []
        self.in_pager = self.in_article = 0
        self._row_open = False
        self._in_current = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "article":
            self.in_article += 1
        if tag == "nav" and "okrs-pages" in (a.get("class") or ""):
            self.in_pager += 1
            self.stack.append("pager")
        elif tag not in ("br", "img", "input", "meta", "link"):
            self.stack.append(tag)
        if tag in ("tr", "li") and self.in_article and not self.in_pager:
            self._row_open = True
        if tag == "span" and a.get("aria-current") == "page":
            self._in_current = True
        if tag == "a" and a.get("href") and self.in_article:
            self.links.append(a["href"])
            if self.in_pager:
                self.pager_links.append((a["href"], a.get("rel") or ""))
            elif self._row_open:
                self.row_links.append(a["href"])
                self._row_open = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1
        if tag == "nav" and self.stack and self.stack[-1] == "pager":
            self.in_pager -= 1
        if self.stack:
            self.stack.pop()
        if tag == "span":
            self._in_current = False

    def handle_data(self, data: str) -> None:
        if self._in_current and data.strip():
            self.current.append(data.strip())


def parse(site: Path, page: str) -> _Links:
    parser = _Links()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


def target(page: str, href: str) -> str:
    """The site file a relative link from ``page`` (like ``objectives/2/index.html``) opens."""
    address = href.split("#")[0].split("?")[0]
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), address))
    return path + "/index.html" if address.endswith("/") or path == "." else path


def chain(site: Path, first: str) -> list[str]:
    """The pages of a paged list, from its first page through the pager's "next" links."""
    pages, at = [first], first
    while True:
        nexts = [href for href, rel in parse(site, at).pager_links if rel == "next"]
        if not nexts:
            return pages
        at = target(at, nexts[0])
        assert at not in pages, f"the pager loops back to {at}"
        pages.append(at)


def objectives(site: BuiltSite) -> list[dict]:
    return json.loads(site.page("okrs.json"))["objectives"]


def objective_file(ident: str) -> str:
    return f"objectives/{ident}/index.html"


def test_every_objective_is_reachable_through_the_objectives_index_pager(paged: BuiltSite) -> None:
    pages = chain(paged.site, "objectives/index.html")
    everyone = {objective_file(o["id"]) for o in objectives(paged)}
    assert len(pages) == -(-len(everyone) // PAGE_SIZE) > 2
    found = [target(p, href) for p in pages for href in parse(paged.site, p).row_links]
    assert sorted(found) == sorted(everyone)  # each once, all of them
    assert len(parse(paged.site, "objectives/index.html").row_links) == PAGE_SIZE
    assert pages[1] == "objectives/2/index.html"


def test_period_tag_people_and_teams_lists_reach_everything_through_their_pagers(paged: BuiltSite) -> None:
    data = json.loads(paged.site.joinpath("okrs.json").read_text(encoding="utf-8"))
    for period in {o["period"] for o in data["objectives"]}:
        pages = chain(paged.site, f"periods/{period}/index.html")
        found = {target(p, h) for p in pages for h in parse(paged.site, p).row_links}
        mine = {objective_file(o["id"]) for o in data["objectives"] if o["period"] == period}
        assert mine <= found and len(pages) == -(-len(mine) // PAGE_SIZE)
    people = chain(paged.site, "people/index.html")
    found = {target(p, h) for p in people for h in parse(paged.site, p).row_links}
    assert {f"people/{ident}/index.html" for ident in data["people"]} == found and len(people) > 1
    teams = chain(paged.site, "teams/index.html")
    found = {target(p, h) for p in teams for h in parse(paged.site, p).row_links}
    assert {f"teams/{ident}/index.html" for ident in data["teams"]} == found and len(teams) > 1
    tagged = max({t for o in data["objectives"] for t in o["tags"]},
                 key=lambda t: sum(t in o["tags"] for o in data["objectives"]))
    slug = re.sub(r"[^a-z0-9]+", "-", tagged.lower()).strip("-")
    pages = chain(paged.site, f"tags/{slug}/index.html")
    found = [target(p, h) for p in pages for h in parse(paged.site, p).row_links]
    assert sorted(found) == sorted(objective_file(o["id"]) for o in data["objectives"] if tagged in o["tags"])


def test_the_attention_list_is_paged_worst_first_and_the_dashboard_links_to_its_stale_part(paged: BuiltSite) -> None:
    data = objectives(paged)
    current = "2026-Q4"
    needing = sum(1 for o in data if o["period"] == current and o["declared_status"] == "active"
                  for kr in o["key_results"] if kr["status"] in ("off-track", "at-risk"))
    pages = chain(paged.site, "attention/index.html")
    text = [(paged.site / p).read_text(encoding="utf-8") for p in pages]
    rows = sum(len(re.findall(r'<tr><th scope="row" data-label="Key result">', t)) for t in text)
    stale = sum(t.count('<li><span class="okrs-badge okrs-badge--stale">') for t in text)
    assert rows == needing > PAGE_SIZE
    assert len(pages) == -(-(rows + stale) // PAGE_SIZE)
    assert f"Off track and at risk ({needing})" in text[0]
    if stale:  # the dashboard's "All N stale key results" opens the page where they begin
        dashboard = paged.page("index.html")
        link = re.search(r'<a href="([^"]+)#stale">All \d+ stale key results', dashboard)
        assert link and 'id="stale"' in (paged.site / target("index.html", link[1])).read_text(encoding="utf-8")


def test_every_pager_link_lands_and_marks_its_own_page(paged: BuiltSite) -> None:
    pagers = 0
    for path in sorted(paged.site.rglob("index.html")):
        page = path.relative_to(paged.site).as_posix()
        parsed = parse(paged.site, page)
        if not parsed.pager_links:
            continue
        pagers += 1
        for href, _ in parsed.pager_links:
            assert (paged.site / target(page, href)).is_file(), f"{page}: the pager's {href} opens nothing"
        number = re.search(r"/(\d+)/index\.html$", page)
        assert set(parsed.current) == {number[1] if number else "1"}, page
    assert pagers > 20


def test_capped_lists_say_how_many_more_and_link_to_where_they_are(paged: BuiltSite) -> None:
    company = paged.page("teams/company/index.html")
    more = re.search(r'And (\d+) more: see the sub-teams\' pages, or <a href="([^"]+)">all of them', company)
    assert more, "the top team's list of its sub-teams' objectives is capped"
    href = more[2].replace("&amp;", "&")
    assert "team=company" in href and (paged.site / target("teams/company/index.html", href)).is_file()
    assert company.count('data-label="Objective"') <= 2 * (PAGE_SIZE + CAP) * 2  # two periods at most


def test_filters_over_the_data_file_find_an_objective_on_page_two(paged: BuiltSite, browser, serve) -> None:
    data = json.loads(paged.page("objectives/objectives.json"))
    column = {name: i for i, name in enumerate(data["columns"])}
    second = parse(paged.site, "objectives/2/index.html").row_links[0]
    wanted = next(o for o in data["objectives"]
                  if target("objectives/2/index.html", second) == objective_file(o[column["id"]]))
    assert data["pages"]["objective"].replace("{}", wanted[column["id"]]) + "index.html" == objective_file(wanted[0])
    owner_name = data["people"][wanted[column["owner"]]][0]
    expected = [o[column["title"]] for o in data["objectives"] if o[column["status"]] == wanted[column["status"]]
                and any(i == wanted[column["owner"]] or owner_name.lower() in data["people"].get(i, [""])[0].lower()
                        for i in o[column["filter_owner"]].split())]
    base = serve(paged.site)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/objectives/", wait_until="networkidle")
    assert page.locator("input[name=owner]").count() == 1  # many owners: a field to type in, not a list
    page.select_option("select[name=status]", wanted[column["status"]])
    page.fill("input[name=owner]", owner_name)
    page.press("input[name=owner]", "Enter")
    page.wait_for_function("document.querySelector('[data-okrs-count]').textContent.startsWith('Showing')")
    shown = page.locator("#okrs-objective-rows > tr:visible > th > a").all_inner_texts()
    assert wanted[column["title"]] in shown and sorted(shown) == sorted(expected)
    assert page.locator("[data-okrs-pager]").first.is_hidden()
    link = page.locator("#okrs-objective-rows > tr:visible > th > a", has_text=wanted[column["title"]]).first
    assert link.get_attribute("href").endswith(f"objectives/{wanted[column['id']]}/")
    assert "status=" in page.url and "owner=" in page.url
    page.goto(page.url, wait_until="networkidle")  # the address restores the filters
    page.wait_for_function("document.querySelector('[data-okrs-count]').textContent.startsWith('Showing')")
    assert sorted(page.locator("#okrs-objective-rows > tr:visible > th > a").all_inner_texts()) == sorted(expected)
    page.click("form.okrs-filter button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#okrs-objective-rows > tr:not([hidden])').length == {PAGE_SIZE}")
    assert page.locator("[data-okrs-pager]").first.is_visible()
    assert not errors, errors
    page.close()


def test_the_feed_parses_with_one_short_entry_per_complete_week(paged: BuiltSite) -> None:
    feedparser = pytest.importorskip("feedparser")
    feed = feedparser.parse(paged.page("changelog/feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert 0 < len(feed.entries) <= 26
    for entry in feed.entries:
        assert re.fullmatch(r"Week \d{4}-W\d\d: .+", entry.title)
        assert len(entry.description) < 2000 and "See the week on the site" in entry.description
        week = re.search(r"changelog/(\d{4}-W\d\d)/", entry.link)[1]
        assert (paged.site / "changelog" / week / "index.html").is_file()


def test_aggregate_lists_stay_out_of_search_and_their_titles_stay_in(paged: BuiltSite) -> None:
    entries = json.loads(paged.page("search/search_index.json"))["docs"]
    titles = {o["title"] for o in objectives(paged)}
    aggregate = re.compile(r"(objectives/(\d+/)?|attention/(\d+/)?|periods/[^/]+/(\d+/)?|tags/[^/]+/(\d+/)?"
                           r"|alignment/|people/(\d+/)?|teams/(\d+/)?|)$")
    for entry in entries:
        where = entry["location"].split("#")[0]
        if aggregate.fullmatch(where) and where != "":
            assert not [t for t in titles if t in entry["text"]], f"{where} lists objectives in search"
    locations = {e["location"] for e in entries if e["title"]}
    for page in ("objectives/", "attention/", "alignment/", "objectives/2/"):
        assert page in locations, f"{page}: its title is not searchable"
    own = [e for e in entries if e["location"] in {f"objectives/{o['id']}/" for o in objectives(paged)}]
    assert {e["title"] for e in own} >= titles - {""}  # each objective is found on its own page


def _model_sizes(root: Path) -> dict[str, int]:
    from generator.config import load_config
    from generator.history.walk import read_history
    from generator.reading.loader import load_repository
    from generator.site.build import build_site_model
    config = load_config(root)
    model = build_site_model(load_repository(config), read_history(config, as_of=date.fromisoformat(AS_OF)),
                             config, as_of=date.fromisoformat(AS_OF))
    return {p.path: len(p.html) for p in model.pages}


def test_no_page_grows_with_the_organisation(tmp_path: Path, monkeypatch) -> None:
    from generator.demo.repository import create_demo
    from generator.site import index_pages, paging
    monkeypatch.setattr(paging, "PAGE_SIZE", PAGE_SIZE)
    monkeypatch.setattr(paging, "CAP", CAP)
    monkeypatch.setattr(index_pages, "MAX_OPTIONS", MAX_OPTIONS)
    sizes = {}
    for count in (40, 120):
        create_demo(tmp_path / str(count), objectives=count, weeks=3, template_root=REPO)
        sizes[count] = _model_sizes(tmp_path / str(count))
    assert len(sizes[120]) > 2 * len(sizes[40])  # three times the organisation: more pages …
    small, large = max(sizes[40].values()), max(sizes[120].values())
    biggest = max(sizes[120], key=sizes[120].get)
    assert large <= small * 1.25, f"{biggest}: {large} bytes, the smaller organisation's biggest {small}"


PAGED = ("/objectives/", "/objectives/2/", "/attention/2/", "/periods/2026-Q4/2/", "/people/2/", "/alignment/",
         "/teams/company/", "/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_paged_pages(paged: BuiltSite, browser, serve, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(base_url=serve(paged.site), color_scheme=scheme)
    page = context.new_page()
    for path in PAGED + ("filtered",):
        if path == "filtered":  # the filters' own rows, from the data file
            page.goto("/objectives/2/?status=at-risk", wait_until="networkidle")
            page.wait_for_function("document.querySelector('[data-okrs-count]').textContent.startsWith('Showing')")
        else:
            assert page.goto(path, wait_until="networkidle").ok, path
        violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert not violations, (path, scheme, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations])
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_paged_page_scrolls_sideways(paged: BuiltSite, browser, serve, width: int) -> None:
    context = browser.new_context(base_url=serve(paged.site), viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in PAGED:
        assert page.goto(path, wait_until="networkidle").ok, path
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
    context.close()


def test_an_objectives_history_links_to_the_part_of_the_week_that_lists_it(paged: BuiltSite) -> None:
    later_parts = 0
    for o in objectives(paged):
        page = objective_file(o["id"])
        text = (paged.site / page).read_text(encoding="utf-8")
        history = text[text.index('id="history"'):]
        for href in re.findall(r'<td data-label="When"><a href="([^"]+)">', history):
            week = target(page, href)
            first = re.sub(r"/\d+/index\.html$", "/index.html", week)
            listing = [p for p in chain(paged.site, first)
                       if f'id="{o["id"].replace("/", "-")}"' in (paged.site / p).read_text(encoding="utf-8")]
            # The week's page that lists the objective (a week whose changes cancel out lists it nowhere).
            assert listing == [week] or (not listing and week == first), (page, week, listing)
            later_parts += week != first
    assert later_parts > 0  # some on a busy week's later pages
