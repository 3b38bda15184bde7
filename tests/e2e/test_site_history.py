"""The history parts of the site, built by `okrs build` from a real git repository.

The repository is ``gitrepo.okr_history`` (seven ISO weeks, 2026-W41..W47, with backdated
commits: check-ins, a rename, a broken commit and its fix, an owner handover, a key
result added and one removed, a merge from a side branch) plus two check-ins of our own
in 2026-W48, the week of the as-of date. The site's sources (mkdocs.yml, schema/,
site_overrides/, docs/) are committed with the first commit, so a shallow clone builds.

What the pages should say is computed here from git itself (``git log``, ``git ls-tree``,
``git show`` and the front matter of every revision), with the specification's rules:
snapshots at week ends, last check-in = last commit that changed current, done,
confidence or note, stale = more than stale_after_weeks (2) before the as-of date.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from gitrepo import PEOPLE, RENAMED_PATH, GitRepo, git, okr_history

from e2e.conftest import BuiltSite, build_env, copy_repository

AS_OF = date(2026, 11, 25)  # a Wednesday of 2026-W48
PAST = date(2026, 11, 10)  # a Tuesday of 2026-W46, before the commits of W46 to W48
STALE_AFTER = timedelta(weeks=2)  # stale_after_weeks in the shipped mkdocs.yml
CHECKOUT = "2026-Q4/payments/checkout-reliability"  # after the rename
OLD_CHECKOUT = "2026-Q4/payments/checkout"
CHECKOUT_PAGE = f"objectives/{CHECKOUT}/index.html"
NAMES = {ident: person["name"] for ident, person in yaml.safe_load(PEOPLE)["people"].items()}
Q4 = (date(2026, 10, 1), date(2026, 12, 31))
CHECK_IN_FIELDS = ("current", "done", "confidence", "note")


# --- the repository and its builds (once per module) -----------------------------------------


def okrs_build(root: Path, site: Path, as_of: date = AS_OF) -> BuiltSite:
    """The real build, in a subprocess: ``python -m generator.cli.main build``."""
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--root", str(root), "--site-dir", str(site),
         "--as-of", as_of.isoformat()],
        capture_output=True, text=True, env=build_env(), timeout=120,
    )
    assert result.returncode == 0, f"okrs build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return BuiltSite(root=root, site=site, result=result)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("history-site")


@pytest.fixture(scope="module")
def scenario(base: Path) -> tuple[Path, dict[str, str]]:
    """okr_history's seven weeks, the site sources in its first commit, and two W48 check-ins."""
    root = copy_repository(base / "repo", with_okrs=False)
    shas = okr_history(root)
    repo = GitRepo(root)
    repo.edit(RENAMED_PATH, "    start: 2\n    target: 0.5\n", "    start: 2\n    target: 0.5\n    current: 1.2\n")
    shas["c12"] = repo.commit("Check in payment errors", date="2026-11-23T10:00:00+00:00", author="Bob Brown")
    text = repo.read(RENAMED_PATH)
    end = text.index("---", 4)
    repo.write(RENAMED_PATH, text[:end] + (
        "  - id: approval\n"
        "    title: Card approval rate from 90% to 95%\n"
        "    owner: dan\n"
        "    start: 90\n"
        "    target: 95\n"
        '    unit: "%"\n'
        "    current: 91\n"
    ) + text[end:], dedent=False)
    shas["c13"] = repo.commit("Add the approval rate", date="2026-11-24T10:00:00+00:00", author="Dan Diaz")
    assert repo.git("status", "--porcelain") == ""
    return root, shas


@pytest.fixture(scope="module")
def site(base: Path, scenario) -> BuiltSite:
    return okrs_build(scenario[0], base / "site")


@pytest.fixture(scope="module")
def past_site(base: Path, scenario) -> BuiltSite:
    """The same repository built as of a day before its last commits (2026-W46)."""
    return okrs_build(scenario[0], base / "site-past", as_of=PAST)


