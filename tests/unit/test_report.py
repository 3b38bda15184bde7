"""Findings rendered as text, GitHub workflow commands and JSON."""

from __future__ import annotations

import json

from generator.reading.findings import ERROR, WARNING, Finding, has_errors
from generator.reading.report import github_command, render_findings, summary_line

OWNERLESS = Finding("okrs/2026-Q4/payments/checkout.md", 19, 5, ERROR, "owner-missing",
                    "key result 'failover-drill' has no owner")
TOO_MANY = Finding("okrs/2026-Q4/a.md", 6, 1, WARNING, "too-many-krs", "6 key results; more than 5")
EARLY = Finding("okrs/2026-Q4/a.md", 2, 9, ERROR, "period-invalid", "period '2026-Q5' is not a period")


def test_text_line_format():
    assert render_findings([OWNERLESS], "text") == (
        "okrs/2026-Q4/payments/checkout.md:19:5: error[owner-missing]: key result 'failover-drill' has no owner\n")


def test_every_format_sorts_by_file_then_line():
    text = render_findings([OWNERLESS, TOO_MANY, EARLY], "text").splitlines()
    assert [line.split(": ")[0] for line in text] == [
        "okrs/2026-Q4/a.md:2:9", "okrs/2026-Q4/a.md:6:1", "okrs/2026-Q4/payments/checkout.md:19:5"]
    assert text[1] == "okrs/2026-Q4/a.md:6:1: warning[too-many-krs]: 6 key results; more than 5"
    assert [d["line"] for d in json.loads(render_findings([OWNERLESS, TOO_MANY, EARLY], "json"))] == [2, 6, 19]
    assert [c.split(",")[1] for c in render_findings([OWNERLESS, TOO_MANY, EARLY], "github").splitlines()] == [
        "line=2", "line=6", "line=19"]


def test_no_findings_render_as_nothing_or_an_empty_list():
    assert render_findings([], "text") == ""
    assert render_findings([], "github") == ""
    assert json.loads(render_findings([], "json")) == []


def test_github_workflow_command():
    assert render_findings([OWNERLESS, TOO_MANY], "github") == (
        "::warning file=okrs/2026-Q4/a.md,line=6,col=1,title=okrs too-many-krs::6 key results; more than 5\n"
        "::error file=okrs/2026-Q4/payments/checkout.md,line=19,col=5,title=okrs owner-missing::"
        "key result 'failover-drill' has no owner\n")


def test_github_escapes_data_and_properties():
    odd = Finding("okrs/a,b:c%.md", 1, 2, ERROR, "schema", "50% done\r\nnext line: a, b")
    assert github_command(odd) == (
        "::error file=okrs/a%2Cb%3Ac%25.md,line=1,col=2,title=okrs schema::50%25 done%0D%0Anext line: a, b")


def test_json_is_a_list_of_plain_objects():
    data = json.loads(render_findings([OWNERLESS], "json"))
    assert data == [{"path": "okrs/2026-Q4/payments/checkout.md", "line": 19, "column": 5,
                     "severity": "error", "code": "owner-missing",
                     "message": "key result 'failover-drill' has no owner"}]


def test_json_keeps_non_ascii_readable():
    finding = Finding("okrs/a.md", 1, 1, ERROR, "owner-unknown", "owner 'zoë' is not a person")
    assert "'zoë'" in render_findings([finding], "json")


def test_summary_line():
    assert summary_line([], 1) == "1 file checked: 0 errors, 0 warnings"
    assert summary_line([OWNERLESS, EARLY, TOO_MANY], 12) == "12 files checked: 2 errors, 1 warning"
    assert summary_line([OWNERLESS], 2) == "2 files checked: 1 error, 0 warnings"


def test_has_errors_counts_warnings_only_when_strict():
    assert not has_errors([])
    assert not has_errors([TOO_MANY])
    assert has_errors([TOO_MANY], strict=True)
    assert has_errors([OWNERLESS])


def test_findings_order_by_path_line_column():
    first = Finding("okrs/a.md", 3, 1, ERROR, "z", "z")
    second = Finding("okrs/a.md", 3, 7, ERROR, "a", "a")
    third = Finding("okrs/a.md", 10, 1, ERROR, "a", "a")
    fourth = Finding("okrs/b.md", 1, 1, ERROR, "a", "a")
    assert sorted([fourth, third, second, first]) == [first, second, third, fourth]
    assert first.as_dict()["column"] == 1
