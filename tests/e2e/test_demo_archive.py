"""`okrs demo --closed-years Y`: Y years of closed quarters before the demo's, imported
one commit per quarter, that check clean and build; without the option the demo is as it was."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from gitrepo import git

from e2e.conftest import run_okrs
from generator.cli.main import main
from generator.config import load_config
from generator.demo.archive import period_names
from generator.demo.repository import create_demo
from generator.reading.loader import load_repository

ROOT = Path(__file__).resolve().parents[2]
CLOSED = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")  # a year before 2026-Q4; 2026-Q3 is the previous period
OLDER = CLOSED[:-1]  # imported before the demo's period was set up
SIZE = dict(weeks=7, objectives=12, seed=3)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("archive") / "okrs-demo"
    assert main(["demo", str(target), "--weeks", "7", "--objectives", "12", "--seed", "3", "--closed-years", "1",
                 "--root", str(ROOT)]) == 0
    return target


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("plain") / "okrs-demo"
    create_demo(target, **SIZE, template_root=ROOT)
    return target


def test_the_periods_of_the_archive() -> None:
    quarters = period_names("2026-Q4", 10)
    assert (len(quarters), quarters[0], quarters[-1]) == (40, "2016-Q4", "2026-Q3")
    assert period_names("2026-Q4", 1) == list(CLOSED)
    assert period_names("2026-H2", 1) == ["2025-H2", "2026-H1"] and period_names("2026", 2) == ["2024", "2025"]


def test_closed_quarters_of_as_many_objectives_that_check_clean(archive: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["check", "--root", str(archive)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 errors, 0 warnings" in err
    objectives = load_repository(load_config(archive)).objectives.values()
    counts = Counter(o.period for o in objectives)
    assert {p: counts[p] for p in CLOSED} == dict.fromkeys(CLOSED, 12)  # the previous period's story among them
    closed = [o for o in objectives if o.period in CLOSED]
    for objective in closed:  # closed as okrs close closes them, the prompts answered
        assert "## Retrospective" in objective.body and "Replace this line" not in objective.body
        assert (objective.score is None) == (objective.declared_status == "dropped")
    scores = [o.score for o in closed if o.score is not None]
    assert min(scores) < 0.4 and max(scores) >= 0.7 and Counter(o.declared_status for o in closed)["done"] >= 1
    assert sum(1 for o in objectives if o.period in OLDER and o.parent) >= len(OLDER)  # aligned to company ones
    departed = [kr.owner for o in closed for kr in o.key_results if kr.owner.startswith("sam-okafor")]
    assert departed and all(o.period == "2026-Q3" for o in closed for kr in o.key_results if kr.owner in departed)


def test_one_commit_per_older_quarter_on_the_day_after_it_ended(archive: Path) -> None:
    log = git(archive, "log", "--reverse", "--format=%H|%aI|%cI|%s").splitlines()
    imports = [line.split("|") for line in log[:len(OLDER)]]
    assert [(when, subject) for _, when, _, subject in imports] == [
        ("2026-01-01T10:00:00+00:00", "Close 2025-Q4: scores and retrospectives"),
        ("2026-04-01T10:00:00+00:00", "Close 2026-Q1: scores and retrospectives"),
        ("2026-07-01T10:00:00+00:00", "Close 2026-Q2: scores and retrospectives")]
    assert all(author == committer for _, author, committer, _ in imports)
    assert log[len(OLDER)].endswith("|Set up the 2026-Q4 OKRs")
    for (sha, *_), period in zip(imports, OLDER):  # each adds its quarter's files, closed, and nothing else
        added = git(archive, "show", "--name-status", "--format=", sha).splitlines()
        assert len(added) == 12 and all(line.startswith(f"A\tokrs/{period}/") for line in added)
        assert all("score: " in git(archive, "show", f"{sha}:{line[2:]}") or "status: dropped"
                   in git(archive, "show", f"{sha}:{line[2:]}") for line in added)
    # The previous quarter keeps its story: set up with the demo's period, closed on the Monday after it ended.
    [closing] = [line for line in log if line.endswith("|Close 2026-Q3: scores and retrospectives")]
    changed = git(archive, "show", "--name-status", "--format=", closing.split("|")[0]).splitlines()
    assert closing.split("|")[1].startswith("2026-10-05T") and len(changed) == 12


def test_the_rest_of_the_demo_is_as_it_was(archive: Path, plain: Path) -> None:
    assert create_demo(plain.parent / "again", **SIZE, template_root=ROOT, closed_years=0)
    assert git(plain.parent / "again", "rev-parse", "HEAD") == git(plain, "rev-parse", "HEAD")
    for tree in ("okrs/2026-Q4", "okrs/people.yaml", "mkdocs.yml", "schema"):
        assert git(archive, "rev-parse", f"HEAD:{tree}") == git(plain, "rev-parse", f"HEAD:{tree}"), tree
    story = git(plain, "ls-tree", "HEAD", "okrs/2026-Q3/", "-r").splitlines()
    assert story and set(story) <= set(git(archive, "ls-tree", "HEAD", "okrs/2026-Q3/", "-r").splitlines())
    commits = git(plain, "log", "--format=%aI|%an|%s").splitlines()  # newest first: the imports come last
    assert git(archive, "log", "--format=%aI|%an|%s").splitlines()[:-len(OLDER)] == commits


def test_the_archive_builds_a_page_per_closed_quarter(archive: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = run_okrs("build", "--root", archive, "--as-of", "2026-11-15", "--site-dir", site)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (site / "periods" / "index.html").read_text(encoding="utf-8")
    for period in CLOSED:
        page = (site / "periods" / period / "index.html").read_text(encoding="utf-8")
        assert "This period is over" in page and "<dt>Score</dt>" in page
        assert f'href="{period}/"' in index
    week = (site / "changelog" / "2026-W14" / "index.html").read_text(encoding="utf-8")
    assert "2026-Q1 closed: " in week  # the import's week says the quarter closed, with its mean score


def test_the_learnings_of_closed_years_are_paged(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every retrospective once, misses first across the pages, none of them growing with
    the archive; only the first page is in the navigation."""
    import re
    from datetime import date

    from generator.site import learnings
    from generator.site.build import build_site_model

    monkeypatch.setattr(learnings, "PER_PAGE", 5)
    config = load_config(archive)
    repository = load_repository(config)
    model = build_site_model(repository, None, config, as_of=date(2026, 11, 20))
    pages = {p.path: p for p in model.pages if p.path == "learnings.md" or p.path.startswith("learnings/")}
    closed = [o for o in repository.objectives.values() if o.period in CLOSED and "## Retrospective" in o.body]
    count = -(-len(closed) // 5)
    assert count >= 3, "an archive of a year has several pages of them"
    assert sorted(pages) == ["learnings.md"] + sorted(f"learnings/{n}.md" for n in range(2, count + 1))
    shown = [m for n in range(1, count + 1)
             for m in re.findall(r'<h2 id="([^"]+)">', pages["learnings.md" if n == 1 else f"learnings/{n}.md"].html)]
    assert sorted(shown) == sorted(o.id.replace("/", "-") for o in closed), "each retrospective once"
    monkeypatch.setattr(learnings, "PER_PAGE", 10 ** 6)
    whole = next(p for p in build_site_model(repository, None, config, as_of=date(2026, 11, 20)).pages
                 if p.path == "learnings.md")
    assert shown == re.findall(r'<h2 id="([^"]+)">', whole.html), "in the order of one long page: misses first"
    assert all(len(re.findall(r'<h2 id="', p.html)) <= 5 for p in pages.values())
    assert pages[f"learnings/{count}.md"].title == f"Learnings (page {count} of {count})"
    assert 'aria-label="Pages of the retrospectives"' in pages["learnings/2.md"].html
    assert [p for p in pages.values() if p.nav_section is not None] == [pages["learnings.md"]]


def test_a_team_page_shows_its_recent_periods_in_full_and_the_earlier_ones_a_line_each(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    from datetime import date

    from generator.site import paging
    from generator.site.build import build_site_model

    monkeypatch.setattr(paging, "RECENT_PERIODS", 2)
    config = load_config(archive)
    repository = load_repository(config)
    page = next(p for p in build_site_model(repository, None, config, as_of=date(2026, 11, 20)).pages
                if p.path == "teams/company.md")
    periods = sorted({o.period for o in repository.objectives.values()}, reverse=True)
    assert len(periods) == 5, "the demo's quarter and a closed year"
    full = re.findall(r'<h2 id="period-([^"]+)"', page.html)
    assert full == periods[:2], "the newest two in full"
    earlier = page.html.split('<h2 id="earlier-periods">', 1)[1]
    assert re.findall(r'<td><a href="[^"]*periods/([^/"]+)/?">', earlier) == periods[2:], "then one line each"
    assert all(f"team=company&amp;period={name}" in earlier for name in periods[2:]), "linking to their objectives"


def test_a_person_page_shows_their_recent_periods_in_full_and_the_earlier_ones_a_line_each(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    from datetime import date

    from generator.site import paging
    from generator.site.build import build_site_model

    def periods_in_full(html: str) -> set[str]:  # of the key results' rows: kr-PERIOD.…
        return {ref.split(".", 1)[0] for ref in re.findall(r'<tr id="kr-([^"]+)"', html)}

    monkeypatch.setattr(paging, "RECENT_PERIODS", 2)
    config = load_config(archive)
    repository = load_repository(config)
    held = Counter((kr.owner, o.period) for o in repository.objectives.values() for kr in o.key_results)
    person = max(repository.people.persons, key=lambda p: len({period for who, period in held if who == p}))
    periods = sorted({period for who, period in held if who == person}, reverse=True)
    assert len(periods) >= 4, "someone holds key results in most of the five periods"
    page = next(p for p in build_site_model(repository, None, config, as_of=date(2026, 11, 20)).pages
                if p.path == f"people/{person}.md").html
    full, earlier = page.split('<h2 id="earlier-periods">', 1)
    assert periods_in_full(full) == set(periods[:2]), "the key results of the newest two periods in full, no others"
    assert re.findall(r'<td><a href="[^"]*periods/([^/"]+)/?">', earlier) == periods[2:], "then one line each"
    for name in periods[2:]:
        assert f'<a href="../../objectives/?owner={person}&amp;period={name}">{held[(person, name)]}</a>' in earlier, \
            "the key results held there, counted, linking to them in the objectives index"
    monkeypatch.setattr(paging, "RECENT_PERIODS", 10)
    whole = next(p for p in build_site_model(repository, None, config, as_of=date(2026, 11, 20)).pages
                 if p.path == f"people/{person}.md").html
    assert 'id="earlier-periods"' not in whole and periods_in_full(whole) == set(periods), "every period in full"


def test_a_tag_page_lists_its_recent_periods_and_the_earlier_ones_a_line_each(
        archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    from datetime import date

    from generator.site import paging
    from generator.site.build import build_site_model
    from generator.site.index_pages import tag_slugs

    config = load_config(archive)
    repository = load_repository(config)
    objectives = list(repository.objectives.values())
    slugs = tag_slugs([t for o in objectives for t in o.tags])
    tagged = Counter((t, o.period) for o in objectives for t in o.tags)
    tag = max(slugs, key=lambda t: (len({p for name, p in tagged if name == t}), t))
    periods = sorted({p for name, p in tagged if name == tag}, reverse=True)
    assert len(periods) >= 4, "a tag of most of the five periods"

    def tag_page(recent: int) -> str:
        monkeypatch.setattr(paging, "RECENT_PERIODS", recent)
        return next(p for p in build_site_model(repository, None, config, as_of=date(2026, 11, 20)).pages
                    if p.path == f"tags/{slugs[tag]}.md").html

    def listed(html: str) -> list[str]:  # the periods of the objectives' rows, in order
        return [o.period for ident in re.findall(r'href="\.\./\.\./objectives/([^"#?]+)/"', html)
                if (o := repository.objectives.get(ident)) is not None]

    page = tag_page(2)
    full, earlier = page.split('<h2 id="earlier-periods">', 1)
    assert set(listed(full)) == set(periods[:2]) and listed(full) == sorted(listed(full), reverse=True)
    assert f"{sum(tagged[(tag, p)] for p in periods)} objectives tagged" in full, "all of them counted"
    assert f"Listed here, newest period first: the {sum(tagged[(tag, p)] for p in periods[:2])} of the latest 2" in full
    assert re.findall(r'<td><a href="[^"]*periods/([^/"]+)/?">', earlier) == periods[2:], "then one line each"
    for name in periods[2:]:
        assert f'<a href="../../objectives/?tag={slugs[tag]}&amp;period={name}">{tagged[(tag, name)]}</a>' in earlier
    whole = tag_page(10)
    assert 'id="earlier-periods"' not in whole and set(listed(whole)) == set(periods), "every period in full"
