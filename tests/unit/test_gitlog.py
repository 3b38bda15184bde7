"""`read_log` against git's own path-limited log: the same commits, the same files.

The walk's log limits git's difference to the source folder (``--relative``) instead of
limiting the commits with a pathspec, which makes git compare each commit's folder twice,
and reads a long log in parts side by side.
Here a real repository holds what could tell the two apart: commits outside the folder,
a merge from a side branch, a merge that brings nothing in the folder, files moved into,
out of and within it, a folder whose name is a prefix of another's, and the folder inside
a bigger repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import CHECKOUT, GitRepo

import generator.history.gitlog as gitlog
import generator.runtime.parallel as parallel
from generator.history.gitlog import _FORMAT, HistoryUnavailable, open_repository, parse_log, read_log


def pathspec_log(root: Path, folder: str, since: str | None = None) -> list:
    """What git lists for the folder with a pathspec (the log's meaning), parsed alike."""
    repository = open_repository(root)
    command = ["git", "-c", "log.showSignature=false", "log", "-z", "--first-parent", "--reverse", "--raw", "-M",
               "--no-abbrev", "--diff-merges=first-parent", "--no-color", f"--format={_FORMAT}",
               f"{since}..HEAD" if since else "HEAD", "--", folder]
    raw = repository.git.execute(command, stdout_as_string=False, strip_newline_in_stdout=False)
    return list(parse_log(raw.decode()))


def busy_repository(root: Path, base: str) -> tuple[GitRepo, str]:
    """Commits in and out of ``base``okrs; returns the repository and a middle commit."""
    repo = GitRepo.create(root)
    repo.write("README.md", "hello\n")
    repo.commit("Outside only", date="2026-10-01T09:00:00Z")
    repo.write(f"{base}okrs/2026-Q4/payments/checkout.md", CHECKOUT)
    repo.write(f"{base}okrs-old/2026-Q4/x.md", CHECKOUT)  # a folder whose name starts like the source's
    repo.write("drafts/uptime.md", CHECKOUT.replace("Make checkout", "Keep uptime"))
    repo.commit("Add", date="2026-10-05T09:00:00Z")
    middle = repo.head()
    repo.move("drafts/uptime.md", f"{base}okrs/2026-Q4/platform/uptime.md")  # into the folder
    repo.commit("Move in", date="2026-10-06T09:00:00Z")
    repo.write(f"{base}okrs-old/2026-Q4/x.md", CHECKOUT + "\nmore\n")
    repo.commit("Outside, beside", date="2026-10-07T09:00:00Z")
    repo.branch("side")
    repo.edit(f"{base}okrs/2026-Q4/payments/checkout.md", "boringly", "very")
    repo.commit("Side edit", date="2026-10-08T09:00:00Z")
    repo.checkout("main")
    repo.write("README.md", "hello again\n")
    repo.commit("Outside again", date="2026-10-09T09:00:00Z")
    repo.merge("side", "Merge side", date="2026-10-10T09:00:00Z")
    repo.branch("docs")
    repo.write("docs.md", "x\n")
    repo.commit("Docs", date="2026-10-11T09:00:00Z")
    repo.checkout("main")
    repo.merge("docs", "Merge docs (nothing in the folder)", date="2026-10-12T09:00:00Z")
    repo.move(f"{base}okrs/2026-Q4/platform/uptime.md", f"{base}okrs/2026-Q4/infra/uptime.md")  # within
    repo.commit("Move within", date="2026-10-13T09:00:00Z")
    repo.move(f"{base}okrs/2026-Q4/infra/uptime.md", "attic/uptime.md")  # out of the folder
    repo.commit("Move out", date="2026-10-14T09:00:00Z")
    return repo, middle


def test_the_log_is_git_path_limited_log(tmp_path: Path) -> None:
    repo, middle = busy_repository(tmp_path / "repo", "")
    expected = pathspec_log(repo.root, "okrs")
    log = read_log(open_repository(repo.root), "okrs")
    assert log == expected
    assert [entry.subject for entry in log] == ["Add", "Move in", "Merge side", "Move within", "Move out"]
    assert [change.status for change in log[1].files] == ["A"]  # moved in from outside: added
    assert [(c.status, c.old_path, c.new_path) for c in log[3].files] == [
        ("R", "okrs/2026-Q4/platform/uptime.md", "okrs/2026-Q4/infra/uptime.md")]
    assert read_log(open_repository(repo.root), "okrs", since=middle) == pathspec_log(repo.root, "okrs", middle)


def test_the_log_of_a_folder_inside_a_bigger_repository(tmp_path: Path) -> None:
    repo, middle = busy_repository(tmp_path / "mono", "site/")
    log = read_log(open_repository(repo.root), "site/okrs")
    assert log == pathspec_log(repo.root, "site/okrs")
    assert log[0].files[0].new_path == "site/okrs/2026-Q4/payments/checkout.md"


def test_the_log_of_the_whole_repository(tmp_path: Path) -> None:
    repo, _ = busy_repository(tmp_path / "repo", "")
    assert read_log(open_repository(repo.root), ".") == pathspec_log(repo.root, ".")


def test_a_long_log_is_read_in_parts_side_by_side(tmp_path: Path, monkeypatch) -> None:
    """Split at every few commits (so the merge and the moves fall in different parts),
    on two and on three cores: the parts, one after the other, are the whole log."""
    repo, middle = busy_repository(tmp_path / "repo", "")
    expected, after_middle = pathspec_log(repo.root, "okrs"), pathspec_log(repo.root, "okrs", middle)
    monkeypatch.setattr(gitlog, "SPLIT_LOG_COMMITS", 2)
    for cores in (2, 3):
        monkeypatch.setattr(parallel, "available_cores", lambda: cores)
        assert len(gitlog._ranges(open_repository(repo.root), head=repo.head(), since=None)) == cores
        assert read_log(open_repository(repo.root), "okrs") == expected
        assert read_log(open_repository(repo.root), "okrs", since=middle) == after_middle


def test_a_failing_part_of_the_log_says_why(tmp_path: Path) -> None:
    repo, _ = busy_repository(tmp_path / "repo", "")
    with pytest.raises(HistoryUnavailable, match="git log failed: .*nonsense"):
        gitlog._git_outputs(open_repository(repo.root), [["git", "log", "HEAD"], ["git", "log", "--nonsense"]])
