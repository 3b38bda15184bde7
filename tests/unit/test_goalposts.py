"""Moved goalposts: a change of start, target, type or weight is "eased" when it raises the
progress (of the key result, or for a weight of the objective), "raised" when it lowers it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from gitrepo import GitRepo

from generator.cli.main import main
from generator.history.diff import diff_states
from generator.model.core import KeyResult, Objective

LATENCY = KeyResult("latency", "p99 under 300 ms", "bob", start=850, target=300, current=540, unit="ms")
DRILL = KeyResult("drill", "Drill passes", "carol", type="milestone", done=False)
CHECKOUT = Objective("q4/pay/checkout", "Reliable checkout", "alice", "payments", "2026-Q4", (LATENCY, DRILL))


def goal_changes(after: Objective) -> list[tuple]:
    changes = diff_states({"a": CHECKOUT}, {"a": after})
    return [(c.key_result, c.field, c.before, c.after, c.direction, c.progress_before, c.progress_after)
            for c in changes if c.kind == "target"]


def test_easing_both_start_and_target_of_a_decreasing_metric_is_eased() -> None:
    # 850 -> 540 of 850 -> 300 is 56%; the same 540 of 1000 -> 400 is 77%: both posts moved the easy way,
    # though the distance grew (550 -> 600).
    after = replace(CHECKOUT, key_results=(replace(LATENCY, start=1000, target=400), DRILL))
    before_pct, after_pct = (850 - 540) / (850 - 300), (1000 - 540) / (1000 - 400)
    assert (round(before_pct, 2), round(after_pct, 2)) == (0.56, 0.77)
    assert goal_changes(after) == [("latency", "start", 850, 1000, "eased", before_pct, after_pct),
                                   ("latency", "target", 300, 400, "eased", before_pct, after_pct)]


def test_moving_the_start_alone_is_judged_by_the_progress_it_gives() -> None:
    higher = replace(CHECKOUT, key_results=(replace(LATENCY, start=1000), DRILL))  # 540 now counts for more
    assert goal_changes(higher) == [("latency", "start", 850, 1000, "eased",
                                     (850 - 540) / (850 - 300), (1000 - 540) / (1000 - 300))]
    lower = replace(CHECKOUT, key_results=(replace(LATENCY, start=700), DRILL))  # the gain so far is wiped
    assert goal_changes(lower) == [("latency", "start", 850, 700, "raised",
                                    (850 - 540) / (850 - 300), (700 - 540) / (700 - 300))]


def test_a_goal_change_is_judged_with_the_old_value_whatever_the_check_in_says() -> None:
    # The target is raised (300 -> 200) while a check-in (540 -> 300) makes the progress jump:
    # the target change is still "raised", the check-in is reported as progress.
    after = replace(CHECKOUT, key_results=(replace(LATENCY, target=200, current=300), DRILL))
    assert [(c.field, c.direction) for c in diff_states({"a": CHECKOUT}, {"a": after})] == [
        ("target", "raised"), ("current", None)]


def test_switching_a_metric_to_a_milestone_marked_done_is_eased() -> None:
    after = replace(CHECKOUT, key_results=(
        KeyResult("latency", "p99 under 300 ms", "bob", type="milestone", done=True, unit="ms"), DRILL))
    assert goal_changes(after) == [("latency", "type", "metric", "milestone", "eased", (850 - 540) / (850 - 300), 1.0)]
    not_done = replace(after, key_results=(replace(after.key_results[0], done=False), DRILL))
    assert goal_changes(not_done)[0][4] == "raised"


def test_cutting_a_lagging_key_results_weight_is_eased_with_the_objectives_jump() -> None:
    after = replace(CHECKOUT, key_results=(LATENCY, replace(DRILL, weight=0.0001)))
    latency = (850 - 540) / (850 - 300)
    before_pct, after_pct = (latency * 1 + 0 * 1) / 2, (latency * 1 + 0 * 0.0001) / 1.0001
    assert goal_changes(after) == [("drill", "weight", 1.0, 0.0001, "eased", before_pct, after_pct)]
    [change] = diff_states({"a": CHECKOUT}, {"a": after})
    assert change.as_dict() == {
        "objective": "q4/pay/checkout", "key_result": "drill", "kind": "target", "field": "weight",
        "before": 1.0, "after": 0.0001, "progress_before": round(before_pct, 2), "progress_after": round(after_pct, 2),
        "owner": "carol", "direction": "eased", "commits": [],
    }
    leading = replace(CHECKOUT, key_results=(replace(LATENCY, weight=0.0001), DRILL))
    assert goal_changes(leading) == [("latency", "weight", 1.0, 0.0001, "raised",
                                      before_pct, (latency * 0.0001) / 1.0001)]


def test_a_weight_change_that_moves_nothing_has_no_direction() -> None:
    done = replace(CHECKOUT, key_results=(replace(LATENCY, current=300), replace(DRILL, done=True)))
    after = replace(done, key_results=(done.key_results[0], replace(done.key_results[1], weight=3)))
    changes = diff_states({"a": done}, {"a": after})
    assert [(c.field, c.direction, c.progress_before, c.progress_after) for c in changes] == [
        ("weight", None, 1.0, 1.0)]


CHECKOUT_FILE = """\
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
    unit: ms
  - id: drill
    title: Multi-region failover drill passes
    owner: carol
    type: milestone
    done: false
    weight: 1
---
Why it matters.
"""


@pytest.fixture
def reweighted(tmp_path, people_yaml) -> tuple[GitRepo, str, str]:
    repo = GitRepo.create(tmp_path / "repo")
    repo.write("okrs/people.yaml", people_yaml)
    repo.write("okrs/2026-Q4/payments/checkout.md", CHECKOUT_FILE)
    base = repo.commit("Set up", date="2026-10-05T09:00:00+00:00", author="Alice Rossi")
    repo.edit("okrs/2026-Q4/payments/checkout.md", "    weight: 1\n", "    weight: 0.0001\n")
    head = repo.commit("Reweigh", date="2026-10-12T09:00:00+00:00", author="Carol Chen")
    return repo, base, head


def test_okrs_diff_calls_out_a_weight_cut_as_an_eased_target(reweighted, capsys) -> None:
    repo, base, head = reweighted
    assert main(["diff", base, head, "--root", str(repo.root), "--format", "json"]) == 0
    [change] = json.loads(capsys.readouterr().out)["changes"]
    latency = (850 - 540) / (850 - 300)
    assert (change["kind"], change["field"], change["before"], change["after"], change["direction"],
            change["progress_before"], change["progress_after"]) == (
        "target", "weight", 1, 0.0001, "eased", round(latency / 2, 2), round(latency / 1.0001, 2))
    assert main(["diff", base, head, "--root", str(repo.root)]) == 0
    eased = [line for line in capsys.readouterr().out.splitlines() if line.startswith("> **Target eased**")]
    assert eased == ["> **Target eased**: Multi-region failover drill passes (2026-Q4/payments/checkout): "
                     "weight 1 → 0.0001"]
