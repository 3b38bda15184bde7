"""`okrs diff BASE` without HEAD compares the working tree: edits not yet committed count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import GitRepo

from e2e.conftest import copy_repository
from generator.cli.main import main

FILE = "okrs/2026-Q4/platform/reliability.md"
NEW = "okrs/2026-Q4/platform/uncommitted.md"
NEW_TEXT = """\
---
objective: Written but not committed yet
owner: dmitri
team: platform
period: 2026-Q4
key_results:
  - id: draft-kr
    title: A key result not yet in git
    owner: kenji
    start: 0
    target: 10
---
"""


@pytest.fixture()
def repo(tmp_path: Path) -> GitRepo:
    made = GitRepo.create(copy_repository(tmp_path / "repo"))
    made.commit("The example", date="2026-11-02T09:00:00+00:00")
    made.branch("feature")
    made.edit(FILE, "    confidence: 0.75\n", "    confidence: 0.5\n")
    made.commit("Less confident", date="2026-11-03T09:00:00+00:00")
    return made


def diff(capsys: pytest.CaptureFixture, repo: GitRepo, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args, "--root", str(repo.root)])
    out, err = capsys.readouterr()
    return code, out, err


def changes(out: str) -> set[tuple]:
    return {(c["objective"], c["key_result"], c["kind"], json.dumps(c.get("after"))) for c in json.loads(out)["changes"]}


def test_without_head_uncommitted_edits_and_new_files_are_compared(repo: GitRepo, capsys) -> None:
    repo.edit(FILE, "    current: 340\n", "    current: 300\n")  # not committed
    repo.write(NEW, NEW_TEXT, dedent=False)  # not even added
    code, out, err = diff(capsys, repo, "main", "--format", "json")
    assert code == 0, err
    found = changes(out)
    reliability = "2026-Q4/platform/reliability"
    assert (reliability, "p99-latency", "progress", "300") in found
    assert (reliability, "p99-latency", "confidence", "0.5") in found  # the committed change too
    assert any(c[0] == "2026-Q4/platform/uncommitted" and c[2] == "added" for c in found), found
    head = json.loads(out)["head"]
    assert head == {"name": "working tree", "sha": repo.head(), "uncommitted": True}
    assert "uncommitted changes under okrs/ are included" in err

    code, out, err = diff(capsys, repo, "main", "HEAD", "--format", "json")  # commits only
    assert code == 0 and "working tree" not in err
    found = changes(out)
    assert (reliability, "p99-latency", "confidence", "0.5") in found
    assert not any(c[2] == "progress" or c[0].endswith("uncommitted") for c in found), found

    code, out, _ = diff(capsys, repo, "main")
    assert out.splitlines()[0] == (f"### OKR changes: `{repo.git('rev-parse', 'main')[:7]}` (main) → "
                                   f"the working tree (`{repo.head()[:7]}` and uncommitted changes)")


def test_a_clean_working_tree_compares_head_as_before(repo: GitRepo, capsys) -> None:
    without = diff(capsys, repo, "main")
    with_head = diff(capsys, repo, "main", "HEAD")
    assert without == with_head and without[0] == 0
    assert "working tree" not in without[1] + without[2]


def test_an_uncommitted_file_that_does_not_parse_is_left_out_with_a_warning(repo: GitRepo, capsys) -> None:
    repo.edit(FILE, "    owner: farah\n", "    owner: farah: x\n")
    code, out, err = diff(capsys, repo, "main", "--format", "json")
    assert code == 0
    assert f"{FILE}:12:" in err and "warning[revision-unparsable]" in err and "in the working tree" in err
    assert "Traceback" not in err
