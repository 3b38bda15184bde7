"""The history walk over a real git repository with backdated commits (see gitrepo.okr_history)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from gitrepo import CHECKOUT, PEOPLE, GitRepo, okr_history

from generator.history.changelog import digest_dict
from generator.config import Config
from generator.history.diff import Change, diff_objective, diff_states
from generator.history.queries import History
from generator.history.values import Week
from generator.history.walk import read_history

CHECKOUT_ID = "2026-Q4/payments/checkout-reliability"
UPTIME_ID = "2026-Q4/platform/uptime"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("history") / "repo"
    return root, okr_history(root)


@pytest.fixture(scope="module")
def history(made) -> History:
    return read_history(Config(root=made[0]))


@pytest.fixture(scope="module")
def berlin(made) -> History:
    return read_history(Config(root=made[0], timezone="Europe/Berlin"))


def commit(shas: dict[str, str], name: str, author: str, when: str, subject: str) -> dict:
    return {"sha": shas[name], "author": author, "date": when, "subject": subject}


def kinds(changes) -> list[tuple]:
    return [(c.objective, c.key_result, c.kind, c.field, c.before, c.after) for c in changes]


# -- weeks ------------------------------------------------------------------------------


def test_weeks_run_from_the_first_commit_to_the_last(history: History) -> None:
    assert history.available and history.reason is None
    assert [w.id for w in history.weeks] == [f"2026-W{n}" for n in range(41, 48)]
    assert history.commits == 12  # c1..c11 and the merge; the side branch is not walked
    assert (history.weeks[3].start, history.weeks[3].end) == (date(2026, 10, 26), date(2026, 11, 1))


def test_weeks_reach_the_as_of_date(made) -> None:
    history = read_history(Config(root=made[0]), as_of=date(2026, 12, 2))
    assert history.weeks[-1].id == "2026-W49"


def test_week_parses_and_refuses() -> None:
    assert Week.parse("2026-W01").start == date(2025, 12, 29)
    assert Week.of(date(2026, 11, 22)).id == "2026-W47"
    assert Week.parse("2026-W47").next.id == "2026-W48"
    for bad in ("2026-47", "2026-W54", "26-W01", "2026-W1"):
        with pytest.raises(ValueError, match="is not an ISO week"):
            Week.parse(bad)


# -- the exact JSON of chosen weeks -------------------------------------------------------


def test_week_with_rename_broken_commit_and_fix(history: History, made) -> None:
    shas = made[1]
    rename = commit(shas, "c4", "Alice Rossi", "2026-10-20T10:00:00+00:00", "Rename checkout objective")
    assert digest_dict(history.digest("2026-W43")) == {
        "week": "2026-W43", "start": "2026-10-19", "end": "2026-10-25",
        "changes": [
            {"objective": CHECKOUT_ID, "key_result": None, "kind": "moved", "field": "id",
             "before": "2026-Q4/payments/checkout", "after": CHECKOUT_ID,
             "progress_before": 0.14, "progress_after": 0.18, "owner": "alice", "commits": [rename]},
            {"objective": CHECKOUT_ID, "key_result": "latency", "kind": "progress", "field": "current",
             "before": 700, "after": 650, "progress_before": 0.27, "progress_after": 0.36, "owner": "bob",
             "commits": [rename]},
            {"objective": UPTIME_ID, "key_result": "availability", "kind": "progress", "field": "current",
             "before": 99.3, "after": 99.5, "progress_before": 0.33, "progress_after": 0.56, "owner": "dan",
             "commits": [commit(shas, "c6", "Dan Diaz", "2026-10-22T10:00:00+00:00", "Fix availability check-in")]},
        ],
        "stale": [
            {"objective": CHECKOUT_ID, "key_result": "drill", "owner": "carol", "last_checkin": None},
            {"objective": UPTIME_ID, "key_result": "incidents", "owner": "carol", "last_checkin": None},
        ],
    }


def test_week_with_handover_added_removed_eased_and_merge(history: History, made) -> None:
    shas = made[1]
    handover = commit(shas, "c7", "Carol Chen", "2026-10-26T09:00:00+00:00",
                      "Hand latency over to Dan; replace the drill")
    merge = commit(shas, "m1", "Alice Rossi", "2026-10-29T09:00:00+00:00", "Merge branch 'incidents'")
    assert digest_dict(history.digest("2026-W44")) == {
        "week": "2026-W44", "start": "2026-10-26", "end": "2026-11-01",
        "changes": [
            {"objective": CHECKOUT_ID, "key_result": "drill", "kind": "removed", "field": None,
             "before": "Multi-region failover drill passes", "after": None,
             "progress_before": 0.0, "progress_after": None, "owner": "carol", "commits": [handover]},
            {"objective": CHECKOUT_ID, "key_result": "error-rate", "kind": "added", "field": None,
             "before": None, "after": "Payment errors below 0.5%",
             "progress_before": None, "progress_after": 0.0, "owner": "bob", "commits": [handover]},
            {"objective": CHECKOUT_ID, "key_result": "latency", "kind": "owner", "field": "owner",
             "before": "bob", "after": "dan", "progress_before": 0.36, "progress_after": 0.4, "owner": "dan",
             "commits": [handover]},
            {"objective": CHECKOUT_ID, "key_result": "latency", "kind": "target", "field": "target",
             "before": 300, "after": 350, "progress_before": 0.36, "progress_after": 0.4, "owner": "dan",
             "direction": "eased",
             "commits": [commit(shas, "c8", "Alice Rossi", "2026-10-28T11:00:00+00:00", "Ease the latency target")]},
            {"objective": UPTIME_ID, "key_result": "incidents", "kind": "progress", "field": "current",
             "before": 10, "after": 6, "progress_before": 0.0, "progress_after": 0.5, "owner": "carol",
             "commits": [merge]},
            {"objective": UPTIME_ID, "key_result": "incidents", "kind": "note", "field": "note",
             "before": None, "after": "Fewer pages since the runbook",
             "progress_before": 0.0, "progress_after": 0.5, "owner": "carol", "commits": [merge]},
        ],
        "stale": [],
    }


def test_first_week_adds_every_objective(history: History) -> None:
    assert kinds(history.changes_in_week("2026-W41")) == [
        ("2026-Q4/payments/checkout", None, "added", None, None, "Make checkout boringly reliable"),
        (UPTIME_ID, None, "added", None, None, "Keep the platform up"),
    ]
    assert history.changes_in_week("2026-W40") == []  # before the history: nothing
    assert history.changes_in_week("2026-W50") == []  # after it: nothing either


def test_objective_title_and_status_changes(history: History) -> None:
    assert kinds(history.changes_in_week("2026-W46")) == [
        (UPTIME_ID, None, "title", "objective", "Keep the platform up", "Keep the platform boringly up"),
        (UPTIME_ID, "incidents", "note", "note", "Fewer pages since the runbook",
         "<script>alert(1)</script> & fewer pages"),
    ]
    assert kinds(history.changes_in_week("2026-W47")) == [
        (UPTIME_ID, None, "status", "status", "active", "dropped")]


# -- renames, broken files, merges, time zones ----------------------------------------------


def test_a_rename_keeps_the_history(history: History, made) -> None:
    shas = made[1]
    everything = [c for week in history.weeks for c in history.changes_in_week(week)]
    assert not [c for c in everything if c.kind in ("added", "removed") and c.key_result is None
                and c.week != "2026-W41"]
    assert [p.commit for p in history.series(CHECKOUT_ID, "latency")][0] == shas["c1"]
    log = [(c.week, c.kind, c.key_result) for c in history.objective_log(CHECKOUT_ID)]
    assert log[0] == ("2026-W41", "added", None)
    assert ("2026-W43", "moved", None) in log
    assert history.snapshot("2026-W42").keys() == {"2026-Q4/payments/checkout", UPTIME_ID}
    assert history.snapshot("2026-W43").keys() == {CHECKOUT_ID, UPTIME_ID}


def _every_change_between(history: History, week: Week) -> list[tuple]:
    """The changes between the snapshots around ``week``, found by comparing every
    objective there (by lineage: a renamed file is one objective, moved)."""
    before, after = history._state_at(week.previous), history._state_at(week)
    found = [c for lineage in set(before) | set(after) for c in diff_objective(before.get(lineage), after.get(lineage))]
    return kinds(sorted(found, key=Change.sort_key))


@pytest.mark.parametrize("zone", ["history", "berlin"])
def test_a_weeks_changes_are_those_between_its_snapshots(request, zone: str) -> None:
    history = request.getfixturevalue(zone)
    assert any(history.changes_in_week(week) for week in history.weeks)
    for week in history.weeks:
        assert kinds(history.changes_in_week(week)) == _every_change_between(history, week), week.id


def test_edits_undone_or_outside_the_values_in_the_same_week_change_nothing(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path / "repo")
    path, other = "okrs/2026-Q4/payments/checkout.md", "okrs/2026-Q4/payments/fraud.md"
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(path, CHECKOUT.replace("    unit: ms\n", "    unit: ms\n    current: 700\n"))
    repo.write(other, CHECKOUT.replace("Make checkout", "Stop fraud at checkout"))
    repo.commit("Add", date="2026-10-05T09:00:00Z")
    good = repo.read(path)
    repo.write(path, good.replace("current: 700", "current: 650"), dedent=False)
    repo.commit("Check in", date="2026-10-13T09:00:00Z")
    repo.write(path, good, dedent=False)
    repo.commit("Undo the check-in", date="2026-10-14T09:00:00Z")
    repo.write(other, repo.read(other) + "\nA new paragraph of the narrative.\n", dedent=False)
    repo.commit("Say why", date="2026-10-15T09:00:00Z")
    repo.write(path, good.replace("current: 700", "current: 600"), dedent=False)
    repo.commit("Check in again", date="2026-10-20T09:00:00Z")
    history = read_history(Config(root=repo.root))
    assert history.changes_in_week("2026-W42") == [] == _every_change_between(history, Week.parse("2026-W42"))
    assert kinds(history.changes_in_week("2026-W43")) == [
        ("2026-Q4/payments/checkout", "latency", "progress", "current", 700, 600)]
    for week in history.weeks:
        assert kinds(history.changes_in_week(week)) == _every_change_between(history, week), week.id


def test_a_broken_commit_is_skipped_with_a_warning(history: History, made) -> None:
    shas = made[1]
    [warning] = history.warnings
    assert (warning.path, warning.line, warning.column, warning.severity, warning.code) == (
        "okrs/2026-Q4/platform/uptime.md", 14, 9, "warning", "history-unparsable")
    assert f"at commit {shas['c5'][:12]} (2026-10-21, \"Check in availability\")" in warning.message
    assert "YAML syntax error" in warning.message and "keeps its previous valid state" in warning.message
    assert history.warnings_in_week("2026-W43") == [warning]
    assert history.warnings_in_week("2026-W42") == []
    assert shas["c5"] not in [p.commit for p in history.series(UPTIME_ID, "availability")]


def test_a_broken_file_over_a_week_end_keeps_its_previous_state(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path / "repo")
    path = "okrs/2026-Q4/payments/checkout.md"
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(path, CHECKOUT.replace("    unit: ms\n", "    unit: ms\n    current: 700\n"))
    repo.commit("Add", date="2026-10-05T09:00:00Z")
    good = repo.read(path)
    repo.write(path, good.replace("owner: alice\n", "owner: alice\nowner: bob\n"), dedent=False)
    broken = repo.commit("Duplicate key", date="2026-10-13T09:00:00Z")
    repo.write(path, good.replace("current: 700", "current: 600"), dedent=False)
    repo.commit("Fix", date="2026-10-20T09:00:00Z")
    history = read_history(Config(root=repo.root))
    assert history.changes_in_week("2026-W42") == []
    assert history.snapshot("2026-W42")["2026-Q4/payments/checkout"].key_results[0].current == 700
    assert kinds(history.changes_in_week("2026-W43")) == [
        ("2026-Q4/payments/checkout", "latency", "progress", "current", 700, 600)]
    [warning] = history.warnings
    assert warning.code == "history-unparsable" and broken[:12] in warning.message
    assert "appears twice" in warning.message


def test_a_file_that_never_parsed_is_added_when_fixed(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path / "repo")
    path = "okrs/2026-Q4/payments/checkout.md"
    repo.write(path, CHECKOUT.replace("owner: alice\n", ""))  # the schema refuses it: no owner
    repo.commit("Add without owner", date="2026-10-05T09:00:00Z")
    repo.write(path, CHECKOUT)
    repo.commit("Add the owner", date="2026-10-13T09:00:00Z")
    history = read_history(Config(root=repo.root))
    assert history.changes_in_week("2026-W41") == []
    assert [c.kind for c in history.changes_in_week("2026-W42")] == ["added"]
    assert "owner" in history.warnings[0].message


def test_a_merge_brings_its_changes_and_the_side_branch_is_not_walked(history: History, made) -> None:
    shas = made[1]
    walked = {c.sha for week in history.weeks for change in history.changes_in_week(week) for c in change.commits}
    walked |= {c.commits[0].sha for c in history.objective_log(UPTIME_ID)}
    assert shas["m1"] in walked
    assert shas["s1"] not in walked and shas["s2"] not in walked
    assert [p.commit for p in history.series(UPTIME_ID, "incidents")] == [shas["c1"], shas["m1"]]


def test_a_sunday_night_commit_in_utc_is_monday_in_berlin(history: History, berlin: History, made) -> None:
    late = made[1]["c9"]
    assert [c.commits[0].sha for c in history.changes_in_week("2026-W45")] == [late]
    assert berlin.changes_in_week("2026-W45") == []
    [change] = [c for c in berlin.changes_in_week("2026-W46") if c.key_result == "latency"]
    assert change.commits[0].sha == late
    assert change.commits[0].date.isoformat() == "2026-11-09T00:30:00+01:00"
    assert berlin.series(CHECKOUT_ID, "latency")[-1].date == date(2026, 11, 9)
    assert history.series(CHECKOUT_ID, "latency")[-1].date == date(2026, 11, 8)


# -- series, check-ins, staleness ------------------------------------------------------------


def test_series_points(history: History, made) -> None:
    shas = made[1]
    points = [(p.date.isoformat(), p.value, round(p.progress, 4), p.confidence, p.commit)
              for p in history.series(CHECKOUT_ID, "latency")]
    assert points == [
        ("2026-10-05", 850, 0.0, None, shas["c1"]),
        ("2026-10-14", 700, 0.2727, 0.6, shas["c2"]),
        ("2026-10-20", 650, 0.3636, 0.6, shas["c4"]),
        ("2026-10-28", 650, 0.4, 0.6, shas["c8"]),  # the eased target moved the progress
        ("2026-11-08", 600, 0.5, 0.6, shas["c9"]),
    ]
    assert history.series("2026-Q4/payments/checkout", "latency") == history.series(CHECKOUT_ID, "latency")
    assert history.series(CHECKOUT_ID, "nothing") == [] and history.series("nope", "latency") == []


def test_last_checkin(history: History, made) -> None:
    shas = made[1]
    assert history.last_checkin(CHECKOUT_ID, "latency").sha == shas["c9"]
    assert history.last_checkin(CHECKOUT_ID, "latency", as_of=date(2026, 11, 1)).sha == shas["c4"]
    assert history.last_checkin(CHECKOUT_ID, "error-rate") is None  # added without a value
    assert history.last_checkin(UPTIME_ID, "incidents").sha == shas["c10"]  # a note counts
    assert history.last_checkin(UPTIME_ID, "availability").sha == shas["c6"]


def stale_at(history: History, day: str, week: str) -> list[tuple]:
    found = history.stale(date.fromisoformat(day), history.snapshot(week), 2)
    return [(s.objective, s.key_result, s.owner, s.last_checkin and s.last_checkin.isoformat()) for s in found]


def test_stale_key_results_at_given_dates(history: History) -> None:
    assert stale_at(history, "2026-11-04", "2026-W45") == [(CHECKOUT_ID, "latency", "dan", "2026-10-20")]
    assert stale_at(history, "2026-11-12", "2026-W46") == [
        (CHECKOUT_ID, "error-rate", "bob", None),
        (UPTIME_ID, "availability", "dan", "2026-10-22"),
    ]
    # The uptime objective is dropped: its key results are no longer expected to move.
    assert stale_at(history, "2026-11-20", "2026-W47") == [(CHECKOUT_ID, "error-rate", "bob", None)]
    assert stale_at(history, "2027-01-10", "2026-W47") == []  # the period is over


def test_stale_uses_the_given_threshold(history: History) -> None:
    found = history.stale(date(2026, 11, 14), history.snapshot("2026-W46"), 3)
    assert [(s.key_result, s.last_checkin) for s in found] == [("availability", date(2026, 10, 22))]
    found = history.stale(date(2026, 11, 14), history.snapshot("2026-W46"), 1)
    assert [s.key_result for s in found] == ["error-rate", "availability"]


def test_objective_log(history: History, made) -> None:
    shas = made[1]
    log = [(c.week, c.kind, c.key_result, c.field, c.commits[0].sha) for c in history.objective_log(UPTIME_ID)]
    assert log == [
        ("2026-W41", "added", None, None, shas["c1"]),
        ("2026-W42", "progress", "availability", "current", shas["c3"]),
        ("2026-W42", "note", "availability", "note", shas["c3"]),
        ("2026-W43", "progress", "availability", "current", shas["c6"]),
        ("2026-W44", "progress", "incidents", "current", shas["m1"]),
        ("2026-W44", "note", "incidents", "note", shas["m1"]),
        ("2026-W46", "title", None, "objective", shas["c10"]),
        ("2026-W46", "note", "incidents", "note", shas["c10"]),
        ("2026-W47", "status", None, "status", shas["c11"]),
    ]
    assert history.objective_log("nope") == []


def test_biggest_movers(history: History) -> None:
    movers = history.biggest_movers("2026-W44")
    assert [(c.key_result, round(c.delta, 2)) for c in movers] == [("incidents", 0.5)]


def test_diff_of_two_revisions_by_id(history: History) -> None:
    changes = diff_states(history.snapshot("2026-W42"), history.snapshot("2026-W43"))
    assert [(c.objective, c.kind) for c in changes if c.key_result is None] == [
        ("2026-Q4/payments/checkout", "removed"), (CHECKOUT_ID, "added")]  # keyed by id, a rename is not followed


# -- where history is unavailable --------------------------------------------------------------


def test_no_git_repository(tmp_path: Path) -> None:
    (tmp_path / "okrs").mkdir()
    history = read_history(Config(root=tmp_path))
    assert not history.available
    assert history.reason.startswith("this folder is not a git repository")
    assert str(tmp_path) not in history.reason  # no build-machine path on a published site
    assert history.weeks == [] and history.changes_in_week("2026-W47") == []
    assert history.series("a", "b") == [] and history.last_checkin("a", "b") is None


def test_shallow_clone(made, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{made[0]}", str(clone)], check=True)
    history = read_history(Config(root=clone))
    assert not history.available
    assert history.reason == ("this is a shallow clone: history needs the full log; fetch it with "
                              "`git fetch --unshallow`, and in GitHub Actions use actions/checkout "
                              "with fetch-depth: 0")


def test_repository_without_commits(tmp_path: Path) -> None:
    GitRepo.create(tmp_path)
    history = read_history(Config(root=tmp_path))
    assert history.reason == "the git repository has no commits yet: history starts with the first commit"


def test_no_commit_touches_the_source_folder(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path)
    repo.write("README.md", "hello\n")
    repo.commit("Start", date="2026-10-05T09:00:00Z")
    history = read_history(Config(root=tmp_path))
    assert history.available and history.weeks == []


def test_the_site_may_live_in_a_folder_of_a_bigger_repository(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path / "mono")
    repo.write("okr-site/okrs/people.yaml", PEOPLE)
    repo.write("okr-site/okrs/README.md", "# not an objective\n")
    repo.write("okr-site/okrs/2026-Q4/payments/checkout.md", CHECKOUT)
    repo.write("elsewhere/okrs/2026-Q4/x.md", CHECKOUT)  # outside the source folder
    repo.commit("Add", date="2026-10-05T09:00:00Z")
    repo.remove("okr-site/okrs/2026-Q4/payments/checkout.md")
    repo.commit("Remove", date="2026-10-13T09:00:00Z")
    history = read_history(Config(root=tmp_path / "mono" / "okr-site"))
    assert kinds(history.changes_in_week("2026-W41")) == [
        ("2026-Q4/payments/checkout", None, "added", None, None, "Make checkout boringly reliable")]
    assert [c.kind for c in history.changes_in_week("2026-W42")] == ["removed"]
    assert history.objective_log("2026-Q4/payments/checkout")[0].objective == "2026-Q4/payments/checkout"
    assert history.snapshot("2026-W41")["2026-Q4/payments/checkout"].path == "okrs/2026-Q4/payments/checkout.md"


def test_git_not_installed(made) -> None:
    code = ("from pathlib import Path; from generator.config import Config; "
            "from generator.history.walk import read_history; "
            f"print(read_history(Config(root=Path({str(made[0])!r}))).reason)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "GIT_PYTHON_GIT_EXECUTABLE": "/nonexistent/git"})
    assert result.stdout == "git is not installed: history needs the git command; install git and build again\n"
