"""Renderers of the weekly digest: JSON, Markdown, the HTML fragment and the RSS feed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from gitrepo import okr_history

from generator.history.changelog import (describe, digest_dict, escape_markdown, render_feed, render_html, render_json,
                                 render_markdown)
from generator.config import Config
from generator.history.diff import Change, CommitInfo
from generator.history.values import Digest, StaleKeyResult, Week
from generator.history.queries import History
from generator.history.walk import read_history
from generator.reading.loader import load_people
from generator.model.core import People, Person

LINK = "https://okrs.example.com/objectives/{}/".format


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("changelog") / "repo"
    return root, okr_history(root)


@pytest.fixture(scope="module")
def history(made) -> History:
    return read_history(Config(root=made[0]))


@pytest.fixture(scope="module")
def people(made) -> People:
    return load_people(Config(root=made[0]))[0]


def short(shas: dict[str, str], name: str) -> str:
    return shas[name][:7]


def test_markdown_of_a_week(history: History, people: People, made) -> None:
    shas = made[1]
    assert render_markdown(history.digest("2026-W44"), people=people) == f"""\
## OKR changes in week 2026-W44 (2026-10-26 to 2026-11-01)

6 changes in 2 objectives, nothing stale.

### Make checkout boringly reliable
`2026-Q4/payments/checkout-reliability`

- **Multi-region failover drill passes**: key result removed (Carol Chen, `{short(shas, "c7")}`)
- **Payment errors below 0.5%**: new key result, owner Bob Brown (Carol Chen, `{short(shas, "c7")}`)
- **p99 checkout latency under 300 ms**: handed over from Bob Brown to Dan Diaz; target eased: 300 ms → 350 ms \
(Carol Chen, Alice Rossi, `{short(shas, "c7")}`, `{short(shas, "c8")}`)

### Keep the platform up
`2026-Q4/platform/uptime`

- **Sev-1 incidents per month from 10 to 2**: 10 → 6 (0% → 50%, +50 points); note: “Fewer pages since the runbook” \
(Alice Rossi, `{short(shas, "m1")}`)
"""


def test_markdown_escapes_and_links_and_lists_stale_owners(history: History, people: People, made) -> None:
    shas = made[1]
    assert render_markdown(history.digest("2026-W46"), people=people, link=LINK) == f"""\
## OKR changes in week 2026-W46 (2026-11-09 to 2026-11-15)

2 changes in 1 objective, 2 stale key results.

### [Keep the platform boringly up](https://okrs.example.com/objectives/2026-Q4/platform/uptime/)
`2026-Q4/platform/uptime`

- renamed from “Keep the platform up” (Carol Chen, `{short(shas, "c10")}`)
- **Sev-1 incidents per month from 10 to 2**: note: “&lt;script&gt;alert(1)&lt;/script&gt; &amp; fewer pages” \
(Carol Chen, `{short(shas, "c10")}`)

### Stale key results (no check-in for more than 2 weeks)

