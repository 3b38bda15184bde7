"""Every page kind of a demo site in Chromium at a phone's, a laptop's and a wide screen's
width, light and dark: nothing wider than its container, and no serious or critical axe
violation.

"Wider than its container" is measured as the browser lays the page out: an element whose
content is wider than its box (scrollWidth > clientWidth) cuts its content off or spills it
over its neighbours; the table wrappers scroll sideways only if a table does not fit, so a
wrapper that can scroll is a table that was clipped ("On tra", "At ris").
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from e2e.conftest import DemoSites
from e2e.test_browser import Visit

WIDTHS = (390, 1280, 1920)
CONTAINERS = ("table", "td", "th", ".okrs-table-wrap", ".okrs-card", ".okrs-cards", ".okrs-facts", ".md-content",
              ".md-content__inner", ".okrs-chart", "figure", "details", "dd")

OVERFLOWING = """(selectors) => {
  const found = [];
  for (const el of document.querySelectorAll(selectors)) {
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;  // not shown
    const head = el.closest('thead');  // on a phone the column heads are hidden, kept for screen readers
    if (head && getComputedStyle(head).position === 'absolute') continue;
    const overflow = el.scrollWidth - el.clientWidth;
    if (overflow > 1) {
      const where = el.closest('[id]');
      found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
                 + `${el.dataset.label ? '[' + el.dataset.label + ']' : ''} in #${where ? where.id : '?'}`
                 + ` is ${el.scrollWidth}px wide in ${el.clientWidth}px: ${(el.innerText || '').slice(0, 40)}`);
    }
  }
  return found;
}"""


def page_kinds(demo: DemoSites) -> dict[str, tuple[str, str]]:
    """kind -> (which build, path): one page of every kind the site has."""
    site = demo.open
    objectives = json.loads(site.page("okrs.json"))["objectives"]
    first = sorted(o["id"] for o in objectives)[0]
    owners = Counter(kr["owner"] for o in objectives for kr in o["key_results"])
    busiest = sorted(owners, key=lambda p: (-owners[p], p))[0]
    weeks = sorted(p.parent.name for p in (site.site / "changelog").glob("*-W*/index.html"))
    kinds = {
        "dashboard": ("open", ""),
        "objective": ("open", f"objectives/{first}/"),
        "person": ("open", f"people/{busiest}/"),
        "team-with-sub-teams": ("open", "teams/engineering/"),
        "team": ("open", f"teams/{first.split('/')[1]}/"),
        "period": ("open", "periods/2026-Q4/"),
        "closed-period": ("closed", "periods/2026-Q4/"),
        "closed-objective": ("closed", f"objectives/{first}/"),
        "alignment": ("open", "alignment/"),
        "changelog": ("open", "changelog/"),
        "changelog-week": ("open", f"changelog/{weeks[-1]}/"),
        "teams": ("open", "teams/"),
        "people": ("open", "people/"),
        "periods": ("open", "periods/"),
        "how-to-edit": ("open", "how-to-edit/"),
    }
    for kind, (build, path) in kinds.items():
        assert (getattr(demo, build).site / path / "index.html").is_file(), (kind, path)
    return kinds


KINDS = ("dashboard", "objective", "person", "team-with-sub-teams", "team", "period", "closed-period",
         "closed-objective", "alignment", "changelog", "changelog-week", "teams", "people", "periods", "how-to-edit")


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_wider_than_its_container(browser, serve, demo_sites: DemoSites, screenshots, width: int) -> None:
    kinds = page_kinds(demo_sites)
    assert sorted(kinds) == sorted(KINDS)
    problems: dict[str, list[str]] = {}
    visits = {build: Visit(browser, serve(getattr(demo_sites, build).site),
                           viewport={"width": width, "height": 900}, is_mobile=width < 500, has_touch=width < 500)
              for build in ("open", "closed")}
    try:
        for kind, (build, path) in kinds.items():
            page = visits[build].open(path)
            found = page.evaluate(OVERFLOWING, ", ".join(CONTAINERS))
            page_width = page.evaluate("() => document.documentElement.scrollWidth")
            if page_width > width + 1:
                found.append(f"the page is {page_width}px wide")
            if found:
                problems[kind] = found[:4]
                screenshots(page, f"overflow-{kind}-{width}")
        for visit in visits.values():  # pages open one after another: a search worker's load may be cut short
            assert not visit.foreign_requests() and not visit.console_errors and not visit.dialogs
    finally:
        for visit in visits.values():
            visit.close()
    assert not problems, f"at {width}px:\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_any_page_kind(browser, serve, demo_sites: DemoSites,
                                                            scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    kinds = page_kinds(demo_sites)
    axe = Axe()
    found: dict[str, list[str]] = {}
    visits = {build: Visit(browser, serve(getattr(demo_sites, build).site), color_scheme=scheme)
              for build in ("open", "closed")}
    try:
        for kind, (build, path) in kinds.items():
            page = visits[build].open(path)
            if kind.startswith("objective") or kind == "closed-objective":
                page.locator("details.okrs-chart__data summary").first.click()  # the check-ins table too
            # Judge the page at rest: the click scrolls, and Material's header fades its title in
            # and out (an axe run mid-fade saw a half-transparent title as low contrast).
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
            page.wait_for_timeout(50)
            violations = [v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
            if violations:
                found[kind] = [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in violations]
        for visit in visits.values():
            assert not visit.foreign_requests() and not visit.console_errors and not visit.dialogs
    finally:
        for visit in visits.values():
            visit.close()
    assert not found, f"axe ({scheme}):\n" + "\n".join(f"{k}: {v}" for k, v in found.items())