@pytest.fixture(scope="module")
def commits(scenario) -> list[Revision]:
    return revisions(scenario[0])


@pytest.fixture(scope="module", params=["shallow", "no-git"])
def historyless(request, base: Path, scenario) -> tuple[str, BuiltSite]:
    """The same repository as a shallow clone, and as a copy without .git."""
    root = base / request.param
    if request.param == "shallow":
        git(base, "clone", "-q", "--depth", "1", f"file://{scenario[0]}", str(root))
        assert git(root, "rev-parse", "--is-shallow-repository") == "true"
    else:
        shutil.copytree(scenario[0], root, ignore=shutil.ignore_patterns(".git"))
    return request.param, okrs_build(root, base / f"site-{request.param}")


# --- the oracle: the spec's rules on every first-parent revision --------------------------------


@dataclass(frozen=True)
class KeyResult:
    id: str
    objective: str  # its objective's id at that revision
    objective_data: dict
    data: dict

    @property
    def progress(self) -> Fraction:
        kr = self.data
        if kr.get("type") == "milestone":
            return Fraction(1 if kr.get("done") else 0)
        start, target = Fraction(str(kr["start"])), Fraction(str(kr["target"]))
        current = Fraction(str(kr.get("current", kr["start"])))
        return min(Fraction(1), max(Fraction(0), (current - start) / (target - start)))

    @property
    def active(self) -> bool:
        return self.objective_data.get("status", "active") == "active"


@dataclass(frozen=True)
class Revision:
    sha: str
    author: str
    when: datetime
    key_results: dict[str, KeyResult]  # by id: the scenario's key result ids are unique


def revisions(root: Path) -> list[Revision]:
    """Every first-parent commit, oldest first, with the key results at that commit.

    A file that does not parse keeps its previous state (the spec's rule for history)."""
    files: dict[str, dict] = {}  # path -> front matter
    parsed: dict[str, dict | None] = {}  # blob -> front matter (None: does not parse)
    found = []
    log = git(root, "log", "--first-parent", "--reverse", "--format=%H%x1f%an%x1f%cI", "HEAD")
    for line in log.splitlines():
        sha, author, when = line.split("\x1f")
        now = {}
        for entry in git(root, "ls-tree", "-r", sha, "--", "okrs").splitlines():
            blob, path = entry.split()[2], entry.split("\t", 1)[1]
            if not path.endswith(".md") or path.endswith("/README.md"):
                continue
            if blob not in parsed:
                try:
                    text = git(root, "cat-file", "blob", blob)  # stripped: no final newline
                    parsed[blob] = yaml.safe_load(text.removeprefix("---\n").split("\n---", 1)[0])
                except yaml.YAMLError:
                    parsed[blob] = None
            now[path] = parsed[blob] if parsed[blob] is not None else files[path]
        files = now
        key_results = {}
        for path, data in files.items():
            for kr in data["key_results"]:
                assert kr["id"] not in key_results, "the oracle needs unique key result ids"
                key_results[kr["id"]] = KeyResult(kr["id"], path[len("okrs/"):-len(".md")], data, kr)
        found.append(Revision(sha, author, datetime.fromisoformat(when).astimezone(timezone.utc), key_results))
    return found


def check_ins(commits: list[Revision], kr_id: str) -> list[Revision]:
    """The commits that set the key result's current, done, confidence or note.

    A key result that arrives with ``done: false`` has not been checked in yet."""
    result, before = [], None
    for revision in commits:
        kr = revision.key_results.get(kr_id)
        if kr is not None:
            old = before.data if before is not None else {"done": False}
            if any(kr.data.get(f) != old.get(f) for f in CHECK_IN_FIELDS if f != "done") \
                    or bool(kr.data.get("done")) != bool(old.get("done")):
                result.append(revision)
        before = kr
    return result


