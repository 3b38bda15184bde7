"""The pre-commit hook with real pre-commit: a commit that breaks another file is blocked.

The hook's own definition (.pre-commit-hooks.yaml) says `language: python`, which makes
pre-commit build an environment by installing this repository (network); here the same
hook runs as `language: system` from a local config, with this venv's `okrs` on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gitrepo import GitRepo, git

PROJECT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (the test extra)")
    repo = GitRepo.create(tmp_path / "repo")
    for name in ("okrs", "schema", "mkdocs.yml"):
        source = PROJECT / name
        (shutil.copytree(source, repo.root / name) if source.is_dir() else shutil.copy2(source, repo.root / name))
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = {**hook, "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo.root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    repo.commit("Base", date="2026-11-02T09:00:00+00:00", author="Alice Rossi")
    return repo


def pre_commit(repo: GitRepo) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(PATH=f"{PRE_COMMIT.parent}{os.pathsep}{env['PATH']}", PRE_COMMIT_HOME=str(repo.root.parent / "pc-home"),
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run([str(PRE_COMMIT), "run"], cwd=repo.root, env=env, capture_output=True, text=True, timeout=300)


def test_deleting_a_parent_objective_is_blocked(repo):
    parent = repo.root / "okrs" / "2026-Q4" / "company" / "revenue-growth.md"
    git(repo.root, "rm", "-q", str(parent.relative_to(repo.root)))
    run = pre_commit(repo)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "parent-unknown" in run.stdout, run.stdout


def test_a_clean_check_in_passes(repo):
    path = repo.root / "okrs" / "2026-Q4" / "platform" / "reliability.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo.root, "add", str(path.relative_to(repo.root)))
    run = pre_commit(repo)
    assert run.returncode == 0, run.stdout + run.stderr
