"""`okrs new`'s default period: the quarter a day falls in."""

from __future__ import annotations

from datetime import date

import pytest

from generator.lifecycle.scaffold import quarter_of


@pytest.mark.parametrize("day, quarter", [
    (date(2026, 1, 1), "2026-Q1"),
    (date(2026, 3, 31), "2026-Q1"),
    (date(2026, 4, 1), "2026-Q2"),
    (date(2026, 6, 30), "2026-Q2"),
    (date(2026, 7, 1), "2026-Q3"),
    (date(2026, 9, 30), "2026-Q3"),
    (date(2026, 10, 1), "2026-Q4"),
    (date(2026, 12, 31), "2026-Q4"),
    (date(2027, 1, 1), "2027-Q1"),
])
def test_quarter_of_a_day(day, quarter):
    assert quarter_of(day) == quarter