- **[Payment errors below 0.5%]({LINK("2026-Q4/payments/checkout-reliability")}#kr-error-rate)** \
(`2026-Q4/payments/checkout-reliability#error-rate`): owner Bob Brown, never checked in
- **[Availability from 99.0% to 99.9%]({LINK("2026-Q4/platform/uptime")}#kr-availability)** \
(`2026-Q4/platform/uptime#availability`): owner Dan Diaz, last check-in 2026-10-22
"""


def test_markdown_of_a_quiet_week(history: History) -> None:
    text = render_markdown(history.digest("2026-W52", as_of=date(2026, 12, 1)))
    assert text.splitlines()[:3] == ["## OKR changes in week 2026-W52 (2026-12-21 to 2026-12-27)", "",
                                     "No changes, 2 stale key results."]


def test_html_fragment_escapes_every_value(history: History, people: People) -> None:
    fragment = render_html(history.digest("2026-W46"), people=people, link=LINK)
    assert "<script>" not in fragment
    assert "note: “&lt;script&gt;alert(1)&lt;/script&gt; &amp; fewer pages”" in fragment
    assert '<a href="https://okrs.example.com/objectives/2026-Q4/platform/uptime/">Keep the platform boringly up</a>' \
        in fragment
    assert "owner Dan Diaz, last check-in 2026-10-22" in fragment
    root = ET.fromstring(fragment)  # well-formed: every tag closed, every entity escaped
    assert root.tag == "section" and "font-family" in root.get("style")
    assert not any(el.tag in ("script", "link", "img", "style") for el in root.iter())


def test_html_escapes_titles_from_files() -> None:
    change = Change("a/b", "kr", "progress", "current", 1, 2, 0.1, 0.2, "<b>x</b>",
                    objective_title="<script>alert(1)</script>", key_result_title='"><img src=x onerror=alert(1)>',
                    commits=(CommitInfo("f" * 40, "<Eve>", "e@x", datetime(2026, 1, 1, tzinfo=timezone.utc),
                                        "<i>"),))
    digest = Digest(Week.parse("2026-W02"), [change], [])
    fragment = render_html(digest, link=lambda ident: f"/o/{ident}?x=\"'")
    assert "<script>" not in fragment and "<img" not in fragment and "<Eve>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment and "&lt;Eve&gt;" in fragment
    assert 'href="/o/a/b?x=&quot;&#x27;"' in fragment
    ET.fromstring(fragment)
    markdown = render_markdown(digest)
    assert "&lt;script&gt;" in markdown and "<script>" not in markdown


def test_json_of_one_week_and_of_several(history: History) -> None:
    one = json.loads(render_json(history.digest("2026-W47")))
    assert one == digest_dict(history.digest("2026-W47"))
    assert [c["kind"] for c in one["changes"]] == ["status"]
    several = json.loads(render_json([history.digest("2026-W47"), history.digest("2026-W46")]))
    assert [d["week"] for d in several] == ["2026-W47", "2026-W46"]


def test_feed_is_rss_2_with_one_item_per_week(history: History) -> None:
    digests = [history.digest(week) for week in history.weeks]
    feed = render_feed(digests, site_url="https://okrs.example.com", title="Northwind OKRs")
    root = ET.fromstring(feed)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Northwind OKRs"
    assert channel.findtext("link") == "https://okrs.example.com/changelog/"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == "https://okrs.example.com/changelog/feed.xml"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Week 2026-W47: 1 change in 1 objective, 1 stale key result",
        "Week 2026-W46: 2 changes in 1 objective, 2 stale key results",
        "Week 2026-W45: 1 change in 1 objective, 1 stale key result",
        "Week 2026-W44: 6 changes in 2 objectives, nothing stale",
        "Week 2026-W43: 3 changes in 2 objectives, 2 stale key results",
        "Week 2026-W42: 4 changes in 2 objectives, nothing stale",
        "Week 2026-W41: 2 changes in 2 objectives, nothing stale",
    ]
    first = items[0]
    assert first.findtext("link") == "https://okrs.example.com/changelog/2026-W47/"
    assert first.find("guid").get("isPermaLink") == "true"
    assert first.findtext("pubDate") == "Mon, 23 Nov 2026 00:00:00 +0000"
    assert first.findtext("description").startswith('<section class="okrs-digest"')
    assert channel.findtext("lastBuildDate") == "Mon, 23 Nov 2026 00:00:00 +0000"
    assert "&lt;script&gt;" in items[1].findtext("description")  # escaped HTML inside escaped XML
    assert render_feed(digests, site_url="https://okrs.example.com", title="Northwind OKRs") == feed


def change(kind: str, field: str | None, before, after, **more) -> Change:
    values = {"progress_before": 0.2, "progress_after": 0.4, "owner": "bob", "objective_title": "O",
              "key_result_title": "K", "unit": None}
    values.update(more)
    return Change("a/b", "k", kind, field, before, after, **values)


PEOPLE = People(persons={"bob": Person("bob", "Bob Brown"), "dan": Person("dan", "Dan Diaz")})


@pytest.mark.parametrize("made_change, words", [
    (change("progress", "current", 850, 700, unit="ms"), "850 ms → 700 ms (20% → 40%, +20 points)"),
    (change("progress", "current", 71.0, 74.9, unit="%", progress_after=0.557),
     "71% → 74.9% (20% → 56%, +36 points)"),
    (change("progress", "current", 5, 3, progress_after=0.1), "5 → 3 (20% → 10%, -10 points)"),
    (change("progress", "done", False, True), "done"),
    (change("progress", "done", True, False), "reopened: no longer done"),
    (change("confidence", "confidence", None, 0.6), "confidence none → 60%"),
        (change("confidence", "confidence", 0.7, 0.35), "confidence 70% → 35%"),
        (change("progress", "current", 2, 2.4, unit="$M", progress_after=0.4), "$2M → $2.4M (20% → 40%, +20 points)"),
        (change("target", "stretch", 45, 50, unit="%", direction="raised"), "stretch goal raised: 45% → 50%"),
        (change("target", "at_most", 1, 1.5, unit="%", direction="eased"), "at most eased: 1% → 1.5%"),
        (change("target", "due", "2026-12-15", None, direction="eased"), "due date eased: 2026-12-15 → the period end"),
    (change("note", "note", "a", None), "note removed"),
    (change("owner", "owner", "bob", "dan"), "handed over from Bob Brown to Dan Diaz"),
    (change("target", "target", 300, 250, unit="ms", direction="raised"), "target raised: 300 ms → 250 ms"),
    (change("target", "start", 10, 12, direction=None), "start changed: 10 → 12"),
    (change("target", "unit", "ms", "s"), "unit ms → s"),
    (change("added", None, None, "K", owner="dan"), "new key result, owner Dan Diaz"),
    (change("removed", None, "K", None), "key result removed"),
])
def test_describe(made_change: Change, words: str) -> None:
    assert describe(made_change, PEOPLE) == words


def test_describe_objective_changes() -> None:
    moved = Change("x/new", None, "moved", "id", "x/old", "x/new", 0.1, 0.1, "bob")
    assert describe(moved) == "moved from x/old"
    owner = Change("x", None, "owner", "owner", "bob", "dan", 0, 0, "dan")
    assert describe(owner, PEOPLE) == "owner Bob Brown → Dan Diaz"
    assert describe(Change("x", None, "added", None, None, "T", None, 0, "bob")) == "new objective, owner bob"


def test_escape_markdown() -> None:
    # < > & as entities, not backslashes: Slack ignores backslashes (<!channel> would notify).
    assert escape_markdown("a*b_c [x](y) <b> & `c` | ~ #1\nnext") == \
        "a\\*b\\_c \\[x\\](y) &lt;b&gt; &amp; \\`c\\` \\| \\~ \\#1 next"


def test_stale_json_shape() -> None:
    stale = StaleKeyResult("a/b", "k", "bob", date(2026, 10, 30))
    assert stale.as_dict() == {"objective": "a/b", "key_result": "k", "owner": "bob",
                               "last_checkin": "2026-10-30"}
