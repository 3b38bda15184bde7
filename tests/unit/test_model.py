"""Progress, status and periods: the arithmetic the whole site shows."""

from __future__ import annotations

from datetime import date

import pytest

from generator.model.core import (
    AT_RISK, DONE, DRAFT, DROPPED, OFF_TRACK, ON_TRACK, KeyResult, Objective, People, Period, Person, Team,
    confidence_status, pace_status, parse_period, percent, worst,
)

Q4 = parse_period("2026-Q4")  # 92 days: Oct 1 .. Dec 31


def metric(start: float, target: float, current: float | None = None, **more) -> KeyResult:
    return KeyResult(id="m", title="M", owner="bob", start=start, target=target, current=current, **more)


def milestone(done: bool, **more) -> KeyResult:
    return KeyResult(id="s", title="S", owner="bob", type="milestone", done=done, **more)


def objective(*key_results: KeyResult, status: str = "active") -> Objective:
    return Objective(id="q/o", title="O", owner="alice", team="t", period="2026-Q4",
                     key_results=key_results, declared_status=status)


# --- progress --------------------------------------------------------------------------

@pytest.mark.parametrize("start, target, current, progress", [
    (0, 10, 5, 0.5),
    (0, 10, 10, 1.0),
    (0, 10, 15, 1.0),  # clamped above
    (0, 10, -5, 0.0),  # clamped below
    (71, 78, 74.5, 0.5),
    (850, 300, 540, 310 / 550),  # decreasing: 0.5636...
    (850, 300, 300, 1.0),
    (850, 300, 200, 1.0),
    (850, 300, 900, 0.0),
])
def test_metric_progress(start, target, current, progress):
    assert metric(start, target, current).progress == pytest.approx(progress)


def test_decreasing_metric_example_from_the_spec():
    kr = metric(850, 300, 540)
    assert kr.decreasing and kr.progress == pytest.approx(0.563636, abs=1e-6)
    assert percent(kr.progress) == 56


def test_current_defaults_to_start():
    kr = metric(850, 300)
    assert kr.value == 850 and kr.progress == 0.0 and not kr.below_start


@pytest.mark.parametrize("start, target, current, below", [
    (0, 10, -1, True), (0, 10, 0, False), (0, 10, 3, False),
    (850, 300, 900, True), (850, 300, 850, False), (850, 300, 700, False),
])
def test_below_start(start, target, current, below):
    kr = metric(start, target, current)
    assert kr.below_start is below
    if below:
        assert kr.progress == 0.0


def test_milestone_progress_and_never_below_start():
    assert milestone(True).progress == 1.0
    assert milestone(False).progress == 0.0
    assert not milestone(False).below_start and not milestone(False).decreasing


def test_target_equal_to_start_never_divides_by_zero():
    assert metric(5, 5, 7).progress == 0.0


def test_objective_progress_is_the_weighted_mean():
    assert objective(metric(0, 10, 5), milestone(True)).progress == pytest.approx(0.75)
    assert objective(metric(0, 10, 5, weight=3), milestone(True, weight=1)).progress == pytest.approx(0.625)
    assert objective(metric(0, 10, 2, weight=0.5), milestone(False, weight=1.5)).progress == pytest.approx(0.05)


def test_objective_without_key_results_has_no_progress():
    assert objective().progress == 0.0


@pytest.mark.parametrize("fraction, whole", [
    (0.0, 0), (1.0, 100), (0.125, 13), (0.5649, 56), (0.565, 57), (0.005, 1), (0.0049, 0),
    (0.995, 100), (0.994, 99), (0.285, 29), (0.145, 15), (310 / 550, 56),
])
def test_percent_rounds_half_up(fraction, whole):
    assert percent(fraction) == whole


# --- status ----------------------------------------------------------------------------

def test_pace_status_thresholds_are_inclusive():
    assert pace_status(0.40, 0.50) == ON_TRACK  # exactly e - 0.10
    assert pace_status(0.39, 0.50) == AT_RISK
    assert pace_status(0.25, 0.50) == AT_RISK  # exactly e - 0.25
    assert pace_status(0.24, 0.50) == OFF_TRACK
    assert pace_status(0.0, 0.0) == ON_TRACK


