"""The quick schema check agrees with jsonschema: it never accepts what jsonschema refuses."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from generator.reading import schemas
from generator.reading.fastschema import QuickValidator
from generator.reading.pipeline import read_objective

ROOT = Path(__file__).resolve().parents[2]
CHECK = schemas.validator(ROOT, schemas.OBJECTIVE)
QUICK = QuickValidator(CHECK)

VALID = {
    "objective": "Make checkout reliable", "owner": "alice", "team": "payments", "period": "2026-Q4",
    "parent": "2026-Q4/company/x", "status": "active", "contributors": ["bob"], "tags": ["a", "b"],
    "key_results": [
        {"id": "latency", "title": "p99", "owner": "bob", "start": 850, "target": 300, "current": 540.5,
         "unit": "ms", "confidence": 0.6, "weight": 2, "note": "ok"},
        {"id": "drill", "title": "Drill", "owner": "carol", "type": "milestone", "done": False},
    ],
}


def mutations() -> list[tuple[str, object]]:
    """(name, path, value) edits of the valid document: most make it invalid, some not."""
    edits = []
    for field, values in {
        "objective": ["", None, 1, True, ["x"], date(2026, 1, 1)],
        "owner": ["", None, False, 123],
        "team": ["Payments", "pay ments", 1],
        "period": ["", None, date(2026, 10, 1)],
        "status": ["paused", None, 1, "done"],
        "contributors": [[], ["bob", "bob"], [1], "bob", [""]],
        "tags": [["a", "a"], [None], ["x", 1]],
        "key_results": [[], None, [{}], "x"],
        "extra": ["field"],
    }.items():
        for value in values:
            edits.append(((field,), value))
    kr = ("key_results", 0)
    for field, values in {
        "id": ["Latency", "-x", "", 1, "ok-id"],
        "title": ["", None],
        "owner": ["", None, True],
        "type": ["metric", "milestone", "other"],
        "start": ["850", None, True, 1.5],
        "target": [None, False, 300.0],
        "current": ["540", True, -1e9],
        "unit": [5, ""],
        "confidence": [-0.1, 1.01, 1, 0, True, "0.5"],
        "weight": [0, -1, 0.0001, False],
        "note": [None, 5, ""],
        "done": [True],
        "unknown": [1],
    }.items():
        for value in values:
            edits.append((kr + (field,), value))
    milestone = ("key_results", 1)
    for field, values in {"done": [None, "yes", 1, True], "start": [1], "unit": ["x"], "type": ["metric"]}.items():
        for value in values:
            edits.append((milestone + (field,), value))
    return edits


def apply(document: dict, path: tuple, value: object) -> dict:
    edited = copy.deepcopy(document)
    target = edited
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return edited


def jsonschema_valid(data: object) -> bool:
    return not list(CHECK.iter_errors(data))


def test_the_objective_schema_compiles() -> None:
    assert QUICK.compiled


def test_the_valid_document_is_valid() -> None:
    assert jsonschema_valid(VALID) and QUICK.quick(VALID)


@pytest.mark.parametrize("path, value", mutations())
def test_agrees_with_jsonschema(path: tuple, value: object) -> None:
    data = apply(VALID, path, value)
    assert QUICK.quick(data) == jsonschema_valid(data)
    assert bool(list(QUICK.iter_errors(data))) == (not jsonschema_valid(data))


@pytest.mark.parametrize("missing", ["objective", "owner", "team", "period", "key_results"])
def test_required_fields(missing: str) -> None:
    data = copy.deepcopy(VALID)
    del data[missing]
    assert not QUICK.quick(data) and not jsonschema_valid(data)


def test_example_files_agree() -> None:
    files = [p for p in sorted((ROOT / "okrs").rglob("*.md")) if p.name != "README.md"]
    assert files
    for path in files:
        data = read_objective(path.read_bytes()).data
        assert QUICK.quick(data) == jsonschema_valid(data), path


def test_values_json_cannot_hold_go_to_jsonschema() -> None:
    data = copy.deepcopy(VALID)
    data["period"] = date(2026, 10, 1)  # `period: 2026-10-01` unquoted
    assert QUICK.quick(data) is False
    assert [e.validator for e in QUICK.iter_errors(data)] == ["type"]


def test_without_a_compiled_check_jsonschema_decides() -> None:
    from jsonschema import Draft202012Validator

    quick = QuickValidator(Draft202012Validator({"type": "object", "properties": {"x": {"type": "string"}}}))
    quick._compiled = None
    assert quick.quick({"x": "a"}) is False
    assert [e.validator for e in quick.iter_errors({"x": 1})] == ["type"]
    assert list(quick.iter_errors({"x": "a"})) == []
