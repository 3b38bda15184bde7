"""The common YAML and type slips of a check-in, each fed as a file: exact message, line, column.

Each test edits the valid objective (its line map is in conftest.py) the way a person
does by hand, and reads it back through the check pipeline (``check_objective``) or the
whole loader; the expected message is written out here, not taken from the product.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.reading import schemas
from generator.reading.pipeline import check_objective, read_objective
from generator.reading.type_slips import shown

PROJECT = Path(__file__).resolve().parents[2]
PATH = "okrs/2026-Q4/payments/checkout.md"


def findings_of(text: str):
    _, found = check_objective(text.encode("utf-8"), schemas.validator(PROJECT, schemas.OBJECTIVE), path=PATH)
    return [(f.code, f.line, f.column, f.message) for f in found]


def with_note(valid_objective: str, line: str) -> str:
    """The valid objective with ``line`` added after `current: 540` (it becomes line 13)."""
    return valid_objective.replace("    current: 540\n", f"    current: 540\n{line}\n")


# --- plain text that breaks YAML -------------------------------------------------------------

def test_a_colon_in_a_note_says_put_the_note_in_quotes(valid_objective):
    text = with_note(valid_objective, "    note: Desktop shipped: +0.7 points")
    assert findings_of(text) == [("front-matter", 13, 11, (
        "YAML syntax error: the text of 'note' contains ': ', which YAML reads as the start of another field; "
        'put the note in quotes: note: "Desktop shipped: +0.7 points"'))]


def test_the_quoted_form_the_message_offers_is_valid_and_keeps_the_text(valid_objective):
    note = 'Shipped: "fast" path \\ 2'
    broken = with_note(valid_objective, f"    note: {note}")
    message = findings_of(broken)[0][3]
    fixed_line = message.split("put the note in quotes: ")[1]
    assert fixed_line == "note: " + json.dumps(note)
    fixed = with_note(valid_objective, f"    {fixed_line}")
    assert findings_of(fixed) == []
    assert read_objective(fixed.encode()).data["key_results"][0]["note"] == note


def test_a_colon_in_a_title_and_in_the_objective_name_their_own_field(valid_objective):
    title = valid_objective.replace("title: p99 checkout latency under 300 ms", "title: Latency: under 300 ms")
    assert findings_of(title) == [("front-matter", 8, 12, (
        "YAML syntax error: the text of 'title' contains ': ', which YAML reads as the start of another field; "
        'put the title in quotes: title: "Latency: under 300 ms"'))]
    objective = valid_objective.replace("objective: Make checkout boringly reliable", "objective: Checkout: make it boring")
    assert findings_of(objective) == [("front-matter", 2, 12, (
        "YAML syntax error: the text of 'objective' contains ': ', which YAML reads as the start of another field; "
        'put the objective in quotes: objective: "Checkout: make it boring"'))]


def test_a_leading_hash_says_the_note_became_a_comment_not_that_it_is_empty(valid_objective):
    text = with_note(valid_objective, "    note: #1 priority done")
    assert findings_of(text) == [("schema", 13, 11, (
        "key result 'latency' field 'note' is empty: YAML reads a '#' after a space as the start of a comment; "
        'if that is the note, put the note in quotes: note: "#1 priority done"'))]


def test_an_empty_note_without_a_hash_is_still_just_empty(valid_objective):
    found = findings_of(with_note(valid_objective, "    note:"))
    assert [(code, line) for code, line, _, _ in found] == [("schema", 13)]
    assert found[0][3].startswith("key result 'latency' field 'note' is empty; give it a value")


@pytest.mark.parametrize("indent", ["\t", "  \t"])
def test_a_tab_in_the_indentation_says_indent_with_spaces(valid_objective, indent):
    text = valid_objective.replace("    current: 540\n", f"{indent}current: 540\n")
    assert findings_of(text) == [("front-matter", 12, len(indent), (
        "YAML syntax error: line 12 is indented with a tab; indent with spaces "
        "(YAML does not allow tabs in indentation)"))]


def test_a_key_result_that_lost_its_dash_is_one_finding_not_a_duplicate_per_field(valid_objective):
    text = valid_objective.replace("  - id: drill", "    id: drill")
    assert findings_of(text) == [("duplicate-key", 13, 5, (
        "line 13 looks like a new key result: start it with '- '; without it, YAML reads its fields as more "
        "fields of the key result on line 7 ('id', 'title', 'owner' twice)"))]


def test_a_key_result_that_lost_its_dash_and_indent_points_at_its_line(valid_objective):
    text = valid_objective.replace("  - id: drill\n    title", "  id: drill\n    title")
    found = findings_of(text)
    assert len(found) == 1
    assert found[0][:3] == ("front-matter", 13, 3)
    assert found[0][3] == ("YAML syntax error: line 13 looks like a new key result: start it with '- ' "
                           "like the one on line 7")


def test_one_repeated_field_is_still_a_plain_duplicate_key(valid_objective):
    text = valid_objective.replace("    owner: carol\n", "    owner: carol\n    owner: dan\n")
    found = findings_of(text)
    assert [(code, line, column) for code, line, column, _ in found] == [("duplicate-key", 16, 5)]
    assert "remove or merge one of them" in found[0][3]


# --- values of the wrong type or range -------------------------------------------------------

def test_a_quoted_number_says_remove_the_quotes(valid_objective):
    text = valid_objective.replace("current: 540", 'current: "75.6"')
    assert findings_of(text) == [("schema", 12, 14, (
        "key result 'latency' field 'current': '75.6' is text because of the quotes, but a number is expected; "
        "remove the quotes: current: 75.6"))]


def test_an_exponent_yaml_reads_as_text_says_write_it_out(valid_objective):
    text = valid_objective.replace("target: 300", "target: 3e2")
    assert findings_of(text) == [("schema", 11, 13, (
        "key result 'latency' field 'target': `3e2` is read by YAML as text, but a number is expected; "
        "write it out: target: 300"))]


@pytest.mark.parametrize("value, meant", [(75, "0.75"), (60, "0.6"), (100, "1")])
def test_a_confidence_written_as_a_percent_says_did_you_mean(valid_objective, value, meant):
    text = with_note(valid_objective, f"    confidence: {value}")
    assert findings_of(text) == [("schema", 13, 17, (
        f"key result 'latency' field 'confidence': confidence is 0 to 1: did you mean {meant} ({value}%)?"))]


def test_a_list_of_key_result_owners_says_put_the_others_in_contributors(valid_objective):
    text = valid_objective.replace("owner: bob", "owner: [mei, noah]")
    assert findings_of(text) == [("schema", 9, 12, (
        "key result 'latency' field 'owner': [mei, noah] is a list, but a key result has exactly one owner; "
        "put the others in contributors: keep owner: mei here and add noah to the objective's contributors"))]


def test_a_list_of_objective_owners_shows_the_fixed_fields(valid_objective):
    text = valid_objective.replace("owner: alice", "owner: [alice, bob, carol]")
    assert findings_of(text) == [("schema", 3, 8, (
        "field 'owner': [alice, bob, carol] is a list, but an objective has exactly one owner; "
        "put the others in contributors: owner: alice and contributors: [bob, carol]"))]


def test_every_unknown_field_of_a_key_result_is_reported(valid_objective):
    text = valid_objective.replace("    current: 540\n", "    current: 540\n    tagret: 3\n    confidance: 0.5\n")
    assert findings_of(text) == [
        ("schema", 13, 5, "key result 'latency': unknown field 'tagret'; did you mean 'target'?"),
        ("schema", 14, 5, "key result 'latency': unknown field 'confidance'; did you mean 'confidence'?"),
    ]


def test_every_unknown_field_of_the_objective_is_reported(valid_objective):
    text = valid_objective.replace("team: payments\n", "team: payments\nowners: x\nteem: y\n")
    found = findings_of(text)
    assert [(code, line, column) for code, line, column, _ in found] == [("schema", 5, 1), ("schema", 6, 1)]
    assert found[0][3] == "objective: unknown field 'owners'; did you mean 'owner'?"
    assert found[1][3] == "objective: unknown field 'teem'; did you mean 'team'?"


@pytest.mark.parametrize("value, words", [
    (["mei", "noah"], "[mei, noah]"),
    ({"a": 1, "b": [True, None]}, "{a: 1, b: [true, null]}"),
    (["two words", "no", "1.5", 'q"uote'], '[two words, "no", "1.5", "q\\"uote"]'),
])
def test_values_are_shown_as_yaml_never_as_python(value, words):
    assert shown(value) == words


def test_a_key_result_that_lost_its_dash_and_all_indent_says_which_line_to_fix(valid_objective):
    text = valid_objective.replace("  - id: drill\n", "id: drill\n")
    assert findings_of(text) == [("front-matter", 14, 5, (
        "YAML syntax error: line 14 is indented under line 13 ('id: drill'), which already has a value; "
        "if line 13 starts a new key result, start it with '- ' and indent it like the others, "
        "else indent both lines the same"))]
