"""The quarter's lifecycle on the built site: `okrs close` and `okrs carry` run on a real
git repository, then a real `okrs build`: carry-over links both ways, the Learnings
page (misses first, in the navigation) and the closing summary in the changelog week
of the commit that added the scores."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from e2e.conftest import build_env, copy_repository
from gitrepo import TWO_PEOPLE, GitRepo

PEOPLE = TWO_PEOPLE


def objective(title: str, *, current: float, status: str = "active", extra_kr: str = "") -> str:
    return f"""\
---
objective: {title}
owner: alice
team: payments
period: 2026-Q3
status: {status}
key_results:
  - id: main
    title: From 0 to 100
    owner: bob
    start: 0
    target: 100
    current: {current}
{extra_kr}---
Why {title.lower()} matters.
"""


MILESTONE = """\
  - id: launch
    title: Launched
    owner: alice
    type: milestone
    done: true
"""
# name -> (file text, its score computed here: progress of the key results, 2 decimals)
OBJECTIVES = {
    "missed": (objective("Missed it", current=20), 0.20),
    "halfway": (objective("Got halfway", current=55), 0.55),
    "delivered": (objective("Delivered it", current=80, status="done", extra_kr=MILESTONE), round((0.8 + 1) / 2, 2)),
    "dropped": (objective("Dropped it", current=5, status="dropped"), None),
}
LESSON = "Baselines measured in week one would have shown the gap by August."
AS_OF = "2026-10-20"


def okrs(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "generator.cli", *args, "--root", str(root)],
                            capture_output=True, text=True, env=build_env(), timeout=120)
    assert result.returncode == 0, f"okrs {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("lifecycle") / "repo", with_okrs=False)
    repo = GitRepo.create(root)
    repo.write("okrs/people.yaml", PEOPLE)
    for name, (text, _) in OBJECTIVES.items():
        repo.write(f"okrs/2026-Q3/payments/{name}.md", text)
    repo.commit("Q3 objectives", date="2026-07-06T09:00:00+00:00")  # 2026-W28
    okrs(root, "close", "2026-Q3", "--as-of", "2026-10-05")
    repo.edit("okrs/2026-Q3/payments/missed.md",
              "_What surprised us? What does the score tell us? Replace this line._", LESSON)
    repo.commit("Close 2026-Q3: scores and retrospectives", date="2026-10-06T09:00:00+00:00")  # 2026-W41
    okrs(root, "carry", "2026-Q3", "2026-Q4")
    repo.commit("Carry 2026-Q3 into 2026-Q4", date="2026-10-13T09:00:00+00:00")  # 2026-W42
    okrs(root, "build", "--as-of", AS_OF, "--site-dir", str(root / "site"))
    return root / "site"


def page(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def main_content(text: str) -> str:
    return text[text.index('<div class="okrs-page'):]


@pytest.mark.parametrize("name", ["missed", "halfway"])
def test_carried_objectives_link_both_ways(site, name):
    old = main_content(page(site, f"objectives/2026-Q3/payments/{name}/index.html"))
    new = main_content(page(site, f"objectives/2026-Q4/payments/{name}/index.html"))
    assert re.search(rf'continued in <a href="../../../2026-Q4/payments/{name}/">2026-Q4/payments/{name}</a>', old)
    assert re.search(rf'continues <a href="../../../2026-Q3/payments/{name}/">2026-Q3/payments/{name}</a>', new)


def test_done_and_dropped_objectives_are_not_carried(site):
    for name in ("delivered", "dropped"):
        assert not (site / f"objectives/2026-Q4/payments/{name}").exists()
        assert "continued in" not in page(site, f"objectives/2026-Q3/payments/{name}/index.html")


def test_learnings_page_lists_retrospectives_misses_first(site):
    text = page(site, "learnings/index.html")
    content = main_content(text)
    order = re.findall(r'<h2 id="2026-Q3-payments-([a-z]+)">', content)
    scored = sorted((score, name) for name, (_, score) in OBJECTIVES.items() if score is not None)
    assert order == [name for _, name in scored] + ["dropped"]
    for score, name in scored:
        section = content[content.index(f'id="2026-Q3-payments-{name}"'):]
        assert f'<span class="okrs-score">{score:.2f}</span>' in section.split("</section>")[0]
    missed = content[content.index('id="2026-Q3-payments-missed"'):].split("</section>")[0]
    assert html.escape(LESSON) in missed and missed.count("Not written yet.") == 2
    nav = re.search(r'<a href="learnings/" class="md-nav__link">(.*?)</a>', page(site, "index.html"), re.S)
    assert nav and re.sub(r"<[^>]+>|\s", "", nav.group(1)) == "Learnings"  # in the navigation


def test_closing_summary_in_the_week_of_the_closing_commit(site):
    scores = [score for _, score in OBJECTIVES.values() if score is not None]
    mean = sum(scores) / len(scores)
    grades = [("delivered", lambda s: s >= 0.7), ("progress", lambda s: 0.4 <= s < 0.7), ("missed", lambda s: s < 0.4)]
    counts = ", ".join(f"{sum(1 for s in scores if rule(s))} {name}" for name, rule in grades)
    summary = f"2026-Q3 closed: {len(scores)} objectives scored, mean {mean:.2f} ({counts}); 1 dropped"
    week = main_content(page(site, "changelog/2026-W41/index.html"))
    assert summary in week
    assert 'href="../../objectives/2026-Q3/payments/missed/#retrospective">Missed it</a> (0.20)' in week
    for other in ("2026-W28", "2026-W42"):
        assert "closed:" not in main_content(page(site, f"changelog/{other}/index.html"))


def test_the_changelog_digest_of_that_week_says_the_period_closed(site):
    root = site.parent
    scored = {f"2026-Q3/payments/{name}": score for name, (_, score) in OBJECTIVES.items() if score is not None}
    mean = sum(scored.values()) / len(scored)
    data = json.loads(okrs(root, "changelog", "--week", "2026-W41", "--format", "json", "--as-of", AS_OF).stdout)
    assert data["closings"] == [{
        "period": "2026-Q3", "scored": 3, "mean": round(mean, 2), "dropped": 1,
        "grades": {"missed": 1, "progress": 1, "delivered": 1},
        "scores": [{"objective": ident, "score": scored[ident]} for ident in sorted(scored)],
    }]
    markdown = okrs(root, "changelog", "--week", "2026-W41", "--as-of", AS_OF).stdout
    assert f"**2026-Q3 closed: 3 objectives scored, mean {mean:.2f} (1 delivered, 1 progress, 1 missed); 1 dropped.**" \
        in markdown
    other = json.loads(okrs(root, "changelog", "--week", "2026-W42", "--format", "json", "--as-of", AS_OF).stdout)
    assert "closings" not in other
