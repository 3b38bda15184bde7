"""The difference between two states of the OKRs."""

from __future__ import annotations

from dataclasses import replace

from generator.history.diff import diff_states, is_check_in
from generator.model.core import KeyResult, Objective

LATENCY = KeyResult("latency", "p99 under 300 ms", "bob", start=850, target=300, current=540, unit="ms")
DRILL = KeyResult("drill", "Drill passes", "carol", type="milestone", done=False)
CHECKOUT = Objective("q4/pay/checkout", "Reliable checkout", "alice", "payments", "2026-Q4", (LATENCY, DRILL))


def rows(changes) -> list[tuple]:
    return [(c.objective, c.key_result, c.kind, c.field, c.before, c.after, c.direction) for c in changes]


def test_same_state_no_changes() -> None:
    assert diff_states({"a": CHECKOUT}, {"a": replace(CHECKOUT)}) == []


def test_every_kind_sorted() -> None:
    after = replace(
        CHECKOUT, title="Boring checkout", owner="dan", declared_status="done",
        key_results=(
            replace(LATENCY, current=480, confidence=0.7, note="cache", target=200, owner="dan", title="p99 < 200"),
            KeyResult("errors", "Errors down", "bob", start=2, target=1),
        ),
    )
    assert rows(diff_states({"a": CHECKOUT}, {"a": after})) == [
        ("q4/pay/checkout", None, "status", "status", "active", "done", None),
        ("q4/pay/checkout", None, "owner", "owner", "alice", "dan", None),
        ("q4/pay/checkout", None, "title", "objective", "Reliable checkout", "Boring checkout", None),
        ("q4/pay/checkout", "drill", "removed", None, "Drill passes", None, None),
        ("q4/pay/checkout", "errors", "added", None, None, "Errors down", None),
        ("q4/pay/checkout", "latency", "owner", "owner", "bob", "dan", None),
        ("q4/pay/checkout", "latency", "title", "title", "p99 under 300 ms", "p99 < 200", None),
        ("q4/pay/checkout", "latency", "target", "target", 300, 200, "raised"),
        ("q4/pay/checkout", "latency", "progress", "current", 540, 480, None),
        ("q4/pay/checkout", "latency", "confidence", "confidence", None, 0.7, None),
        ("q4/pay/checkout", "latency", "note", "note", None, "cache", None),
    ]


def test_progress_values() -> None:
    after = replace(CHECKOUT, key_results=(replace(LATENCY, current=480), replace(DRILL, done=True)))
    changes = diff_states({"a": CHECKOUT}, {"a": after})
    assert [(c.key_result, c.field, c.before, c.after, round(c.progress_before, 4), round(c.progress_after, 4))
            for c in changes] == [("drill", "done", False, True, 0.0, 1.0),
                                  ("latency", "current", 540, 480, 0.5636, 0.6727)]
    assert changes[1].as_dict()["progress_before"] == 0.56 and changes[1].as_dict()["progress_after"] == 0.67


def test_moving_the_start_is_a_target_change_and_so_is_a_type_change() -> None:
    after = replace(CHECKOUT, key_results=(replace(LATENCY, start=700), replace(DRILL, type="metric", done=None,
                                                                                   start=0, target=1)))
    assert rows(diff_states({"a": CHECKOUT}, {"a": after})) == [
        ("q4/pay/checkout", "drill", "target", "type", "milestone", "metric", None),  # 0% before and after
        # Closer to the target, yet 540 now counts for 40%, not 56%: judged by progress, raised.
        ("q4/pay/checkout", "latency", "target", "start", 850, 700, "raised"),
    ]


def test_keyed_by_identity_a_new_id_is_a_move() -> None:
    moved = replace(CHECKOUT, id="q4/pay/checkout-reliability")
    assert rows(diff_states({1: CHECKOUT}, {1: moved})) == [
        ("q4/pay/checkout-reliability", None, "moved", "id", "q4/pay/checkout", "q4/pay/checkout-reliability", None)]
    assert [c.kind for c in diff_states({CHECKOUT.id: CHECKOUT}, {moved.id: moved})] == ["removed", "added"]


def test_as_dict_shape() -> None:
    [change] = diff_states({"a": CHECKOUT}, {"a": replace(CHECKOUT, key_results=(replace(LATENCY, target=350),
                                                                                 DRILL))})
    assert change.as_dict() == {
        "objective": "q4/pay/checkout", "key_result": "latency", "kind": "target", "field": "target",
        "before": 300, "after": 350, "progress_before": 0.56, "progress_after": 0.62, "owner": "bob",
        "direction": "eased", "commits": [],
    }


def test_what_counts_as_a_check_in() -> None:
    assert is_check_in(LATENCY, replace(LATENCY, note="x"))
    assert is_check_in(DRILL, replace(DRILL, done=True))
    assert not is_check_in(LATENCY, replace(LATENCY, owner="dan", target=200))
    assert is_check_in(None, LATENCY)  # added with a current value
    assert not is_check_in(None, replace(LATENCY, current=None))
    assert not is_check_in(None, DRILL)
