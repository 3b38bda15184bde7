from __future__ import annotations

from generator.lifecycle.codeowners import HEADER, codeowners_text, difference_summary
from generator.model.core import People, Person, Team


def _people() -> People:
    persons = {"ann": Person("ann", "Ann", github="ann-gh"), "bo": Person("bo", "Bo", github="@bo"),
               "cy": Person("cy", "Cy")}
    teams = {"web": Team("web", "Web", lead="bo", members=("cy", "bo"), parent="org"),
             "org": Team("org", "Org", lead="ann", members=("ann",))}
    return People(persons=persons, teams=teams)


def test_exact_file() -> None:
    expected = HEADER + (
        "\n# What the check trusts: the workflows, the tool, its rules and the site config.\n"
        "/.github/ @ann-gh\n/generator/ @ann-gh\n/mkdocs.yml @ann-gh\n/schema/ @ann-gh\n"
        "\n# Each team owns its OKRs, in every period.\n"
        "/okrs/*/org/ @ann-gh\n"
        "# without a github handle in people.yaml: cy\n"
        "/okrs/*/web/ @bo\n")
    assert codeowners_text(_people()) == expected


def test_configured_trusted_owners_and_deterministic() -> None:
    text = codeowners_text(_people(), trusted_owners=["bo", "ann"])
    assert "/schema/ @ann-gh @bo\n" in text
    assert text == codeowners_text(_people(), trusted_owners=["ann", "bo"])


def test_difference_summary() -> None:
    assert difference_summary("a\nb\n", "a\nc\nd\n") == "2 line(s) to add, 1 to remove"
