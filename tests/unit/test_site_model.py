"""build_site_model: the whole site as data (pages, files, navigation), without MkDocs."""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.config import load_config
from generator.mkdocs.passthrough import MARKER
from generator.site.build import build_site_model, navigation
from generator.site.render import NavPlace, SitePage
from generator.site.views import period_score

AS_OF = date(2026, 11, 20)


@pytest.fixture
def model(repo, valid_objective):
    repo.objective()
    repo.objective("2026-Q3/platform/lights.md", valid_objective.replace("payments", "platform")
                   .replace("2026-Q4", "2026-Q3").replace("Make checkout", "Keep the lights on"))
    loaded = repo.load()
    assert not loaded.errors, loaded.errors
    return build_site_model(loaded, None, load_config(repo.root), as_of=AS_OF, site_url="https://okrs.example/")


def test_every_page_is_made_once_sorted_by_path(model):
    paths = [page.path for page in model.pages]
    assert paths == sorted(set(paths))
    assert {"index.md", "alignment.md", "how-to-edit.md", "changelog/index.md", "periods/index.md",
            "periods/2026-Q4.md", "periods/2026-Q3.md", "teams/index.md", "teams/payments.md",
            "people/index.md", "people/alice.md", "objectives/2026-Q4/payments/checkout.md"} <= set(paths)


def test_a_page_is_its_html_body_without_front_matter_or_marker(model):
    dashboard = next(page for page in model.pages if page.path == "index.md")
    assert dashboard.title == "OKR dashboard"
    assert not dashboard.html.startswith("---") and MARKER not in dashboard.html
    assert "Period <a" in dashboard.html
    # The dashboard stays short: objectives are listed on the index it links to.
    assert 'href="objectives/"' in dashboard.html
    index = next(page for page in model.pages if page.path == "objectives/index.md")
    assert "Make checkout boringly reliable" in index.html


def test_only_objective_pages_have_a_source_for_the_edit_link(model):
    sources = {page.path: page.source for page in model.pages if page.source}
    assert sources == {"objectives/2026-Q3/platform/lights.md": "okrs/2026-Q3/platform/lights.md",
                       "objectives/2026-Q4/payments/checkout.md": "okrs/2026-Q4/payments/checkout.md"}


def test_the_navigation_comes_from_the_pages_sections(model):
    assert model.nav == [
        {"Dashboard": "index.md"},
        {"2026-Q4 (current)": "periods/2026-Q4.md"},
        {"Objectives": "objectives/index.md"},
        {"Alignment": "alignment.md"},
        {"Teams": "teams/index.md"},
        {"People": "people/index.md"},
        {"Changelog": "changelog/index.md"},
        {"Periods": ["periods/index.md", {"2026-Q3": "periods/2026-Q3.md"}]},
        {"Learnings": "learnings.md"},
        {"How to edit OKRs": "how-to-edit.md"},
    ]


def test_the_site_files_are_the_state_and_the_feed(model):
    assert sorted(model.files) == ["changelog/feed.xml", "okrs.json"]
    state = json.loads(model.files["okrs.json"])
    assert state["as_of"] == "2026-11-20"
    assert [o["id"] for o in state["objectives"]] == ["2026-Q3/platform/lights", "2026-Q4/payments/checkout"]
    assert "https://okrs.example/" in model.files["changelog/feed.xml"]


def test_a_grouped_section_is_listed_even_with_one_page_and_ranks_order_the_entries():
    pages = [SitePage.of("b.md", "B", "", nav_section=NavPlace("Periods", 60, grouped=True)),
             SitePage.of("z.md", "Z", "", nav_section=NavPlace("First", 0)),
             SitePage.of("hidden.md", "Hidden", "")]
    assert navigation(pages) == [{"First": "z.md"}, {"Periods": ["b.md"]}]


def test_a_closed_periods_score_counts_neither_drafts_nor_dropped(repo, valid_objective):
    repo.objective()
    repo.objective("2026-Q4/payments/draft.md", valid_objective.replace("team: payments", "team: payments\nstatus: draft"))
    objectives = list(repo.load().objectives.values())
    active = [o for o in objectives if o.declared_status != "draft"]
    assert period_score(objectives) == f"{active[0].progress:.2f}"  # two decimals (SPEC Part 2)
    assert period_score([o for o in objectives if o.declared_status == "draft"]) is None


def test_the_newest_period_is_named_closed_in_the_navigation_once_it_has_ended(repo, valid_objective):
    repo.objective()
    loaded = repo.load()
    nav = build_site_model(loaded, None, load_config(repo.root), as_of=date(2027, 1, 11),
                           site_url="https://okrs.example/").nav
    assert {"2026-Q4 (closed)": "periods/2026-Q4.md"} in nav and {"2026-Q4 (current)": "periods/2026-Q4.md"} not in nav
