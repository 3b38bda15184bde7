"""Hostile but small inputs to the rules: long chains, many unknown names, look-alike
characters, ids that end in a newline, ids that collide with the site's own pages.

The time bounds are generous (the cases took 25-150 s when the checks were quadratic)
and count this process's CPU time, not the wall clock: they catch super-linear work
without being flaky on a busy machine (the runs below 2,000 files use no worker process).
"""

from __future__ import annotations

import time

import pytest

from generator.config import load_config
from generator.runtime.gc_pause import paused_gc
from generator.reading.loader import load_repository
from generator.model.core import parse_period
from generator.reading.across_files import ParentRef, cycles, parent_rules
from generator.reading.suggestions import Suggestions, look_alike_note

FILE = "okrs/2026-Q4/payments/checkout.md"
CHAIN = 2000


def objective_with(valid_objective: str, **fields: str) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return valid_objective.replace("period: 2026-Q4\n", "period: 2026-Q4\n" + extra)


def timed_findings(repo) -> tuple[float, list]:
    started = time.process_time()
    findings = load_repository(load_config(repo.root), with_model=False).findings
    return time.process_time() - started, findings


# --- super-linear checks -----------------------------------------------------------------

def refs(parent_of: dict[str, str | None]) -> list[ParentRef]:
    return [ParentRef(ident, f"okrs/{ident}.md", parent, 6, 9) for ident, parent in parent_of.items()]


def timed(rule, *args) -> tuple[float, list]:
    """The rule's time as the loader runs it: with the garbage collector paused (after a
    long test session, collections over its many objects would be what is measured)."""
    with paused_gc():
        started = time.process_time()
        findings = rule(*args)
        return time.process_time() - started, findings


def test_a_parent_chain_of_2000_objectives_is_checked_in_linear_time():
    chain = refs({f"c/o{i}": f"c/o{i + 1}" if i + 1 < CHAIN else None for i in range(CHAIN)})
    seconds, findings = timed(parent_rules, chain)
    assert findings == []
    assert seconds < 2, f"{seconds:.1f} s for a chain of {CHAIN} parents"


def test_a_loop_of_2000_objectives_is_found_in_linear_time_with_short_messages():
    seconds, findings = timed(parent_rules, refs({f"c/o{i}": f"c/o{(i + 1) % CHAIN}" for i in range(CHAIN)}))
    assert seconds < 2
    assert {f.code for f in findings} == {"parent-cycle"} and len(findings) == CHAIN
    assert all(len(f.message) < 300 for f in findings)  # not 2,000 ids in each of 2,000 messages
    assert "c/o0 -> c/o1 -> " in findings[0].message and "(1,991 more) -> c/o0" in findings[0].message


def test_2000_unknown_parents_take_linear_time():
    unknown = refs({f"2026-Q4/team-{i % 50}/objective-{i}": f"2026-Q4/team-{i % 50}/objectiv-{i}x"
                    for i in range(CHAIN)})
    seconds, findings = timed(parent_rules, unknown)
    assert [f.code for f in findings] == ["parent-unknown"] * CHAIN
    assert seconds < 5, f"{seconds:.1f} s for {CHAIN} unknown parents"
    assert "did you mean '2026-Q4/team-0/objective-0'?" in findings[0].message  # the first ones get one


def test_a_parent_chain_through_the_loader(repo, valid_objective):
    for index in range(3):
        parent = {"parent": f"c/o{index + 1}"} if index + 1 < 3 else {}
        repo.objective(f"c/o{index}.md", objective_with(valid_objective, **parent))
    assert repo.findings() == []


def test_a_team_chain_of_2000_teams_is_checked_in_linear_time(repo):
    teams = "".join(f"  t{i}: {{name: T{i}, parent: t{i + 1}}}\n" for i in range(CHAIN - 1))
    repo.write("people.yaml", "people:\n  alice: {name: Alice}\nteams:\n" + teams + f"  t{CHAIN - 1}: {{name: T}}\n",
               dedent=False)
    seconds, findings = timed_findings(repo)
    assert findings == []
    assert seconds < 5, f"{seconds:.1f} s for a chain of {CHAIN} teams"


def test_2000_unknown_parents_through_the_loader_take_linear_time(repo, valid_objective):
    for index in range(CHAIN):
        repo.objective(f"2026-Q4/payments/group-{index % 50}/objective-{index}.md",
                       objective_with(valid_objective, parent=f"2026-Q4/payments/group-{index % 50}/objectiv-{index}x"))
    seconds, findings = timed_findings(repo)
    assert [f.code for f in findings] == ["parent-unknown"] * CHAIN
    assert seconds < 5, f"{seconds:.1f} s for {CHAIN} unknown parents"
    assert sum("did you mean" in f.message for f in findings) >= 1  # the first ones still get one


