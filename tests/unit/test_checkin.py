"""generator/lifecycle/checkin.py: a check-in's edit changes the values asked for and no other byte."""

from __future__ import annotations

import difflib
import random
import re

import pytest
import yaml

from generator.lifecycle.checkin import (CheckinEdit, CheckinRefused, CheckinValues, FieldChange, UnknownKeyResult,
                                         UnreadableFile, commit_message, edit_key_result, render_scalar)

BASE = """\
---
objective: Ship it   # the title
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: latency
    title: p99 under 300 ms
    owner: bob
    start: 850
    target: 300   # the SLO
    current: 540
    unit: ms
    note: EU cache rolled out
  # the next one is a milestone
  - id: drill
    title: Failover drill passes
    owner: carol
    type: milestone
    done: false
---
Body text.
"""


def front(text: str) -> dict:
    return yaml.safe_load(re.split(r"^---$", text.lstrip("\ufeff").replace("\r\n", "\n"), flags=re.M)[1])


def kr(text: str, ident: str) -> dict:
    return next(k for k in front(text)["key_results"] if k["id"] == ident)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [l[2:] for l in diff if l.startswith("- ")], [l[2:] for l in diff if l.startswith("+ ")]


def test_replaces_values_in_place_and_keeps_comments_after_them() -> None:
    text = BASE.replace("    current: 540\n", "    current: 540   # measured Monday\n")
    edit = edit_key_result(text, key_result="latency", values=CheckinValues(current=480, note="Cache: done #2"))
    assert changed_lines(text, edit.text) == (
        ["    current: 540   # measured Monday", "    note: EU cache rolled out"],
        ["    current: 480   # measured Monday", "    note: 'Cache: done #2'"])
    assert kr(edit.text, "latency") == {**kr(text, "latency"), "current": 480, "note": "Cache: done #2"}
    assert edit.changes == (FieldChange("current", 540, 480), FieldChange("note", "EU cache rolled out", "Cache: done #2"))


def test_a_missing_field_goes_after_the_last_field_at_its_indentation() -> None:
    edit = edit_key_result(BASE, key_result="latency", values=CheckinValues(confidence=0.6))
    lines = edit.text.splitlines()
    at = lines.index("    note: EU cache rolled out")
    assert lines[at + 1] == "    confidence: 0.6" and lines[at + 2] == "  # the next one is a milestone"
    assert changed_lines(BASE, edit.text) == ([], ["    confidence: 0.6"])
    last = edit_key_result(BASE, key_result="drill", values=CheckinValues(done=True, note="passed"))
    assert last.text.splitlines()[-4:] == ["    done: true", "    note: passed", "---", "Body text."]


def test_unchanged_values_change_nothing() -> None:
    edit = edit_key_result(BASE, key_result="latency", values=CheckinValues(current=540.0, note="EU cache rolled out"))
    assert edit.text == BASE and edit.changes == ()


def test_crlf_and_a_byte_order_mark_are_kept() -> None:
    text = "\ufeff" + BASE.replace("\n", "\r\n")
    edit = edit_key_result(text, key_result="latency", values=CheckinValues(current=1, confidence=0.5))
    assert edit.text.startswith("\ufeff---\r\n")
    assert edit.text.count("\n") == edit.text.count("\r\n") == text.count("\r\n") + 1
    assert kr(edit.text, "latency")["confidence"] == 0.5
    lone_cr = BASE.replace("\n", "\r")  # old Mac line ends: read as lines by okrs check, kept as they are
    edit = edit_key_result(lone_cr, key_result="latency", values=CheckinValues(confidence=0.5))
    assert "\n" not in edit.text and "    note: EU cache rolled out\r    confidence: 0.5\r" in edit.text


def test_a_block_scalar_note_is_replaced_keeping_its_header_comment_and_the_blank_line_after() -> None:
    text = BASE.replace("    note: EU cache rolled out\n",
                        "    note: >-   # long one\n      EU cache\n      rolled out\n\n    weight: 2\n")
    edit = edit_key_result(text, key_result="latency", values=CheckinValues(note="short"))
    assert "    note: short   # long one\n\n    weight: 2\n" in edit.text
    assert kr(edit.text, "latency")["note"] == "short" and kr(edit.text, "latency")["weight"] == 2


def test_an_empty_value_gets_one() -> None:
    text = BASE.replace("    note: EU cache rolled out\n", "    note:   # to do\n")
    edit = edit_key_result(text, key_result="latency", values=CheckinValues(note="done"))
    assert "    note: done   # to do\n" in edit.text


def test_a_flow_mapping_key_result() -> None:
    text = BASE.replace("""  - id: drill
    title: Failover drill passes
    owner: carol
    type: milestone
    done: false
""", "  - {id: drill, title: Drill, owner: carol, type: milestone, done: false}  # flow\n")
    edit = edit_key_result(text, key_result="drill", values=CheckinValues(done=True, note="a, b: [c]"))
    assert "  - {id: drill, title: Drill, owner: carol, type: milestone, done: true, note: 'a, b: [c]'}  # flow\n" \
        in edit.text
    assert kr(edit.text, "drill")["note"] == "a, b: [c]"