@pytest.mark.parametrize("expected", [k / 100 for k in range(25, 101)])
def test_pace_thresholds_hold_despite_float_noise(expected):
    progress_on, progress_risk = round(expected - 0.10, 2), round(expected - 0.25, 2)
    assert pace_status(progress_on, expected) == ON_TRACK
    assert pace_status(progress_risk, expected) == AT_RISK
    assert pace_status(round(progress_risk - 0.01, 2), expected) == OFF_TRACK


@pytest.mark.parametrize("confidence, status", [
    (1.0, ON_TRACK), (0.7, ON_TRACK), (0.69, AT_RISK), (0.4, AT_RISK), (0.39, OFF_TRACK), (0.0, OFF_TRACK),
])
def test_confidence_status_thresholds(confidence, status):
    assert confidence_status(confidence) == status


def test_worst():
    assert worst([DONE, ON_TRACK, AT_RISK]) == AT_RISK
    assert worst([ON_TRACK, OFF_TRACK, AT_RISK]) == OFF_TRACK
    assert worst([DONE, DONE]) == DONE


MID_Q4 = date(2026, 11, 15)  # 46 of 92 days elapsed: e = 0.5


def test_key_result_status_by_pace_at_a_real_date():
    assert Q4.elapsed(MID_Q4) == 0.5
    assert metric(0, 100, 40).status(as_of=MID_Q4, period=Q4) == ON_TRACK
    assert metric(0, 100, 39).status(as_of=MID_Q4, period=Q4) == AT_RISK
    assert metric(0, 100, 25).status(as_of=MID_Q4, period=Q4) == AT_RISK
    assert metric(0, 100, 24).status(as_of=MID_Q4, period=Q4) == OFF_TRACK


def test_status_is_the_worse_of_pace_and_confidence():
    assert metric(0, 100, 90, confidence=0.3).status(as_of=MID_Q4, period=Q4) == OFF_TRACK  # pace fine
    assert metric(0, 100, 0, confidence=0.9).status(as_of=MID_Q4, period=Q4) == OFF_TRACK  # confidence fine
    assert metric(0, 100, 45, confidence=0.5).status(as_of=MID_Q4, period=Q4) == AT_RISK
    assert metric(0, 100, 45, confidence=0.7).status(as_of=MID_Q4, period=Q4) == ON_TRACK


def test_done_at_full_progress_whatever_the_confidence():
    assert metric(0, 100, 100, confidence=0.1).status(as_of=MID_Q4, period=Q4) == DONE
    assert metric(850, 300, 250).status(as_of=MID_Q4, period=Q4) == DONE
    assert milestone(True, confidence=0.0).status(as_of=MID_Q4, period=Q4) == DONE


def test_before_the_period_nothing_is_late_and_after_it_everything_unfinished_is():
    assert metric(0, 100, 0).status(as_of=date(2026, 9, 1), period=Q4) == ON_TRACK
    assert metric(0, 100, 74).status(as_of=date(2027, 1, 5), period=Q4) == OFF_TRACK
    assert metric(0, 100, 90).status(as_of=date(2027, 1, 5), period=Q4) == ON_TRACK
    assert milestone(False).status(as_of=date(2027, 1, 5), period=Q4) == OFF_TRACK


def test_unknown_period_means_no_pace_expected():
    assert metric(0, 100, 0).status(as_of=MID_Q4, period=None) == ON_TRACK


def test_objective_status_is_the_worst_key_result():
    krs = (metric(0, 100, 100), metric(0, 100, 40), metric(0, 100, 30))
    assert objective(*krs).status(as_of=MID_Q4, period=Q4) == AT_RISK
    assert objective(metric(0, 100, 100), milestone(True)).status(as_of=MID_Q4, period=Q4) == DONE


@pytest.mark.parametrize("declared", [DRAFT, DONE, DROPPED])
def test_objective_declared_status_wins(declared):
    late = objective(metric(0, 100, 0), status=declared)
    assert late.status(as_of=MID_Q4, period=Q4) == declared