def last_checkin(commits: list[Revision], kr_id: str, as_of: date = AS_OF) -> date | None:
    days = [r.when.date() for r in check_ins(commits, kr_id) if r.when.date() <= as_of]
    return days[-1] if days else None


def snapshot(commits: list[Revision], day: date) -> Revision:
    """The state at the last commit on or before ``day`` (UTC, the configured time zone)."""
    return [r for r in commits if r.when.date() <= day][-1]


def stale(commits: list[Revision], as_of: date, state: Revision) -> list[KeyResult]:
    assert Q4[0] <= as_of <= Q4[1]  # every objective of the scenario is in 2026-Q4
    result = []
    for kr in state.key_results.values():
        if not kr.active or kr.progress >= 1:
            continue
        first_seen = next(r.when.date() for r in commits if kr.id in r.key_results)
        since = last_checkin(commits, kr.id, as_of) or first_seen
        if as_of - since > STALE_AFTER:
            result.append(kr)
    return result  # by objective id (the revision's files are sorted by path), then file order


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_span(week: str) -> tuple[date, date]:
    year, number = week.split("-W")
    start = date.fromisocalendar(int(year), int(number), 1)
    return start, start + timedelta(days=6)


def published_weeks(commits: list[Revision]) -> list[str]:
    """Every ISO week from the first commit's to the as-of week, newest first."""
    day, weeks = commits[0].when.date(), []
    while week_of(day) not in weeks:
        weeks.append(week_of(day))
        if week_of(day) == week_of(AS_OF):
            break
        day += timedelta(days=7)
    return weeks[::-1]


def percent(fraction: Fraction) -> int:
    return math.floor(fraction * 100 + Fraction(1, 2))


def moves(commits: list[Revision], week: str) -> dict[str, int]:
    """Key results whose current/done changed between the snapshots of W-1 and W: the points moved."""
    start, end = week_span(week)
    before, after = snapshot(commits, start - timedelta(days=1)), snapshot(commits, end)
    found = {}
    for kr_id, kr in after.key_results.items():
        old = before.key_results.get(kr_id)
        if old is not None and any(old.data.get(f) != kr.data.get(f) for f in ("current", "done")):
            found[kr_id] = percent(kr.progress) - percent(old.progress)
    return found


# --- reading pages ------------------------------------------------------------------------------


def text_of(markup: str) -> str:
    """The words a reader sees (aria-hidden symbols dropped), whitespace collapsed."""
    markup = re.sub(r'<span aria-hidden="true">[^<]*</span>', " ", markup)
    markup = re.sub(r"</?(?:a|strong|em|code|span)\b[^>]*>", "", markup)  # inline: no space
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def after_heading(page: str, heading_id: str) -> str:
    """The markup from an <h2 id=...> to the next <h2> (or the end of the article)."""
    body = article(page)
    start = body.index(f'<h2 id="{heading_id}"')
    end = body.find("<h2", start + 1)
    return body[start:end if end >= 0 else len(body)]


