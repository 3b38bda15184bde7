"""The history walk never crashes on what old commits hold: numbers no float can carry,
weights whose sum overflows, dates git accepts but Python cannot (or should not) use."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.model.core import KeyResult, Objective
from gitrepo import CHECKOUT, PEOPLE, GitRepo

from generator.cli.main import main
from generator.config import Config
from generator.history.values import Week
from generator.history.walk import read_history

PATH = "okrs/2026-Q4/payments/checkout.md"
ID = "2026-Q4/payments/checkout"
HUGE = "1" + "0" * 400  # YAML reads it as an int; no float holds it


def checkout(current: str, weight: str | None = None) -> str:
    text = CHECKOUT.replace("    unit: ms\n", f"    unit: ms\n    current: {current}\n")
    if weight is not None:
        text = text.replace("    unit: ms\n", f"    unit: ms\n    weight: {weight}\n")
        text = text.replace("    type: milestone\n", f"    type: milestone\n    weight: {weight}\n")
    return text


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    """W41 added; W42 a 400-digit current; W43 fixed; W44 two weights of 1e308; W45 fixed."""
    repo = GitRepo.create(tmp_path / "repo")
    shas = {}
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(PATH, checkout("700"))
    shas["add"] = repo.commit("Add", date="2026-10-05T09:00:00+00:00")
    repo.write(PATH, checkout(HUGE))
    shas["huge"] = repo.commit("A very big number", date="2026-10-13T09:00:00+00:00")
    repo.write(PATH, checkout("600"))
    shas["fix1"] = repo.commit("Fix the number", date="2026-10-20T09:00:00+00:00")
    repo.write(PATH, checkout("500", weight="1.0e+308"))
    shas["weights"] = repo.commit("Heavy weights", date="2026-10-27T09:00:00+00:00")
    repo.write(PATH, checkout("400"))
    shas["fix2"] = repo.commit("Plain weights", date="2026-11-03T09:00:00+00:00")
    return repo, shas


def test_a_number_no_float_holds_is_a_warning_and_the_previous_state_stands(hostile) -> None:
    repo, shas = hostile
    history = read_history(Config(root=repo.root))
    assert history.available
    [warning] = history.warnings_in_week("2026-W42")
    assert (warning.path, warning.line, warning.column, warning.code) == (PATH, 13, 14, "history-unparsable")
    assert shas["huge"][:12] in warning.message and "(401 characters)" in warning.message
    assert history.snapshot("2026-W42")[ID].key_results[0].current == 700
    assert history.snapshot("2026-W43")[ID].key_results[0].current == 600
    assert [p.value for p in history.series(ID, "latency")] == [700, 600, 400]  # weights of 1e308: refused too


def test_weights_no_check_accepts_today_are_a_warning_and_the_previous_state_stands(hostile) -> None:
    repo, shas = hostile
    history = read_history(Config(root=repo.root))
    [warning] = history.warnings_in_week("2026-W44")
    assert warning.code == "history-unparsable" and shas["weights"][:12] in warning.message
    assert history.snapshot("2026-W44")[ID] == history.snapshot("2026-W43")[ID]
    assert history.snapshot("2026-W45")[ID].progress == pytest.approx((450 / 550) / 2)


def test_weights_whose_sum_overflows_give_a_real_mean() -> None:
    # What an older version accepted may still be in a history or a cache: the model copes.
    latency = KeyResult("latency", "p99", "bob", start=850, target=300, current=500, weight=1e308)
    drill = KeyResult("drill", "Drill", "carol", type="milestone", done=False, weight=1e308)
    objective = Objective("x", "X", "alice", "payments", "2026-Q4", (latency, drill))
    # latency 850 -> 300, at 500: 350/550 done; the drill not done; equal weights
    assert objective.progress == pytest.approx((350 / 550) / 2)


def test_the_changelog_of_every_week_prints(hostile, capsys) -> None:
    repo, shas = hostile
    code = main(["changelog", "--root", str(repo.root), "--since", "2026-10-05", "--as-of", "2026-11-10",
                 "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert len(json.loads(captured.out)) == 5
    assert "warning[history-unparsable]" in captured.err and shas["huge"][:12] in captured.err


# -- commit dates ---------------------------------------------------------------------------


def dated(tmp_path: Path, odd: str) -> tuple[GitRepo, dict[str, str]]:
    """Check-ins in W41, W42, then one dated ``odd`` (a GIT_COMMITTER_DATE), then W43, W44."""
    repo = GitRepo.create(tmp_path / "repo")
    shas = {}
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(PATH, checkout("700"))
    shas["add"] = repo.commit("Add", date="2026-10-05T09:00:00+00:00")
    repo.write(PATH, checkout("650"))
    shas["w42"] = repo.commit("Check in", date="2026-10-13T09:00:00+00:00")
    repo.write(PATH, checkout("600"))
    shas["odd"] = repo.commit("Odd clock", date=odd)
    repo.write(PATH, checkout("550"))
    shas["w43"] = repo.commit("Check in", date="2026-10-20T09:00:00+00:00")
    repo.write(PATH, checkout("500"))
    shas["w44"] = repo.commit("Check in", date="2026-10-27T09:00:00+00:00")
    return repo, shas


@pytest.mark.parametrize("odd", [
    "@253402300800 +0000",  # 10000-01-01: git writes it, Python cannot read it
    "@253402300799 +0000",  # 9999-12-31 23:59:59: a week that would end in year 10000
    "@253402300799 -1200",
    "@4102444800 +0000",  # 2100-01-01
])
def test_a_commit_dated_far_ahead_is_clamped_and_moves_no_later_week(tmp_path: Path, odd: str) -> None:
    repo, shas = dated(tmp_path, odd)
    for timezone in ("UTC", "Europe/Berlin", "Pacific/Kiritimati"):
        history = read_history(Config(root=repo.root, timezone=timezone))
        assert history.available
        assert (history.first_week.id, history.last_week.id) == ("2026-W41", "2026-W44")
        [warning] = history.warnings
        assert warning.code == "history-date" and shas["odd"][:12] in warning.message
        assert "the date of the commit before it" in warning.message
        assert history.warnings_in_week("2026-W42") == [warning]  # counted with the commit before it
        values = [(p.date.isoformat(), p.value) for p in history.series(ID, "latency")]
        assert values[2:] == [("2026-10-13", 600), ("2026-10-20", 550), ("2026-10-27", 500)], timezone
        assert [c.date.date() for c in [history.last_checkin(ID, "latency")]] == [date(2026, 10, 27)]


def test_a_far_dated_commit_in_the_changelog_and_the_cache(tmp_path: Path, capsys) -> None:
    repo, shas = dated(tmp_path, "@253402300800 +0000")
    for _ in range(2):  # the second run reads the saved walk
        code = main(["changelog", "--root", str(repo.root), "--week", "2026-W42", "--as-of", "2026-11-10",
                     "--format", "json"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "warning[history-date]" in captured.err and shas["odd"][:12] in captured.err
        digest = json.loads(captured.out)
        assert digest["week"] == "2026-W42"


def test_a_first_commit_dated_ahead_counts_as_today(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path / "repo")
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(PATH, checkout("700"))
    sha = repo.commit("Add", date="@253402300800 +0000")
    history = read_history(Config(root=repo.root))
    [warning] = history.warnings
    assert warning.code == "history-date" and sha[:12] in warning.message and "today" in warning.message
    assert history.last_week == Week.of(date.today()) or history.last_week.start <= date.today()


# -- dates on the command line --------------------------------------------------------------


@pytest.fixture(scope="module")
def weeks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo.create(tmp_path_factory.mktemp("dates") / "repo")
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(PATH, checkout("700"))
    repo.commit("Add", date="2026-10-05T09:00:00+00:00")
    return repo.root


@pytest.mark.parametrize("argv", [
    ["build", "--as-of", "0001-01-01"], ["build", "--as-of", "9999-12-31"],
    ["changelog", "--as-of", "0001-01-01"], ["changelog", "--as-of", "9999-12-31"],
    ["changelog", "--since", "0001-01-01"], ["changelog", "--since", "9999-12-31"],
])
def test_a_date_out_of_range_is_a_usage_error(weeks_repo: Path, argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--root", str(weeks_repo)])
    assert exited.value.code == 2
    assert f"{argv[-1]!r} is out of range: use a date between 1970-01-01 and 9998-12-31" in capsys.readouterr().err


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1969-W52", "9999-W01"])
def test_a_week_out_of_range_is_a_usage_error(weeks_repo: Path, week: str, capsys) -> None:
    assert main(["changelog", "--root", str(weeks_repo), "--week", week]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("okrs: --week") and "out of range" in line


@pytest.mark.parametrize("argv", [
    ["--week", "1970-W01"], ["--week", "9998-W53"], ["--as-of", "9998-12-31"], ["--as-of", "1970-01-01"],
    ["--since", "1970-01-01", "--as-of", "1970-03-01"],
])
def test_the_extreme_dates_in_range_work(weeks_repo: Path, argv: list[str], capsys) -> None:
    assert main(["changelog", "--root", str(weeks_repo), "--format", "json", *argv]) == 0
    assert json.loads(capsys.readouterr().out)


def test_a_walk_whose_newest_commit_is_judged_against_today_is_not_saved(tmp_path: Path) -> None:
    from generator.runtime.cache import CACHE_DIR, Store

    repo, _ = dated(tmp_path, "@4102444800 +0000")  # 2100, followed by later commits: judged by them
    saved = repo.root / CACHE_DIR / "history.json"
    cached = read_history(Config(root=repo.root), cache=Store(repo.root))
    assert saved.exists()  # the clamp does not depend on today: a walk can go on from it
    assert cached.warnings == read_history(Config(root=repo.root)).warnings
    tail = GitRepo.create(tmp_path / "tail")
    tail.write("okrs/people.yaml", PEOPLE)
    tail.write(PATH, checkout("700"))
    tail.commit("Add", date="2026-10-05T09:00:00+00:00")
    tail.write(PATH, checkout("600"))
    tail.commit("Odd clock", date="@4102444800 +0000")  # the newest commit: only today can judge it
    history = read_history(Config(root=tail.root), cache=Store(tail.root))
    assert not (tail.root / CACHE_DIR / "history.json").exists()  # a walk in 2100 would not clamp it
    assert [w.code for w in history.warnings] == ["history-date"]
    assert str(history.last_week) == "2026-W41"
    repo2, _ = dated(tmp_path / "unrepresentable", "@253402300800 +0000")  # never representable: kept
    read_history(Config(root=repo2.root), cache=Store(repo2.root))
    assert (repo2.root / CACHE_DIR / "history.json").exists()
