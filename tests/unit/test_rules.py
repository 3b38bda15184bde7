"""Repository rules beyond the schema: one test per rule code, with exact locations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.reading import schemas
from generator.reading.across_files import cycles
from generator.reading.frontmatter import parse_yaml
from generator.reading.loader import people_from_data
from generator.reading.people_rules import departures_as_text
from generator.reading.suggestions import did_you_mean

FILE = "okrs/2026-Q4/payments/checkout.md"


@pytest.fixture
def with_parent(valid_objective):
    """The valid objective, with a parent."""
    return lambda parent: valid_objective.replace("period: 2026-Q4\n", f"period: 2026-Q4\nparent: {parent}\n")


def test_valid_repository_has_no_findings(repo):
    repo.objective()
    assert repo.findings() == []


# --- owners, teams, contributors -----------------------------------------------------

def test_owner_unknown_on_a_key_result_says_did_you_mean(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("owner: bob", "owner: bobb"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("owner-unknown", FILE, 9, 12)
    assert found.message == ("key result 'latency': owner 'bobb' is not a person in okrs/people.yaml; "
                             "did you mean 'bob'? (or add 'bobb' to okrs/people.yaml)")


def test_owner_unknown_on_the_objective(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("owner: alice", "owner: alicia"))
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("owner-unknown", 3, 8)
    assert "did you mean 'alice'?" in found.message


def test_owner_unknown_without_a_close_name_has_no_suggestion(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("owner: bob", "owner: zoe"))
    found = only(repo.findings())
    assert found.code == "owner-unknown" and "did you mean" not in found.message


def test_team_as_key_result_owner_is_not_a_person(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("owner: bob", "owner: platform"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("owner-not-person", FILE, 9, 12)
    assert "'platform' is a team, not a person" in found.message
    assert "led by 'carol'" in found.message


def test_team_as_objective_owner_is_not_a_person(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("owner: alice", "owner: payments"))
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("owner-not-person", 3, 8)


def test_team_as_owner_is_accepted_when_ownership_is_individual_or_team(repo, valid_objective):
    repo.mkdocs("""\
        site_name: OKRs
        plugins:
          - okrs:
              ownership: individual-or-team
        """)
    repo.objective(text=valid_objective.replace("owner: alice", "owner: payments")
                   .replace("owner: bob", "owner: platform"))
    assert repo.findings() == []


def test_team_as_contributor_is_refused_under_either_policy(repo, valid_objective, only):
    repo.mkdocs("plugins:\n  - okrs: {ownership: individual-or-team}\n")
    repo.objective(text=valid_objective.replace("team: payments\n", "team: payments\ncontributors: [dan, platform]\n"))
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("contributor-unknown", 5, 21)
    assert "'platform' is a team, not a person" in found.message
    assert "ownership is individual" not in found.message  # that is not the reason here


def test_team_unknown(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("team: payments", "team: paymnets"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("team-unknown", FILE, 4, 7)
    assert found.message == "team 'paymnets' is not a team in okrs/people.yaml; did you mean 'payments'?"


def test_a_person_is_not_a_team(repo, valid_objective, located):
    repo.objective(text=valid_objective.replace("team: payments", "team: alice"))
    assert located(repo.findings()) == [("team-unknown", FILE, 4, 7)]


def test_contributor_unknown(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("team: payments\n", "team: payments\ncontributors:\n  - dan\n  - erin\n"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("contributor-unknown", FILE, 7, 5)
    assert found.message.startswith("contributor 'erin' is not a person in okrs/people.yaml")


# --- ids, parents ----------------------------------------------------------------------

def test_duplicate_key_result_id(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("id: drill", "id: latency"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("duplicate-id", FILE, 13, 9)
    assert "'latency' is used twice in this file (first on line 7)" in found.message


def test_person_and_team_with_the_same_id(repo, people_yaml, only):
    repo.write("people.yaml", people_yaml + "  dan: {name: Dan's team}\n")
    repo.objective()
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("duplicate-id", "okrs/people.yaml", 9, 3)
    assert found.message == "'dan' is both a person and a team; person and team ids must be distinct"


def test_parent_unknown(repo, valid_objective, only, with_parent):
    repo.objective("2026-Q4/payments/trust.md", valid_objective)
    repo.objective(text=with_parent("2026-Q4/payments/trsut"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("parent-unknown", FILE, 6, 9)
    assert found.message == ("parent '2026-Q4/payments/trsut' is not an objective id (a path under okrs/ "
                             "without .md); did you mean '2026-Q4/payments/trust'?")


def test_parent_given_as_a_path_is_unknown(repo, valid_objective, located, with_parent):
    repo.objective("2026-Q4/payments/trust.md", valid_objective)
    repo.objective(text=with_parent("okrs/2026-Q4/payments/trust.md"))
    assert located(repo.findings()) == [("parent-unknown", FILE, 6, 9)]


def test_parent_known_is_fine(repo, valid_objective, with_parent):
    repo.objective("2026-Q4/payments/trust.md", valid_objective)
    repo.objective(text=with_parent("2026-Q4/payments/trust"))
    assert repo.findings() == []


def test_parent_cycle_is_reported_on_every_member(repo, located, with_parent):
    repo.objective("q/a.md", with_parent("q/b"))
    repo.objective("q/b.md", with_parent("q/c"))
    repo.objective("q/c.md", with_parent("q/a"))
    repo.objective("q/d.md", with_parent("q/a"))  # leads into the loop, is not on it
    findings = repo.findings()
    assert located(findings) == [("parent-cycle", "okrs/q/a.md", 6, 9),
                                 ("parent-cycle", "okrs/q/b.md", 6, 9),
                                 ("parent-cycle", "okrs/q/c.md", 6, 9)]
    assert "parents form a loop: q/a -> q/b -> q/c -> q/a" in findings[0].message


def test_an_objective_that_is_its_own_parent(repo, only, with_parent):
    repo.objective("q/a.md", with_parent("q/a"))
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("parent-cycle", 6, 9)
    assert "q/a -> q/a" in found.message


def test_cycles_lists_members_only():
    assert list(cycles({"a": "b", "b": "a", "c": "a", "d": "e"})) == [("a", "a -> b -> a"), ("b", "b -> a -> b")]


# --- values ----------------------------------------------------------------------------

def test_target_equals_start(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("target: 300", "target: 850"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("target-equals-start", FILE, 11, 13)
    assert "target equals start (850)" in found.message


def test_target_equals_start_across_int_and_float(repo, valid_objective, located):
    repo.objective(text=valid_objective.replace("target: 300", "target: 850.0"))
    assert located(repo.findings()) == [("target-equals-start", FILE, 11, 13)]


@pytest.mark.parametrize("period", ["2026-Q5", "2026-Q0", "2026-H3", "26-Q1", "2026q4", "Q4-2026", "2026-02-30"])
def test_period_invalid(repo, period, valid_objective, only):
    repo.objective(text=valid_objective.replace("period: 2026-Q4", f"period: '{period}'"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("period-invalid", FILE, 5, 9)
    assert f"period '{period}' is not a period; use a quarter like 2026-Q4" in found.message


@pytest.mark.parametrize("period", ["2026-Q1", "2026-H2", "'2027'"])
def test_period_valid_forms(repo, period, valid_objective):
    repo.objective(f"{period.strip(chr(39))}/payments/checkout.md",
                   valid_objective.replace("period: 2026-Q4", f"period: {period}"))
    assert repo.findings() == []


def test_configured_period_is_accepted_and_named_in_the_message(repo, valid_objective, only):
    repo.mkdocs("""\
        plugins:
          - okrs:
              periods:
                FY27: {start: 2026-09-01, end: 2027-08-31}
        """)
    repo.objective("FY27/payments/checkout.md", valid_objective.replace("period: 2026-Q4", "period: FY27"))
    repo.objective("other.md", valid_objective.replace("period: 2026-Q4", "period: FY28"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("period-invalid", "okrs/other.md", 5, 9)
    assert found.message.endswith("or one of the configured periods: FY27")


def key_results(count: int) -> str:
    return "".join(f"  - id: k{i}\n    title: K{i}\n    owner: bob\n    type: milestone\n    done: false\n"
                   for i in range(count))


def test_too_many_key_results_is_a_warning_at_the_key(repo, valid_objective, only):
    repo.objective(text=valid_objective.split("key_results:")[0] + "key_results:\n" + key_results(6) + "---\n")
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column, found.severity) == (
        "too-many-krs", FILE, 6, 1, "warning")
    assert found.message.startswith("6 key results; more than 5")


def test_five_key_results_are_fine_and_the_limit_is_configurable(repo, valid_objective, located):
    repo.objective(text=valid_objective.split("key_results:")[0] + "key_results:\n" + key_results(5) + "---\n")
    assert repo.findings() == []
    repo.mkdocs("plugins:\n  - okrs: {max_key_results: 4}\n")
    assert located(repo.findings()) == [("too-many-krs", FILE, 6, 1)]


@pytest.mark.parametrize("relative, segment", [
    ("2026-Q4/payments/_draft.md", "_draft"),
    ("2026-Q4/pay ments/checkout.md", "pay ments"),
    ("2026-Q4/payments/check.out.md", "check.out"),
    ("2026-Q4/-x/checkout.md", "-x"),
])
def test_path_invalid(repo, relative, segment, valid_objective, only):
    repo.objective(relative, valid_objective)
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("path-invalid", f"okrs/{relative}", 1, 1)
    assert found.message.startswith(f"'{segment}' cannot be part of an objective id")


# --- people.yaml --------------------------------------------------------------------

def test_people_missing(repo, only):
    (repo.okrs / "people.yaml").unlink()
    repo.objective()
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("people-missing", "okrs/people.yaml", 1, 1)
    assert found.message.startswith("okrs/people.yaml is missing")


def test_people_cross_references(repo, located):
    repo.write("people.yaml", """\
        people:
          alice: {name: Alice}
          bob: {name: Bob}
        teams:
          a: {name: A, lead: alcie, members: [alice, zed], parent: b}
          b: {name: B, parent: a}
          c: {name: C, parent: nope}
        """)
    findings = repo.findings()
    assert located(findings) == [
        ("owner-unknown", "okrs/people.yaml", 5, 22),
        ("contributor-unknown", "okrs/people.yaml", 5, 46),
        ("parent-cycle", "okrs/people.yaml", 5, 60),
        ("parent-cycle", "okrs/people.yaml", 6, 24),
        ("team-unknown", "okrs/people.yaml", 7, 24),
    ]
    assert "did you mean 'alice'?" in findings[0].message


def test_rules_skip_values_of_the_wrong_type(repo, valid_objective):
    repo.objective(text=valid_objective.replace("team: payments", "team: [payments]")
                   .replace("owner: bob", "owner: {name: bob}"))
    assert {f.code for f in repo.findings()} == {"schema"}


def test_did_you_mean():
    assert did_you_mean("chiar", ["chiara", "bruno"]) == "; did you mean 'chiara'?"
    assert did_you_mean("xyz", ["chiara", "bruno"]) == ""


# --- files that say where they are: path-mismatch -------------------------------------------

def test_a_file_copied_into_another_periods_folder_is_a_path_mismatch(repo, valid_objective, only):
    # copied from 2026-Q4 into next quarter's folder, still saying period: 2026-Q4
    repo.objective("2027-Q1/payments/checkout.md", valid_objective)
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == (
        "path-mismatch", "okrs/2027-Q1/payments/checkout.md", 5, 9)
    assert found.message == ("period '2026-Q4' does not match the folder okrs/2027-Q1/ the file is in; "
                             "move the file to okrs/2026-Q4/payments/ or set period: 2027-Q1")


def test_a_team_that_differs_from_its_folder_is_a_path_mismatch(repo, valid_objective, only):
    repo.objective("2026-Q4/platform/checkout.md", valid_objective)
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("path-mismatch", 4, 7)
    assert found.message == ("team 'payments' does not match the folder okrs/2026-Q4/platform/ the file is in; "
                             "move the file to okrs/2026-Q4/payments/ or set team: platform")


def test_sub_folders_below_the_team_are_kept_in_the_fix(repo, valid_objective, only):
    repo.objective("2026-Q3/payments/launch/checkout.md", valid_objective)
    found = only(repo.findings())
    assert found.message.endswith("move the file to okrs/2026-Q4/payments/launch/ or set period: 2026-Q3")


def test_a_layout_without_period_folders_is_not_checked(repo, valid_objective):
    repo.objective("drafts/platform/checkout.md", valid_objective)
    assert repo.findings() == []


def test_a_typo_in_the_team_is_team_unknown_only(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("team: payments", "team: paymnets"))
    assert only(repo.findings()).code == "team-unknown"


def test_a_file_right_under_its_period_folder_has_no_team_folder_to_disagree_with(repo, valid_objective):
    repo.objective("2026-Q4/checkout.md", valid_objective)
    assert repo.findings() == []


def test_a_bare_year_period_matches_its_folder(repo, valid_objective):
    repo.objective("2026/payments/checkout.md", valid_objective.replace("period: 2026-Q4", "period: 2026"))
    assert repo.findings() == []


def test_an_invalid_period_is_period_invalid_only(repo, valid_objective, only):
    repo.objective(text=valid_objective.replace("period: 2026-Q4", "period: 2026-Q5"))
    assert only(repo.findings()).code == "period-invalid"


# --- people who left: owner-left -------------------------------------------------------------

def left(people_yaml: str, who: str, day: str) -> str:
    return people_yaml.replace(f"  {who}: {{name: ", f"  {who}: {{left: {day}, name: ")


def test_an_active_key_result_owned_by_someone_who_left_is_owner_left(repo, people_yaml, valid_objective, only):
    repo.write("people.yaml", left(people_yaml, "bob", "2026-11-15"))
    repo.mkdocs("plugins:\n  - okrs: {as_of: 2026-11-20}\n")
    repo.objective()
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("owner-left", FILE, 9, 12)
    assert found.message == ("key result 'latency': owner 'bob' left on 2026-11-15 (in okrs/people.yaml), "
                             "but 2026-Q4 runs until 2026-12-31; hand it over: did you mean their team lead 'alice'?")


def test_leaving_later_than_the_check_day_is_not_yet_owner_left(repo, people_yaml, valid_objective):
    repo.write("people.yaml", left(people_yaml, "bob", "2026-11-21"))
    repo.mkdocs("plugins:\n  - okrs: {as_of: 2026-11-20}\n")
    repo.objective()
    assert repo.findings() == []


def test_a_closed_period_keeps_the_owner_who_left(repo, people_yaml, valid_objective):
    repo.write("people.yaml", left(people_yaml, "bob", "2026-10-01"))
    repo.mkdocs("plugins:\n  - okrs: {as_of: 2026-11-20}\n")
    repo.objective("2026-Q3/payments/checkout.md", valid_objective.replace("period: 2026-Q4", "period: 2026-Q3"))
    assert repo.findings() == []


def test_when_the_lead_left_too_no_lead_is_suggested(repo, people_yaml, valid_objective):
    registry = left(left(people_yaml, "bob", "2026-11-01"), "alice", "2026-11-02")
    repo.write("people.yaml", registry)
    repo.mkdocs("plugins:\n  - okrs: {as_of: 2026-11-20}\n")
    repo.objective(text=valid_objective.replace("owner: alice", "owner: carol"))
    found = [f for f in repo.findings() if f.code == "owner-left"]
    assert [(f.line, f.column) for f in found] == [(9, 12)]
    assert found[0].message.endswith("hand it over: name a person of the team in okrs/people.yaml")


def test_left_must_be_a_day(repo, people_yaml, only):
    repo.write("people.yaml", left(people_yaml, "bob", "soon"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("schema", "okrs/people.yaml", 3, 15)
    assert found.message == "person 'bob': left must be the day they left, like 2026-10-31, not 'soon'"


def test_a_registry_with_left_dates_keeps_the_quick_schema_check(people_yaml):
    document = parse_yaml(left(people_yaml, "bob", "2026-11-15"))
    quick = schemas.quick_validator(Path(__file__).resolve().parents[2], schemas.PEOPLE)
    assert not quick.quick(document.data)  # a YAML date is no JSON value: jsonschema-rs cannot say yes
    departures_as_text(document.data)
    assert quick.quick(document.data)
    assert people_from_data(document.data).persons["bob"].left == date(2026, 11, 15)
