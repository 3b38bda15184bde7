"""The key-result types of SPEC Part 2, with expected values computed here from the rules:
maintain (bounds), stretch on metrics, baseline pending, milestones by due date and
confidence, and the reason every status gives."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import pytest

from generator.model.core import AT_RISK, DONE, OFF_TRACK, ON_TRACK, KeyResult, Objective, Period

Q4 = Period("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))


def maintain(current: float, *, at_least: float | None = None, at_most: float | None = None,
             unit: str | None = None) -> KeyResult:
    return KeyResult("keep", "Keep it", "bob", type="maintain", current=current, at_least=at_least,
                     at_most=at_most, unit=unit)


def expected_maintain_status(current: float, low: float | None, high: float | None) -> str:
    """The SPEC's table: within the bounds on track; outside by at most 10% of the bound at risk."""
    if (low is None or current >= low) and (high is None or current <= high):
        return ON_TRACK
    bound = low if low is not None and current < low else high
    return AT_RISK if abs(current - bound) <= abs(bound) * 0.10 + 1e-12 else OFF_TRACK


# --- maintain ---------------------------------------------------------------------------

@pytest.mark.parametrize("current, low, high", [
    (0.7, None, 1.0), (1.0, None, 1.0), (1.05, None, 1.0), (1.1, None, 1.0), (1.2, None, 1.0),  # at most 1%
    (99.97, 99.95, None), (99.9, 99.95, None), (89.0, 99.95, None),  # at least 99.95%
    (45, 40, 50), (40, 40, 50), (38, 40, 50), (35, 40, 50), (54, 40, 50), (56, 40, 50),  # between 40 and 50
])
def test_maintain_progress_and_status_inside_near_and_outside_its_bounds(current, low, high):
    kr = maintain(current, at_least=low, at_most=high)
    within = (low is None or current >= low) and (high is None or current <= high)
    assert kr.progress == (1.0 if within else 0.0)
    assert kr.status(as_of=date(2026, 11, 15), period=Q4) == expected_maintain_status(current, low, high)


def test_maintain_within_bounds_is_on_track_not_done_even_at_full_progress():
    kr = maintain(0.7, at_most=1, unit="%")
    verdict = kr.verdict(as_of=date(2026, 10, 2), period=Q4)
    assert (kr.progress, verdict.status) == (1.0, ON_TRACK)
    assert verdict.reason == "on track: 0.7% is within at most 1%"


def test_maintain_reasons_name_the_bound_and_how_far_outside():
    near = maintain(1.05, at_most=1, unit="%").verdict(as_of=date(2026, 11, 1), period=Q4)
    far = maintain(35, at_least=40, at_most=50, unit="$k").verdict(as_of=date(2026, 11, 1), period=Q4)
    assert near.reason == "at risk: 1.05% is 5% above the upper bound 1% (up to 10% outside is at risk)"
    assert far.reason == ("off track: $35k is 13% below the lower bound $40k (up to 10% outside is at risk)")
    assert math.floor((40 - 35) / 40 * 100 + 0.5) == 13  # 12.5% rounds half up to 13


def test_maintain_with_a_bound_of_zero_is_off_track_as_soon_as_it_is_crossed():
    assert maintain(1, at_most=0).status(as_of=date(2026, 11, 1), period=Q4) == OFF_TRACK
    assert maintain(0, at_most=0).status(as_of=date(2026, 11, 1), period=Q4) == ON_TRACK


# --- stretch and baseline pending ---------------------------------------------------------

@pytest.mark.parametrize("start, target, stretch, current", [
    (40, 45, 50, 47), (40, 45, 50, 44), (40, 45, 50, 55), (850, 300, 250, 280), (850, 300, 250, 400),
])
def test_stretch_progress_runs_from_the_target_to_the_stretch_goal(start, target, stretch, current):
    kr = KeyResult("s", "S", "bob", start=start, target=target, stretch=stretch, current=current)
    expected = min(1.0, max(0.0, (current - target) / (stretch - target)))
    assert kr.stretch_progress == pytest.approx(expected)
    assert kr.progress == pytest.approx(min(1.0, max(0.0, (current - start) / (target - start))))


def test_no_stretch_goal_no_stretch_progress():
    assert KeyResult("s", "S", "bob", start=0, target=10, current=12).stretch_progress is None


