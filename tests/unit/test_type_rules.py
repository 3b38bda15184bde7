"""The rules of key-result types (reading/type_rules.py) and the schema's branches for
them, with exact locations: baseline-missing as of a given day, due-invalid,
stretch-invalid, and maintain's bounds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from generator.config import load_config
from generator.reading.loader import load_repository

OBJECTIVE = """\
---
objective: Know our numbers
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: deflection
    title: Self-service deflects 30% of tickets
    owner: bob
    target: 30
    unit: "%"
{extra}---
"""


def findings(repo, extra: str = "", *, as_of: date | None = date(2026, 11, 1), baseline_weeks: int | None = None):
    repo.objective("2026-Q4/payments/numbers.md", OBJECTIVE.format(extra=extra))
    config = replace(load_config(repo.root), as_of=as_of)
    if baseline_weeks is not None:
        config = replace(config, baseline_weeks=baseline_weeks)
    return load_repository(config).findings


def test_baseline_missing_starts_the_day_after_baseline_weeks_of_the_period(repo):
    deadline = date(2026, 10, 1) + timedelta(weeks=3)  # the default baseline_weeks
    assert findings(repo, as_of=deadline) == []
    (found,) = findings(repo, as_of=deadline + timedelta(days=1))
    weeks = ((deadline + timedelta(days=1)) - date(2026, 10, 1)).days // 7
    assert (found.severity, found.code, found.line, found.column) == ("warning", "baseline-missing", 7, 9)
    assert found.message == (f"key result 'deflection' has no start yet (baseline pending), and {weeks} weeks of "
                             "2026-Q4 have passed (baseline_weeks: 3); measure the baseline and add `start:` so "
                             "that progress can be told")


def test_baseline_weeks_is_an_option_and_a_start_silences_the_warning(repo):
    assert [f.code for f in findings(repo, as_of=date(2026, 10, 20), baseline_weeks=1)] == ["baseline-missing"]
    assert findings(repo, "    start: 12\n", as_of=date(2026, 12, 20)) == []


def test_a_due_that_is_no_date_is_an_error_at_its_value(repo, only):
    text = OBJECTIVE.format(extra="").replace("    target: 30\n    unit: \"%\"\n",
                                              "    type: milestone\n    done: false\n    due: 2026-13-01\n")
    repo.objective("2026-Q4/payments/numbers.md", text)
    found = only(load_repository(replace(load_config(repo.root), as_of=date(2026, 11, 1))).findings)
    assert (found.code, found.line, found.column) == ("due-invalid", 12, 10)
    assert found.message == "key result 'deflection': due must be a date like 2026-12-15, not '2026-13-01'"


def test_a_due_date_reaches_the_model(repo):
    text = OBJECTIVE.format(extra="").replace("    target: 30\n    unit: \"%\"\n",
                                              "    type: milestone\n    done: false\n    due: 2026-12-15\n")
    repo.objective("2026-Q4/payments/numbers.md", text)
    repository = load_repository(replace(load_config(repo.root), as_of=date(2026, 11, 1)))
    assert repository.findings == []
    (kr,) = repository.objectives["2026-Q4/payments/numbers"].key_results
    assert kr.due == date(2026, 12, 15)


@pytest.mark.parametrize("start, stretch, ok", [(12, 40, True), (12, 25, False), (50, 20, True), (50, 35, False)])
def test_a_stretch_goal_must_lie_beyond_the_target(repo, start, stretch, ok):
    found = findings(repo, f"    start: {start}\n    stretch: {stretch}\n")
    if ok:
        assert found == []
    else:
        (finding,) = found
        assert (finding.code, finding.line, finding.column) == ("stretch-invalid", 13, 14)
        assert finding.message.startswith(f"key result 'deflection': stretch {stretch} is not beyond the target 30")


MAINTAIN = """\
---
objective: Keep email healthy
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: unsubscribe
    title: Unsubscribe rate at most 1%
    owner: bob
    type: maintain
{fields}---
"""


def test_maintain_needs_a_bound_said_once(repo, only):
    repo.objective("2026-Q4/payments/email.md", MAINTAIN.format(fields="    current: 0.7\n"))
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("schema", 7, 5)
    assert found.message == "key result 'unsubscribe': give 'at_least' or 'at_most' (or both)"


def test_maintain_refuses_a_metrics_start(repo, only):
    repo.objective("2026-Q4/payments/email.md", MAINTAIN.format(fields="    at_most: 1\n    current: 0.7\n"
                                                                    "    start: 2\n"))
    found = only(repo.findings())
    assert (found.code, found.line, found.column) == ("schema", 13, 5)
    assert found.message == ("key result 'unsubscribe': 'start' is not used by maintain key results; "
                             "remove 'start' or change 'type'")


def test_a_maintain_key_result_reaches_the_model(repo):
    repo.objective("2026-Q4/payments/email.md", MAINTAIN.format(fields="    at_most: 1\n    current: 0.7\n"
                                                                    "    unit: \"%\"\n"))
    repository = repo.load()
    assert repository.findings == []
    (kr,) = repository.objectives["2026-Q4/payments/email"].key_results
    assert (kr.type, kr.at_least, kr.at_most, kr.current, kr.progress) == ("maintain", None, 1, 0.7, 1.0)


def test_a_milestone_refuses_a_stretch(repo, only):
    text = OBJECTIVE.format(extra="").replace("    target: 30\n    unit: \"%\"\n",
                                              "    type: milestone\n    done: false\n    stretch: 3\n")
    repo.objective("2026-Q4/payments/numbers.md", text)
    found = only(repo.findings())
    assert found.message.startswith("key result 'deflection': 'stretch' is not used by milestone key results")


def test_the_file_cache_never_serves_yesterdays_baseline_finding(repo):
    from generator.runtime.cache import Store

    repo.objective("2026-Q4/payments/numbers.md", OBJECTIVE.format(extra=""))
    store = Store.for_repository(repo.root)
    config = load_config(repo.root)
    early = load_repository(replace(config, as_of=date(2026, 10, 10)), cache=store)
    late = load_repository(replace(config, as_of=date(2026, 11, 10)), cache=store)
    assert [f.code for f in early.findings] == [] and [f.code for f in late.findings] == ["baseline-missing"]
