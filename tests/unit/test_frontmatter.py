"""The located, safe YAML reader: positions, refusals, encodings."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from generator.reading.frontmatter import YamlProblem, decode, parse_yaml, split_front_matter
from generator.reading.pipeline import read_objective


def problem(call, *args, **kwargs) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        call(*args, **kwargs)
    return caught.value


# --- decoding ---------------------------------------------------------------------

def test_decode_strips_bom_and_normalises_crlf_and_cr():
    assert decode(b"\xef\xbb\xbfa: 1\r\nb: 2\rc: 3\n") == "a: 1\nb: 2\nc: 3\n"


def test_decode_reports_the_line_and_column_of_the_first_bad_byte():
    found = problem(decode, b"a: 1\nb: caf\xe9\n")
    assert (found.code, found.line, found.column) == ("encoding", 2, 7)
    assert "0xe9" in found.message and "UTF-8" in found.message


def test_decode_counts_columns_in_characters_not_bytes():
    found = problem(decode, "x: ééé".encode() + b"\xff\n")
    assert (found.line, found.column) == (1, 7)


def test_decode_positions_are_right_after_a_bom_and_crlf():
    found = problem(decode, b"\xef\xbb\xbfa: 1\r\nb: \xff\r\n")
    assert (found.code, found.line, found.column) == ("encoding", 2, 4)
    assert "0xff" in found.message  # the bad byte itself, not one shifted by the BOM


# --- splitting the front matter ---------------------------------------------------

def test_split_returns_yaml_body_and_the_body_first_line():
    yaml_text, body, body_line = split_front_matter("---\na: 1\nb: 2\n---\n# Title\ntext\n")
    assert (yaml_text, body, body_line) == ("a: 1\nb: 2\n", "# Title\ntext\n", 5)


def test_split_accepts_dots_as_the_closing_line():
    assert split_front_matter("---\na: 1\n...\nbody")[0] == "a: 1\n"


def test_split_refuses_a_file_without_front_matter():
    found = problem(split_front_matter, "# Just markdown\n")
    assert (found.code, found.line, found.column) == ("front-matter", 1, 1)
    assert "'---'" in found.message


def test_split_refuses_unterminated_front_matter():
    found = problem(split_front_matter, "---\na: 1\nb: 2\n")
    assert (found.code, found.line, found.column) == ("front-matter", 1, 1)
    assert "not terminated" in found.message


# --- parsing with positions -------------------------------------------------------

def test_values_and_keys_carry_file_lines_and_columns():
    doc = parse_yaml("a: 1\nlist:\n  - id: x\n    owner: bob\n", first_line=2)
    assert doc.data == {"a": 1, "list": [{"id": "x", "owner": "bob"}]}
    assert doc.value_at(("a",)) == (2, 4)
    assert doc.key_at(("list", 0, "owner")) == (5, 5)
    assert doc.value_at(("list", 0, "owner")) == (5, 12)
    assert doc.value_at(("list", 0, "missing")) == (4, 5)  # nearest parent: the list item
    assert doc.key_at(("nowhere",)) == (2, 1)  # the root mapping


def test_plain_scalars_keep_their_text_and_keys_stay_text():
    doc = parse_yaml("no: no\nn: 123\nq: 'no'\nd: 2026-10-01\n")
    assert doc.data == {"no": False, "n": 123, "q": "no", "d": datetime.date(2026, 10, 1)}
    assert doc.plain_text[("no",)] == "no"
    assert doc.plain_text[("d",)] == "2026-10-01"
    assert ("q",) not in doc.plain_text  # quoted: what you see is what you get


def test_a_date_that_does_not_exist_stays_text_instead_of_crashing():
    assert parse_yaml("period: 2026-02-30\n").data == {"period": "2026-02-30"}


def test_1e400_is_text_in_yaml_1_1_so_the_schema_refuses_it():
    assert parse_yaml("weight: 1e400\n").data == {"weight": "1e400"}


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf", "1.0e+400", "1.0e+16", "-10000000000000001", "0x38D7EA4C68001",
                                  "!!int " + "1" * 5001, "!!float 1e999"])
def test_numbers_that_are_not_finite_or_over_1e15_are_problems_and_none(text):
    doc = parse_yaml(f"a: 1\nweight: {text}\n", first_line=2)
    assert doc.data == {"a": 1, "weight": None}
    assert [(p.line, p.column, p.code) for p in doc.problems] == [(3, 9, "number-invalid")]


@pytest.mark.parametrize("text, number", [("1000000000000000", 10 ** 15), ("-1_000_000_000_000_000", -10 ** 15),
                                          ("0x38D7EA4C68000", 10 ** 15), ("1.0e+15", 1e15), ("1.0e-300", 1e-300)])
def test_numbers_up_to_1e15_in_size_are_read(text, number):
    doc = parse_yaml(f"weight: {text}\n")
    assert doc.data == {"weight": number} and doc.problems == []


def test_duplicate_keys_point_at_the_one_just_before():
    doc = parse_yaml("a: 1\nb: 1\na: 2\nb: 2\na: 3\n")
    assert [(p.line, p.message.split("(")[1].split(")")[0]) for p in doc.problems] == [
        (3, "first on line 1"), (4, "first on line 2"), (5, "first on line 3")]


def test_duplicate_keys_are_problems_not_silent_overwrites():
    doc = parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", first_line=2)
    found = sorted((p.line, p.column, p.code) for p in doc.problems)
    assert found == [(5, 3, "duplicate-key"), (6, 1, "duplicate-key")]
    assert "first on line 4" in min(doc.problems, key=lambda p: p.line).message


def test_syntax_error_is_reported_at_its_real_line_in_the_file():
    found = problem(parse_yaml, "a: 1\nb: c: d\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 4)  # the text to quote
    assert found.message == ("YAML syntax error: the text of 'b' contains ': ', which YAML reads as the start "
                             "of another field; put the b in quotes: b: \"c: d\"")


def test_unclosed_flow_sequence_points_at_where_it_opened():
    found = problem(parse_yaml, "a: [1, 2\nb: 3\n", first_line=2)
    assert found.code == "front-matter"
    assert "starts on line 2, column 4" in found.message


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "", "42\n"])
def test_front_matter_must_be_a_mapping(text):
    found = problem(parse_yaml, text, first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 2, 1)
    assert "must be a mapping" in found.message


def test_a_key_must_be_a_scalar():
    found = problem(parse_yaml, "a: 1\n[x, y]: 2\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 1)


def test_control_characters_are_reported_where_they_are():
    found = problem(parse_yaml, "a: 1\nb: éé\x07 & x\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 6)
    assert "\n" not in found.message and "#x0007" in found.message


# --- tags, anchors, aliases -------------------------------------------------------

def test_python_tags_are_refused_and_never_executed(tmp_path: Path):
    marker = tmp_path / "executed"
    for text in (f"a: !!python/object/apply:os.system ['touch {marker}']\n",
                 f"a: !!python/object/apply:os.system\n  - touch {marker}\n",
                 f"a: !!python/object/new:os.system [touch {marker}]\n"):
        found = problem(parse_yaml, text, first_line=2)
        assert (found.code, found.line, found.column) == ("front-matter", 2, 4)
        assert "!!python/object" in found.message
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!binary aGk=", "!!set {a: null}", "!custom x", "!!omap [a: 1]"])
def test_other_tags_are_refused(tag):
    found = problem(parse_yaml, f"a: 1\nb: {tag}\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 4)


def test_standard_tags_are_accepted():
    assert parse_yaml("a: !!str 12\nb: !!int '3'\n").data == {"a": "12", "b": 3}


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly():
    started = time.perf_counter()
    found = problem(parse_yaml, billion_laughs(9), first_line=2)
    assert time.perf_counter() - started < 1.0
    assert (found.code, found.line, found.column) == ("front-matter", 2, 5)
    assert "anchors and aliases" in found.message


def test_an_anchor_alone_is_refused():
    found = problem(parse_yaml, "a: 1\nowner: &who bob\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 8)
    assert "anchors and aliases" in found.message


def test_an_alias_alone_is_refused():
    found = problem(parse_yaml, "a: 1\nowner: *who\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 8)
    assert "anchors and aliases" in found.message


def test_ampersand_and_star_in_text_are_fine():
    assert parse_yaml("title: 'R&D * 2'\nnote: a & b * c\n").data == {"title": "R&D * 2", "note": "a & b * c"}


def test_merge_keys_are_refused():
    found = problem(parse_yaml, "a:\n  <<: {b: 1}\n", first_line=2)
    assert (found.code, found.line, found.column) == ("front-matter", 3, 3)
    assert "merge" in found.message


# --- a whole objective file ---------------------------------------------------------

def test_read_objective_accepts_bom_and_crlf_and_keeps_lines():
    raw = ("\ufeff---\nobjective: Tést\nowner: alice\n---\nbody line\n").replace("\n", "\r\n").encode()
    doc = read_objective(raw)
    assert doc.data == {"objective": "Tést", "owner": "alice"}
    assert doc.value_at(("owner",)) == (3, 8)
    assert doc.body == "body line\n" and doc.body_line == 5


def test_read_objective_refuses_a_large_file_before_decoding():
    found = problem(read_objective, b"\xff" * (1024 * 1024 + 1))
    assert (found.code, found.line, found.column) == ("file-too-large", 1, 1)
