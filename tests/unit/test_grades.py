"""Scores and grade bands of closed periods (model/grades.py), dropped objectives left out;
expected numbers computed here from the key results' own values."""

from __future__ import annotations

import math
from datetime import date

import pytest

from generator.model.core import KeyResult, Objective, People, Period
from generator.model.grades import DELIVERED, MISSED, PROGRESS, grade, key_result_score, mean_score, objective_score
from generator.site import views

Q3 = Period("2026-Q3", date(2026, 7, 1), date(2026, 9, 30))


def half_up(value: float) -> float:
    return math.floor(value * 100 + 0.5) / 100


def objective(ident: str, currents: tuple[float, ...], *, status: str = "active", score: float | None = None,
              weights: tuple[float, ...] | None = None) -> Objective:
    weights = weights or (1.0,) * len(currents)
    krs = tuple(KeyResult(f"k{i}", f"K{i}", "bob", start=0, target=80, current=c, weight=w)
                for i, (c, w) in enumerate(zip(currents, weights)))
    return Objective(f"2026-Q3/payments/{ident}", ident, "alice", "payments", "2026-Q3", krs,
                     declared_status=status, score=score)


@pytest.mark.parametrize("score, band", [(0.0, MISSED), (0.39, MISSED), (0.4, PROGRESS), (0.69, PROGRESS),
                                         (0.7, DELIVERED), (1.0, DELIVERED)])
def test_grade_bands(score, band):
    assert grade(score) == band


def test_scores_are_the_progress_at_the_end_with_two_decimals():
    o = objective("a", (36, 80, 10), weights=(2, 1, 1))
    progress = (2 * 36 / 80 + 1 * 1.0 + 1 * 10 / 80) / 4  # 0.5125
    assert objective_score(o) == half_up(progress) == 0.51
    assert [key_result_score(kr) for kr in o.key_results] == [half_up(36 / 80), 1.0, half_up(10 / 80)]


def test_a_written_score_is_the_commitment_and_dropped_objectives_have_none():
    assert objective_score(objective("a", (0,), score=0.65)) == 0.65
    assert objective_score(objective("b", (80,), status="dropped")) is None
    assert objective_score(objective("c", (80,), status="draft")) is None


def test_dropped_objectives_are_left_out_of_the_mean_score_and_the_period_page():
    kept = [objective("a", (40,)), objective("b", (72, 8))]
    dropped = objective("c", (0,), status="dropped")
    expected = half_up((half_up(40 / 80) + half_up((72 / 80 + 8 / 80) / 2)) / 2)  # (0.5 + 0.5) / 2
    assert mean_score(kept + [dropped]) == expected == 0.5
    assert views.period_score(kept + [dropped]) == f"{expected:.2f}"


def test_closed_views_show_grades_not_live_status_and_no_last_checkin():
    o = objective("a", (20, 80))
    ctx = views.Context(people=People(), objectives={o.id: o}, periods={"2026-Q3": Q3}, as_of=date(2026, 11, 1))
    view = views.objective_view(o, ctx)
    score = half_up((20 / 80 + 1.0) / 2)  # 0.63 after rounding 0.625 half up
    assert (view["score"], view["grade"], view["status"]["label"]) == (f"{score:.2f}", PROGRESS, "Progress")
    assert view["status_reason"] == f"score {score:.2f}: its progress at the period's end"
    first = view["key_results"][0]
    assert (first["score"], first["grade"], first["last_checkin"], first["stale"]) == ("0.25", MISSED, None, False)
    dropped = objective("b", (20,), status="dropped")
    ctx = views.Context(people=People(), objectives={dropped.id: dropped}, periods={"2026-Q3": Q3},
                        as_of=date(2026, 11, 1))
    assert (views.objective_view(dropped, ctx)["score"], views.objective_view(dropped, ctx)["status"]["key"]) == \
        (None, "dropped")


def test_okrs_json_has_reasons_stretch_due_and_the_grades_of_closed_periods():
    import json

    from generator.site.state_json import state_json

    q4 = Period("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
    live = Objective("2026-Q4/growth/activation", "Activation", "alice", "growth", "2026-Q4", (
        KeyResult("week1", "Week-1 activation", "bob", start=34, target=45, stretch=50, current=47, unit="%"),
        KeyResult("ship", "Ship", "bob", type="milestone", done=False, due=date(2026, 12, 15), confidence=0.3),
    ))
    closed = objective("a", (40, 80))
    dropped = objective("b", (80,), status="dropped")
    ctx = views.Context(people=People(), objectives={o.id: o for o in (live, closed, dropped)},
                        periods={"2026-Q3": Q3, "2026-Q4": q4}, as_of=date(2026, 11, 23))
    state = {o["id"]: o for o in json.loads(state_json(ctx))["objectives"]}
    week1, ship = state[live.id]["key_results"]
    assert week1["stretch_progress"] == round((47 - 45) / (50 - 45), 4) and week1["stretch"] == 50
    assert week1["status"] == "done" and week1["status_reason"] == "done: the target 45% is reached"
    assert (ship["due"], ship["status"], ship["status_reason"]) == (
        "2026-12-15", "off-track", "off track: confidence 30%, due 2026-12-15")
    assert state[live.id]["status_reason"] == "off track: key result 'Ship' — confidence 30%, due 2026-12-15"
    assert "score" not in state[live.id]
    expected = half_up((40 / 80 + 1.0) / 2)
    assert (state[closed.id]["score"], state[closed.id]["grade"]) == (expected, DELIVERED if expected >= 0.7 else
                                                                      PROGRESS if expected >= 0.4 else MISSED)
    assert [k["score"] for k in state[closed.id]["key_results"]] == [0.5, 1.0]
    assert (state[dropped.id]["score"], state[dropped.id]["grade"]) == (None, None)
