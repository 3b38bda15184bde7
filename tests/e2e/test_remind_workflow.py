"""okrs-remind.yml: its shape, and its issue script run for real by bash against a stand-in
for the GitHub CLI (GitHub itself cannot be run here) that records what it was asked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from required import required_in_ci

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOW = PROJECT / ".github" / "workflows" / "okrs-remind.yml"
STEP = "Open this week's reminder issue, close last week's"

FAKE_GH = """#!/bin/bash
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ]; then cat "$GH_OPEN_ISSUES"; fi
"""


def load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def test_weekly_with_issues_write_and_contents_read_only() -> None:
    workflow = load()
    assert re.fullmatch(r"\S+ \S+ \* \* [1-5]", workflow["on"]["schedule"][0]["cron"])  # a weekday
    assert "workflow_dispatch" in workflow["on"]
    # issues: write to open and close; contents: read because checkout of a private repository needs it.
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    steps = workflow["jobs"]["remind"]["steps"]
    checkout = steps[0]
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "okrs remind --format json" in runs and "okrs remind --format markdown" in runs


def test_the_init_copy_differs_only_in_how_okrs_is_installed() -> None:
    ours = WORKFLOW.read_text(encoding="utf-8")
    theirs = (PROJECT / "generator" / "lifecycle" / "init_files" / "workflows" / "okrs-remind.yml").read_text(
        encoding="utf-8")

    def strip(text: str) -> str:
        text = re.sub(r"\n +cache(-dependency-path)?: .*", "", text)
        return text.replace("pip install -r requirements.txt", "pip install .")

    assert strip(ours) == strip(theirs)


def run_step(tmp_path: Path, *, owners: int, open_issues: list[dict]) -> list[str]:
    if not shutil.which("jq"):  # on every GitHub runner
        required_in_ci("jq is not installed (apt-get install jq)", what="the workflow script tests")
    (step,) = [s for s in load()["jobs"]["remind"]["steps"] if s.get("name") == STEP]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "open.json").write_text(json.dumps(open_issues), encoding="utf-8")
    (tmp_path / "reminder.json").write_text(json.dumps({"title": "OKR check-in 2026-W47",
                                                        "owners": [{"owner": f"o{i}"} for i in range(owners)]}))
    (tmp_path / "reminder.md").write_text("## OKR check-in 2026-W47\n", encoding="utf-8")
    log = tmp_path / "gh.log"
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", GH_LOG=str(log),
               GH_OPEN_ISSUES=str(tmp_path / "open.json"), GH_TOKEN="x", GH_REPO="acme/okrs")
    result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in log.read_text().splitlines() if not line.startswith("issue list")]


OPEN = [{"number": 7, "title": "OKR check-in 2026-W46"}, {"number": 9, "title": "OKR check-in 2026-W46 notes"},
        {"number": 3, "title": "Unrelated"}]


def test_opens_this_weeks_issue_and_closes_last_weeks(tmp_path) -> None:
    calls = run_step(tmp_path, owners=2, open_issues=OPEN)
    assert calls == ["issue close 7 --comment A new week's reminder replaces this one.",
                     "issue create --title OKR check-in 2026-W47 --body-file reminder.md"]


def test_a_rerun_edits_this_weeks_issue_instead_of_opening_another(tmp_path) -> None:
    calls = run_step(tmp_path, owners=1, open_issues=OPEN + [{"number": 8, "title": "OKR check-in 2026-W47"}])
    assert calls == ["issue close 7 --comment A new week's reminder replaces this one.",
                     "issue edit 8 --body-file reminder.md"]


def test_nobody_due_opens_nothing(tmp_path) -> None:
    calls = run_step(tmp_path, owners=0, open_issues=OPEN)
    assert calls == ["issue close 7 --comment A new week's reminder replaces this one."]
