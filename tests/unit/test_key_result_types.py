"""The key-result type registry: the schema agrees with it, and a new type is one
module (here a toy defined in this file) plus its schema branch, with no other edit."""

from __future__ import annotations

import copy
import json
import textwrap
from datetime import date
from pathlib import Path
from typing import Callable

import pytest
from jsonschema import Draft202012Validator
from markupsafe import Markup

from generator.history.diff import diff_key_result
from generator.model.core import AT_RISK, DONE, KeyResult, Objective, People, Period
from generator.model.types import (DEFAULT_TYPE, TYPES, FieldChange, KeyResultType, ValuePart, ValuesView,
                                   foreign_fields, type_of)
from generator.reading import schema_errors, schemas
from generator.reading.pipeline import read_objective
from generator.site import render, views

PROJECT = Path(__file__).resolve().parents[2]
Q4 = Period("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
MID_Q4 = date(2026, 11, 15)


def key_result_schema(schema: dict) -> dict:
    return schema["$defs"]["key_result"]


def branches_for(schema: dict, kr: dict) -> list[dict]:
    """The `then` of every allOf branch whose `if` holds for ``kr``."""
    return [branch["then"] for branch in key_result_schema(schema)["allOf"]
            if Draft202012Validator(branch["if"]).is_valid(kr)]


def objective_schema() -> dict:
    return json.loads((PROJECT / "schema" / schemas.OBJECTIVE).read_text(encoding="utf-8"))


# --- the registry and the schema agree --------------------------------------------------

def test_the_schema_lists_exactly_the_registered_types():
    assert key_result_schema(objective_schema())["properties"]["type"]["enum"] == list(TYPES)
    assert key_result_schema(objective_schema())["properties"]["type"]["default"] == DEFAULT_TYPE


@pytest.mark.parametrize("name", list(TYPES))
def test_each_type_has_one_branch_that_forbids_the_other_types_fields(name):
    schema = objective_schema()
    kr = {"type": name} if name != DEFAULT_TYPE else {}
    (then,) = branches_for(schema, kr)
    forbidden = [field for field, spec in then.get("properties", {}).items() if spec is False]
    assert forbidden == foreign_fields(name)
    assert set(then.get("required", [])) <= set(TYPES[name].fields)
    assert set(TYPES[name].fields) <= set(key_result_schema(schema)["properties"])


def test_a_misspelt_type_is_judged_as_the_default_type():
    assert branches_for(objective_schema(), {"type": "milstone"}) == branches_for(objective_schema(), {})
    assert type_of(KeyResult("a", "A", "bob", type="milstone", start=0, target=1)) is TYPES[DEFAULT_TYPE]


def test_every_key_result_asks_its_type():
    metric = KeyResult("a", "A", "bob", start=0, target=10, current=4)
    milestone = KeyResult("b", "B", "bob", type="milestone", done=True)
    assert (metric.series_value, metric.progress, metric.kind.name) == (4, 0.4, "metric")
    assert (milestone.series_value, milestone.progress, milestone.value) == (True, 1.0, None)
    assert milestone.kind.values_view(milestone, number=str) == ValuesView((ValuePart("Milestone: done"),))


# --- a toy third type, registered only here --------------------------------------------

class Share(KeyResultType):
    """A share of work done, 0 to 100 in `current`: no start, no target, no unit."""

    name = "share"
    fields = ("current",)

    def value(self, kr: KeyResult) -> float | None:
        return kr.current

    def progress(self, kr: KeyResult) -> float:
        return min(1.0, max(0.0, (kr.current or 0) / 100))

    def series_value(self, kr: KeyResult) -> float | None:
        return kr.current

    def sparkline_level(self, point) -> float:
        return point.progress

    def field_changes(self, before: KeyResult, after: KeyResult) -> list[FieldChange]:
        return [FieldChange("progress", "current", before.current, after.current)]

    def values_view(self, kr: KeyResult, *, number: Callable[[float | None], str]) -> ValuesView:
        return ValuesView((ValuePart(f"{number(kr.current)}% done", label="share"),), css_class="okrs-values")


@pytest.fixture
def share(monkeypatch) -> Share:
    kind = Share()
    monkeypatch.setitem(TYPES, kind.name, kind)
    return kind


def schema_with_share() -> dict:
    """The packaged schema plus the toy type's branch: what adding a type writes in it."""
    schema = copy.deepcopy(objective_schema())
    kr = key_result_schema(schema)
    kr["properties"]["type"]["enum"].append("share")
    default, *_ = [b for b in kr["allOf"] if "not" in b["if"]]
    default["if"]["not"]["properties"]["type"]["enum"].append("share")
    kr["allOf"].append({
        "if": {"required": ["type"], "properties": {"type": {"const": "share"}}},
        "then": {"required": ["current"],
                 "properties": {"start": False, "target": False, "stretch": False, "unit": False, "done": False,
                                "due": False, "at_least": False, "at_most": False}},
    })
    return schema


def test_the_toy_types_branch_agrees_with_the_registry(share):
    (then,) = branches_for(schema_with_share(), {"type": "share"})
    assert [f for f, spec in then["properties"].items() if spec is False] == foreign_fields("share")


SHARE_FILE = """\
    ---
    objective: Ship the new onboarding
    owner: alice
    team: payments
    period: 2026-Q4
    key_results:
      - id: flows
        title: Onboarding flows rebuilt
        owner: bob
        type: share
        current: 40
        start: 0
    ---
    """


def share_findings(text: str) -> list:
    document = read_objective(textwrap.dedent(text).encode())
    check = schemas._checked_validator(schema_with_share())
    return schema_errors.schema_findings(document, check, path="okrs/2026-Q4/payments/onboarding.md")


def test_a_field_of_another_type_on_the_toy_type_is_named_with_its_type(share, only):
    found = only(share_findings(SHARE_FILE))
    assert (found.code, found.line, found.column) == ("schema", 12, 5)
    assert found.message == ("key result 'flows': 'start' is not used by share key results; "
                             "remove 'start' or change 'type'")


def test_the_toy_types_own_field_on_a_milestone_is_still_refused(share, only):
    text = SHARE_FILE.replace("type: share", "type: milestone\n        done: false").replace("        start: 0\n", "")
    found = only(share_findings(text))
    assert found.message.startswith("key result 'flows': 'current' is not used by milestone key results")


def test_the_toy_type_drives_status_diff_and_view(share):
    before = KeyResult("flows", "Flows rebuilt", "bob", type="share", current=30)
    after = KeyResult("flows", "Flows rebuilt", "bob", type="share", current=100)
    objective = Objective("q4/pay/onboarding", "Onboarding", "alice", "payments", "2026-Q4", (after,))
    assert before.status(as_of=MID_Q4, period=Q4) == AT_RISK  # 30% against half the period elapsed
    assert after.status(as_of=MID_Q4, period=Q4) == DONE
    [change] = diff_key_result(objective, before, after)
    assert (change.kind, change.field, change.before, change.after) == ("progress", "current", 30, 100)
    ctx = views.Context(people=People(), objectives={objective.id: objective}, periods={}, as_of=MID_Q4)
    view = views.key_result_view(objective, after, ctx)
    macro = render.environment().get_template("_macros.html").module.values
    assert macro(view) == Markup('<span class="okrs-values"><span class="okrs-visually-hidden">share </span>'
                                 '100% done</span>')