def test_key_results_of_draft_and_dropped_objectives_follow_the_objective():
    kr = metric(0, 100, 0)
    assert objective(kr, status=DRAFT).key_result_status(kr, as_of=MID_Q4, period=Q4) == DRAFT
    assert objective(kr, status=DROPPED).key_result_status(kr, as_of=MID_Q4, period=Q4) == DROPPED
    assert objective(kr).key_result_status(kr, as_of=MID_Q4, period=Q4) == OFF_TRACK


def test_objective_owners():
    assert objective(metric(0, 1, 0), milestone(False)).owners() == {"alice", "bob"}


# --- periods ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, start, end", [
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
    ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2028-Q1", date(2028, 1, 1), date(2028, 3, 31)),
])
def test_parse_period(name, start, end):
    assert parse_period(name) == Period(name, start, end)


def test_period_days_count_leap_years():
    assert parse_period("2026-Q4").days == 92
    assert parse_period("2027-Q1").days == 90
    assert parse_period("2028-Q1").days == 91
    assert parse_period("2028").days == 366
    assert parse_period("2028-H1").days == 182


@pytest.mark.parametrize("name", ["2026-Q5", "2026-Q0", "2026-H3", "2026-H0", "26", "202", "2026-q4",
                                  "2026Q4", " 2026-Q4", "2026-Q4 ", "FY27", "", "2026-10-01"])
def test_parse_period_invalid_names(name):
    assert parse_period(name) is None


def test_configured_periods_are_found_and_win():
    fy = Period("FY27", date(2026, 9, 1), date(2027, 8, 31))
    odd = Period("2026-Q4", date(2026, 9, 15), date(2026, 12, 15))
    assert parse_period("FY27", {"FY27": fy}) is fy
    assert parse_period("2026-Q4", {"2026-Q4": odd}) is odd
    assert parse_period("FY28", {"FY27": fy}) is None


def test_elapsed_before_during_and_after():
    assert Q4.elapsed(date(2026, 9, 30)) == 0.0
    assert Q4.elapsed(date(2026, 10, 1)) == pytest.approx(1 / 92)  # at the end of the first day
    assert Q4.elapsed(date(2026, 10, 31)) == pytest.approx(31 / 92)
    assert Q4.elapsed(date(2026, 12, 30)) == pytest.approx(91 / 92)
    assert Q4.elapsed(date(2026, 12, 31)) == 1.0
    assert Q4.elapsed(date(2027, 3, 1)) == 1.0


def test_elapsed_counts_february_29_in_leap_years():
    q1 = parse_period("2028-Q1")
    assert q1.elapsed(date(2028, 2, 28)) == pytest.approx(59 / 91)
    assert q1.elapsed(date(2028, 2, 29)) == pytest.approx(60 / 91)
    assert q1.elapsed(date(2028, 3, 1)) == pytest.approx(61 / 91)
    assert parse_period("2027-Q1").elapsed(date(2027, 3, 1)) == pytest.approx(60 / 90)


def test_period_contains_and_closed():
    assert Q4.contains(date(2026, 10, 1)) and Q4.contains(date(2026, 12, 31))
    assert not Q4.contains(date(2026, 9, 30)) and not Q4.contains(date(2027, 1, 1))
    assert not Q4.is_closed(date(2026, 12, 31)) and Q4.is_closed(date(2027, 1, 1))


def test_people_name_of():
    people = People(persons={"alice": Person("alice", "Alice Rossi")},
                    teams={"payments": Team("payments", "Payments", lead="alice")})
    assert people.name_of("alice") == "Alice Rossi"
    assert people.name_of("payments") == "Payments"
    assert people.name_of("ghost") == "ghost"


def test_a_history_point_records_a_metrics_value_and_a_milestones_done():
    assert metric(0, 10, None).series_value == 0  # no check-in yet: its start
    assert metric(0, 10, 7).series_value == 7
    assert milestone(False).series_value is False and milestone(True).series_value is True


def test_a_key_result_reads_its_rules_from_its_type():
    assert metric(0, 10, 5).kind.name == "metric" and milestone(True).kind.name == "milestone"
    assert metric(10, 0, 5).decreasing and not metric(0, 10, 5).decreasing
