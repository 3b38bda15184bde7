"""A cache that comes with the repository is never believed: real `okrs build` runs on a
clone, and on a download of its files (`git archive`, no `.git`), that carry a crafted
`.okrs-cache` whose checksum is right but whose records invent an owner and a number."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from gitrepo import TWO_PEOPLE, GitRepo, git

from e2e.conftest import build, build_env, copy_repository, file_contents
from generator.reading import loader
from generator.runtime.cache import CACHE_DIR, code_fingerprint, digest
from generator.config import load_config
from generator.reading.loader import load_repository
from generator.reading.pipeline import file_check
from generator.history.records import objective_record

PEOPLE = TWO_PEOPLE
OBJECTIVE = """\
---
objective: Make checkout boringly reliable
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: latency
    title: p99 checkout latency under 300 ms
    owner: bob
    start: 850
    target: 300
    current: 540
---
"""
PATH = "okrs/2026-Q4/payments/checkout.md"


def crafted_cache(root: Path) -> None:
    """What an attacker can write without any secret: the cache format as the code reads
    it, with a checksum of the body, saying the objective is Mallory's and at 999."""
    config = load_config(root)
    [objective] = load_repository(config).objectives.values()
    forged = replace(objective, owner="mallory",
                     key_results=(replace(objective.key_results[0], owner="mallory", current=999),))
    raw = (root / PATH).read_bytes()
    body = json.dumps({PATH: [digest(raw), [[], [None, 1, 1], objective_record(forged), [], ["payments"]]]},
                      separators=(",", ":")).encode("ascii")
    header = {"format": 1, "code": code_fingerprint(), "key": loader._cache_key(config, file_check(config)), "sum": digest(body)}
    (root / CACHE_DIR).mkdir(exist_ok=True)
    (root / CACHE_DIR / "parses.json").write_bytes(json.dumps(header).encode("ascii") + b"\n" + body)


def test_a_committed_cache_in_a_download_without_git_changes_nothing(tmp_path: Path) -> None:
    origin = GitRepo.create(tmp_path / "origin")
    copy_repository(origin.root, with_okrs=False)
    origin.write("okrs/people.yaml", PEOPLE)
    origin.write(PATH, OBJECTIVE)
    crafted_cache(origin.root)
    origin.git("add", "-f", CACHE_DIR)
    origin.commit("Add checkout, and a cache", date="2026-10-05T09:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin.root), str(clone))
    export = tmp_path / "export"
    export.mkdir()
    archive = subprocess.run(["git", "-C", str(clone), "archive", "HEAD"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
    assert (export / CACHE_DIR / "parses.json").is_file() and not (export / ".git").exists()
    bare = tmp_path / "bare"
    shutil.copytree(export, bare)
    shutil.rmtree(bare / CACHE_DIR)
    env = build_env(PYTHONHASHSEED="0", XDG_CACHE_HOME=str(tmp_path / "user-cache"))

    with_cache = build(export, tmp_path / "site-export", env=env)
    without = build(bare, tmp_path / "site-bare", env=env)
    from_clone = build(clone, tmp_path / "site-clone", env=env)
    for built in (with_cache, without, from_clone):
        assert built.result.returncode == 0, built.result.stderr
    pages, reference = file_contents(with_cache.site), file_contents(without.site)
    assert pages.keys() == reference.keys()
    assert [name for name in pages if pages[name] != reference[name]] == []
    page = with_cache.page("objectives/2026-Q4/payments/checkout/index.html")
    assert "mallory" not in page and "999" not in page and "540" in page
    assert "mallory" not in from_clone.page("objectives/2026-Q4/payments/checkout/index.html")
