"""The MkDocs plugin's options from mkdocs.yml, in a real `mkdocs build`: each one shows on the site.

Plain MkDocs (no `okrs build`): MkDocs validates the options and hands them to the
plugin, so these tests see what a site owner who only runs `mkdocs build` sees.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from gitrepo import PEOPLE, GitRepo
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config

from e2e.conftest import build_env, copy_repository

DEFAULT_OPTIONS = """\
  - okrs:
      source: okrs
      ownership: individual      # or individual-or-team
      max_key_results: 5
      timezone: UTC
      stale_after_weeks: 2
"""
TODAY = date.today()
OPTIONS = f"""\
  - okrs:
      source: goals
      ownership: individual-or-team
      max_key_results: 2
      timezone: Europe/Berlin
      stale_after_weeks: 1
      periods:
        Sprint-Now: {{start: {TODAY - timedelta(days=60)}, end: {TODAY + timedelta(days=60)}}}
"""

# Owned by a team (allowed by ownership: individual-or-team), in the named period, with
# three key results (more than max_key_results: 2).
TEAM_OWNED = """\
---
objective: Ship the payments roadmap
owner: payments
team: payments
period: Sprint-Now
key_results:
  - id: adoption
    title: Adoption from 10 to 50 teams
    owner: bob
    start: 10
    target: 50
  - id: docs
    title: Docs pages from 0 to 20
    owner: alice
    start: 0
    target: 20
  - id: talks
    title: Talks from 0 to 3
    owner: alice
    start: 0
    target: 3
---
"""
TEAM_OWNED_PATH = "goals/Sprint-Now/payments/roadmap.md"
# A quarter long past: its key results are never stale, so only the week it changed matters.
LATE_SUNDAY = """\
---
objective: Keep the lights on
owner: carol
team: platform
period: 2026-Q3
key_results:
  - id: uptime
    title: Uptime from 99 to 99.9
    owner: dan
    start: 99
    target: 99.9
---
"""
LATE_SUNDAY_PATH = "goals/2026-Q3/platform/lights.md"


def plugin_options_site(root: Path) -> GitRepo:
    """A copy of the project's site sources with every plugin option set away from its default,
    and a git history:

    - Mon 2026-11-02 both objectives added;
    - Sun 2026-11-08 23:30 UTC (Mon 00:30 in Berlin: week 2026-W46 there, W45 in UTC) a check-in;
    - ten days ago a check-in on the team-owned objective (stale after 1 week, not after 2).
    """
    copy_repository(root, with_okrs=False)
    mkdocs_yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert DEFAULT_OPTIONS in mkdocs_yml, "the project's mkdocs.yml changed: update DEFAULT_OPTIONS"
    (root / "mkdocs.yml").write_text(mkdocs_yml.replace(DEFAULT_OPTIONS, OPTIONS), encoding="utf-8")
    repo = GitRepo.create(root)
    repo.write("goals/people.yaml", PEOPLE)
    repo.write(TEAM_OWNED_PATH, TEAM_OWNED)
    repo.write(LATE_SUNDAY_PATH, LATE_SUNDAY)
    repo.commit("Add objectives", date="2026-11-02T09:00:00+00:00")
    repo.edit(LATE_SUNDAY_PATH, "    target: 99.9\n", "    target: 99.9\n    current: 99.5\n")
    repo.commit("Late Sunday check-in", date="2026-11-08T23:30:00+00:00", author="Dan Diaz")
    repo.edit(TEAM_OWNED_PATH, "    target: 50\n", "    target: 50\n    current: 20\n")
    ten_days_ago = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=10)
    repo.commit("Check in adoption", date=ten_days_ago, author="Bob Brown")
    return repo


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The site of a real in-process `mkdocs build`, and the plugin that made it."""
    base = tmp_path_factory.mktemp("plugin-options")
    root, site = base / "repo", base / "site"
    plugin_options_site(root)
    config = load_mkdocs_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    mkdocs_build(config)
    return site, config.plugins["okrs"]


def page(site: Path, relative: str) -> str:
    return (site / relative / "index.html").read_text(encoding="utf-8")


def test_source_objectives_are_read_from_the_configured_folder(built) -> None:
    site, plugin = built
    assert sorted(plugin.repository.objectives) == ["2026-Q3/platform/lights", "Sprint-Now/payments/roadmap"]
    assert "<h1>Ship the payments roadmap</h1>" in page(site, "objectives/Sprint-Now/payments/roadmap")
    assert "one objective per Markdown file under <code>goals/</code>" in page(site, "how-to-edit")


def test_ownership_a_team_may_own_an_objective(built) -> None:
    site, _ = built
    objective = page(site, "objectives/Sprint-Now/payments/roadmap")
    assert re.search(r'<a class="okrs-chip okrs-chip--team" href="[./]*teams/payments/">Payments</a>', objective)


def test_max_key_results_sets_the_too_many_key_results_threshold(built) -> None:
    _, plugin = built
    [warning] = [f for f in plugin.repository.findings if f.code == "too-many-krs"]
    assert (warning.path, warning.severity) == (TEAM_OWNED_PATH, "warning")
    assert "3 key results; more than 2 dilutes focus" in warning.message


def test_periods_a_named_period_gets_its_page(built) -> None:
    site, _ = built
    period = page(site, "periods/Sprint-Now")
    assert "Ship the payments roadmap" in period


def test_timezone_a_late_sunday_commit_falls_in_the_next_week_there(built) -> None:
    site, _ = built
    # Sunday 23:30 UTC is Monday 00:30 in Berlin: week 2026-W46 there (W45 in UTC).
    assert "Uptime from 99 to 99.9" not in page(site, "changelog/2026-W45")
    assert "Uptime from 99 to 99.9" in page(site, "changelog/2026-W46")
    assert "2026-11-09 Dan Diaz: Late Sunday check-in" in re.sub(r"<[^>]+>|\s+", " ", page(site, "changelog/2026-W46"))


def test_stale_after_weeks_a_ten_day_old_check_in_is_stale_after_one_week(built) -> None:
    site, _ = built
    stale = re.search(r'<h2 id="stale">.*?</ul>', page(site, ""), re.S)
    assert stale, "the dashboard lists stale key results"
    # Checked in ten days ago: stale after 1 week, not after the default 2.
    assert "Adoption from 10 to 50 teams" in stale[0]


# --- warnings from the history reach MkDocs' log ---------------------------------------------------


def test_a_broken_file_in_an_old_commit_is_a_warning_of_plain_mkdocs_build(tmp_path: Path) -> None:
    from gitrepo import UPTIME_PATH, okr_history

    root = copy_repository(tmp_path / "repo", with_okrs=False)
    shas = okr_history(root)  # its commit c5 has a YAML syntax error in uptime.md, c6 fixes it
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], capture_output=True, text=True, env=build_env(),
                            timeout=120)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING") and UPTIME_PATH in line]
    assert len(warnings) == 1, result.stderr
    assert re.search(rf"{UPTIME_PATH}:\d+:\d+: .*{shas['c5'][:7]}", warnings[0]), warnings[0]
