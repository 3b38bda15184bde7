"""The pure parts of the quarter's lifecycle: scores and grades, the retrospective
section, the closings read from two snapshots, carry's YAML values."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from generator.history.closings import closings
from generator.lifecycle.carry import _yaml, carried_id
from generator.model import retrospective
from generator.model.core import KeyResult, Objective
from generator.model.grades import computed_score, grade, objective_score, score_text


def objective(ident: str = "2026-Q3/payments/x", *, current: float = 5, status: str = "active",
              score: float | None = None, period: str = "2026-Q3") -> Objective:
    kr = KeyResult(id="k", title="k", owner="bob", start=0, target=8, current=current)
    return Objective(ident, "X", "alice", "payments", period, (kr,), declared_status=status, score=score)


def test_the_computed_score_ignores_the_written_one_and_rounds_half_up():
    assert computed_score(objective(current=5)) == 0.63 and score_text(5 / 8) == "0.63"  # 0.625
    assert score_text(1) == "1.00" and score_text(0) == "0.00"
    assert computed_score(objective(current=5, score=0.9)) == 0.63  # what score-mismatch compares with
    assert objective_score(objective(current=5, score=0.9)) == 0.9  # the written score is the commitment
    assert computed_score(objective(status="dropped")) is None
    assert computed_score(objective(status="draft")) is None
    assert computed_score(objective(status="done")) == 0.63  # done is declared; the score is measured
    assert [grade(s) for s in (0.39, 0.4, 0.69, 0.7)] == ["missed", "progress", "progress", "delivered"]


def test_the_section_close_appends_is_found_and_read_back_as_unwritten():
    text = retrospective.section_text()
    body = "Why.\n\n" + text
    narrative, retro = retrospective.split(body)
    assert narrative == "Why.\n"
    assert [(a.question, a.written) for a in retrospective.answers(retro)] == [
        (q, False) for q, _ in retrospective.QUESTIONS]
    assert text.splitlines()[0] == "## Retrospective"
    assert "\r" not in text and retrospective.section_text("\r\n").count("\r\n") == text.count("\n")


def test_a_retrospective_runs_to_the_next_top_heading_and_headings_in_code_do_not_count():
    body = ("Intro.\n\n```\n## Retrospective\n```\n\n## Retrospective ##\n\n### What went well\n\nThe cache.\n\n"
            "### What we learned\n\n_What surprised us? What does the score tell us? Replace this line._\n\n"
            "## Links\n\nhttps://example.com\n")
    narrative, retro = retrospective.split(body)
    assert narrative == "Intro.\n\n```\n## Retrospective\n```\n\n## Links\n\nhttps://example.com\n"
    answers = retrospective.answers(retro)
    assert [(a.question, a.markdown, a.written) for a in answers] == [
        ("What went well", "The cache.", True),
        ("What we learned", "_What surprised us? What does the score tell us? Replace this line._", False)]
    assert not retrospective.has_retrospective("Retrospective: we did well.\n### Retrospective\n")
    assert retrospective.has_retrospective("## retrospective\n")


def test_closings_are_the_scores_that_appear_between_two_snapshots():
    a, b = objective("2026-Q3/p/a", current=2), objective("2026-Q3/p/b", current=8)
    dropped = objective("2026-Q3/p/c", status="dropped")
    later = objective("2026-Q4/p/d", current=8)
    before = {o.id: o for o in (a, b, dropped, later)}
    after = {a.id: objective(a.id, current=2, score=0.25), b.id: objective(b.id, current=8, score=1.0),
             dropped.id: dropped, later.id: later}
    [closing] = closings(before, after)
    assert (closing.period, closing.scores, closing.dropped) == ("2026-Q3", ((a.id, 0.25), (b.id, 1.0)), 1)
    assert closing.grade_counts() == {"missed": 1, "progress": 0, "delivered": 1}
    assert closing.summary() == ("2026-Q3 closed: 2 objectives scored, mean 0.63 (1 delivered, 0 progress, 1 missed); "
                                 "1 dropped")  # 0.625, half up
    assert closing.as_dict()["mean"] == 0.63
    assert closings(after, after) == []  # already scored the week before: no closing this week


@pytest.mark.parametrize("value", ["plain title", "Checkout: reliable", "yes", "no", "null", "2027", "1e3",
                                   "# not a comment", "- a dash", "a, b", "it's", 'say "hi"', "ünïcode €",
                                   " leading space", "trailing ", "", "2026-Q4", "2026-10-01", "~",
                                   0.1, 99.92, 10**15, -3, True, False, None, ["a", "b, c", "yes"],
                                   date(2026, 12, 15)])
def test_carry_writes_values_that_read_back_exactly(value):
    assert yaml.safe_load(f"k: {_yaml(value)}") == {"k": value}


def test_carried_ids_keep_the_place_under_the_new_period():
    assert carried_id(objective("2026-Q3/payments/x"), period="2026-Q3", next_period="2026-Q4") == "2026-Q4/payments/x"
    assert carried_id(objective("2026-Q3/payments/deep/x"), period="2026-Q3",
                      next_period="2027") == "2027/payments/deep/x"
    assert carried_id(objective("misc/x"), period="2026-Q3", next_period="2026-Q4") == "2026-Q4/payments/x"
