"""Repository rules beyond the schema: one test per rule code, with exact locations."""

from __future__ import annotations

import pytest

from generator.reading.across_files import cycles
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
    repo.objective("2026-Q4/company/trust.md", valid_objective)
    repo.objective(text=with_parent("2026-Q4/company/trsut"))
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("parent-unknown", FILE, 6, 9)
    assert found.message == ("parent '2026-Q4/company/trsut' is not an objective id (a path under okrs/ "
                             "without .md); did you mean '2026-Q4/company/trust'?")


def test_parent_given_as_a_path_is_unknown(repo, valid_objective, located, with_parent):
    repo.objective("2026-Q4/company/trust.md", valid_objective)
    repo.objective(text=with_parent("okrs/2026-Q4/company/trust.md"))
    assert located(repo.findings()) == [("parent-unknown", FILE, 6, 9)]


def test_parent_known_is_fine(repo, valid_objective, with_parent):
    repo.objective("2026-Q4/company/trust.md", valid_objective)
    repo.objective(text=with_parent("2026-Q4/company/trust"))
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
    repo.objective(text=valid_objective.replace("period: 2026-Q4", f"period: {period}"))
    assert repo.findings() == []


def test_configured_period_is_accepted_and_named_in_the_message(repo, valid_objective, only):
    repo.mkdocs("""\
        plugins:
          - okrs:
              periods:
                FY27: {start: 2026-09-01, end: 2027-08-31}
        """)
    repo.objective(text=valid_objective.replace("period: 2026-Q4", "period: FY27"))
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
