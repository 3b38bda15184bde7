"""The cache's records: values written after their type hints and read back, and a record
of the wrong type refused (the cache then treats the file as missing), also on the
shortcuts that take a record of the exact type as the value itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest

from generator.history.records import BAD_RECORD, ObjectivePool, from_record, objective_record, to_record
from generator.model.core import KeyResult, Objective
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


def _objective(title: str) -> Objective:
    return Objective(id="2026-Q4/a", path="okrs/2026-Q4/a.md", title=title, owner="alice", period="2026-Q4",
                     team="platform", key_results=(KeyResult(id="kr1", title="Ship it", owner="bob", target=10.0),))


def test_a_pool_gives_the_object_an_equal_record_was_read_as() -> None:
    pool = ObjectivePool()
    loaded = _objective("Make the platform boring")
    pool.add(loaded, objective_record(loaded))
    again = pool.read(json.loads(json.dumps(objective_record(loaded))))  # a copy of the record, as another cache holds it
    assert again is loaded
    other = pool.read(objective_record(_objective("Another title")))  # no equal one: decoded, and kept
    assert other == _objective("Another title") and other is not loaded
    assert pool.read(objective_record(_objective("Another title"))) is other
    assert len(pool) == 2


def test_a_pool_writes_an_object_as_the_record_it_came_with() -> None:
    pool = ObjectivePool()
    loaded = _objective("Make the platform boring")
    record = objective_record(loaded)
    pool.add(loaded, record)
    assert pool.record(loaded) is record
    equal = _objective("Make the platform boring")  # equal, but not the pooled object: encoded
    assert pool.record(equal) == record and pool.record(equal) is not record


@pytest.mark.parametrize("bad", [None, "x", [1, 2], {"id": "a"}, [float("nan")]])
def test_a_pool_refuses_what_is_no_objective_record(bad: object) -> None:
    with pytest.raises(BAD_RECORD):
        ObjectivePool().read(bad)
