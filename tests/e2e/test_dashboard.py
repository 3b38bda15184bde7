"""The dashboard, team roll-ups, the objectives index and tag pages, built by `okrs build`
from a real git repository with backdated commits, and opened in Chromium.

The repository is written here from Python data (``STATES``: every key result's current
value at each commit), so what the pages must say is computed from that data with the
specification's formulas, not read from the generator: progress, pace status, the
team hierarchy's roll-ups, the order of "Needs attention", the weekly burn-up points
and last week's movers. The build's as-of date is a Monday, when the current week has
barely begun: the movers must be those of the week before.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from gitrepo import GitRepo

from e2e.conftest import BuiltSite, build, copy_repository

AS_OF = date(2026, 11, 23)  # a Monday: ISO week 2026-W48 has just begun
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
PEOPLE = """\
people:
  alice: {name: Alice Rossi}
  bob: {name: Bob Brown}
  carol: {name: Carol Chen}
  dan: {name: Dan Diaz}
  erin: {name: Erin Evans}
teams:
  org: {name: Org, lead: alice, members: [alice]}
  eng: {name: Engineering, lead: bob, members: [bob], parent: org}
  payments: {name: Payments, lead: carol, members: [carol], parent: eng}
  platform: {name: Platform, lead: dan, members: [dan], parent: eng}
  sales: {name: Sales, lead: erin, members: [erin], parent: org}
