"""`okrs diff BASE [HEAD]` over a real git repository: the pull request's progress table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import RENAMED_PATH, GitRepo, okr_history

from generator.cli.main import main


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("cli-diff") / "repo"
    return root, okr_history(root)


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_each_change_with_before_and_after(made, capsys) -> None:
    root, shas = made
    code, out, _ = run(capsys, shas["c1"], shas["c2"], "--root", str(root), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["base"]["sha"] == shas["c1"] and data["head"]["sha"] == shas["c2"]
    kinds = {(c["key_result"], c["kind"]): c for c in data["changes"]}
    progress = kinds[("latency", "progress")]
    assert (progress["before"], progress["after"]) == (850, 700)
    assert (progress["progress_before"], progress["progress_after"]) == (0.0, round(150 / 550, 2))
    assert kinds[("latency", "confidence")]["after"] == 0.6
    assert set(kinds) == {("latency", "progress"), ("latency", "confidence")}


def test_markdown_calls_out_an_eased_target_on_its_own_line(made, capsys) -> None:
    root, shas = made
    code, out, _ = run(capsys, shas["c7"], shas["c8"], "--root", str(root))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"### OKR changes: `{shas['c7'][:7]}`")
    eased = [line for line in lines if line.startswith("> **Target eased**")]
    assert eased == ["> **Target eased**: p99 checkout latency under 300 ms (2026-Q4/payments/checkout-reliability): "
                     "target eased: 300 ms → 350 ms"]
    rows = [line for line in lines if line.startswith("| Make checkout")]
    assert rows == ["| Make checkout boringly reliable | p99 checkout latency under 300 ms | "
                    "target eased: 300 ms → 350 ms | Dan Diaz |"]


def test_handover_added_and_removed_key_results(made, capsys) -> None:
    root, shas = made
    code, out, _ = run(capsys, shas["c6"], shas["c7"], "--root", str(root))
    assert code == 0
    assert "| handed over from Bob Brown to Dan Diaz | Dan Diaz |" in out
    assert "| Payment errors below 0.5% | new key result, owner Bob Brown | Bob Brown |" in out
    assert "| Multi-region failover drill passes | key result removed |" in out


def test_head_defaults_to_HEAD_and_compares_from_the_merge_base(made, capsys, tmp_path) -> None:
    root, shas = made
    code, out, _ = run(capsys, shas["c11"], "--root", str(root), "--format", "json")
    assert code == 0 and json.loads(out)["changes"] == []
    # A branch that moved on after HEAD branched off: its later changes are not HEAD's.
    repo = GitRepo(root)
    repo.branch("later")
    repo.edit(RENAMED_PATH, "    current: 600\n", "    current: 500\n")
    repo.commit("A later check-in on another branch", date="2026-11-20T10:00:00+00:00")
    repo.checkout("main")
    code, out, _ = run(capsys, "later", "--root", str(root), "--format", "json")
    assert code == 0 and json.loads(out)["changes"] == []


def test_unknown_revision_is_a_usage_error(made, capsys) -> None:
    root, _ = made
    code, out, err = run(capsys, "no-such-branch", "--root", str(root))
    assert code == 2 and out == ""
    assert err == "okrs: 'no-such-branch' is not a commit of this repository (in CI, check out with fetch-depth: 0)\n"
