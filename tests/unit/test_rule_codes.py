"""Every rule code is documented: in the table the "How to edit OKRs" page shows, and in the README.

The codes reported are taken from what the check really reports on the data cases and on
the slips of this suite, not from the table itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.reading.rule_codes import RULES

PROJECT = Path(__file__).resolve().parents[2]
CASES = PROJECT / "tests" / "data" / "invalid"
EXPECT = re.compile(r"expect: ([a-z-]+) \d+:\d+")


def test_every_code_the_data_cases_expect_is_in_the_rules_table():
    expected = {m[1] for case in CASES.glob("*.md") for m in EXPECT.finditer(case.read_bytes().decode("latin-1"))}
    assert expected and expected <= set(RULES), expected - set(RULES)


def test_the_new_rule_codes_are_reported_and_documented(repo, valid_objective, people_yaml):
    repo.write("people.yaml", people_yaml.replace("  bob: {name: ", "  bob: {left: 2026-11-01, name: "))
    repo.mkdocs("plugins:\n  - okrs: {as_of: 2026-11-20}\n")
    repo.objective("2026-Q3/payments/checkout.md", valid_objective)  # period: 2026-Q4 in the 2026-Q3 folder
    repo.objective("2026-Q4/payments/other.md", valid_objective)  # bob owns a key result of 2026-Q4
    codes = {f.code for f in repo.findings()}
    assert {"path-mismatch", "owner-left"} <= codes
    assert codes <= set(RULES)


def test_the_rule_codes_of_the_check_have_a_row_in_the_readme():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z-]+)`", readme, flags=re.MULTILINE))
    checked = {"front-matter", "encoding", "duplicate-key", "schema", "owner-missing", "owner-unknown", "owner-left",
               "owner-not-person", "team-unknown", "contributor-unknown", "duplicate-id", "parent-unknown",
               "parent-cycle", "target-equals-start", "period-invalid", "path-invalid", "path-mismatch"}
    assert checked <= set(RULES) and checked <= rows, sorted(checked - rows)