"""
TEAM_NAMES = {"org": "Org", "eng": "Engineering", "payments": "Payments", "platform": "Platform", "sales": "Sales"}
# objective -> (team, owner, tags, status, {kr id: (owner, confidence)})
OBJECTIVES = {
    "company": ("org", "alice", [], "active", {"c1": ("alice", None)}),
    "checkout": ("payments", "carol", ["reliability", "Cost & Speed"], "active",
                 {"k1": ("carol", None), "k2": ("bob", 0.9), "k3": ("carol", None)}),
    "fraud": ("payments", "carol", ["reliability"], "active", {"k4": ("carol", None), "k5": ("dan", None)}),
    "ci": ("platform", "dan", [], "active", {"k6": ("dan", None), "k7": ("dan", None), "k8": ("bob", None)}),
    "infra": ("platform", "dan", [], "dropped", {"k9": ("dan", None)}),
    "pipeline": ("sales", "erin", ["Cost & Speed"], "active",
                 {"k10": ("erin", None), "k11": ("erin", None), "k12": ("erin", None), "k13": ("alice", None)}),
    "eng-health": ("eng", "bob", [], "active", {"k14": ("bob", None), "k15": ("bob", None)}),
}
# Every key result's current (start 0, target 100) at each commit, by week.
COMMITS = [
    ("2026-11-03T10:00:00+00:00", "W45: the quarter's OKRs",
     {"c1": 50, "k1": 2, "k2": 10, "k3": 20, "k4": 30, "k5": 40, "k6": 5, "k7": 35, "k8": 44, "k9": 0,
      "k10": 1, "k11": 15, "k12": 25, "k13": 38, "k14": 60, "k15": 46}),
    ("2026-11-11T10:00:00+00:00", "W46: check-ins", {"c1": 55, "k2": 12, "k14": 70}),
    ("2026-11-18T10:00:00+00:00", "W47: check-ins", {"k3": 33, "k10": 8, "k14": 80}),
    ("2026-11-19T10:00:00+00:00", "W47: more check-ins", {"k5": 42, "k15": 47}),
    # On the as-of Monday itself: this week's move, not last week's.
    ("2026-11-23T08:00:00+00:00", "W48: a big Monday move", {"k12": 90}),
]


def objective_file(name: str, values: dict[str, int]) -> str:
    team, owner, tags, status, krs = OBJECTIVES[name]
    lines = ["---", f"objective: Objective {name}", f"owner: {owner}", f"team: {team}", "period: 2026-Q4"]
    if status != "active":
        lines.append(f"status: {status}")
    if tags:
        lines.append("tags: [" + ", ".join(f'"{t}"' for t in tags) + "]")
    lines.append("key_results:")
    for kr_id, (kr_owner, confidence) in krs.items():
        lines += [f"  - id: {kr_id}", f"    title: Key result {kr_id}", f"    owner: {kr_owner}",
                  "    start: 0", "    target: 100", f"    current: {values[kr_id]}"]
        if confidence is not None:
            lines.append(f"    confidence: {confidence}")
    return "\n".join(lines + ["---", f"Why {name} matters.", ""])


def states() -> list[tuple[date, dict[str, int]]]:
    """Each commit's day and every key result's current after it."""
    values: dict[str, int] = {}
    out = []
    for when, _, changes in COMMITS:
        values = {**values, **changes}
        out.append((date.fromisoformat(when[:10]), dict(values)))
    return out


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("dashboard")
    root = copy_repository(base / "repo", with_okrs=False)
    repo = GitRepo.create(root)
    repo.write("okrs/people.yaml", PEOPLE)
    for (when, message, _), (_, values) in zip(COMMITS, states()):
        for name, (team, *_) in OBJECTIVES.items():
            repo.write(f"okrs/2026-Q4/{team}/{name}.md", objective_file(name, values), dedent=False)
        repo.commit(message, date=when)
    return root


def built_at(root: Path, day: date) -> BuiltSite:
    built = build(root, root.parent / f"site-{day.isoformat()}", as_of=day.isoformat())
    assert built.result.returncode == 0, built.result.stdout + built.result.stderr
    return built


@pytest.fixture(scope="module")
def site(repository: Path) -> BuiltSite:
    return built_at(repository, AS_OF)


# --- the specification's formulas ------------------------------------------------------------


def elapsed(day: date) -> Fraction:
    start, end = Q4
    if day < start:
        return Fraction(0)
    return min(Fraction(1), Fraction((day - start).days + 1, (end - start).days + 1))


def pct(fraction: Fraction) -> int:
    return math.floor(fraction * 100 + Fraction(1, 2))  # round half up


def kr_status(progress: Fraction, confidence: float | None, day: date) -> str:
    if progress >= 1:
        return "done"
    e = elapsed(day)
    pace = "on-track" if progress >= e - Fraction(1, 10) else "at-risk" if progress >= e - Fraction(1, 4) else "off-track"
    order = ["off-track", "at-risk", "on-track"]
    if confidence is None:
        return pace
    trust = "on-track" if confidence >= 0.7 else "at-risk" if confidence >= 0.4 else "off-track"
    return min(pace, trust, key=order.index)


def progress_of(name: str, values: dict[str, int]) -> Fraction:
    krs = OBJECTIVES[name][4]
    return sum(Fraction(min(max(values[k], 0), 100), 100) for k in krs) / len(krs)


def counted(names: list[str]) -> list[str]:
    return [n for n in names if OBJECTIVES[n][3] == "active"]


def team_and_below(team: str) -> set[str]:
    parents = {t: p for t, p in re.findall(r"^  (\w+): \{name: [^,]+, lead: \w+, members: \[\w+\](?:, parent: (\w+))?\}",
                                             PEOPLE, re.M)}
    below, grew = {team}, True
    while grew:
        more = {t for t, p in parents.items() if p in below} - below
        below |= more
        grew = bool(more)
    return below


# --- reading pages ------------------------------------------------------------------------


def text_of(markup: str) -> str:
    markup = re.sub(r'<span aria-hidden="true">[^<]*</span>', " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def between(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i:page.index(end, i)]


def team_rows(markup: str) -> dict[str, str]:
    return {team: text_of(row) for team, row in re.findall(
        r'<span class="okrs-team-row" data-team="([^"]+)">(.*?)<span class="okrs-team-row__counts">', markup, re.S)}


# --- the tests ------------------------------------------------------------------------------


def test_progress_by_team_rolls_sub_teams_up_to_their_parents(site: BuiltSite) -> None:
    values = states()[-1][1]
    rows = team_rows(between(site.page("index.html"), 'id="teams"', 'id="attention"'))
    assert set(rows) == {"org", "eng", "payments", "platform", "sales"}
    for team in rows:
        mine = [n for n, o in OBJECTIVES.items() if o[0] in team_and_below(team)]
        own = [n for n in mine if OBJECTIVES[n][0] == team]
        mean = pct(sum(progress_of(n, values) for n in counted(mine)) / len(counted(mine)))
        has_children = len(team_and_below(team)) > 1
        words = f"{len(mine)} objective{'s' if len(mine) != 1 else ''}" + (f" ({len(own)} own)" if has_children else "")
        assert rows[team] == f"{TEAM_NAMES[team]} {words} {mean}%", (team, rows[team])
    assert rows["eng"].startswith("Engineering 5 objectives (1 own)")  # eng-health, payments: 2, platform: 2 (1 dropped)
    # The tree nests: Payments and Platform inside Engineering's <details>, Engineering inside Org's.
    page = site.page("index.html")
    eng = between(page, 'data-team="eng"', "</details>")
    assert 'data-team="payments"' in eng and 'data-team="platform"' in eng and 'data-team="sales"' not in eng


def test_a_parent_team_page_shows_its_sub_teams_objectives(site: BuiltSite) -> None:
    values = states()[-1][1]
    body = text_of(site.page("teams/eng/index.html"))
    assert "holds no objectives" not in body
    mine = [n for n, o in OBJECTIVES.items() if o[0] in team_and_below("eng")]
    mean = pct(sum(progress_of(n, values) for n in counted(mine)) / len(counted(mine)))
    assert re.search(rf"\b{len(mine)} objectives \(1 of Engineering, {len(mine) - 1} of its sub-teams\) · {mean}%", body), body
    below = between(site.page("teams/eng/index.html"), 'id="below-2026-Q4"', "</table>")
    for name in mine:
        if OBJECTIVES[name][0] != "eng":
            assert f"Objective {name}" in text_of(below), name
    org = text_of(site.page("teams/org/index.html"))
    assert f"{len(OBJECTIVES)} objectives (1 of Org, {len(OBJECTIVES) - 1} of its sub-teams)" in org


def expected_attention() -> list[str]:
    """Off-track then at-risk key results of active objectives; furthest behind pace first,
    then the lowest confidence (none counts as 100%), then by reference."""
    values, e = states()[-1][1], elapsed(AS_OF)
    rows = []
    for name, (_, _, _, status, krs) in OBJECTIVES.items():
        if status != "active":
            continue
        for kr_id, (_, confidence) in krs.items():
            progress = Fraction(values[kr_id], 100)
            state = kr_status(progress, confidence, AS_OF)
            if state in ("off-track", "at-risk"):
                rank = 0 if state == "off-track" else 1
                rows.append((rank, -(e - progress), 1.0 if confidence is None else confidence,
                             f"2026-Q4/{OBJECTIVES[name][0]}/{name}#{kr_id}", kr_id))
    return [row[-1] for row in sorted(rows)]


def test_needs_attention_is_capped_at_ten_worst_first_with_a_full_page(site: BuiltSite) -> None:
    expected = expected_attention()
    assert len(expected) > 10, "the scenario needs more than ten to show the cap"
    section = between(site.page("index.html"), 'id="attention"', 'id="movers"')
    shown = re.findall(r'<li><span class="okrs-badge[^>]*>.*?</span> <a href="[^"#]*#kr-([^"]+)"',
                       between(section, '<ol class="okrs-attention" data-search-exclude>', "</ol>"))
    assert shown == expected[:10]
    assert f"All {len(expected)} key results that need attention" in text_of(section)
    full = site.page("attention/index.html")
    listed = re.findall(r'<th scope="row" data-label="Key result"><a href="[^"#]*#kr-([^"]+)"', full)
    assert listed == expected
    # The scenario means this: k1 (2%) is the furthest behind; k2's owner is 90% confident,
    # but 12% is off track by pace all the same.
    assert expected[0] == "k1" and "k2" in expected


def test_movers_are_those_of_the_last_complete_week_on_a_monday(site: BuiltSite) -> None:
    page = site.page("index.html")
    heading = text_of(re.search(r'<h2 id="movers">(.*?)</h2>', page)[1])
    assert heading == "Last week's biggest movers (2026-W47)"
    movers = between(page, 'id="movers"', "</ul>")
    # W47's moves, snapshot of W46's end vs W47's end, largest first.
    w46 = next(v for d, v in reversed(states()) if d <= date(2026, 11, 15))
    w47 = next(v for d, v in reversed(states()) if d <= date(2026, 11, 22))
    moved = {k: w47[k] - w46[k] for k in w47 if w47[k] != w46[k]}
    expected = sorted(moved, key=lambda k: (-abs(moved[k]), k))
    shown = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", movers, re.S)]
    assert [re.search(r"Key result (k\d+)", s)[1] for s in shown] == expected, shown
    assert shown[0].startswith(f"+{moved[expected[0]]} pts")
    assert "Key result k12" not in text_of(movers)  # Monday's move belongs to this week


def test_the_burn_up_chart_has_a_point_per_past_week_and_a_table(site: BuiltSite) -> None:
    page = site.page("index.html")
    svg = between(page, '<svg xmlns="http://www.w3.org/2000/svg" class="okrs-chart okrs-burnup"', "</svg>")
    assert 'role="img"' in svg and "<title>" in svg
    history = states()
    expected = []
    for week_end in (date(2026, 11, 8), date(2026, 11, 15), date(2026, 11, 22)):  # W45..W47 (none before the first commit)
        values = next(v for d, v in reversed(history) if d <= week_end)
        mean = sum(progress_of(n, values) for n in counted(list(OBJECTIVES))) / len(counted(list(OBJECTIVES)))
        expected.append((week_end.isoformat(), pct(mean), pct(elapsed(week_end))))
    now = sum(progress_of(n, history[-1][1]) for n in counted(list(OBJECTIVES))) / len(counted(list(OBJECTIVES)))
    expected.append((AS_OF.isoformat(), pct(now), pct(elapsed(AS_OF))))
    table = between(page, '<details class="okrs-chart-table">', "</details>")
    rows = re.findall(r'data-label="Date">([^<]+)</td>\s*<td data-label="Progress">(\d+)%</td>'
                      r'\s*<td data-label="Expected">(\d+)%</td>', table)
    assert [(d, int(p), int(e)) for d, p, e in rows] == list(reversed(expected))
    assert svg.count('<circle class="okrs-chart__point"') == len(expected)
    # Axes: percents and the first day of each month of the quarter.
    for label in ("0%", "50%", "100%", "Oct 1", "Nov 1", "Dec 1"):
        assert f">{label}</text>" in svg, label


def test_headline_numbers(site: BuiltSite) -> None:
    body = text_of(between(site.page("index.html"), '<div class="okrs-cards">', 'id="burn-up"'))
    values = states()[-1][1]
    overall = pct(sum(progress_of(n, values) for n in counted(list(OBJECTIVES))) / len(counted(list(OBJECTIVES))))
    key_results = sum(len(o[4]) for o in OBJECTIVES.values())
    assert f"{len(OBJECTIVES)} objectives · {key_results} key results" in body
    assert f"Overall progress {overall}% expected {pct(elapsed(AS_OF))}% by now" in body


def test_the_objectives_index_lists_every_objective_and_tags_have_pages(site: BuiltSite) -> None:
    page = site.page("objectives/index.html")
    rows = re.findall(r"<tr data-period=[^>]*>(.*?)</tr>", page, re.S)
    assert sorted(re.search(r"Objective ([\w-]+)", text_of(r))[1] for r in rows) == sorted(OBJECTIVES)
    assert '<form class="okrs-filter" hidden>' in page  # shown by the script only: without it, the full list
    for tag, slug in (("reliability", "reliability"), ("Cost & Speed", "cost-speed")):
        tagged = sorted(n for n, o in OBJECTIVES.items() if tag in o[2])
        body = text_of(site.page(f"tags/{slug}/index.html"))
        assert f"{len(tagged)} objectives tagged {tag}" in body
        assert sorted(re.findall(r"Objective ([a-z][\w-]*)", body)) == tagged
    assert "Cost &amp; Speed" in site.page("tags/index.html")


def test_the_index_filters_hide_and_show_rows_in_chromium(site: BuiltSite, browser, serve) -> None:
    context = browser.new_context(base_url=serve(site.site))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/objectives/", wait_until="networkidle")

    def visible() -> list[str]:
        return sorted(re.search(r"Objective ([\w-]+)", t)[1]
                      for t in page.locator("#okrs-objective-rows > tr:visible").all_inner_texts())

    assert page.locator("form.okrs-filter").is_visible()
    assert visible() == sorted(OBJECTIVES)
    page.select_option("select[name=team]", "eng")  # a parent team: its sub-teams' objectives too
    assert visible() == sorted(n for n, o in OBJECTIVES.items() if o[0] in team_and_below("eng"))
    page.select_option("select[name=tag]", "reliability")
    assert visible() == sorted(n for n, o in OBJECTIVES.items() if o[0] in team_and_below("eng") and "reliability" in o[2])
    assert page.locator("[data-okrs-count]").inner_text() == f"Showing {len(visible())} of {len(OBJECTIVES)} objectives"
    assert "team=eng" in page.url and "tag=reliability" in page.url  # a filtered list can be shared
    page.click("form.okrs-filter button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#okrs-objective-rows > tr:not([hidden])').length == {len(OBJECTIVES)}")
    page.select_option("select[name=owner]", "erin")
    assert visible() == ["pipeline"]
    page.select_option("select[name=status]", "dropped")
    assert visible() == [] and page.locator("[data-okrs-none]").is_visible()
    page.goto("/objectives/?status=dropped", wait_until="networkidle")  # the address restores the filter
    assert visible() == ["infra"]
    assert not errors, errors
    context.close()


def test_person_page_leads_with_what_needs_them(site: BuiltSite) -> None:
    page = site.page("people/erin/index.html")
    assert page.index('id="attention"') < page.index('id="key-results"')
    section = between(page, 'id="attention"', 'id="key-results"')
    values = states()[-1][1]
    mine = [k for k, (owner, conf) in OBJECTIVES["pipeline"][4].items() if owner == "erin"]
    needing = sorted((k for k in mine if kr_status(Fraction(values[k], 100), None, AS_OF) in ("off-track", "at-risk")),
                     key=lambda k: (kr_status(Fraction(values[k], 100), None, AS_OF) != "off-track", values[k]))
    assert re.findall(r'#kr-(k\d+)"', section) == needing


@pytest.mark.parametrize("width", [390, 1280, 1920])
def test_no_page_of_the_dashboard_family_scrolls_sideways(site: BuiltSite, browser, serve, width: int) -> None:
    context = browser.new_context(base_url=serve(site.site), viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in ("/", "/attention/", "/objectives/", "/teams/eng/", "/teams/org/", "/people/erin/", "/tags/cost-speed/"):
        page.goto(path, wait_until="networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
    context.close()


def test_after_the_period_nothing_needs_attention_and_the_burn_up_ends_with_it(repository: Path) -> None:
    closed = built_at(repository, date(2027, 1, 11))
    page = closed.page("index.html")
    section = text_of(between(page, 'id="attention"', 'id="movers"'))
    assert "2026-Q4 has ended: its key results are graded now, not chased." in section
    assert "Off track" not in section
    table = between(page, '<details class="okrs-chart-table">', "</details>")
    dates = re.findall(r'data-label="Date">([^<]+)</td>', table)
    assert dates[0] == "2026-12-31" and max(dates) == "2026-12-31"  # the last point is the period's end
    assert "graded now" in text_of(closed.page("attention/index.html"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_these_pages(site: BuiltSite, browser, serve, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(base_url=serve(site.site), color_scheme=scheme)
    page = context.new_page()
    for path in ("/", "/attention/", "/objectives/", "/teams/org/", "/people/erin/", "/tags/", "/tags/reliability/"):
        page.goto(path, wait_until="networkidle")
        violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert not violations, (path, scheme, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations])
    context.close()
