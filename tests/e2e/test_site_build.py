"""End to end: `okrs build` (and plain `mkdocs build`) on real repositories.

The expected numbers are computed here from the source files' front matter with the
specification's formulas, independently of the generator, and compared with the pages.
"""

from __future__ import annotations

import gzip
import html
import json
import math
import posixpath
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from e2e.conftest import (AS_OF, HOSTILE_KR_TITLE, HOSTILE_NAME, HOSTILE_NOTE, HOSTILE_TITLE, BuiltSite, build,
                          build_env, copy_repository, file_contents, run_okrs, tree_snapshot)

CHECKOUT = "2026-Q4/payments/checkout"
LABELS = {"on-track": "On track", "at-risk": "At risk", "off-track": "Off track", "done": "Done",
          "draft": "Draft", "dropped": "Dropped", "delivered": "Delivered", "progress": "Progress", "missed": "Missed"}
SEVERITY = ["off-track", "at-risk", "on-track", "done"]  # worst first


# --- the specification's formulas, on the source files ---------------------------------


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def sources(root: Path) -> dict[str, dict]:
    """Objective id -> its front matter, for every objective file under okrs/."""
    okrs = root / "okrs"
    return {p.relative_to(okrs).with_suffix("").as_posix(): front_matter(p)
            for p in sorted(okrs.rglob("*.md")) if p.name != "README.md"}


def people(root: Path) -> dict:
    return yaml.safe_load((root / "okrs" / "people.yaml").read_text(encoding="utf-8"))


def exact(value) -> Fraction:
    return Fraction(str(value))  # 74.9 is 749/10, not the nearest binary float


def kr_progress(kr: dict) -> Fraction:
    if kr.get("type") == "milestone":
        return Fraction(1 if kr["done"] else 0)
    if kr.get("type") == "maintain":
        current = exact(kr["current"])
        within = ("at_least" not in kr or current >= exact(kr["at_least"])) and \
            ("at_most" not in kr or current <= exact(kr["at_most"]))
        return Fraction(1 if within else 0)
    if "start" not in kr:  # baseline pending
        return Fraction(0)
    start, target = exact(kr["start"]), exact(kr["target"])
    current = exact(kr.get("current", kr["start"]))
    return min(Fraction(1), max(Fraction(0), (current - start) / (target - start)))


def objective_progress(data: dict) -> Fraction:
    weights = [exact(kr.get("weight", 1)) for kr in data["key_results"]]
    return sum(kr_progress(kr) * w for kr, w in zip(data["key_results"], weights)) / sum(weights)


def whole_percent(fraction: Fraction) -> int:
    return math.floor(fraction * 100 + Fraction(1, 2))  # round half up


def quarter_elapsed(period: str, as_of: date) -> Fraction:
    year, quarter = int(period[:4]), int(period[-1])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + quarter // 4, (3 * quarter) % 12 + 1, 1)  # the day after the quarter
    if as_of < start:
        return Fraction(0)
    return min(Fraction(1), Fraction((as_of - start).days + 1, (end - start).days))