def items(markup: str) -> list[str]:
    return [text_of(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", markup, re.S)]


def kr_row(page: str, kr_id: str) -> str:
    # kr-<id> on the objective's page; kr-<objective id, "/" as ".">.<id> on pages that list several
    match = re.search(rf'<tr id="kr-(?:[^"]*\.)?{re.escape(kr_id)}">(.*?)</tr>', page, re.S)
    assert match, f"no row for key result {kr_id!r}"
    return match[1]


def resolve(site: Path, page: str, href: str) -> Path:
    """The file a relative link of ``page`` (a path under the site) points to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), html.unescape(href).split("#")[0]))
    path = site / target
    return path / "index.html" if path.is_dir() else path


def history_rows(page: str) -> list[tuple[str, list[str], str, str]]:
    """(week, the commit's changes, author, short sha) of the objective's history table,
    one row per commit, top to bottom."""
    rows = re.findall(
        r'<tr><td data-label="When"><a href="[^"]*">([^<]*)</a>.*?</td> <td data-label="What changed">(.*?)</td>'
        r' <td data-label="Who">(.*?)</td> <td data-label="Commit"><code[^>]*>([0-9a-f]*)</code>', page, re.S)
    return [(week, items(changes), html.unescape(author), sha) for week, changes, author, sha in rows]


def history_changes(page: str) -> list[tuple[str, str, str, str]]:
    """(week, one change's text, author, short sha): each change of each history row."""
    return [(week, change, author, sha) for week, changes, author, sha in history_rows(page) for change in changes]


def chart_section(page: str, kr_id: str) -> str:
    match = re.search(rf'<section class="okrs-chart" id="chart-{re.escape(kr_id)}"[^>]*>(.*?)</section>', page, re.S)
    assert match, f"no chart for key result {kr_id!r}"
    return match[1]


def followed_commits(root: Path, path: str) -> list[tuple[str, str, date]]:
    """(sha, author, day) of every first-parent commit that touched the file, across renames."""
    log = git(root, "log", "--first-parent", "--follow", "--format=%H%x1f%an%x1f%cI", "--", path)
    return [(sha, author, datetime.fromisoformat(when).astimezone(timezone.utc).date())
            for sha, author, when in (line.split("\x1f") for line in log.splitlines())]


# --- 1. the changelog pages ---------------------------------------------------------------------


def test_changelog_index_lists_the_weeks_newest_first(site: BuiltSite, commits) -> None:
    weeks = published_weeks(commits)
    assert weeks == [f"2026-W{n}" for n in range(48, 40, -1)]  # the scenario, as git tells it
    index = site.page("changelog/index.html")
    listed = re.findall(r'<th scope="row" data-label="Week"><a href="([^"]+)">(\d{4}-W\d\d)</a></th>', index)
    assert [week for _, week in listed] == weeks
    for href, week in listed:
        assert resolve(site.site, "changelog/index.html", href) == site.site / "changelog" / week / "index.html"
        assert resolve(site.site, "changelog/index.html", href).is_file()
    row = re.search(r"<tr><th[^>]*><a[^>]*>2026-W44</a>.*?</tr>", index, re.S)[0]
    start, end = week_span("2026-W44")
    assert f"{start} to {end}" in text_of(row) and "1 target eased" in text_of(row)


def test_a_week_page_shows_that_weeks_changes(site: BuiltSite, scenario, commits) -> None:
    _, shas = scenario
    w42 = site.page("changelog/2026-W42/index.html")
    assert re.search(r"<h1[^>]*>Week 2026-W42</h1>", w42)
    # A progress change: before → after with the points it moved (computed from the files).
    start, end = week_span("2026-W42")
    before = snapshot(commits, start - timedelta(days=1)).key_results["latency"]
    after = snapshot(commits, end).key_results["latency"]
    points = percent(after.progress) - percent(before.progress)
    assert (before.data.get("current"), after.data["current"], points) == (None, 700, 27)
    latency = [li for li in items(article(w42)) if li.startswith(f"+{points} pts p99 checkout latency")]
    assert latency == [f"+{points} pts p99 checkout latency under 300 ms: 850 ms → 700 ms "
                       f"({percent(before.progress)}% → {percent(after.progress)}%, +{points} points) — Bob Brown"]
    assert f"<code>{shas['c2'][:7]}</code> 2026-10-14 Bob Brown: Check in checkout latency" in w42

    w44 = text_of(article(site.page("changelog/2026-W44/index.html")))
    for change in (
        "p99 checkout latency under 300 ms: handed over from Bob Brown to Dan Diaz",  # owner handover
        "Payment errors below 0.5%: new key result, owner Bob Brown",  # added
        "Multi-region failover drill passes: key result removed",  # removed
        "Target eased p99 checkout latency under 300 ms: target eased: 300 ms → 350 ms",
        "+50 pts Sev-1 incidents per month from 10 to 2: 10 → 6 (0% → 50%, +50 points)",  # via the merge
    ):
        assert change in w44, change
    # First-parent: the side branch's work lands with the merge commit, not its own commits.
    assert f"{shas['m1'][:7]} 2026-10-29 Alice Rossi: Merge branch 'incidents'" in w44
    assert shas["s1"][:7] not in w44 and shas["s2"][:7] not in w44
    assert f"{shas['c7'][:7]} 2026-10-26 Carol Chen: Hand latency over to Dan; replace the drill" in w44


def test_every_week_page_lists_its_stale_key_results(site: BuiltSite, commits) -> None:
    seen = set()
    for week in published_weeks(commits):
        start, end = week_span(week)
        when = min(end, AS_OF)
        expected = [f"{kr.data['title']} — last check-in {last_checkin(commits, kr.id, when) or 'never'} "
                    f"— owner {NAMES[kr.data['owner']]}"
                    for kr in stale(commits, when, snapshot(commits, end))]
        page = site.page(f"changelog/{week}/index.html")
        shown = items(after_heading(page, "stale")) if 'id="stale"' in page else []
        assert shown == expected, week
        seen.update(expected)
    # The scenario has both kinds: never checked in, and checked in long ago.
    assert "Multi-region failover drill passes — last check-in never — owner Carol Chen" in seen
    assert "p99 checkout latency under 300 ms — last check-in 2026-11-08 — owner Dan Diaz" in seen


def test_older_and_newer_week_links_resolve(site: BuiltSite, commits) -> None:
    weeks = published_weeks(commits)
    for i, week in enumerate(weeks):
        page = f"changelog/{week}/index.html"
        pager = re.search(r'<nav class="okrs-pager"[^>]*>(.*?)</nav>', site.page(page), re.S)[1]
        links = {text_of(label): href for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', pager)}
        newer, older = (weeks[i - 1] if i else None), (weeks[i + 1] if i + 1 < len(weeks) else None)
        assert set(links) == {label for label, there in (("← Older week", older), ("Newer week →", newer)) if there}
        if older:
            assert resolve(site.site, page, links["← Older week"]) == site.site / f"changelog/{older}/index.html"
        if newer:
            assert resolve(site.site, page, links["Newer week →"]) == site.site / f"changelog/{newer}/index.html"
        for href in links.values():
            assert resolve(site.site, page, href).is_file()


# --- 2. the feed --------------------------------------------------------------------------------


def test_feed_is_rss_2_with_one_item_per_complete_week_newest_first(site: BuiltSite, commits) -> None:
    rss = ET.parse(site.site / "changelog" / "feed.xml").getroot()
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel is not None and (channel.findtext("title") or "").strip()
    assert (channel.findtext("link") or "").endswith("changelog/")
    # The as-of week (W48) is not over: its item would change after publication, so it waits.
    weeks = [w for w in published_weeks(commits) if w != "2026-W48"]
    feed_items = channel.findall("item")
    assert len(feed_items) == len(weeks)
    for item, week in zip(feed_items, weeks):
        assert item.findtext("link").endswith(f"changelog/{week}/"), week
        assert item.findtext("title").startswith(f"Week {week}")
        assert item.findtext("guid") == item.findtext("link")
    published = [parsedate_to_datetime(item.findtext("pubDate")) for item in feed_items]
    assert published == sorted(published, reverse=True) and len(set(published)) == len(published)
    # Descriptions carry the week's summary as escaped HTML (it parses back) and link to its
    # page, which has the changes: a feed item stays short however busy the week.
    w44 = ET.fromstring("<div>" + feed_items[weeks.index("2026-W44")].findtext("description") + "</div>")
    assert "".join(w44.itertext()).startswith("2026-10-26 to 2026-11-01: 6 changes in 2 objectives")
    assert [a.get("href") for a in w44.iter("a")] == [feed_items[weeks.index("2026-W44")].findtext("link")]
    assert "handed over from Bob Brown to Dan Diaz" in site.page("changelog/2026-W44/index.html")


# --- 3 and 6. the objective page: sparklines, last check-ins, history across a rename ---------------


def test_objective_page_charts_and_last_check_ins(site: BuiltSite, commits) -> None:
    page = site.page(CHECKOUT_PAGE)
    now = commits[-1]
    krs = [kr for kr in now.key_results.values() if kr.objective == CHECKOUT]
    assert sorted(kr.id for kr in krs) == ["approval", "error-rate", "latency"]
    expected_pace = percent(Fraction((AS_OF - Q4[0]).days + 1, (Q4[1] - Q4[0]).days + 1))
    for kr in krs:
        row = kr_row(page, kr.id)
        assert "<svg" not in row, "the objective page shows a chart per key result, not a sparkline"
        assert f'href="#chart-{kr.id}"' in row
        chart = chart_section(page, kr.id)
        svgs = re.findall(r"<svg\b[^>]*>", chart)
        assert len(svgs) == 1, kr.id
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', svgs[0]))
        assert attributes["class"] == "okrs-chart__svg" and attributes["role"] == "img"
        assert attributes["width"] == "100%" and attributes["viewBox"].startswith("0 0 ")  # scales to a phone
        label = html.unescape(attributes["aria-label"])
        assert label.startswith(kr.data["title"]), label
        assert f"to {percent(kr.progress)}% on" in label or f": {percent(kr.progress)}% on" in label, label
        assert f"expected by {AS_OF}: {expected_pace}%" in label, label
        last = last_checkin(commits, kr.id)
        assert f"Last check-in {last}" in text_of(row), kr.id
        # The table beside the chart: one row per day whose last commit moved the key result.
        dates = re.findall(r'<td data-label="Date">([^<]*)</td>', chart)
        assert dates and dates == sorted(dates, reverse=True) and dates[0] <= AS_OF.isoformat()
        assert len(re.findall(r'<circle class="okrs-chart__point"', chart)) == len(dates)
    assert last_checkin(commits, "latency") == date(2026, 11, 8)  # the late Sunday check-in, not the handover


def test_objective_history_table_names_the_real_commits(site: BuiltSite, scenario) -> None:
    root, _ = scenario
    rows = history_rows(site.page(CHECKOUT_PAGE))
    assert rows, "no history table"
    touched = followed_commits(root, RENAMED_PATH)
    assert len(touched) == 8
    assert len(rows) == len(touched), "one row per commit, not one per changed field"
    shown = {(week, author, sha) for week, _, author, sha in rows}
    assert shown == {(week_of(day), author, sha[:7]) for sha, author, day in touched}
    assert [week for week, *_ in rows] == sorted((week for week, *_ in rows), reverse=True)  # newest first


def test_a_renamed_objective_keeps_its_history(site: BuiltSite, scenario) -> None:
    _, shas = scenario
    page = site.page(CHECKOUT_PAGE)
    rows = history_changes(page)
    assert ("2026-W41", "Make checkout boringly reliable: new objective, owner Alice Rossi", "Alice Rossi",
            shas["c1"][:7]) in rows
    # One line per key result a commit changed: its value and its confidence together.
    assert ("2026-W42", "p99 checkout latency under 300 ms: 850 ms → 700 ms (0% → 27%, +27 points), "
            "confidence set to 60%", "Bob Brown", shas["c2"][:7]) in rows
    assert ("2026-W43", f"Make checkout boringly reliable: moved from {OLD_CHECKOUT}", "Alice Rossi",
            shas["c4"][:7]) in rows
    assert rows[-1][3] == shas["c1"][:7]  # the oldest row is from before the rename
    # The chart starts before the rename too.
    label = re.search(r'<svg[^>]*class="okrs-chart__svg"[^>]*aria-label="([^"]*)"', chart_section(page, "latency"))[1]
    assert "from 0% on 2026-10-05 to 50% on 2026-11-08" in html.unescape(label)
    # A rename is a move, not "removed" + "added"; no page for the old id.
    w43 = text_of(article(site.page("changelog/2026-W43/index.html")))
    assert f"moved from {OLD_CHECKOUT}" in w43
    assert "objective removed" not in w43 and "new objective" not in w43
    assert not (site.site / "objectives" / OLD_CHECKOUT).exists()


# --- 4. the dashboard and the person pages --------------------------------------------------------


def test_dashboard_movers_are_those_of_the_last_complete_week(site: BuiltSite, commits) -> None:
    # The as-of week (W48) has moves, but it is not over; the week before it, the one the
    # digest covers, has none here. (tests/e2e/test_dashboard.py has a week with movers.)
    this_week, last_week = week_of(AS_OF), week_of(AS_OF - timedelta(days=7))
    assert moves(commits, this_week) and not moves(commits, last_week)
    page = site.page("index.html")
    assert text_of(re.search(r'<h2 id="movers">(.*?)</h2>', page)[1]) == f"Last week's biggest movers ({last_week})"
    movers = after_heading(page, "movers")
    assert "No progress was checked in that week." in text_of(movers)
    assert items(movers) == []


def test_dashboard_lists_the_stale_key_results_with_owners(site: BuiltSite, commits) -> None:
    expected = stale(commits, AS_OF, commits[-1])
    assert [kr.id for kr in expected] == ["latency"]
    shown = items(after_heading(site.page("index.html"), "stale"))
    assert shown == [f"Stale {kr.data['title']} in {kr.objective_data['objective']} — last check-in "
                     f"{last_checkin(commits, kr.id)} — owner {NAMES[kr.data['owner']]}" for kr in expected]
    assert AS_OF - last_checkin(commits, "latency") > STALE_AFTER


def test_person_page_lists_stale_key_results_first(site: BuiltSite, commits) -> None:
    [latency] = stale(commits, AS_OF, commits[-1])
    owner = latency.data["owner"]
    owned = sorted(kr.id for kr in commits[-1].key_results.values() if kr.data["owner"] == owner)
    assert owned == ["approval", "availability", "latency"]  # "latency" is not first by name
    page = site.page(f"people/{owner}/index.html")
    section = after_heading(page, "key-results")
    order = [anchor.rsplit(".", 1)[1] for anchor in re.findall(r'<tr id="kr-([^"]+)">', section)]
    assert sorted(order) == owned and order[0] == "latency"
    assert "Stale" in text_of(kr_row(section, "latency"))
    assert all("Stale" not in text_of(kr_row(section, other)) for other in order[1:])


def test_a_team_with_only_a_dropped_objective_is_not_called_drafts_only(site: BuiltSite) -> None:
    row = re.search(r'<span class="okrs-team-row" data-team="platform">.*?<span class="okrs-team-row__counts">',
                    site.page("index.html"), re.S)[0]
    assert "drafts only" not in text_of(row) and "no active objectives" in text_of(row)


# --- links, and a build as of an earlier day ----------------------------------------------------------


def broken_links(site: Path) -> list[str]:
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        relative = page.relative_to(site).as_posix()
        for href in re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:|^#|^$", href):
                continue
            if not resolve(site, relative, href).is_file():
                broken.append(f"{relative}: {href}")
    return broken


def test_every_internal_link_of_the_history_site_resolves(site: BuiltSite) -> None:
    assert not broken_links(site.site), broken_links(site.site)[:20]


def test_a_build_as_of_an_earlier_day_stops_at_that_week(past_site: BuiltSite, scenario) -> None:
    _, shas = scenario
    weeks = re.findall(r'data-label="Week"><a href="[^"]+">(\d{4}-W\d\d)</a>', past_site.page("changelog/index.html"))
    assert weeks == [f"2026-W{n}" for n in range(46, 40, -1)]
    assert not (past_site.site / "changelog" / "2026-W47").exists()
    # The history table keeps to the published weeks: no row, and no link, past the as-of week.
    rows = history_rows(past_site.page(CHECKOUT_PAGE))
    assert rows and max(week for week, *_ in rows) == "2026-W45"
    assert shas["c12"][:7] not in {sha for *_, sha in rows}
    assert "Last check-in 2026-11-08" in text_of(kr_row(past_site.page(CHECKOUT_PAGE), "latency"))
    assert not broken_links(past_site.site), broken_links(past_site.site)[:20]


# --- 5. no history: a shallow clone, a copy without git ---------------------------------------------


def test_site_builds_without_history_and_says_why(historyless, base: Path) -> None:
    kind, built = historyless
    why = "fetch-depth: 0" if kind == "shallow" else "not a git repository"
    dashboard = built.page("index.html")
    assert why in text_of(after_heading(dashboard, "movers"))
    objective = built.page(CHECKOUT_PAGE)
    note = after_heading(objective, "history")
    assert 'class="okrs-note-box"' in note and why in text_of(note)
    assert 'id="stale"' not in dashboard and "Stale" not in text_of(article(built.page("people/dan/index.html")))
    assert "Last check-in unknown" in text_of(kr_row(objective, "latency"))
    changelog = built.site / "changelog"
    assert sorted(p.name for p in changelog.iterdir() if p.name.startswith("20")) == []  # no week pages
    assert why in text_of(article(built.page("changelog/index.html")))
    assert ET.parse(changelog / "feed.xml").getroot().find("channel").findall("item") == []
    assert_no_build_path(built.site, base)


def test_no_build_path_in_the_history_site(site: BuiltSite, base: Path) -> None:
    assert_no_build_path(site.site, base)


def assert_no_build_path(site: Path, base: Path) -> None:
    """No generated page, feed or JSON names the folder the build ran in."""
    paths = {str(base), str(base.resolve())}
    leaked = [f"{page.relative_to(site)}: {path}" for page in sorted(site.rglob("*"))
              if page.suffix in (".html", ".xml", ".json") for path in paths
              if path in page.read_text(encoding="utf-8")]
    assert not leaked, leaked


# --- 7. in Chromium: the charts are seen, and axe finds nothing serious --------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_objective_page_with_charts_in_a_browser(browser, serve, site: BuiltSite, screenshots,
                                                     scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(base_url=serve(site.site), color_scheme=scheme)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        response = page.goto(f"objectives/{CHECKOUT}/", wait_until="networkidle")
        assert response is not None and response.ok
        charts = page.locator("section.okrs-chart svg.okrs-chart__svg")
        assert charts.count() == 3
        for i in range(3):
            box = charts.nth(i).bounding_box()
            # As wide as its figure: the chart scales (it is not a fixed 120x25 picture).
            figure = page.locator("section.okrs-chart figure").nth(i).bounding_box()
            assert charts.nth(i).is_visible() and box and box["height"] > 100
            assert abs(box["width"] - figure["width"]) < 1, (box, figure)
        assert charts.first.get_attribute("role") == "img"
        page.locator("details.okrs-chart__data summary").first.click()
        assert page.locator("details.okrs-chart__data table").first.is_visible()
        violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        report = "\n".join(f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:5]]}"
                           for v in violations)
        assert not violations, f"axe ({scheme}) found\n{report}"
        assert not errors, errors
        if scheme == "light":
            screenshots(page, "history-objective")
            page.goto("changelog/2026-W44/", wait_until="networkidle")
            assert page.locator("h1").inner_text() == "Week 2026-W44"
            screenshots(page, "history-week")
            page.goto("", wait_until="networkidle")
            screenshots(page, "history-dashboard")
    finally:
        context.close()
