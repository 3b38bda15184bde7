"""The JSON schemas, and their errors mapped onto YAML lines with readable messages."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.reading import schema_errors, schemas
from generator.reading.frontmatter import parse_yaml
from generator.reading.pipeline import check_objective, read_objective

ROOT_SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "objective.schema.json"

PROJECT = Path(__file__).resolve().parents[2]
PATH = "okrs/2026-Q4/payments/checkout.md"


def check(text: str) -> list:
    document = read_objective(textwrap.dedent(text).encode())
    return schema_errors.schema_findings(document, schemas.validator(PROJECT, schemas.OBJECTIVE), path=PATH)


def check_people(text: str) -> list:
    document = parse_yaml(textwrap.dedent(text))
    return schema_errors.schema_findings(document, schemas.validator(PROJECT, schemas.PEOPLE), path="okrs/people.yaml")


# --- the schema files ---------------------------------------------------------------

@pytest.mark.parametrize("name", [schemas.OBJECTIVE, schemas.PEOPLE])
def test_schema_files_are_valid_2020_12_and_describe_every_field(name):
    schema = json.loads((PROJECT / "schema" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undocumented = []

    def walk(node, where):
        for key, sub in node.get("properties", {}).items():
            if not isinstance(sub, dict) or "description" not in sub:
                undocumented.append(f"{where}.{key}")
        for key, sub in node.get("$defs", {}).items():
            walk(sub, f"{where}.$defs.{key}")

    walk(schema, name)
    assert undocumented == []


def test_a_repository_without_schema_folder_uses_the_installed_schemas(tmp_path):
    assert schemas.schema_path(tmp_path, schemas.OBJECTIVE).is_file()
    assert schemas.load_schema(tmp_path, schemas.OBJECTIVE)["title"] == "Objective"


def test_a_repository_schema_folder_wins(tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / schemas.OBJECTIVE).write_text('{"title": "Mine", "type": "object"}')
    assert schemas.load_schema(tmp_path, schemas.OBJECTIVE)["title"] == "Mine"


def test_the_valid_objective_has_no_schema_findings(valid_objective):
    assert check(valid_objective) == []


# --- structure ---------------------------------------------------------------------

def test_unknown_objective_field_says_did_you_mean(valid_objective, only):
    found = only(check(valid_objective.replace("team: payments\n", "team: payments\nowners: alice\n")))
    assert (found.code, found.path, found.line, found.column) == ("schema", PATH, 5, 1)
    assert found.message == "objective: unknown field 'owners'; did you mean 'owner'?"


def test_unknown_key_result_field_says_did_you_mean(valid_objective, only):
    found = only(check(valid_objective.replace("    target: 300\n", "    tagret: 300\n    target: 300\n")))
    assert (found.code, found.line, found.column) == ("schema", 11, 5)
    assert found.message == "key result 'latency': unknown field 'tagret'; did you mean 'target'?"


def test_unknown_field_without_a_close_name_lists_the_fields(valid_objective, only):
    found = only(check(valid_objective.replace("team: payments\n", "team: payments\nxyzzy: 1\n")))
    assert (found.line, found.column) == (5, 1)
    fields = sorted(json.loads((ROOT_SCHEMA).read_text(encoding="utf-8"))["properties"])
    assert f"unknown field 'xyzzy'; the fields are: {', '.join(fields)}" in found.message


def test_wrong_type_is_reported_at_the_value(valid_objective, only):
    found = only(check(valid_objective.replace("target: 300", "target: three hundred")))
    assert (found.code, found.line, found.column) == ("schema", 11, 13)
    assert found.message == "key result 'latency' field 'target': 'three hundred' is not a number"


@pytest.mark.parametrize("value, words", [("1.5", "must be at most 1, not 1.5"),
                                           ("-0.1", "must be at least 0, not -0.1")])
def test_confidence_must_be_between_0_and_1(value, words, valid_objective, only):
    found = only(check(valid_objective.replace("current: 540\n", f"current: 540\n    confidence: {value}\n")))
    assert (found.code, found.line, found.column) == ("schema", 13, 17)
    assert words in found.message and "'confidence'" in found.message


@pytest.mark.parametrize("value", ["0", "1", "0.55"])
def test_confidence_bounds_are_inclusive(value, valid_objective):
    assert check(valid_objective.replace("current: 540\n", f"current: 540\n    confidence: {value}\n")) == []


def test_milestone_with_start_is_reported_at_the_start_key(valid_objective, only):
    found = only(check(valid_objective.replace("    done: false\n", "    done: false\n    start: 3\n")))
    assert (found.code, found.line, found.column) == ("schema", 18, 5)
    assert found.message == ("key result 'drill': 'start' is not used by milestone key results; "
                             "remove 'start' or change 'type'")


def test_metric_with_done_is_reported_at_the_done_key(valid_objective, only):
    found = only(check(valid_objective.replace("    current: 540\n", "    current: 540\n    done: true\n")))
    assert (found.code, found.line, found.column) == ("schema", 13, 5)
    assert "'done' is not used by metric key results" in found.message


def test_metric_without_target_is_reported_at_the_key_result(valid_objective, only):
    found = only(check(valid_objective.replace("    target: 300\n", "")))
    assert (found.code, found.line, found.column) == ("schema", 7, 5)
    assert found.message.startswith("key result 'latency': 'target' is required (Metric only, required")


def test_milestone_without_done_is_reported(valid_objective, only):
    found = only(check(valid_objective.replace("    done: false\n", "")))
    assert (found.code, found.line, found.column) == ("schema", 13, 5)
    assert "'done' is required" in found.message


def test_missing_objective_field_is_reported_at_the_mapping(valid_objective, only):
    found = only(check(valid_objective.replace("team: payments\n", "")))
    assert (found.code, found.line, found.column) == ("schema", 2, 1)
    assert found.message.startswith("objective: 'team' is required")


@pytest.mark.parametrize("line, message", [
    ("key_results: []", "field 'key_results': [] should be non-empty"),
    ("key_results: {a: 1}", "field 'key_results': {a: 1} is not a list"),
])
def test_key_results_must_be_a_non_empty_list(line, message, valid_objective, only):
    text = valid_objective.split("key_results:")[0] + line + "\n---\n"
    found = only(check(text))
    assert (found.code, found.line, found.column, found.message) == ("schema", 6, 14, message)


def test_weight_must_be_more_than_zero(valid_objective, only):
    found = only(check(valid_objective.replace("current: 540\n", "current: 540\n    weight: 0\n")))
    assert (found.code, found.line, found.column) == ("schema", 13, 13)


def test_status_must_be_one_of_the_four(valid_objective, only):
    found = only(check(valid_objective.replace("team: payments\n", "team: payments\nstatus: finished\n")))
    assert (found.code, found.line, found.column) == ("schema", 5, 9)
    assert found.message == "field 'status': 'finished' is not one of draft, active, done, dropped"


def test_key_result_id_pattern(valid_objective, only):
    found = only(check(valid_objective.replace("id: latency", "id: Latency")))
    assert (found.code, found.line, found.column) == ("schema", 7, 9)
    assert "must match ^[a-z0-9][a-z0-9-]*$ (e.g. 'p99-latency'); use lowercase letters, digits and hyphens" in found.message


def test_several_errors_in_one_file_are_all_reported_in_order(valid_objective):
    text = (valid_objective.replace("target: 300", "target: x").replace("done: false", "done: maybe")
            .replace("objective: Make", "objectve: Make"))
    assert [(f.line, f.column) for f in check(text)] == [(2, 1), (2, 1), (11, 13), (17, 11)]


# --- owners ------------------------------------------------------------------------

def test_key_result_without_owner_key(valid_objective, only):
    found = only(check(valid_objective.replace("    owner: bob\n", "")))
    assert (found.code, found.path, found.line, found.column) == ("owner-missing", PATH, 7, 5)
    assert found.message == ("key result 'latency' has no owner; every key result needs exactly one owner, "
                             "a person listed in okrs/people.yaml")


def test_key_result_with_null_owner(valid_objective, only):
    found = only(check(valid_objective.replace("    owner: bob\n", "    owner:\n")))
    assert (found.code, found.line, found.column) == ("owner-missing", 9, 11)
    assert found.message.startswith("key result 'latency' has no owner")


@pytest.mark.parametrize("value", ["''", '""', "null", "~"])
def test_key_result_with_empty_owner(value, valid_objective, only):
    found = only(check(valid_objective.replace("owner: bob", f"owner: {value}")))
    assert (found.code, found.line, found.column) == ("owner-missing", 9, 12)


def test_objective_without_owner(valid_objective, only):
    found = only(check(valid_objective.replace("owner: alice\n", "")))
    assert (found.code, found.line, found.column) == ("owner-missing", 2, 1)
    assert found.message == ("the objective has no owner; add `owner:` with a person listed in "
                             "okrs/people.yaml")


def test_objective_with_empty_owner(valid_objective, only):
    found = only(check(valid_objective.replace("owner: alice", "owner: ''")))
    assert (found.code, found.line, found.column) == ("owner-missing", 3, 8)


# --- YAML 1.1 traps ----------------------------------------------------------------

@pytest.mark.parametrize("value, kind", [("no", "a boolean"), ("off", "a boolean"), ("123", "a number")])
def test_owner_read_as_another_type_says_to_quote(value, kind, valid_objective, only):
    found = only(check(valid_objective.replace("owner: bob", f"owner: {value}")))
    assert (found.code, found.line, found.column) == ("schema", 9, 12)
    assert found.message == (f"key result 'latency' field 'owner': `{value}` is read by YAML as {kind}, "
                             f"but text is expected; put it in quotes: \"{value}\"")


def test_period_read_as_a_date_says_to_quote(valid_objective, only):
    found = only(check(valid_objective.replace("period: 2026-Q4", "period: 2026-10-01")))
    assert (found.code, found.line, found.column) == ("schema", 5, 9)
    assert found.message == ("field 'period': `2026-10-01` is a date, not a period; use a quarter like 2026-Q4, "
                             "a half like 2026-H2, a year like 2026, or a configured period")


def test_quoted_trap_values_pass_the_schema(valid_objective):
    assert check(valid_objective.replace("owner: bob", "owner: 'no'")) == []


def test_empty_required_value_names_the_field(valid_objective, only):
    found = only(check(valid_objective.replace("period: 2026-Q4", "period:")))
    assert (found.code, found.line, found.column) == ("schema", 5, 8)
    assert found.message.startswith("field 'period' is empty; give it a value (The period")


def test_non_finite_number_is_refused_once_by_the_reader_not_again_by_the_schema(valid_objective, only):
    text = valid_objective.replace("current: 540\n", "current: 540\n    weight: .inf\n")
    _, findings = check_objective(text.encode(), schemas.validator(PROJECT, schemas.OBJECTIVE), path=PATH)
    found = only(findings)
    assert (found.code, found.line, found.column) == ("number-invalid", 13, 13)


def test_a_huge_wrong_value_is_shown_shortened_in_the_message(valid_objective, only):
    found = only(check(valid_objective.replace("status: active", "").replace(
        "period: 2026-Q4\n", "period: 2026-Q4\nstatus: " + "x" * 200_000 + "\n")))
    assert found.code == "schema" and len(found.message) < 300 and "200,002 characters" in found.message


# --- people.yaml -------------------------------------------------------------------

def test_people_schema_accepts_the_documented_shape():
    assert check_people("""\
        people:
          alice: {name: Alice Rossi, email: alice@example.com, github: alice-r}
        teams:
          payments: {name: Payments, lead: alice, members: [alice, bob], parent: engineering}
        """) == []


def test_people_schema_errors_are_located(located):
    findings = check_people("""\
        people:
          alice: {name: Alice, emial: a@example.com}
          Bob: {name: Bob}
        teams:
          payments: {lead: alice}
        """)
    assert located(findings) == [
        ("schema", "okrs/people.yaml", 2, 24),  # emial
        ("schema", "okrs/people.yaml", 3, 3),  # Bob: a bad id, at the key
        ("schema", "okrs/people.yaml", 5, 13),  # name is required
    ]
    assert "did you mean 'email'?" in " ".join(f.message for f in findings)


def test_a_bare_year_is_a_period(valid_objective):
    assert check(valid_objective.replace("period: 2026-Q4", "period: 2026")) == []
