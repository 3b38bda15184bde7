"""The cache's records: values written after their type hints and read back, and a record
of the wrong type refused (the cache then treats the file as missing), also on the
shortcuts that take a record of the exact type as the value itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest

from generator.history.records import BAD_RECORD, from_record, to_record
from generator.reading.findings import Finding


@dataclass(frozen=True)
class Sample:
    name: str
    count: int | None
    share: float | None
    note: str | None
    day: date | None
    tags: tuple[str, ...]
    one: tuple[int]


def test_values_come_back_as_they_were() -> None:
    for value in (Sample("a", 3, 0.5, None, date(2026, 10, 5), ("x", "y"), (1,)),
                  Sample("", None, None, "n", None, (), (0,)), Sample("b", 0, 2, "", None, ("z",), (-1,))):
        assert from_record(json.loads(json.dumps(to_record(value, Sample))), Sample) == value
    finding = Finding("okrs/a.md", 3, 1, "error", "bad-thing", "what is wrong")
    assert from_record(to_record(finding, Finding), Finding) == finding


@pytest.mark.parametrize("field, bad", [
    (0, 1), (0, None), (0, ["a"]),  # name: text
    (1, True), (1, 1.5), (1, "3"),  # count: a whole number or null, never a bool
    (2, float("inf")), (2, "0.5"), (2, False),  # share: a finite number or null
    (3, 3), (3, ["n"]),  # note: text or null
    (4, "5 October"), (4, 20261005),  # day: an ISO date or null
    (5, "xy"), (5, [1]),  # tags: a list of text
    (6, [True]), (6, [1, 2]),  # one: a list of one whole number
])
def test_a_record_of_the_wrong_type_is_refused(field: int, bad: object) -> None:
    record = to_record(Sample("a", 3, 0.5, None, None, (), (1,)), Sample)
    record[field] = bad
    with pytest.raises(BAD_RECORD):
        from_record(record, Sample)
