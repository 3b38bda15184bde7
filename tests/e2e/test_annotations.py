"""`okrs check --format github` within GitHub's limits: 10 error and 10 warning annotations
per step (GitHub drops the rest silently), a notice for the rest, all of them in the job
summary, paths from the repository's top level."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo

PROJECT = Path(__file__).resolve().parents[2]
OKRS = [Path(sys.executable).parent / "okrs"]


@pytest.fixture
def thirty_findings(tmp_path) -> GitRepo:
    """A repository whose OKR project lives in sub/: 30 ownerless key results in 12 files."""
    repo = GitRepo.create(tmp_path / "repo")
    sub = repo.root / "sub"
    sub.mkdir()
    for name in ("okrs", "schema", "mkdocs.yml"):
        source = PROJECT / name
        (shutil.copytree(source, sub / name) if source.is_dir() else shutil.copy2(source, sub / name))
    files = sorted(p for p in (sub / "okrs").rglob("*.md") if p.name != "README.md")
    three = [p for p in files if p.read_text(encoding="utf-8").count("\n    owner: ") == 3]
    two = [p for p in files if p.read_text(encoding="utf-8").count("\n    owner: ") == 2]
    chosen = [(p, 3) for p in three[:6]] + [(p, 2) for p in two[:3] + three[6:9]]
    assert len(chosen) == 12
    repo.commit("Base", date="2026-11-02T09:00:00+00:00", author="Alice Rossi")
    for path, count in chosen:
        text = re.sub(r"\n    owner: \S+", "\n    owner:", path.read_text(encoding="utf-8"), count=count)
        path.write_text(text, encoding="utf-8")
    return repo


def okrs(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY",
                                                                      "OKRS_CHANGED_FILES")}
    return subprocess.run([*map(str, OKRS), *args], cwd=cwd, env={**environment, **env},
                          capture_output=True, text=True, timeout=120)


def test_thirty_findings_give_ten_annotations_a_notice_and_a_full_summary(thirty_findings, tmp_path):
    found = json.loads(okrs(thirty_findings.root, "check", "--root", "sub", "--format", "json").stdout)
    assert len(found) == 30 and len({f["path"] for f in found}) == 12
    summary = tmp_path / "summary.md"
    run = okrs(thirty_findings.root, "check", "--root", "sub", "--format", "github", GITHUB_STEP_SUMMARY=str(summary))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 10 and not [line for line in lines if line.startswith("::warning")]
    assert lines[-1] == "::notice::20 more findings: see the job summary" and len(lines) == 11
    # paths from the repository's top level, as GitHub places annotations
    assert all(line.startswith("::error file=sub/okrs/") for line in errors)
    table = [row for row in summary.read_text(encoding="utf-8").splitlines() if row.startswith("| sub/okrs/")]
    assert len(table) == 30


def test_findings_in_changed_files_are_annotated_first(thirty_findings):
    found = json.loads(okrs(thirty_findings.root, "check", "--root", "sub", "--format", "json").stdout)
    last = sorted({f["path"] for f in found})[-1]  # sorted last: never annotated without --changed-from
    thirty_findings.commit("Base with findings", date="2026-11-03T09:00:00+00:00", author="Alice Rossi")
    (thirty_findings.root / "sub" / last).write_text(
        (thirty_findings.root / "sub" / last).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run = okrs(thirty_findings.root, "check", "--root", "sub", "--format", "github", "--changed-from", "HEAD")
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"::error file=sub/{last},"), run.stdout
    by_env = okrs(thirty_findings.root, "check", "--root", "sub", "--format", "github",
                  OKRS_CHANGED_FILES=f"sub/{last}\n")
    assert by_env.stdout.splitlines()[0].startswith(f"::error file=sub/{last},")


def test_without_a_job_summary_the_rest_follow_the_notice_as_plain_lines(thirty_findings):
    run = okrs(thirty_findings.root, "check", "--root", "sub", "--format", "github")
    lines = run.stdout.splitlines()
    assert lines[10].startswith("::notice::20 more findings") and len(lines) == 31
    assert all(re.match(r"okrs/\S+:\d+:\d+: error\[owner-missing\]", line) or line.startswith("sub/okrs/")
               for line in lines[11:])


def test_summary_cells_escape_pipes_line_breaks_and_markup():
    from generator.reading.findings import Finding
    from generator.reading.report import summary_table

    table = summary_table([Finding("okrs/a|b.md", 1, 1, "error", "x", "one\ntwo | <b>three</b>")], files=1)
    row = table.splitlines()[-1]
    assert row == "| okrs/a\\|b.md | 1:1 | error | x | one\\ntwo \\| &lt;b&gt;three&lt;/b&gt; |"


def test_bad_changed_from_is_a_usage_error(thirty_findings):
    run = okrs(thirty_findings.root, "check", "--root", "sub", "--format", "github", "--changed-from", "no-such-rev")
    assert run.returncode == 2 and "--changed-from no-such-rev" in run.stderr
