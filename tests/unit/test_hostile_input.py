"""Hostile input: numbers, control characters, deep nesting and hostile sizes.

Each case asserts the exact finding (code and place) and a time bound. The bounds are
generous (a few seconds for what takes well under one), so they do not flake on a busy
machine, yet catch super-linear behaviour: the 16,000 duplicate keys took 112 s before.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from generator.cli.main import main
from generator.reading.frontmatter import MAX_FILE_BYTES
from generator.reading.schema_errors import UNKNOWN_FIELDS_SHOWN

FILE = "okrs/2026-Q4/payments/checkout.md"


def timed_findings(repo, text: str | bytes, *, bound: float = 3.0) -> list:
    """The findings of a repository with the one objective ``text``, read within ``bound`` seconds."""
    repo.objective(text=text) if isinstance(text, str) else repo.write("2026-Q4/payments/checkout.md", text)
    started = time.perf_counter()
    findings = repo.findings()
    elapsed = time.perf_counter() - started
    assert elapsed < bound, f"took {elapsed:.1f} s"
    return findings


# --- numbers ------------------------------------------------------------------------

# (field, line, column of its value) once weight and confidence are added after `current`
FIELDS = [("start", 10, 12), ("target", 11, 13), ("current", 12, 14), ("weight", 13, 13), ("confidence", 14, 17)]
NOT_NUMBERS = {
    "400 digits": "1" + "0" * 400,
    "5,001 digits": "9" * 5001,  # over Python's int-string conversion limit: was a traceback
    "1.0e+999": "1.0e+999",
    "1.0e+308": "1.0e+308",  # finite, but two weights of it add up to infinity
    ".nan": ".nan",
    ".inf": ".inf",
    "-.inf": "-.inf",
    "-1e16": "-1.0e+16",
}


def with_value(valid_objective: str, field: str, value: str) -> str:
    text = valid_objective.replace("current: 540\n", "current: 540\n    weight: 2\n    confidence: 0.5\n")
    return text.replace(f"    {field}: ", f"    {field}: {value} #", 1)


@pytest.mark.parametrize("name", NOT_NUMBERS)
@pytest.mark.parametrize("field, line, column", FIELDS)
def test_a_number_that_is_not_finite_or_too_large_is_refused_where_it_is(
        field, line, column, name, repo, valid_objective, located):
    findings = timed_findings(repo, with_value(valid_objective, field, NOT_NUMBERS[name]))
    assert located(findings) == [("number-invalid", FILE, line, column)]
    assert "numbers must be finite and at most 1e15" in findings[0].message
    assert len(findings[0].message) < 200  # the 5,001 digits are not repeated


@pytest.mark.parametrize("field, line, column", FIELDS)
def test_1e999_is_text_in_yaml_so_the_schema_refuses_it(field, line, column, repo, valid_objective, located):
    findings = timed_findings(repo, with_value(valid_objective, field, "1e999"))
    assert located(findings) == [("schema", FILE, line, column)]
    assert "'1e999' is not a number" in findings[0].message


def test_a_huge_period_number_is_refused(repo, valid_objective, located):
    findings = timed_findings(repo, valid_objective.replace("period: 2026-Q4", "period: " + "2" * 5001))
    assert located(findings) == [("number-invalid", FILE, 5, 9)]


@pytest.mark.parametrize("value", ["1000000000000000", "-1000000000000000", "999999999999999.5", "0.000001"])
def test_numbers_up_to_1e15_in_size_are_kept(value, repo, valid_objective):
    assert timed_findings(repo, valid_objective.replace("current: 540", f"current: {value}")) == []


# --- nesting ------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [100, 500, 990])
def test_deep_flow_nesting_is_refused_at_the_65th_level(depth, repo, valid_objective, located):
    text = valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\ntags: " + "[" * depth + "]" * depth + "\n")
    findings = timed_findings(repo, text)
    assert located(findings) == [("front-matter", FILE, 6, len("tags: ") + 64)]  # the root mapping is level 1
    assert "nests more than 64 levels" in findings[0].message


@pytest.mark.parametrize("depth", [100, 500, 990])
def test_deep_block_nesting_is_refused_at_the_65th_level(depth, repo, valid_objective, located):
    nested = "".join(" " * level + "k:\n" for level in range(depth)) + " " * depth + "k: 1\n"
    text = valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\n" + nested)
    findings = timed_findings(repo, text)
    # the value of the `k:` indented by n on line 6 + n is level n + 2 (the root is level 1), starting on the next line
    assert located(findings) == [("front-matter", FILE, 6 + 64, 65)]


def test_deep_sequence_nesting_on_one_line_is_refused(repo, valid_objective, located):
    text = valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\ntags:\n" + "- " * 500 + "x\n")
    findings = timed_findings(repo, text)
    assert located(findings) == [("front-matter", FILE, 7, 2 * 63 + 1)]


def test_nesting_of_64_levels_is_read(repo, valid_objective, located):
    text = valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\ntags: " + "[" * 63 + "]" * 63 + "\n")
    assert {code for code, *_ in located(timed_findings(repo, text))} == {"schema"}  # read: only the schema has a say


# --- hostile sizes --------------------------------------------------------------------

def test_16000_duplicate_keys_are_linear_and_at_most_100_findings(repo, valid_objective, located):
    duplicates = "".join(f"owner: p{i}\n" for i in range(16_000))
    findings = timed_findings(repo, valid_objective.replace("owner: alice\n", "owner: alice\n" + duplicates, 1),
                              bound=8.0)  # 112 s before
    assert len(findings) == 101
    assert located(findings)[:2] == [("duplicate-key", FILE, 4, 1), ("duplicate-key", FILE, 5, 1)]
    assert "first on line 4" in findings[1].message  # the one just before, found without a scan
    last = findings[-1]
    assert (last.code, last.path, last.line, last.column, last.severity) == ("too-many-problems", FILE, 104, 1, "error")
    assert last.message.startswith("15,901 more problems in this file are not shown")  # and owner-unknown


def test_a_200000_character_title_is_read_quickly(repo, valid_objective):
    text = valid_objective.replace("objective: Make checkout boringly reliable", "objective: " + "x" * 200_000)
    assert timed_findings(repo, text) == []


def test_a_200000_character_wrong_value_is_reported_briefly(repo, valid_objective, located):
    findings = timed_findings(repo, valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\nstatus: " + "x" * 200_000 + "\n"))
    assert located(findings) == [("schema", FILE, 6, 9)]
    assert len(findings[0].message) < 300


def test_a_file_just_under_1_mib_of_many_keys_is_read_quickly(repo, valid_objective, located):
    head = valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\n{keys}")
    line = len("k0000000: 1234\n")
    count = (MAX_FILE_BYTES - (len(head.encode()) - len("{keys}"))) // line
    text = head.replace("{keys}", "".join(f"k{index:07d}: 1234\n" for index in range(count)))
    assert MAX_FILE_BYTES - line < len(text.encode()) <= MAX_FILE_BYTES
    findings = timed_findings(repo, text, bound=8.0)
    shown = UNKNOWN_FIELDS_SHOWN
    assert located(findings) == [("schema", FILE, 6 + index, 1) for index in range(shown + 1)]
    assert "unknown field 'k0000000'" in findings[0].message
    assert findings[-1].message.startswith(f"objective: {count - shown:,} more unknown fields from here on")


def test_a_file_of_1_mib_and_1_byte_is_refused_unread(repo, valid_objective, located):
    raw = valid_objective.encode()
    raw += b"x" * (MAX_FILE_BYTES + 1 - len(raw))
    findings = timed_findings(repo, raw)
    assert located(findings) == [("file-too-large", FILE, 1, 1)]
    assert "1,048,577 bytes" in findings[0].message


def test_18000_key_results_are_an_error_so_the_site_never_builds_them(repo, valid_objective, located):
    many = "".join(f"- {{id: k{i}, title: t, owner: bob, start: 0, target: 1}}\n" for i in range(18_000))
    text = valid_objective.split("key_results:\n")[0] + "key_results:\n" + many + "---\n"
    assert len(text.encode()) < MAX_FILE_BYTES
    repo.objective(text=text)
    started = time.perf_counter()
    loaded = repo.load()
    assert time.perf_counter() - started < 8.0
    assert located(loaded.findings) == [("too-many-krs", FILE, 6, 1)]
    found = loaded.findings[0]
    assert found.severity == "error" and found.message.startswith("18,000 key results; more than 50 is refused")
    assert loaded.objectives == {}


def test_51_key_results_are_an_error_and_50_a_warning(repo, valid_objective):
    def severity(count: int) -> list:
        many = "".join(f"  - {{id: k{i}, title: t, owner: bob, start: 0, target: 1}}\n" for i in range(count - 2))
        repo.objective(text=valid_objective.replace("key_results:\n", "key_results:\n" + many, 1))
        return [(f.code, f.severity) for f in repo.findings()]

    assert severity(50) == [("too-many-krs", "warning")]
    assert severity(51) == [("too-many-krs", "error")]


# --- control characters ------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f"])
def test_a_c0_control_character_in_a_key_is_refused_where_it_is(char, repo, valid_objective, located):
    findings = timed_findings(repo, valid_objective.replace("owner: alice", f"ow{char}ner: alice", 1))
    assert located(findings) == [("front-matter", FILE, 3, 3)]
    assert f"#x{ord(char):04x}" in findings[0].message


# --- the repository's own schema ---------------------------------------------------------

def schema_with(repo, change) -> None:
    schema = json.loads((Path(__file__).resolve().parents[2] / "schema" / "objective.schema.json").read_text())
    change(schema)
    folder = repo.root / "schema"
    folder.mkdir(exist_ok=True)
    (folder / "objective.schema.json").write_text(json.dumps(schema), encoding="utf-8")


def check_exit(repo, capsys) -> tuple[int, str]:
    started = time.perf_counter()
    code = main(["check", "--root", str(repo.root)])
    assert time.perf_counter() - started < 5.0
    return code, capsys.readouterr().err


@pytest.mark.parametrize("ref", ["http://127.0.0.1:9/objective.json", "file:///etc/hostname",
                                 "https://okrs.example/elsewhere.json#/x"])
def test_a_schema_ref_outside_the_packaged_schemas_is_refused_unfetched(ref, repo, capsys):
    repo.objective()
    schema_with(repo, lambda s: s["properties"]["objective"].update({"$ref": ref}))
    code, err = check_exit(repo, capsys)
    assert code == 2
    assert err == (f"okrs: schema/objective.schema.json: $ref '{ref}' is not allowed: "
                   "only references inside the packaged schemas are (nothing is fetched)\n")


def test_a_schema_ref_that_points_at_nothing_is_a_clean_error(repo, capsys):
    repo.objective(text="---\nobjective: 1\n---\n")  # a failing document: jsonschema follows the refs
    schema_with(repo, lambda s: s["properties"]["objective"].update({"$ref": "people.schema.json#/$defs/nothing"}))
    code, err = check_exit(repo, capsys)
    assert (code, err.count("\n")) == (2, 1)
    assert "$ref 'people.schema.json#/$defs/nothing' points at nothing" in err


def test_a_schema_ref_to_the_packaged_people_schema_is_allowed(repo, capsys, valid_objective):
    repo.objective()
    schema_with(repo, lambda s: s["properties"]["owner"].update({"$ref": "people.schema.json#/$defs/person/properties/name"}))
    code, err = check_exit(repo, capsys)
    assert code == 0 and "okrs: " in err and "$ref" not in err


def test_a_backtracking_pattern_in_the_repository_schema_runs_in_linear_time(repo, capsys, valid_objective):
    # `^(a+)+$` takes Python's re exponential time on "aaa…ab" (a minute for 30 a's); the linear engine decides it
    repo.objective(text=valid_objective.replace("Make checkout boringly reliable", "a" * 30 + "b"))
    schema_with(repo, lambda s: s["properties"]["objective"].update({"pattern": "^(a+)+$"}))
    started = time.perf_counter()
    code = main(["check", "--root", str(repo.root), "--format", "json"])
    assert time.perf_counter() - started < 5.0
    found = json.loads(capsys.readouterr().out)
    assert code == 1 and [(f["code"], f["line"], f["column"]) for f in found] == [("schema", 2, 12)]


def test_a_lookaround_pattern_in_the_repository_schema_is_refused(repo, capsys):
    repo.objective()
    schema_with(repo, lambda s: s["properties"]["objective"].update({"pattern": "^(?=a)(a+)+$"}))
    code, err = check_exit(repo, capsys)
    assert code == 2 and err.startswith("okrs: schema/objective.schema.json: the pattern '^(?=a)(a+)+$' is not allowed")


def test_a_schema_that_is_not_json_is_a_clean_error(repo, capsys):
    repo.objective()
    (repo.root / "schema").mkdir()
    (repo.root / "schema" / "objective.schema.json").write_text("{nope", encoding="utf-8")
    code, err = check_exit(repo, capsys)
    assert (code, err.count("\n")) == (2, 1)
    assert err.startswith("okrs: schema/objective.schema.json: cannot read it as JSON")