def test_a_metric_without_start_has_no_progress_and_is_judged_by_confidence_only():
    pending = KeyResult("b", "B", "bob", target=30, current=16)
    unsure = KeyResult("b", "B", "bob", target=30, current=16, confidence=0.3)
    late = date(2026, 12, 20)  # 89% of the period gone: pace would say off track
    assert (pending.progress, pending.baseline_pending, pending.below_start) == (0.0, True, False)
    assert pending.verdict(as_of=late, period=Q4).status == ON_TRACK
    assert pending.verdict(as_of=late, period=Q4).reason == \
        "on track: baseline pending, no start value yet, so no progress to judge"
    assert unsure.verdict(as_of=late, period=Q4).status == OFF_TRACK


# --- milestones by due date and confidence -------------------------------------------------

def first_day_at_or_past(share: float, start: date, due: date) -> date:
    """The first day at whose end ``share`` of the days from start to due (both included) have passed."""
    total = (due - start).days + 1
    day = start
    while ((day - start).days + 1) / total < share:
        day += timedelta(days=1)
    return day


def milestone(*, due: date | None = None, confidence: float | None = None, done: bool = False) -> KeyResult:
    return KeyResult("m", "M", "carol", type="milestone", done=done, due=due, confidence=confidence)


def test_a_milestone_without_confidence_is_on_track_until_three_quarters_of_the_time_to_due():
    due = date(2026, 12, 15)
    turn = first_day_at_or_past(0.75, Q4.start, due)
    assert milestone(due=due).status(as_of=turn - timedelta(days=1), period=Q4) == ON_TRACK
    assert milestone(due=due).status(as_of=turn, period=Q4) == AT_RISK
    assert milestone(due=due).status(as_of=due, period=Q4) == AT_RISK
    assert milestone(due=due).status(as_of=due + timedelta(days=1), period=Q4) == OFF_TRACK
    assert milestone(due=due).verdict(as_of=turn, period=Q4).reason == \
        "at risk: the due date 2026-12-15 is near, not done yet"


def test_a_milestone_without_due_is_due_at_the_period_end():
    turn = first_day_at_or_past(0.75, Q4.start, Q4.end)
    assert milestone().status(as_of=turn - timedelta(days=1), period=Q4) == ON_TRACK
    assert milestone().status(as_of=turn, period=Q4) == AT_RISK
    assert milestone().status(as_of=Q4.end, period=Q4) == AT_RISK  # due today: not yet past


def test_a_milestone_with_confidence_follows_it_until_due_then_is_off_track():
    due = date(2026, 11, 30)
    before, after = date(2026, 11, 29), date(2026, 12, 1)
    assert milestone(due=due, confidence=0.9).status(as_of=before, period=Q4) == ON_TRACK  # late, but confident
    assert milestone(due=due, confidence=0.5).status(as_of=date(2026, 10, 5), period=Q4) == AT_RISK
    assert milestone(due=due, confidence=0.3).verdict(as_of=before, period=Q4).reason == \
        "off track: confidence 30%, due 2026-11-30"
    assert milestone(due=due, confidence=0.9).status(as_of=after, period=Q4) == OFF_TRACK
    assert milestone(due=due, confidence=0.9).verdict(as_of=after, period=Q4).reason == \
        "off track: the due date 2026-11-30 has passed, not done yet"
    assert milestone(due=due, done=True).status(as_of=after, period=Q4) == DONE


# --- every status says why ------------------------------------------------------------------

def test_the_pace_reason_says_done_elapsed_and_expected():
    as_of = date(2026, 11, 23)
    elapsed = ((as_of - Q4.start).days + 1) / Q4.days
    assert round(elapsed * 100) == 59
    kr = KeyResult("a", "A", "bob", start=0, target=100, current=40)
    verdict = kr.verdict(as_of=as_of, period=Q4)
    assert verdict.status == AT_RISK  # 40% is within 25 points of 59%, not within 10
    assert verdict.reason == "at risk: 40% done, 59% of the period elapsed (expected 49% or more)"


def test_only_the_worse_of_pace_and_confidence_is_the_reason():
    kr = KeyResult("a", "A", "bob", start=0, target=100, current=60, confidence=0.3)
    assert kr.verdict(as_of=date(2026, 11, 23), period=Q4).reason == "off track: confidence 30%"
    sure = KeyResult("a", "A", "bob", start=0, target=100, current=60, confidence=0.8)
    assert sure.verdict(as_of=date(2026, 11, 23), period=Q4).reason == \
        "on track: 60% done, 59% of the period elapsed (expected 49% or more); confidence 80%"


