"""A team's page shows where the team stands in the organisation: its parent and its sub-teams."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.reading import schemas
from generator.site.pages import build_pages
from generator.site.schema_docs import reference
from generator.site.views import Context

PROJECT = Path(__file__).resolve().parents[2]
NESTED_TEAMS = """\
people:
  alice: {name: Alice Rossi}
  bob: {name: Bob Brown}
  carol: {name: Carol Chen}
teams:
  engineering: {name: Engineering, lead: alice, members: [alice]}
  payments: {name: Payments, lead: bob, members: [bob], parent: engineering}
  platform: {name: Platform, lead: carol, members: [carol], parent: engineering}
  sales: {name: Sales, lead: alice, members: [alice]}
"""


def team_pages(repo) -> dict[str, str]:
    repo.write("people.yaml", NESTED_TEAMS)
    loaded = repo.load()
    assert not loaded.findings, loaded.findings
    ctx = Context(people=loaded.people, objectives=loaded.objectives, periods={}, as_of=date(2026, 11, 23))
    guide = {"reference": reference(schemas.load_schema(PROJECT, schemas.OBJECTIVE),
                                    schemas.load_schema(PROJECT, schemas.PEOPLE)), "source": "okrs"}
    return {page.path: page.html for page in build_pages(ctx, guide=guide) if page.path.startswith("teams/")}


def sub_teams(page: str) -> list[tuple[str, str]]:
    """(href, name) of each team linked under "Teams" in the page's facts."""
    facts = re.search(r"<dt>Teams</dt>\s*<dd>(.*?)</dd>", page)
    return re.findall(r'<a class="okrs-chip okrs-chip--team" href="([^"]*)">([^<]*)</a>', facts[1]) if facts else []


def test_a_team_page_links_each_of_its_sub_teams(repo):
    pages = team_pages(repo)
    assert sub_teams(pages["teams/engineering.md"]) == [("../payments/", "Payments"), ("../platform/", "Platform")]
    assert sub_teams(pages["teams/payments.md"]) == []
    assert sub_teams(pages["teams/sales.md"]) == []
    assert 'part of <a class="okrs-chip okrs-chip--team" href="../engineering/">Engineering</a>' \
        in pages["teams/platform.md"]
