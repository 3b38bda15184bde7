"""`okrs serve` reads the history after every edit: at the same HEAD and options, the
walk's last state comes back from memory; a new commit or other options walk again."""

from __future__ import annotations

from pathlib import Path

from gitrepo import CHECKOUT, CHECKOUT_PATH, PEOPLE, GitRepo

from generator.config import Config
from generator.history.walk import HistoryMemo, read_history


def repo_with_one_commit(root: Path) -> GitRepo:
    repo = GitRepo.create(root)
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(CHECKOUT_PATH, CHECKOUT)
    repo.commit("Add checkout", date="2026-10-05T09:00:00+00:00")
    return repo


def test_the_same_head_gives_the_remembered_state_and_a_commit_walks_again(tmp_path: Path):
    repo = repo_with_one_commit(tmp_path / "repo")
    memo = HistoryMemo()
    first = read_history(Config(root=repo.root), memo=memo).state
    again = read_history(Config(root=repo.root), memo=memo).state
    assert again is first  # not walked again
    repo.edit(CHECKOUT_PATH, "    unit: ms\n", "    unit: ms\n    current: 700\n")
    repo.commit("Check in", date="2026-10-14T09:00:00+00:00")
    after = read_history(Config(root=repo.root), memo=memo).state
    assert after is not first and after.commits == first.commits + 1
    assert after == read_history(Config(root=repo.root)).state  # what a walk without memo gives


def test_other_options_walk_again(tmp_path: Path):
    repo = repo_with_one_commit(tmp_path / "repo")
    memo = HistoryMemo()
    first = read_history(Config(root=repo.root), memo=memo).state
    other = read_history(Config(root=repo.root, max_key_results=2), memo=memo).state
    assert other is not first
