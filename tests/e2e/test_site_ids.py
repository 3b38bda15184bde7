"""Every HTML id is unique within its page, on every page of a demo site (open and closed).

Key results appear on several pages (objective, person, team); their row ids were once
``kr-<id>`` everywhere, which repeats when a page lists two objectives with a key result
of the same id. Parsed with the standard library's HTML parser, not a regular expression.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from e2e.conftest import DemoSites


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if tag == "a" and name == "href" and value:
                self.links.append(value)


def parsed(path: Path) -> _Ids:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.mark.parametrize("when", ["open", "closed"])
def test_no_page_repeats_an_id(demo_sites: DemoSites, when: str) -> None:
    site = getattr(demo_sites, when).site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 60, "the demo site should have every page kind"
    repeated = {}
    for page in pages:
        counts = Counter(parsed(page).ids)
        twice = sorted(ident for ident, n in counts.items() if n > 1)
        if twice:
            repeated[page.relative_to(site).as_posix()] = twice[:5]
    assert not repeated, f"{len(repeated)} pages repeat an id: {dict(list(repeated.items())[:5])}"


def test_a_person_page_that_lists_two_objectives_key_results_has_distinct_ids(demo_sites: DemoSites) -> None:
    """The case that once repeated: a person owning key results of the same id in two objectives."""
    site = demo_sites.open.site
    for page in sorted((site / "people").glob("*/index.html")):
        rows = [i for i in parsed(page).ids if i.startswith("kr-")]
        kr_ids = [row.rsplit(".", 1)[-1] for row in rows]
        if len(set(kr_ids)) < len(kr_ids):
            assert len(set(rows)) == len(rows)
            return
    pytest.fail("no person in the demo owns two key results of the same id: the test proves nothing")


def test_links_to_key_results_land_on_an_existing_id(demo_sites: DemoSites) -> None:
    """Every link with a #kr- or #chart- fragment points at an id of its target page."""
    site = demo_sites.open.site
    ids_of: dict[Path, set[str]] = {}
    checked = 0
    for page in sorted(site.rglob("*.html")):
        for href in parsed(page).links:
            if not re.search(r"#(kr|chart)-", href) or re.match(r"^[a-z]+:", href):
                continue
            target_path, fragment = href.split("#", 1)
            target = page if not target_path else Path(posixpath.normpath(page.parent / target_path))
            target = target / "index.html" if target.is_dir() else target
            if target not in ids_of:
                ids_of[target] = set(parsed(target).ids)
            assert fragment in ids_of[target], f"{page.relative_to(site)}: {href}"
            checked += 1
    assert checked > 50, checked