def quarter_bounds(period: str) -> tuple[date, date]:
    year, quarter = int(period[:4]), int(period[-1])
    after = date(year + quarter // 4, (3 * quarter) % 12 + 1, 1)
    return date(year, 3 * quarter - 2, 1), after - timedelta(days=1)


def grade_of(progress: Fraction) -> str:
    score = Fraction(math.floor(progress * 100 + Fraction(1, 2)), 100)  # two decimals, half up
    return "delivered" if score >= Fraction(7, 10) else "progress" if score >= Fraction(2, 5) else "missed"


def confidence_word(kr: dict) -> str:
    confidence = exact(kr["confidence"])
    return "on-track" if confidence >= Fraction(7, 10) else "at-risk" if confidence >= Fraction(2, 5) else "off-track"


def kr_status(kr: dict, data: dict, as_of: date, *, graded: bool = True) -> str:
    declared = data.get("status", "active")
    if declared in ("draft", "dropped"):
        return declared
    progress = kr_progress(kr)
    start, end = quarter_bounds(data["period"])
    if graded and as_of > end:  # a closed period shows grades (SPEC Part 2)
        return grade_of(progress)
    if kr.get("type") == "maintain":
        if progress == 1:
            return "on-track"
        current = exact(kr["current"])
        bound = exact(kr["at_least"]) if "at_least" in kr and current < exact(kr["at_least"]) else exact(kr["at_most"])
        return "at-risk" if abs(current - bound) <= abs(bound) / 10 else "off-track"
    if progress == 1:
        return "done"
    if kr.get("type") == "milestone":  # by its due date and confidence, not by pace
        due = kr.get("due", end)
        if as_of > due:
            return "off-track"
        if "confidence" in kr:
            return confidence_word(kr)
        share = Fraction(min((as_of - start).days + 1, (due - start).days + 1), (due - start).days + 1)
        return "on-track" if share < Fraction(3, 4) else "at-risk"
    if "start" not in kr:
        return confidence_word(kr) if "confidence" in kr else "on-track"
    expected = quarter_elapsed(data["period"], as_of)
    statuses = ["on-track" if progress >= expected - Fraction(1, 10)
                else "at-risk" if progress >= expected - Fraction(1, 4) else "off-track"]
    if "confidence" in kr:
        confidence = exact(kr["confidence"])
        statuses.append("on-track" if confidence >= Fraction(7, 10)
                        else "at-risk" if confidence >= Fraction(2, 5) else "off-track")
    return min(statuses, key=SEVERITY.index)


def objective_status(data: dict, as_of: date, *, graded: bool = True) -> str:
    declared = data.get("status", "active")
    if graded and as_of > quarter_bounds(data["period"])[1] and declared not in ("dropped", "draft"):
        return grade_of(objective_progress(data))
    if declared in ("done", "dropped", "draft"):
        return declared
    return min((kr_status(kr, data, as_of, graded=graded) for kr in data["key_results"]), key=SEVERITY.index)


def counted(objectives: list[dict]) -> list[dict]:
    return [o for o in objectives if o.get("status", "active") not in ("draft", "dropped")]


# --- reading pages ----------------------------------------------------------------------


def text_of(markup: str) -> str:
    """The words a screen reader reads (status symbols are aria-hidden), whitespace collapsed."""
    markup = re.sub(r'<span aria-hidden="true">[^<]*</span>', " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def heading(page: str) -> str:
    """The text of the page's one <h1>."""
    (h1,) = re.findall(r"<h1[^>]*>(.*?)</h1>", article(page), re.S)
    return text_of(h1)


def section(page: str, start: str, end: str) -> str:
    i = page.index(start)
    return page[i:page.index(end, i)]


def kr_row(page: str, kr_id: str) -> str:
    match = re.search(rf'<tr id="kr-{re.escape(kr_id)}">(.*?)</tr>', page, re.S)
    assert match, f"no row for key result {kr_id!r}"
    return match[1]


def number(value) -> str:
    return f"{float(value):,g}"


OBJECTIVE_PAGE = "objectives/{}/index.html"


# --- 1. the shipped example ---------------------------------------------------------------


def test_example_site_has_every_page(example_site: BuiltSite) -> None:
    site, root = example_site.site, example_site.root
    persons, teams = people(root)["people"], people(root)["teams"]
    expected = ["index.html", "alignment/index.html", "how-to-edit/index.html", "okrs.json",
                "periods/index.html", "periods/2026-Q4/index.html", "periods/2026-Q3/index.html",
                "teams/index.html", "people/index.html", "search/search_index.json", "sitemap.xml"]
    expected += [OBJECTIVE_PAGE.format(i) for i in sources(root)]
    expected += [f"teams/{t}/index.html" for t in teams] + [f"people/{p}/index.html" for p in persons]
    missing = [p for p in expected if not (site / p).is_file()]
    assert not missing, f"missing pages: {missing}"
    assert "okrs: built" in example_site.result.stderr


def test_every_objective_page_shows_its_owners_and_percentages(example_site: BuiltSite) -> None:
    names = {pid: p["name"] for pid, p in people(example_site.root)["people"].items()}
    as_of = date.fromisoformat(AS_OF)
    for ident, data in sources(example_site.root).items():
        page = example_site.page(OBJECTIVE_PAGE.format(ident))
        facts = text_of(section(page, '<dl class="okrs-facts">', "</dl>"))
        assert heading(page) == data["objective"], ident
        assert f"Owner {names[data['owner']]}" in facts, (ident, facts)
        assert f"Progress {whole_percent(objective_progress(data))}%" in facts, (ident, facts)
        # A closed period's objective shows "Grade 0.62 Progress" where an open one shows "Status At risk".
        assert re.search(rf"(?:Status|Grade \d\.\d\d) {re.escape(LABELS[objective_status(data, as_of)])}", facts), \
            (ident, facts)
        for kr in data["key_results"]:
            row = kr_row(page, kr["id"])
            row_text = text_of(row)
            assert kr["title"] in row_text
            assert names[kr["owner"]] in row_text, (ident, kr["id"], row_text)
            assert f'href="../../../../people/{kr["owner"]}/"' in row
            pct = whole_percent(kr_progress(kr))
            assert f'aria-valuenow="{pct}"' in row and f"{pct}%" in row_text, (ident, kr["id"], row_text)
            assert LABELS[kr_status(kr, data, as_of)] in row_text, (ident, kr["id"], row_text)


def test_checkout_objective_page_in_detail(example_site: BuiltSite) -> None:
    root = example_site.root
    data = sources(root)[CHECKOUT]
    names = {pid: p["name"] for pid, p in people(root)["people"].items()}
    page = example_site.page(OBJECTIVE_PAGE.format(CHECKOUT))
    body = text_of(article(page))

    progress = objective_progress(data)
    assert whole_percent(progress) == 52  # (3.9/7 + 0 + 1) / 3: a sanity check of the formulas above
    assert f"Progress {whole_percent(progress)}%" in body
    assert "Status Off track" in body  # the false-declines key result slid below its start
    contributors = " ".join(names[c] for c in data["contributors"])
    assert f"Contributors {contributors}" in body
    parent = sources(root)[data["parent"]]
    assert f"Aligns to {parent['objective']}" in body

    for kr in data["key_results"]:
        row = text_of(kr_row(page, kr["id"]))
        if kr.get("type") == "milestone":
            assert "Milestone: done" in row
            continue
        unit = kr.get("unit", "")
        each = unit if unit == "%" else ""  # % goes on every number, other units once, after the target
        last = each or (f" {unit}" if unit else "")
        values = (f"start {number(kr['start'])}{each} → current {number(kr['current'])}{each} → "
                  f"target {number(kr['target'])}{last}")
        assert values in row, row
        assert f"Confidence {whole_percent(exact(kr['confidence']))}%" in row
        assert kr["note"] in row
    assert "below start" in text_of(kr_row(page, "false-declines"))  # 2.4 -> 2.7 while aiming for 1.2

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    edit = re.search(r'<a href="([^"]+)"[^>]*rel="edit"', page)
    assert edit, "no edit link on the objective page"
    assert edit[1].endswith("edit/main/okrs/2026-Q4/payments/checkout.md")
    assert edit[1] == config["repo_url"].rstrip("/") + "/" + config["edit_uri"] + f"okrs/{CHECKOUT}.md"


def test_dashboard_numbers(example_site: BuiltSite) -> None:
    root = example_site.root
    as_of = date.fromisoformat(AS_OF)
    objectives = sources(root)
    current = [o for o in objectives.values() if o["period"] == "2026-Q4"]
    names = {pid: p["name"] for pid, p in people(root)["people"].items()}
    team_names = {tid: t["name"] for tid, t in people(root)["teams"].items()}
    page = example_site.page("index.html")
    body = text_of(article(page))

    overall = whole_percent(sum(objective_progress(o) for o in counted(current)) / len(counted(current)))
    assert f"Overall progress {overall}%" in body, body
    elapsed = whole_percent(quarter_elapsed("2026-Q4", as_of))
    assert f"Period 2026-Q4 (2026-10-01 to 2026-12-31, {elapsed}% elapsed), as of {AS_OF}" in body, body

    # Progress by team follows the hierarchy: a team counts its own objectives and its sub-teams'.
    registry = people(root)["teams"]
    rows = team_rows(section(page, 'id="teams"', 'id="attention"'))
    for team in registry:
        below = [team] + descendants(team, registry)
        mine = [o for o in current if o["team"] in below]
        if not mine:
            assert team not in rows, team
            continue
        pct = whole_percent(sum(objective_progress(o) for o in counted(mine)) / len(counted(mine)))
        assert rows[team].startswith(f"{team_names[team]} {len(mine)} objective"), (team, rows[team])
        assert f" {pct}% " in rows[team] + " ", (team, pct, rows[team])

    statuses = [objective_status(o, as_of) for o in current]
    counts = text_of(section(page, '<ul class="okrs-counts">', "</ul>"))
    for status in set(statuses):
        assert re.search(rf"{LABELS[status]} {statuses.count(status)}\b", counts), (status, counts)

    attention = section(page, 'id="attention"', 'id="movers"')
    expected = [(kr["title"], names[kr["owner"]]) for o in current if o.get("status", "active") == "active"
                for kr in o["key_results"] if kr_status(kr, o, as_of) in ("off-track", "at-risk")]
    items = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", section(attention, "<ol", "</ol>"), re.S)]
    assert len(items) == min(len(expected), 10), items
    for item in items:
        assert any(title in item and f"owner {owner}" in item for title, owner in expected), item


def descendants(team: str, registry: dict) -> list[str]:
    """The teams below ``team`` in people.yaml (children, grandchildren, ...)."""
    found, todo = [], [team]
    while todo:
        at = todo.pop()
        for other, entry in registry.items():
            if entry.get("parent") == at and other not in found:
                found.append(other)
                todo.append(other)
    return found


def team_rows(markup: str) -> dict[str, str]:
    """Team id -> the text of its row in a roll-up tree (name, count, progress)."""
    return {team: text_of(row) for team, row in re.findall(
        r'<span class="okrs-team-row" data-team="([^"]+)">(.*?)<span class="okrs-team-row__counts">', markup, re.S)}


def test_closed_period_shows_scores(example_site: BuiltSite) -> None:
    objectives = [o for o in sources(example_site.root).values() if o["period"] == "2026-Q3"]
    scored = counted(objectives)

    def two_decimals(fraction: Fraction) -> Fraction:
        return Fraction(math.floor(fraction * 100 + Fraction(1, 2)), 100)

    # The mean of the objectives' scores (two decimals each), dropped ones left out.
    score = f"{float(two_decimals(sum(two_decimals(objective_progress(o)) for o in scored) / len(scored))):.2f}"
    page = example_site.page("periods/2026-Q3/index.html")
    body = text_of(article(page))
    assert "closed" in body and f"Score {score}" in body, body
    for o in objectives:
        row = next(text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if o["objective"] in text_of(r))
        if o.get("status") == "dropped":  # listed, but no score: it counts in no average
            assert "score" not in row and "Dropped" in row, row
        else:
            assert f"score {float(two_decimals(objective_progress(o))):.2f}" in row, row
    current = text_of(article(example_site.page("periods/2026-Q4/index.html")))
    assert "Score" not in current and "Progress" in current


def test_person_pages_list_everything_each_person_owns(example_site: BuiltSite) -> None:
    objectives = sources(example_site.root).values()
    for person, entry in people(example_site.root)["people"].items():
        body = text_of(article(example_site.page(f"people/{person}/index.html")))
        assert heading(example_site.page(f"people/{person}/index.html")) == entry["name"]
        for kr in (kr for o in objectives for kr in o["key_results"] if kr["owner"] == person):
            assert kr["title"] in body, (person, kr["title"])
        for o in objectives:
            if o["owner"] == person or person in o.get("contributors", []):
                assert o["objective"] in body, (person, o["objective"])


class _TreeParser(HTMLParser):
    """The alignment tree: for each objective link, the objective link of the enclosing item."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []  # the first link of every open <li>
        self.parent: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "li":
            self.stack.append(None)
        elif tag == "a" and self.stack and self.stack[-1] is None:
            href = dict(attrs)["href"]
            self.stack[-1] = href
            self.parent[href] = next((h for h in reversed(self.stack[:-1]) if h), None)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.stack.pop()


def test_alignment_tree_follows_the_parents(example_site: BuiltSite) -> None:
    objectives = sources(example_site.root)
    page = example_site.page("alignment/index.html")
    parser = _TreeParser()
    parser.feed(article(page))  # its only list items are the tree's

    def objective(href: str | None) -> str | None:
        return posixpath.normpath(posixpath.join("alignment", href)).removeprefix("objectives/") if href else None

    found = {objective(href): objective(parent) for href, parent in parser.parent.items()}
    expected = {i: o.get("parent") if o.get("parent") in objectives else None for i, o in objectives.items()}
    assert found == expected


def test_okrs_json_is_the_current_state(example_site: BuiltSite) -> None:
    root = example_site.root
    state = json.loads(example_site.page("okrs.json"))
    objectives = sources(root)
    registry = people(root)
    as_of = date.fromisoformat(AS_OF)
    assert state["as_of"] == AS_OF
    assert [o["id"] for o in state["objectives"]] == sorted(objectives)
    for o in state["objectives"]:
        data = objectives[o["id"]]
        assert (o["title"], o["owner"], o["team"], o["period"]) == (
            data["objective"], data["owner"], data["team"], data["period"])
        assert o["progress"] == pytest.approx(float(objective_progress(data)), abs=1e-4)
        # "status" is the live one; a closed period adds its grade band and score
        assert o["status"] == objective_status(data, as_of, graded=False)
        closed = as_of > quarter_bounds(data["period"])[1]
        if closed and data.get("status") != "dropped":
            assert o["grade"] == objective_status(data, as_of)
            assert o["score"] == math.floor(objective_progress(data) * 100 + Fraction(1, 2)) / 100
        elif closed:
            assert (o["score"], o["grade"]) == (None, None)  # dropped: no score
        else:
            assert "score" not in o
        assert o["source"] == f"okrs/{o['id']}.md"
        assert [k["id"] for k in o["key_results"]] == [k["id"] for k in data["key_results"]]
        for k, kr in zip(o["key_results"], data["key_results"]):
            assert k["owner"] == kr["owner"]
            assert k["progress"] == pytest.approx(float(kr_progress(kr)), abs=1e-4)
            assert k["status"] == kr_status(kr, data, as_of, graded=False)
    assert {p: v["name"] for p, v in state["people"].items()} == {
        p: v["name"] for p, v in registry["people"].items()}
    assert {t: (v["name"], v["lead"]) for t, v in state["teams"].items()} == {
        t: (v["name"], v.get("lead")) for t, v in registry["teams"].items()}


def test_how_to_edit_comes_from_the_schemas(example_site: BuiltSite) -> None:
    schema = json.loads((example_site.root / "schema" / "objective.schema.json").read_text(encoding="utf-8"))
    people_schema = json.loads((example_site.root / "schema" / "people.schema.json").read_text(encoding="utf-8"))
    body = text_of(article(example_site.page("how-to-edit/index.html")))
    key_result = schema["$defs"]["key_result"]
    assert key_result["properties"]["owner"]["description"] in body
    for spec in list(schema["properties"].values()) + list(key_result["properties"].values()):
        if isinstance(spec, dict) and spec.get("description"):
            assert spec["description"] in body, spec["description"]
    assert people_schema["description"] in body


def _links(page: str) -> list[str]:
    return [html.unescape(u) for u in re.findall(r'(?:href|src)="([^"]*)"', page)]


def test_every_internal_link_resolves(example_site: BuiltSite) -> None:
    site = example_site.site
    ids: dict[Path, set[str]] = {}
    broken = []
    for page_path in sorted(site.rglob("*.html")):
        if page_path.name == "404.html":
            continue  # served for any missing path, so MkDocs writes its links from the site root
        folder = page_path.parent.relative_to(site).as_posix()
        for url in _links(page_path.read_text(encoding="utf-8")):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
                continue
            target_rel = posixpath.normpath(posixpath.join(folder, unquote(parts.path))) if parts.path else None
            target = page_path if target_rel is None else site / target_rel
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page_path.relative_to(site)}: {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
                if parts.fragment not in ids[target]:
                    broken.append(f"{page_path.relative_to(site)}: {url} (no such anchor)")
    assert not broken, "\n".join(broken)


# --- 2. hostile input -------------------------------------------------------------------------


def test_hostile_values_are_escaped_everywhere(hostile_site: BuiltSite) -> None:
    site = hostile_site.site
    raw = ["<script>alert", "<img src=x", "<b>Bold"]
    offenders = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(site)}: {r}" for r in raw if r in text]
            offenders += [f"{path.relative_to(site)}: javascript: URL"
                          for u in _links(text) if "javascript:" in u.replace(" ", "").lower()]
    assert not offenders, "\n".join(offenders)

    page = hostile_site.page(OBJECTIVE_PAGE.format("2026-Q4/payments/hostile"))
    escaped = html.escape(HOSTILE_TITLE, quote=False)
    assert f"<h1>{escaped}</h1>" in page
    assert f"<title>{escaped} - " in page
    body = text_of(article(page))
    assert HOSTILE_KR_TITLE in body and HOSTILE_NOTE in body and HOSTILE_NAME in body
    assert "The narrative: <script>alert(3)</script> and <img src=x onerror=alert(2)>." in body
    assert "a link" in body  # the javascript: link keeps its text, loses its target
    assert HOSTILE_NAME in text_of(article(hostile_site.page("people/alice/index.html")))

    # The data itself survives: the JSON holds the exact strings, only encoded (no viewer
    # can take any of it for markup: the objectives' entries are escaped as the rest is).
    raw = hostile_site.page("okrs.json")
    assert not {"<", ">", "&"} & set(raw) and "\\u003cscript\\u003e" in raw
    state = json.loads(raw)
    assert state["objectives"][0]["title"] == HOSTILE_TITLE
    assert state["objectives"][0]["key_results"][0]["title"] == HOSTILE_KR_TITLE
    assert state["people"]["alice"]["name"] == HOSTILE_NAME


# --- 3. determinism --------------------------------------------------------------------------


def test_two_builds_are_byte_identical(example_site: BuiltSite, tmp_path: Path) -> None:
    # Another --as-of than today's date, so that a date taken from the clock would show.
    as_of = "2026-10-05"
    first = build(example_site.root, tmp_path / "one" / "site", as_of=as_of, env=build_env(PYTHONHASHSEED="1"))
    time.sleep(1.1)  # a later second, another hash seed, another folder name
    second = build(example_site.root, tmp_path / "two" / "other", as_of=as_of, env=build_env(PYTHONHASHSEED="2"))
    assert first.result.returncode == 0 and second.result.returncode == 0, first.result.stderr + second.result.stderr
    one, two = file_contents(first.site), file_contents(second.site)
    assert sorted(one) == sorted(two)
    assert {"sitemap.xml.gz", "search/search_index.json", "okrs.json"} <= set(one)
    differing = [name for name in one if one[name] != two[name]]
    assert not differing, f"files differ between two builds: {differing}"

    # The dates MkDocs stamps follow --as-of: the sitemap's and the gzip header's.
    epoch = int(datetime.fromisoformat(as_of).replace(tzinfo=timezone.utc).timestamp())
    assert int.from_bytes(one["sitemap.xml.gz"][4:8], "little") == epoch
    assert gzip.decompress(one["sitemap.xml.gz"]) == one["sitemap.xml"]
    assert set(re.findall(rb"<lastmod>([^<]*)</lastmod>", one["sitemap.xml"])) == {as_of.encode()}
    assert json.loads(one["okrs.json"])["as_of"] == as_of


# --- 4. a failed build leaves the previous site ------------------------------------------------


def _previous_site(example_site: BuiltSite, tmp_path: Path) -> tuple[Path, Path, dict]:
    root = copy_repository(tmp_path / "repo")
    site = tmp_path / "out" / "site"
    shutil.copytree(example_site.site, site)
    (site / "index.html").write_text("<p>the previous site</p>\n", encoding="utf-8")
    return root, site, tree_snapshot(site)


def test_broken_file_fails_and_leaves_the_previous_site(example_site: BuiltSite, tmp_path: Path) -> None:
    root, site, before = _previous_site(example_site, tmp_path)
    checkout = root / "okrs" / f"{CHECKOUT}.md"
    lines = checkout.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text == "    owner: noah\n")
    lines[line - 1] = "    owner: nobody\n"
    checkout.write_text("".join(lines), encoding="utf-8")

    result = run_okrs("build", "--root", root, "--as-of", AS_OF, "--site-dir", site)
    assert result.returncode == 1, result.stdout + result.stderr
    column = lines[line - 1].index("nobody") + 1
    assert f"okrs/{CHECKOUT}.md:{line}:{column}: error[owner-unknown]: " in result.stdout, result.stdout
    assert "Traceback" not in result.stderr
    assert tree_snapshot(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"], "a temporary folder was left behind"


def test_failure_inside_mkdocs_leaves_the_previous_site(example_site: BuiltSite, tmp_path: Path) -> None:
    root, site, before = _previous_site(example_site, tmp_path)
    (root / "docs" / "extra.md").write_text("[a broken link](missing.md)\n", encoding="utf-8")

    result = run_okrs("build", "--root", root, "--as-of", AS_OF, "--site-dir", site, "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "missing.md" in result.stderr and "the previous site is untouched" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_snapshot(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"], "a temporary folder was left behind"


# --- 5. plain mkdocs -----------------------------------------------------------------------------


def _mkdocs_build(root: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, env=build_env(), timeout=120)


def test_mkdocs_build_works_without_the_cli(example_site: BuiltSite, tmp_path: Path) -> None:
    result = _mkdocs_build(example_site.root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    title = sources(example_site.root)[CHECKOUT]["objective"]
    assert (tmp_path / "site" / "index.html").is_file()
    assert heading((tmp_path / "site" / OBJECTIVE_PAGE.format(CHECKOUT)).read_text(encoding="utf-8")) == title
    assert json.loads((tmp_path / "site" / "okrs.json").read_text(encoding="utf-8"))["objectives"]


def test_mkdocs_build_refuses_broken_okrs(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    checkout = root / "okrs" / f"{CHECKOUT}.md"
    checkout.write_text(checkout.read_text(encoding="utf-8").replace("owner: noah\n", "owner: nobody\n"),
                        encoding="utf-8")
    result = _mkdocs_build(root, tmp_path / "site")
    assert result.returncode != 0
    assert re.search(rf"okrs/{CHECKOUT}.md:\d+:\d+: error\[owner-unknown\]", result.stderr), result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# --- 6. the sources are never written -------------------------------------------------------------


def test_build_never_writes_under_okrs(example_site: BuiltSite) -> None:
    assert example_site.okrs_before, "the snapshot is empty"
    assert tree_snapshot(example_site.root / "okrs") == example_site.okrs_before


@pytest.mark.parametrize("site_dir", ["okrs/site", "okrs", "okrs/2026-Q4", "."])
def test_site_dir_over_the_sources_is_refused(tmp_path: Path, site_dir: str) -> None:
    root = copy_repository(tmp_path / "repo")
    before = tree_snapshot(root)
    result = run_okrs("build", "--root", root, "--as-of", AS_OF, "--site-dir", root / site_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "would overwrite the OKR sources" in result.stderr
    assert tree_snapshot(root) == before
