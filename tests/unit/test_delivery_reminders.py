"""The reminder issue's body stays within GitHub's limit for an issue body (65,536 characters)."""

from __future__ import annotations

from datetime import date

from generator.delivery.reminders import ISSUE_BODY_LIMIT, Due, Reminder, render_markdown
from generator.history.values import Week

WEEK = Week.parse("2026-W47")


def reminder(n: int, *, due: int) -> Reminder:
    items = tuple(Due(f"2026-Q4/t/o{n}", "O", f"kr{k}", f"Key result {k} of owner {n}", 0.25, date(2026, 10, 1),
                      k == 0, f"https://okrs.acme.test/objectives/2026-Q4/t/o{n}/#kr-kr{k}") for k in range(due))
    return Reminder(f"p{n:04d}", f"Person {n}", f"person-{n}", None, ("stale",), items)


def test_a_small_reminder_lists_every_key_result() -> None:
    text = render_markdown([reminder(1, due=3)], week=WEEK, stale_after_weeks=2)
    assert "### @person-1 (Person 1)" in text and text.count("\n- [Key result") == 3


def test_a_long_reminder_is_one_line_per_owner_then_cut_within_the_limit() -> None:
    found = [reminder(n, due=4) for n in range(3000)]
    text = render_markdown(found, week=WEEK, stale_after_weeks=2)
    assert len(text) <= ISSUE_BODY_LIMIT < 65_536
    listed = [line for line in text.splitlines() if line.startswith("- @person-")]
    assert 100 < len(listed) < 3000
    assert listed[0].startswith("- @person-0 (Person 0): 4 key results, 1 stale; first [Key result 0 of owner 0]")
    assert text.rstrip().endswith(f"- …and {3000 - len(listed):,} more owners: `okrs remind --format json` "
                                  "lists them all")
    middle = [reminder(n, due=40) for n in range(60)]  # every line fits, every key result does not
    text = render_markdown(middle, week=WEEK, stale_after_weeks=2)
    assert len(text) <= ISSUE_BODY_LIMIT and len([l for l in text.splitlines() if l.startswith("- @")]) == 60