def test_refusals_say_what_to_do() -> None:
    with pytest.raises(UnknownKeyResult, match="did you mean 'latency'"):
        edit_key_result(BASE, key_result="latncy", values=CheckinValues(current=1))
    with pytest.raises(CheckinRefused, match="milestone: give --done"):
        edit_key_result(BASE, key_result="drill", values=CheckinValues(current=1))
    with pytest.raises(CheckinRefused, match="give --current, not --done"):
        edit_key_result(BASE, key_result="latency", values=CheckinValues(done=True))
    with pytest.raises(UnreadableFile, match="line 9"):
        edit_key_result(BASE.replace("    owner: bob", "    owner: bob: x"), key_result="latency",
                        values=CheckinValues(current=1))


TEXTS = ["Desktop shipped: +0.7 points", "#1 priority done", "a #b", "it's", 'say "hi"', "'quoted'", '"dq"',
         "yes", "No", "on", "~", "null", "1.5", "0x10", "2026-11-30", "12:30", "- x", "? x", ": x", "@x", "`x",
         "!tag", "&anchor", "*alias", "|", ">", "%", "{a}", "[a]", "a, b", " lead", "trail ", "", "tab\there",
         "two\nlines", "back\\slash", "é ü 完成 ✓ 🎉", "\u00a0nbsp", "---", "...", "a: b: c", "<<"]


@pytest.mark.parametrize("text", TEXTS)
def test_every_text_is_written_so_that_it_reads_back_exactly(text: str) -> None:
    rendered = render_scalar(text)
    assert "\n" not in rendered
    assert yaml.safe_load(f"note: {rendered}\n")["note"] == text
    edit = edit_key_result(BASE, key_result="latency", values=CheckinValues(note=text))
    assert kr(edit.text, "latency")["note"] == text
    assert len(changed_lines(BASE, edit.text)[1]) == 1


def test_random_texts_read_back_exactly() -> None:
    chars = "ab :#'\"\\-?![]{},&*|>%@`~\t\n" + "éü完🎉"
    rng = random.Random(12)
    for _ in range(400):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        for in_flow in (False, True):
            assert yaml.safe_load(f"x: {render_scalar(text, in_flow=in_flow)}\n")["x"] == text, repr(text)
            assert yaml.safe_load(f"{{x: {render_scalar(text, in_flow=True)}}}\n")["x"] == text, repr(text)


@pytest.mark.parametrize("number", [0, 480, -3, 0.7, 0.1 + 0.2, 1e-05, 1.5e-07, 123456789.125, 1e15, -2.5])
def test_numbers_read_back_as_the_same_number(number: float) -> None:
    got = yaml.safe_load(f"x: {render_scalar(number)}\n")["x"]
    assert got == number and type(got) is type(number)


def test_commit_messages() -> None:
    one = CheckinEdit("", "latency", "p99 under 300 ms", "ms",
                      (FieldChange("current", 540, 480), FieldChange("confidence", 0.75, 0.7),
                       FieldChange("note", "old", "new")))
    assert commit_message([one]).splitlines() == [
        "Check-in: p99 under 300 ms: 540 ms → 480 ms", "",
        "current 540 ms → 480 ms, confidence 75% → 70%, note: new"]
    only_confidence = CheckinEdit("", "drill", "Drill", None, (FieldChange("confidence", None, 0.4),))
    assert commit_message([only_confidence]).splitlines()[0] == "Check-in: Drill: confidence none → 40%"
    done = CheckinEdit("", "drill", "Drill", None, (FieldChange("done", False, True),))
    assert commit_message([one, done]).splitlines() == [
        "Check-in: 2 key results", "",
        "- p99 under 300 ms: 540 ms → 480 ms (current 540 ms → 480 ms, confidence 75% → 70%, note: new)",
        "- Drill: not done → done (done not done → done)"]


def test_values_are_shown_as_the_site_shows_them() -> None:
    from generator.lifecycle.checkin import shown
    assert shown("current", 2.8, unit="%") == "2.8%" and shown("current", 480, unit="ms") == "480 ms"
    assert shown("confidence", 0.565) == "57%" and shown("done", True) == "done" and shown("note", None) == "none"


def test_a_block_scalar_whose_last_line_starts_with_a_hash_is_replaced_whole() -> None:
    text = BASE.replace("    note: EU cache rolled out\n", "    note: |\n      Done:\n      #1 priority\n    # a comment\n")
    edit = edit_key_result(text, key_result="latency", values=CheckinValues(note="new"))
    assert "    note: new\n    # a comment\n  # the next one" in edit.text
    added = edit_key_result(text, key_result="latency", values=CheckinValues(confidence=0.5))
    assert "      #1 priority\n    confidence: 0.5\n    # a comment\n" in added.text


def test_a_field_is_added_after_a_nested_list_not_after_the_next_key_result() -> None:
    text = BASE.replace("    note: EU cache rolled out\n", "    note: EU\n    links:\n      - a\n      - b   # b!\n\n")
    edit = edit_key_result(text, key_result="latency", values=CheckinValues(confidence=0.5))
    assert "      - b   # b!\n    confidence: 0.5\n\n  # the next one" in edit.text
