"""The key-result types through the command line: the problem rows of issue 11 written
as people write them check clean, and `okrs check --as-of` decides baseline-missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from generator.config import load_config
from generator.model.core import parse_period
from generator.reading.loader import load_repository

PEOPLE = """\
people:
  alice: {name: Alice Rossi}
  bob: {name: Bob Brown}
teams:
  growth: {name: Growth, lead: alice, members: [alice, bob]}
"""

# The rows real OKR sets could not say before (issue 11), each in its natural encoding.
ROWS = """\
---
objective: Key results as organisations write them
owner: alice
team: growth
period: 2026-Q4
key_results:
  - id: unsubscribe
    title: Keep the unsubscribe rate below 1%
    owner: bob
    type: maintain
    at_most: 1
    current: 0.7
    unit: "%"
  - id: cloud-spend
    title: Keep weekly cloud spend between $40k and $50k
    owner: bob
    type: maintain
    at_least: 40
    at_most: 50
    current: 52
    unit: $k
  - id: exceptions
    title: Fewer than 50 exceptions this quarter
    owner: bob
    type: maintain
    at_most: 50
    current: 12
  - id: availability
    title: 99.95% availability, consistently
    owner: bob
    type: maintain
    at_least: 99.95
    current: 99.97
    unit: "%"
  - id: tickets
    title: Capture a baseline of tickets per customer, then reduce it to 0.5
    owner: bob
    target: 0.5
  - id: activation
    title: Activation 40%, stretch 45%
    owner: bob
    start: 30
    target: 40
    stretch: 45
    current: 42
    unit: "%"
  - id: revenue
    title: Revenue from $2M to $3M
    owner: bob
    start: 2
    target: 3
    current: 2.4
    unit: $M
