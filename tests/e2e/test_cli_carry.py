"""`okrs carry`: new files in the next period that check clean, start where the old
key results ended, link back, and never overwrite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli.main import main
from gitrepo import GitRepo

PROJECT = Path(__file__).resolve().parents[2]
PEOPLE = """\
people:
  alice: {name: Alice Rossi}
  bob: {name: Bob Brown}
  carol: {name: Carol Chen}
teams:
  payments: {name: Payments, lead: alice, members: [alice, bob, carol]}
  company: {name: Company, lead: alice, members: [alice]}
"""
GOING_ON = """\
---
objective: "Checkout: reliable at last"
owner: alice
team: payments
period: 2026-Q3
parent: 2026-Q3/company/trust
contributors: [carol]
tags: [reliability]
score: 0.42
score_reason: the drill was cancelled by the vendor
key_results:
  - id: latency
    title: p99 latency from 850 to 300 ms
    owner: bob
    start: 850
    target: 300
    current: 540
    unit: ms
    confidence: 0.4
    note: "EU cache: rolled out"
  - id: drill
    title: Failover drill passes
    owner: carol
    type: milestone
    done: false
  - id: errors
    title: Error rate from 2 to 1
    owner: bob
    start: 2
    target: 1
    current: 1
    weight: 2
  - id: no-checkin
    title: Conversion from 3 to 4
    owner: alice
    start: 3
    target: 4
---
Why this matters: customers leave when checkout fails.

## Retrospective

### What went well

The cache.
"""
TRUST = """\
---
objective: Earn trust
owner: alice
team: company
period: 2026-Q3
key_results:
  - id: nps
    title: NPS from 20 to 40
    owner: alice
    start: 20
    target: 40
    current: 30
---
"""
DONE = TRUST.replace("Earn trust", "Finished").replace("key_results:", "status: done\nkey_results:")
DROPPED = TRUST.replace("Earn trust", "Stopped").replace("key_results:", "status: dropped\nkey_results:")
MET = TRUST.replace("Earn trust", "All met").replace("current: 30", "current: 40")


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.create(tmp_path / "repo")
    shutil.copy(PROJECT / "mkdocs.yml", repo.root / "mkdocs.yml")
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write("okrs/2026-Q3/payments/checkout.md", GOING_ON)
    repo.write("okrs/2026-Q3/company/trust.md", TRUST)
    repo.write("okrs/2026-Q3/company/finished.md", DONE)
    repo.write("okrs/2026-Q3/payments/stopped.md", DROPPED.replace("team: company", "team: payments"))
    repo.write("okrs/2026-Q3/company/met.md", MET)
    repo.commit("Q3", date="2026-07-01T09:00:00+00:00", author="Alice Rossi")
    return repo


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def front_matter(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_carry_creates_clean_files_that_start_where_the_old_ones_ended(repo, capsys):
    code, out, err = run(capsys, "carry", "2026-Q3", "2026-Q4", "--root", str(repo.root))
    assert code == 0, err
    assert out == "okrs/2026-Q4/company/trust.md\nokrs/2026-Q4/payments/checkout.md\n"
    data, body = front_matter(repo.root / "okrs/2026-Q4/payments/checkout.md")
    old, _ = front_matter(repo.root / "okrs/2026-Q3/payments/checkout.md")
    assert data["carried_from"] == "2026-Q3/payments/checkout"
    assert data["period"] == "2026-Q4"
    assert data["parent"] == "2026-Q4/company/trust"  # its parent was carried too
    assert (data["objective"], data["owner"], data["team"]) == (old["objective"], old["owner"], old["team"])
    assert data["contributors"] == old["contributors"] and data["tags"] == old["tags"]
    assert not {"score", "score_reason", "status"} & set(data)
    old_krs = {kr["id"]: kr for kr in old["key_results"]}
    krs = {kr["id"]: kr for kr in data["key_results"]}
    assert list(krs) == ["latency", "drill", "no-checkin"]  # "errors" was met (current == target)
    assert krs["latency"] == {"id": "latency", "title": old_krs["latency"]["title"], "owner": "bob",
                              "start": old_krs["latency"]["current"], "target": 300,
                              "current": old_krs["latency"]["current"], "unit": "ms"}
    assert krs["drill"] == {k: v for k, v in old_krs["drill"].items()}
    assert krs["no-checkin"]["start"] == old_krs["no-checkin"]["start"]  # no check-in: it starts where it did
    assert body == "Why this matters: customers leave when checkout fails.\n"  # no old retrospective
    assert "done, dropped" not in err and "left out, met already: errors" in err
    code, out, _ = run(capsys, "check", "--root", str(repo.root))
    assert (code, out) == (0, "")
    assert not (repo.root / "okrs/2026-Q4/company/finished.md").exists()
    assert not (repo.root / "okrs/2026-Q4/payments/stopped.md").exists()
    assert not (repo.root / "okrs/2026-Q4/company/met.md").exists()


def test_carry_refuses_to_overwrite_and_writes_nothing(repo, capsys):
    existing = repo.write("okrs/2026-Q4/payments/checkout.md", GOING_ON.replace("2026-Q3/company/trust", "x")
                          .replace("period: 2026-Q3", "period: 2026-Q4").replace("parent: x\n", ""))
    before = existing.read_bytes()
    code, out, err = run(capsys, "carry", "2026-Q3", "2026-Q4", "--root", str(repo.root))
    assert (code, out) == (2, "")
    assert err == ("okrs: not carrying: these files exist already, and carry never overwrites (nothing was written):\n"
                   "  okrs/2026-Q4/payments/checkout.md\n")
    assert existing.read_bytes() == before
    assert not (repo.root / "okrs/2026-Q4/company/trust.md").exists()


def test_carry_one_team_and_a_parent_left_behind(repo, capsys):
    code, out, err = run(capsys, "carry", "2026-Q3", "2026-Q4", "--team", "payments", "--root", str(repo.root))
    assert (code, out) == (0, "okrs/2026-Q4/payments/checkout.md\n")
    data, _ = front_matter(repo.root / "okrs/2026-Q4/payments/checkout.md")
    assert "parent" not in data
    assert "its parent 2026-Q3/company/trust was not carried" in err
    assert run(capsys, "check", "--root", str(repo.root))[0] == 0


@pytest.mark.parametrize("args, message", [
    (("2026-Q3", "2026-Q9"), "NEXT '2026-Q9' is not a period"),
    (("2026-Q3", "2026-Q2"), "2026-Q2 does not come after 2026-Q3"),
    (("2026-Q3", "2026-Q4", "--team", "paymnets"), "unknown team 'paymnets'; did you mean 'payments'?"),
])
def test_carry_usage_errors(repo, capsys, args, message):
    code, out, err = run(capsys, "carry", *args, "--root", str(repo.root))
    assert (code, out) == (2, "") and message in err
    assert not (repo.root / "okrs/2026-Q4").exists()