def test_an_objectives_reason_names_its_worst_key_result():
    lagging = KeyResult("a", "Checkout latency", "bob", start=0, target=100, current=10)
    fine = KeyResult("b", "Drill", "carol", type="milestone", done=False)
    objective = Objective("2026-Q4/payments/checkout", "Checkout", "alice", "payments", "2026-Q4", (lagging, fine))
    verdict = objective.verdict(as_of=date(2026, 11, 23), period=Q4)
    assert verdict.status == OFF_TRACK  # 10% is more than 25 points behind 59%
    assert verdict.reason == ("off track: key result 'Checkout latency' — 10% done, 59% of the period elapsed "
                              "(expected 49% or more)")
    dropped = Objective("x", "X", "alice", "payments", "2026-Q4", (lagging,), declared_status="dropped")
    assert dropped.verdict(as_of=date(2026, 11, 23), period=Q4).reason.startswith("dropped: ")


# --- moving the goalposts, per type ------------------------------------------------------

def goal_changes(before: KeyResult, after: KeyResult) -> list[tuple[str, object, object, str | None]]:
    from generator.history.diff import diff_key_result

    objective = Objective("o", "O", "alice", "payments", "2026-Q4", (after,))
    return [(c.field, c.before, c.after, c.direction) for c in diff_key_result(objective, before, after)
            if c.kind == "target"]


def test_a_wider_band_is_eased_a_narrower_one_raised():
    keep = maintain(0.7, at_most=1, unit="%")
    assert goal_changes(keep, replace(keep, at_most=1.5)) == [("at_most", 1, 1.5, "eased")]
    assert goal_changes(keep, replace(keep, at_least=0.2)) == [("at_least", None, 0.2, "raised")]
    floor = maintain(99.97, at_least=99.95)
    assert goal_changes(floor, replace(floor, at_least=99.9)) == [("at_least", 99.95, 99.9, "eased")]


def test_a_later_due_date_is_eased_an_earlier_one_raised():
    ship = milestone(due=date(2026, 12, 15))
    assert goal_changes(ship, replace(ship, due=date(2026, 12, 20))) == [("due", "2026-12-15", "2026-12-20", "eased")]
    assert goal_changes(ship, replace(ship, due=date(2026, 11, 20))) == [("due", "2026-12-15", "2026-11-20", "raised")]


def test_a_further_stretch_goal_is_raised_and_measuring_a_baseline_moves_no_goal():
    kr = KeyResult("s", "S", "bob", start=40, target=45, stretch=50, current=44)
    assert goal_changes(kr, replace(kr, stretch=55)) == [("stretch", 50, 55, "raised")]
    assert goal_changes(kr, replace(kr, stretch=None)) == [("stretch", 50, None, "eased")]
    pending = KeyResult("b", "B", "bob", target=30, current=16)
    assert goal_changes(pending, replace(pending, start=12)) == [("start", None, 12, None)]


# --- a maintain key result still needs check-ins -------------------------------------------

KEEP = """\
---
objective: Keep email healthy
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: unsubscribe
    title: Unsubscribe rate at most 1%
    owner: bob
    type: maintain
    at_most: 1
    current: 0.7
    unit: "%"
  - id: launch
    title: Newsletter launched
    owner: bob
    type: milestone
    done: true
---
"""


def test_a_maintain_key_result_within_bounds_goes_stale_a_done_milestone_does_not(tmp_path):
    from gitrepo import PEOPLE, GitRepo

    from generator.config import Config
    from generator.history.walk import read_history
    from generator.reading.loader import load_repository

    repo = GitRepo.create(tmp_path / "repo")
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write("okrs/2026-Q4/payments/email.md", KEEP)
    repo.commit("Add email objective", date="2026-10-05T09:00:00+00:00")
    config = Config(root=repo.root)
    as_of = date(2026, 11, 2)  # four weeks later, no check-in since
    history = read_history(config, as_of=as_of)
    objectives = load_repository(config).objectives
    (unsubscribe, launch) = objectives["2026-Q4/payments/email"].key_results
    assert (unsubscribe.progress, launch.progress) == (1.0, 1.0)
    stale = history.stale(as_of, objectives, 2)
    assert [(s.key_result, s.last_checkin) for s in stale] == [("unsubscribe", date(2026, 10, 5))]