def test_unknown_owners_against_a_large_registry_take_linear_time(repo, valid_objective):
    people = "".join(f"  person{i:05d}: {{name: P{i}}}\n" for i in range(20000))
    repo.write("people.yaml", "people:\n  alice: {name: A}\n  bob: {name: B}\n  carol: {name: C}\n" + people
               + "teams:\n  payments: {name: Payments}\n", dedent=False)
    for index in range(500):
        repo.objective(f"2026-Q4/o{index}.md", valid_objective.replace("owner: alice", f"owner: persn{index:05d}x"))
    seconds, findings = timed_findings(repo)
    assert [f.code for f in findings] == ["owner-unknown"] * 500
    assert seconds < 5, f"{seconds:.1f} s for 500 unknown owners against 20,000 people"


def test_suggestions_in_a_large_registry_still_find_a_typo_at_either_end():
    names = [f"person{i:05d}" for i in range(20000)] + ["alice", "zoe-martin"]
    suggest = Suggestions(names)
    assert suggest("alicx") == "; did you mean 'alice'?"
    assert suggest("xoe-martin") == "; did you mean 'zoe-martin'?"


def test_suggestions_are_bounded_per_kind_and_cached_per_name():
    suggest = Suggestions(["alice", "bob"], budget=2)
    assert suggest("alicx") == suggest("alicx") == "; did you mean 'alice'?"  # cached: one of the two
    assert suggest("bobb") == "; did you mean 'bob'?"
    assert suggest("alicz") == ""  # over the budget: no more comparisons


def test_cycles_of_a_long_chain_into_a_loop_keep_their_order():
    parent_of = {f"n{i}": f"n{i + 1}" for i in range(5000)} | {"n5000": "n4998"}
    assert list(cycles(parent_of)) == [("n4998", "n4998 -> n4999 -> n5000 -> n4998"),
                                       ("n4999", "n4999 -> n5000 -> n4998 -> n4999"),
                                       ("n5000", "n5000 -> n4998 -> n4999 -> n5000")]


# --- look-alike characters ---------------------------------------------------------------