---
"""


def okrs(*args: str | Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)], capture_output=True,
                            text=True, encoding="utf-8", env=environment, timeout=60)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    files = (("okrs/people.yaml", PEOPLE), ("okrs/2026-Q4/growth/rows.md", ROWS),
             ("mkdocs.yml", "site_name: Rows\nplugins:\n  - okrs:\n      max_key_results: 7\n"))
    for relative, text in files:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_the_problem_rows_of_real_okr_sets_now_check_clean_and_mean_what_they_say(tmp_path):
    root = repository(tmp_path)
    run = okrs("check", "--root", root, "--as-of", "2026-10-15", "--format", "json")
    assert (run.returncode, json.loads(run.stdout)) == (0, [])
    objective = load_repository(load_config(root)).objectives["2026-Q4/growth/rows"]
    krs = {kr.id: kr for kr in objective.key_results}
    as_of, period = date(2026, 10, 15), parse_period("2026-Q4")
    status = {ident: kr.status(as_of=as_of, period=period) for ident, kr in krs.items()}
    assert (krs["unsubscribe"].progress, status["unsubscribe"]) == (1.0, "on-track")  # met, not 0% off track
    assert abs(52 - 50) / 50 <= 0.10 and status["cloud-spend"] == "at-risk"  # 4% over the ceiling
    assert (krs["exceptions"].progress, status["exceptions"]) == (1.0, "on-track")  # no inverted 0 -> 50
    assert status["availability"] == "on-track"  # never "done" mid-period
    assert (krs["tickets"].progress, krs["tickets"].baseline_pending) == (0.0, True)
    assert krs["activation"].progress == 1.0 and krs["activation"].stretch_progress == (42 - 40) / (45 - 40)
    view = krs["revenue"].kind.values_view(krs["revenue"], number=str)
    assert " → ".join(part.text for part in view.parts) == "$2M → $2.4M → $3M"


def test_check_as_of_decides_the_baseline_warning_and_strict_fails_on_it(tmp_path):
    root = repository(tmp_path)
    early = okrs("check", "--root", root, "--as-of", "2026-10-22")  # three weeks in: still fine
    late = okrs("check", "--root", root, "--as-of", "2026-10-23")
    strict = okrs("check", "--root", root, "--as-of", "2026-10-23", "--strict")
    assert (early.returncode, early.stdout) == (0, "")
    assert late.returncode == 0 and late.stdout.startswith(
        "okrs/2026-Q4/growth/rows.md:35:9: warning[baseline-missing]: key result 'tickets' has no start yet")
    assert strict.returncode == 1
    assert okrs("check", "--root", root, "--as-of", "someday").returncode == 2


def test_the_example_site_shows_reasons_a_legend_and_the_status_rules(example_site):
    import re

    how_to = example_site.page("how-to-edit/index.html")
    assert 'id="status-rules"' in how_to
    for kind in ("metric", "milestone", "maintain"):
        assert f'id="type-{kind}"' in how_to
    page = example_site.page("objectives/2026-Q4/platform/reliability/index.html")
    assert '<a href="../../../../how-to-edit/#status-rules">how status is decided</a>' in page
    row = re.search(r'<tr id="kr-availability">(.*?)</tr>', page, re.S)[1]
    # at least 99.95%, and 99.97% is within it
    assert '<span class="okrs-status-reason">on track: 99.97% is within at least 99.95%</span>' in row
    assert "<strong>99.97%</strong>, to stay at least 99.95%" in row
    activation = example_site.page("objectives/2026-Q4/growth/activation/index.html")
    row = re.search(r'<tr id="kr-week1-activation">(.*?)</tr>', activation, re.S)[1]
    assert "stretch 50%" in row and "Stretch goal 0% of the way" in row  # 41% is short of the 45% target
    state = json.loads(example_site.page("okrs.json"))
    reliability = next(o for o in state["objectives"] if o["id"] == "2026-Q4/platform/reliability")
    assert all(kr["status_reason"].startswith(kr["status"].replace("-", " ")) for kr in reliability["key_results"])


def test_the_changelog_of_moved_bounds_and_due_dates_in_json_and_words(tmp_path):
    from gitrepo import GitRepo

    repo = GitRepo.create(tmp_path / "git")
    repo.write("okrs/people.yaml", PEOPLE)
    text = textwrap.dedent("""\
        ---
        objective: Keep email healthy
        owner: alice
        team: growth
        period: 2026-Q4
        key_results:
          - id: unsubscribe
            title: Unsubscribe rate at most 1%
            owner: bob
            type: maintain
            at_most: 1
            current: 0.7
            unit: "%"
            confidence: 0.7
          - id: launch
            title: Newsletter launched
            owner: bob
            type: milestone
            done: false
            due: 2026-11-15
        ---
        """)
    repo.write("okrs/2026-Q4/growth/email.md", text)
    repo.commit("Add email", date="2026-11-02T09:00:00+00:00")
    moved = (text.replace("at_most: 1\n", "at_most: 1.5\n").replace("current: 0.7", "current: 1.2")
             .replace("due: 2026-11-15", "due: 2026-12-01").replace("confidence: 0.7", "confidence: 0.35"))
    repo.write("okrs/2026-Q4/growth/email.md", moved)
    repo.commit("Loosen the band, move the launch", date="2026-11-10T09:00:00+00:00")
    run = okrs("changelog", "--root", repo.root, "--week", "2026-W46", "--format", "json")
    assert run.returncode == 0, run.stderr
    changes = {(c["key_result"], c["field"]): c for c in json.loads(run.stdout)["changes"]}
    assert (changes["unsubscribe", "at_most"]["before"], changes["unsubscribe", "at_most"]["after"],
            changes["unsubscribe", "at_most"]["direction"]) == (1, 1.5, "eased")
    assert (changes["launch", "due"]["before"], changes["launch", "due"]["after"],
            changes["launch", "due"]["direction"]) == ("2026-11-15", "2026-12-01", "eased")
    words = okrs("changelog", "--root", repo.root, "--week", "2026-W46", "--format", "markdown").stdout
    assert "at most eased: 1% → 1.5%" in words and "due date eased: 2026-11-15 → 2026-12-01" in words
    assert "confidence 70% → 35%" in words and "0.7% → 1.2% (100% → 100%" in words  # 1.2 is within 1.5
