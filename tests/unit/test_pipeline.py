"""One check pipeline: `okrs check`, the history, `okrs diff` and `okrs new` refuse a file
for the same reasons, at the same place, in the same words. Each test makes the real
repository (git included), asks `okrs check` (the loader) what it says about a file, and
compares what the other reader says about the very same bytes."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from gitrepo import CHECKOUT, CHECKOUT_PATH, PEOPLE, GitRepo

from generator.cli.main import main
from generator.config import Config, config_from_options, load_config
from generator.history.queries import History
from generator.history.state import HistoryState
from generator.history.walk import read_history
from generator.lifecycle.scaffold import objective_text
from generator.reading.findings import ERROR, Finding
from generator.reading.loader import load_repository
from generator.reading.report import finding_text
from generator.runtime.cache import Store

PROJECT_SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "objective.schema.json"


def many_key_results(count: int) -> str:
    """CHECKOUT with ``count`` metric key results."""
    head, _ = CHECKOUT.split("key_results:\n", 1)
    krs = "".join(f"  - id: kr{i}\n    title: Result {i}\n    owner: bob\n    start: 0\n    target: 10\n"
                  for i in range(count))
    return f"{head}key_results:\n{krs}---\nWhy it matters.\n"


# Each: a way to break a file that only a rule of one file (not the schema) refuses.
BREAKS = {
    "period-invalid": CHECKOUT.replace("period: 2026-Q4", "period: 2026-Q5"),
    "too-many-krs": many_key_results(51),
}


def check_errors(root: Path, path: str, **options) -> list[Finding]:
    """What `okrs check` reports as errors at ``path``, for the files as they are now."""
    config = config_from_options(root, options) if options else load_config(root)
    return [f for f in load_repository(config).findings if f.path == path and f.severity == ERROR]


def history_repo(root: Path, broken: str) -> GitRepo:
    """A valid objective in week 41, broken in week 42 (the working tree holds the broken one)."""
    repo = GitRepo.create(root)
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(CHECKOUT_PATH, CHECKOUT)
    repo.commit("Add checkout", date="2026-10-05T09:00:00+00:00")
    repo.write(CHECKOUT_PATH, broken, dedent=False)
    repo.commit("Break checkout", date="2026-10-14T09:00:00+00:00", author="Bob Brown")
    return repo


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_a_historic_file_breaking_a_rule_of_one_file_is_the_finding_okrs_check_gives(tmp_path: Path, code: str):
    repo = history_repo(tmp_path / "repo", BREAKS[code])
    [expected] = check_errors(repo.root, CHECKOUT_PATH)
    assert expected.code == code
    history = read_history(Config(root=repo.root))
    [warning] = history.warnings
    assert (warning.path, warning.line, warning.column, warning.code) == \
        (CHECKOUT_PATH, expected.line, expected.column, "history-unparsable")
    assert f"the file does not parse: {expected.message};" in warning.message
    # the history keeps the last valid state: the week 41 version
    assert history.snapshot("2026-W42")["2026-Q4/payments/checkout"].period == "2026-Q4"


def test_okrs_diff_leaves_out_a_file_breaking_a_rule_of_one_file_with_the_finding_of_okrs_check(
        tmp_path: Path, capsys):
    repo = history_repo(tmp_path / "repo", BREAKS["period-invalid"])
    [expected] = check_errors(repo.root, CHECKOUT_PATH)
    capsys.readouterr()
    assert main(["diff", "--root", str(repo.root), "HEAD~1", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"okrs: {CHECKOUT_PATH}:{expected.line}:{expected.column}: warning[revision-unparsable]: "
        f"at HEAD the file does not parse ({expected.message}); left out of the diff"]
    assert [c["kind"] for c in json.loads(out)["changes"]] == ["removed"]


def test_okrs_diff_over_a_file_the_model_cannot_be_made_of_is_a_finding_not_a_traceback(tmp_path: Path, capsys):
    """A looser schema of the repository's own (key results without a title): the file
    passes the schema, but no objective can be made of it."""
    repo = GitRepo.create(tmp_path / "repo")
    schema = json.loads(PROJECT_SCHEMA.read_text())
    assert schema["$defs"]["key_result"]["required"] == ["id", "title", "owner"]
    schema["$defs"]["key_result"]["required"] = ["id", "owner"]
    repo.write("schema/objective.schema.json", json.dumps(schema))
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(CHECKOUT_PATH, CHECKOUT)
    repo.commit("Add checkout", date="2026-10-05T09:00:00+00:00")
    repo.write(CHECKOUT_PATH, CHECKOUT.replace("    title: p99 checkout latency under 300 ms\n", ""), dedent=False)
    repo.commit("Drop a title", date="2026-10-14T09:00:00+00:00")
    [expected] = check_errors(repo.root, CHECKOUT_PATH)
    assert (expected.code, expected.message) == ("schema", "cannot be read as an objective: KeyError('title')")
    capsys.readouterr()
    assert main(["diff", "--root", str(repo.root), "HEAD~1"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"okrs: {CHECKOUT_PATH}:1:1: warning[revision-unparsable]: "
        f"at HEAD the file does not parse ({expected.message}); left out of the diff"]
    assert "Traceback" not in out + err
    [warning] = read_history(Config(root=repo.root)).warnings  # and the history says the same
    assert f"the file does not parse: {expected.message};" in warning.message


# -- the history cache and the options of the rules ------------------------------------------


@pytest.mark.parametrize("broken, options, fixed", [
    # (a configured period cannot be the case here: a file of period 2026-S1 in the folder
    # okrs/2026-Q4/ is a path-mismatch whatever the options)
    (many_key_results(55), {"max_key_results": 5}, {"max_key_results": 6}),  # refused above 10 times the option
], ids=["max_key_results"])
def test_changing_an_option_the_rules_read_walks_the_history_again(tmp_path: Path, broken, options, fixed):
    repo = history_repo(tmp_path / "repo", broken)
    assert check_errors(repo.root, CHECKOUT_PATH, **options) and not check_errors(repo.root, CHECKOUT_PATH, **fixed)

    def history(option_values: dict, *, cache: bool) -> History:
        config = config_from_options(repo.root, option_values)
        return read_history(config, cache=Store(repo.root) if cache else None)

    before = history(options, cache=True)  # saved with the options that refuse the file
    assert [w.code for w in before.warnings] == ["history-unparsable"]
    after = history(fixed, cache=True)
    assert after.state == history(fixed, cache=False).state  # what a walk from the start gives
    assert after.warnings == [] and after.snapshot("2026-W42")["2026-Q4/payments/checkout"].period == \
        ("2026-S1" if "periods" in fixed else "2026-Q4")
    assert history(options, cache=True).state == before.state  # and back


# -- the history as a value ----------------------------------------------------------------------


def test_the_history_is_a_frozen_value_that_a_cached_walk_gives_back_equal(tmp_path: Path):
    repo = history_repo(tmp_path / "repo", BREAKS["period-invalid"])
    cold = read_history(Config(root=repo.root)).state
    with pytest.raises(FrozenInstanceError):
        cold.commits = 0  # type: ignore[misc]
    assert isinstance(cold, HistoryState) and cold.commits == 2 and len(cold.warnings) == 1
    read_history(Config(root=repo.root), cache=Store(repo.root))
    restored = read_history(Config(root=repo.root), cache=Store(repo.root)).state
    assert restored == cold and restored is not cold


def test_a_saved_history_of_other_fields_is_walked_again(tmp_path: Path, monkeypatch):
    repo = history_repo(tmp_path / "repo", CHECKOUT.replace("current: 540", "current: 500"))
    read_history(Config(root=repo.root), cache=Store(repo.root))
    path = next((repo.root / ".okrs-cache").glob("history.json"))
    header, body = path.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    data["layout"]["Point"] = [*data["layout"]["Point"], "added"]  # written by a version with another field
    Store(repo.root).save("history", json.loads(header)["key"], data)
    walked = []
    from generator.history import walk
    original = walk.read_log
    monkeypatch.setattr(walk, "read_log",
                        lambda *args, **kwargs: walked.append(kwargs.get("since")) or original(*args, **kwargs))
    again = read_history(Config(root=repo.root), cache=Store(repo.root))
    assert walked == [None]  # from the start
    assert again.state == read_history(Config(root=repo.root)).state


# -- okrs new refuses what okrs check refuses ------------------------------------------------------


def new_objective(tmp_path: Path, *, title: str, period: str, existing: dict[str, str] | None = None):
    root = tmp_path / "repo"
    (root / "okrs").mkdir(parents=True)
    (root / "okrs" / "people.yaml").write_text(PEOPLE)
    for relative, text in (existing or {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root, ["new", title, "--team", "payments", "--owner", "alice", "--period", period, "--root", str(root)]


CHECKOUT_AS_TEAM_PAGE = {"okrs/2026-Q4/payments.md": CHECKOUT}  # its page: objectives/2026-Q4/payments/


@pytest.mark.parametrize("title, period, existing, path", [
    ("Ship the new checkout", "2026-Q5", None, "okrs/2026-Q5/payments/ship-the-new-checkout.md"),
    ("Ship \x1b[31m it", "2026-Q4", None, "okrs/2026-Q4/payments/ship-31m-it.md"),
    ("Index", "2026-Q4", CHECKOUT_AS_TEAM_PAGE, "okrs/2026-Q4/payments/index.md"),  # one page with payments.md
], ids=["period-invalid", "schema", "duplicate-id"])
def test_okrs_new_refuses_a_file_with_the_findings_okrs_check_gives_it(tmp_path: Path, capsys, title, period,
                                                                        existing, path):
    root, argv = new_objective(tmp_path, title=title, period=period, existing=existing)
    capsys.readouterr()
    assert main(argv) == 2
    _, err = capsys.readouterr()
    assert not (root / path).exists()
    # The file okrs new would have written, checked by okrs check:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(objective_text(title=title, team="payments", owner="alice", period=period))
    found = [f for f in load_repository(load_config(root)).findings if f.path == path]
    assert any(f.severity == ERROR for f in found)
    assert err.splitlines() == ["okrs: the new objective would not be valid:", *map(finding_text, sorted(found))]


def test_okrs_new_writes_a_file_okrs_check_accepts(tmp_path: Path, capsys):
    root, argv = new_objective(tmp_path, title="Ship the new checkout", period="2026-Q4",
                               existing={"okrs/2026-Q3/payments.md": CHECKOUT})
    capsys.readouterr()
    assert main(argv) == 0
    out, _ = capsys.readouterr()
    assert out == "okrs/2026-Q4/payments/ship-the-new-checkout.md\n"
    findings = load_repository(load_config(root)).findings
    assert [f for f in findings if f.path == out.strip() and f.severity == ERROR] == []