def test_a_cyrillic_owner_names_the_character(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("owner: alice", "owner: \u0430lice"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("owner-unknown", FILE, 3, 8)
    assert found.message == ("owner '\u0430lice' is not a person in okrs/people.yaml: '\u0430lice' contains "
                             "U+0430 CYRILLIC SMALL LETTER A, which looks like 'a'; did you mean 'alice'? "
                             "(or add '\u0430lice' to okrs/people.yaml)")


def test_look_alike_note_names_fullwidth_and_invisible_characters_once_each():
    assert look_alike_note("\uff41lice") == ": '\uff41lice' contains U+FF41 FULLWIDTH LATIN SMALL LETTER A, which looks like 'a'"
    assert look_alike_note("alice\u200b") == ": 'alice\u200b' contains U+200B ZERO WIDTH SPACE"
    assert look_alike_note("\u0430\u0430\U000e0001") == (": '\u0430\u0430\U000e0001' contains "
                                                     "U+0430 CYRILLIC SMALL LETTER A, U+E0001 LANGUAGE TAG")
    assert look_alike_note("alice") == ""


def test_a_look_alike_team_is_named_too(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("team: payments", "team: p\u0430yments"))
    found = only([f for f in repo.findings() if f.code != "schema"])  # the schema refuses it too
    assert found.code == "team-unknown"
    assert "U+0430 CYRILLIC SMALL LETTER A, which looks like 'a'; did you mean 'payments'?" in found.message


# --- whole matches, ASCII digits -----------------------------------------------------------

@pytest.mark.parametrize("period", ["2026-Q4\\n", "\uff12\uff10\uff12\uff16-Q4", "\u0662\u0660\u0662\u0666", "2026-H2\\n"])
def test_look_alike_and_newline_periods_are_invalid(repo, valid_objective, period, only):
    repo.objective(text=valid_objective.replace("period: 2026-Q4", f'period: "{period}"'))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("period-invalid", FILE, 5, 9)


def test_parse_period_needs_the_whole_name_in_ascii_digits():
    assert parse_period("2026-Q4") is not None
    assert parse_period("2026-Q4\n") is None
    assert parse_period("\uff12\uff10\uff12\uff16-Q4") is None


def test_a_file_name_ending_in_a_newline_is_path_invalid(repo, valid_objective, only):
    repo.objective("2026-Q4/evil\n.md", valid_objective)
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("path-invalid", "okrs/2026-Q4/evil\n.md", 1, 1)


def test_a_key_result_id_ending_in_a_newline_fails_the_schema(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("id: latency", 'id: "latency\\n"'))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("schema", FILE, 7, 9)


def test_a_team_ending_in_a_newline_fails_the_schema(repo, valid_objective, located):
    repo.objective(text=valid_objective.replace("team: payments", 'team: "payments\\n"'))
    assert ("schema", FILE, 4, 7) in located(repo.findings())


def test_person_and_team_ids_ending_in_a_newline_fail_the_schema(repo, people_yaml, located):
    repo.write("people.yaml", people_yaml.replace("teams:\n", '  "alice\\n": {name: Alice again}\nteams:\n')
               + '  "ops\\n": {name: Ops}\n', dedent=False)
    found = [f for f in repo.findings() if f.path == "okrs/people.yaml"]
    assert [(f.code, f.line) for f in found] == [("schema", 6), ("schema", 10)]


# --- ids that collide with generated pages ------------------------------------------------

def test_a_person_or_team_called_index_is_reserved(repo, people_yaml, located):
    repo.write("people.yaml", people_yaml.replace("teams:\n", "  index: {name: Index}\nteams:\n")
               + "  index: {name: Index team}\n", dedent=False)
    findings = repo.findings()
    assert [(code, line, column) for code, path, line, column in located(findings)
            if code == "reserved-id"] == [("reserved-id", 6, 3), ("reserved-id", 10, 3)]
    message = next(f.message for f in findings if f.code == "reserved-id")
    assert message == ("'index' cannot be a person id: people/index is the site's list of all people; "
                       "choose another id")


def test_an_objective_at_okrs_index_md_is_reserved_for_the_objectives_index(repo, valid_objective):
    repo.objective("index.md", valid_objective)
    repo.objective("2026-Q4/index/index.md", valid_objective)  # objectives/2026-Q4/index/: fine
    found = [(f.path, f.line, f.code) for f in repo.findings() if f.code == "reserved-id"]
    assert found == [("okrs/index.md", 1, "reserved-id")]
    message = next(f.message for f in repo.findings() if f.code == "reserved-id")
    assert "objectives/, the site's list of all objectives" in message


def test_an_objective_and_a_folder_index_that_are_one_page_are_both_reported(repo, valid_objective, located):
    repo.objective("2026-Q4/payments/core.md", valid_objective)
    repo.objective("2026-Q4/payments/core/index.md", valid_objective)
    repo.objective("2026-Q4/payments/other/index.md", valid_objective)  # alone on its page: fine
    findings = repo.findings()
    assert located(findings) == [("duplicate-id", "okrs/2026-Q4/payments/core.md", 1, 1),
                                 ("duplicate-id", "okrs/2026-Q4/payments/core/index.md", 1, 1)]
    assert findings[0].message == ("okrs/2026-Q4/payments/core.md and okrs/2026-Q4/payments/core/index.md would both be the page "
                                   "objectives/2026-Q4/payments/core/ of the site; rename one of them "
                                   "(an index.md is its folder's page)")
    assert set(repo.load().objectives) == {"2026-Q4/payments/other/index"}


def test_a_person_or_team_called_by_a_number_is_a_page_of_their_paged_list(repo, people_yaml, located):
    repo.write("people.yaml", people_yaml.replace("teams:\n", '  "2": {name: Two}\nteams:\n')
               + '  "17": {name: Seventeen}\n', dedent=False)
    findings = repo.findings()
    assert [(code, line) for code, path, line, column in located(findings)
            if code == "reserved-id"] == [("reserved-id", 6), ("reserved-id", 10)]
    message = next(f.message for f in findings if f.code == "reserved-id")
    assert message == ("'2' cannot be a person id: people/2 is a page of the site's list of all people once it "
                       "has more than one; choose an id with a letter in it")


def test_an_objective_at_a_later_page_of_a_paged_list_is_reserved(repo, valid_objective):
    repo.objective("2.md", valid_objective)  # objectives/2/: page 2 of the objectives index
    repo.objective("2026-Q4/payments/core.md", valid_objective)
    repo.objective("2026-Q4/payments/core/aligned/3.md", valid_objective)  # page 3 of those aligned to core
    repo.objective("2026-Q4/payments/4.md", valid_objective)  # objectives/2026-Q4/payments/4/: no list's page
    repo.objective("2026-Q4/payments/other/aligned/5.md", valid_objective)  # no objective 'other': fine
    found = sorted((f.path, f.code) for f in repo.findings() if f.code == "reserved-id")
    assert found == [("okrs/2.md", "reserved-id"), ("okrs/2026-Q4/payments/core/aligned/3.md", "reserved-id")]
    messages = sorted(f.message for f in repo.findings() if f.code == "reserved-id")
    assert "which is a page of the objectives aligned to 2026-Q4/payments/core once that list" in messages[1]
    assert "which is a page of the site's list of all objectives once that list" in messages[0]
