"""The cache under the repository: what it reuses, what invalidates it, and that a cache
never changes a result: every cached run is compared with a run without one."""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import pytest
from gitrepo import RENAMED_PATH, UPTIME_PATH, GitRepo, okr_history
from required import required_in_ci

from generator.runtime import cache as cache_module
from generator.runtime import parallel
from generator.reading import pipeline
from generator.runtime.cache import CACHE_DIR, Store
from generator.history.changelog import render_json
from generator.config import Config, load_config
from generator.history.queries import History
from generator.history.walk import read_history
from generator.reading.loader import load_repository

# --- the store ------------------------------------------------------------------------


def test_saved_data_comes_back_for_the_same_key_only(tmp_path: Path):
    store = Store(tmp_path)
    assert store.load("x", "k") is None  # nothing yet
    assert store.save("x", "k", {"a": [1, 2.5, None, "é"]})
    assert store.load("x", "k") == {"a": [1, 2.5, None, "é"]}
    assert store.load("x", "other key") is None
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"  # never committed


def test_saved_bytes_come_back_as_they_are_for_the_same_key_only(tmp_path: Path):
    store = Store(tmp_path)
    body = bytes(range(256)) * 3 + b"\n{not json"
    assert store.load_bytes("x", "k") is None
    assert store.save_bytes("x", "k", body)
    assert store.load_bytes("x", "k") == body
    assert store.load_bytes("x", "other key") is None
    assert store.load("x", "k") is None  # bytes and JSON are files of their own
    path = tmp_path / CACHE_DIR / "x.bin"
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    assert store.load_bytes("x", "k") is None


def test_another_version_of_the_code_does_not_read_it(tmp_path: Path, monkeypatch):
    store = Store(tmp_path)
    store.save("x", "k", [1])
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "a newer okrs")
    assert store.load("x", "k") is None


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],  # torn write
    lambda raw: raw.replace(b"[1,2,3]", b"[1,2,4]"),  # a flipped digit: valid JSON, wrong data
    lambda raw: b"\xff\xfe garbage",
    lambda raw: b"",
    lambda raw: raw.split(b"\n", 1)[0] + b"\n{not json",
])
def test_a_damaged_file_reads_as_nothing(tmp_path: Path, damage):
    store = Store(tmp_path)
    store.save("x", "k", [1, 2, 3])
    path = tmp_path / CACHE_DIR / "x.json"
    path.write_bytes(damage(path.read_bytes()))
    assert store.load("x", "k") is None


def test_a_folder_in_place_of_the_file_reads_as_nothing_and_writing_fails_quietly(tmp_path: Path):
    store = Store(tmp_path)
    (tmp_path / CACHE_DIR / "x.json").mkdir(parents=True)
    assert store.load("x", "k") is None
    assert store.save("x", "k", [1]) is False


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path):
    (tmp_path / CACHE_DIR).write_text("a file where the folder should be")
    assert Store(tmp_path).save("x", "k", [1]) is False


def test_a_write_behind_runs_while_this_process_goes_on_and_a_read_waits_for_it(tmp_path: Path):
    if not parallel.can_fork():
        required_in_ci("needs fork and a single thread", what="the write-behind test")
    store, go_on = Store(tmp_path), tmp_path / "go-on"

    def save_once_told() -> bool:  # in the child: waits until this process has gone on
        for _ in range(3000):
            if go_on.exists():
                break
            time.sleep(0.01)
        time.sleep(0.2)  # still writing when the read below starts
        return store.save("x", "k", {"pid": os.getpid()})

    assert store.write_behind(("x",), save_once_told)
    go_on.touch()  # write_behind came back before the save was made: it runs elsewhere
    assert store.load("y", "k") is None and cache_module._writers  # a read of another name does not wait
    saved = store.load("x", "k")  # waits for the writer
    assert saved is not None and saved["pid"] != os.getpid()
    assert cache_module._writers == []


def test_a_write_behind_that_fails_leaves_nothing_and_no_error(tmp_path: Path):
    store = Store(tmp_path)

    def broken() -> bool:
        raise RuntimeError("a bug in the writer")

    assert store.write_behind(("x",), broken)  # started; its failure stays in the child
    assert store.load("x", "k") is None
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_write_behind_without_fork_is_done_here(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cache_module, "can_fork", lambda: False)  # other threads running, or no fork
    store = Store(tmp_path)
    assert store.write_behind(("x",), lambda: store.save("x", "k", {"pid": os.getpid()}))
    assert cache_module._writers == []
    assert store.load("x", "k") == {"pid": os.getpid()}
    assert not store.write_behind(("x",), lambda: False)  # the work's own answer


def test_a_cache_committed_to_the_repository_is_never_trusted(tmp_path: Path):
    repo = GitRepo.create(tmp_path / "repo")
    Store(repo.root).save("x", "k", [1])
    assert Store.for_repository(repo.root) is not None
    repo.git("add", "-f", CACHE_DIR)  # a pull request could carry a crafted cache
    repo.commit("Add a cache", date="2026-10-05T09:00:00+00:00")
    assert Store.for_repository(repo.root) is None


def test_a_cache_git_cannot_vouch_for_is_not_used(tmp_path: Path, monkeypatch):
    Store(tmp_path).save("x", "k", [1])
    assert Store.for_repository(tmp_path) is None  # no repository: a download of the files
    repo = GitRepo.create(tmp_path / "repo")
    Store(repo.root).save("x", "k", [1])
    assert Store.for_repository(repo.root) is not None
    for path in [repo.root, *repo.root.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)  # git now refuses: dubious ownership
    assert Store.for_repository(repo.root) is None
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert Store.for_repository(tmp_path / "repo") is None


def test_a_file_signed_elsewhere_reads_as_nothing(tmp_path: Path, monkeypatch):
    store = Store(tmp_path)
    store.save("x", "k", [1])
    header, body = (tmp_path / CACHE_DIR / "x.json").read_bytes().split(b"\n", 1)
    assert json.loads(header)["sum"] != cache_module.digest(body)  # keyed: not a plain checksum
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert store.load("x", "k") is None
    assert store.save("x", "k", [2]) and store.load("x", "k") == [2]


# --- file results -----------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The paths of the files actually parsed."""
    parsed: list[str] = []
    original = pipeline.check_objective

    def spy(raw, check, *, path, **options):
        parsed.append(path)
        return original(raw, check, path=path, **options)

    monkeypatch.setattr(pipeline, "check_objective", spy)
    return parsed


def both(root: Path):
    """(a load with the cache, a load without): they must always agree."""
    config = load_config(root)
    return load_repository(config, cache=Store(root)), load_repository(config)


def same(cached, cold) -> None:
    assert cached.findings == cold.findings
    assert cached.objectives == cold.objectives
    assert cached.people == cold.people and cached.files_read == cold.files_read


def test_unchanged_files_are_not_read_again(repo, valid_objective, counted):
    for name in "abc":
        repo.objective(f"2026-Q4/{name}.md", valid_objective)
    repo.objective("2026-Q4/broken.md", valid_objective.replace("owner: bob", "owner: 5"))
    same(*both(repo.root))
    counted.clear()
    cached = load_repository(load_config(repo.root), cache=Store(repo.root))
    assert counted == []
    same(cached, load_repository(load_config(repo.root)))
    repo.objective("2026-Q4/b.md", valid_objective.replace("current: 540", "current: 500"))
    counted.clear()
    cached = load_repository(load_config(repo.root), cache=Store(repo.root))
    assert counted == ["okrs/2026-Q4/b.md"]
    assert cached.objectives["2026-Q4/b"].key_results[0].current == 500
    same(cached, load_repository(load_config(repo.root)))


def test_only_the_files_the_cache_does_not_know_go_to_the_workers(repo, valid_objective, monkeypatch):
    """Many files, one edited: the others' results come from the cache in this process (in
    workers, sending results back costs more than decoding them); only the edited one is
    checked through the pool, and the results are those of a load without a cache, in order."""
    from generator.reading import loader

    for number in range(40):
        repo.objective(f"2026-Q4/o{number:02}.md", valid_objective)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 4)  # a pool even for a few files
    started: list[int] = []
    original = loader.start_map
    monkeypatch.setattr(loader, "start_map", lambda function, items, shared, **options: started.append(len(items))
                        or original(function, items, shared, **options))
    same(*both(repo.root))
    assert started[0] == 40  # nothing known yet: every file is checked on every core
    repo.objective("2026-Q4/o17.md", valid_objective.replace("current: 540", "current: 500"))
    started.clear()
    cached, cold = both(repo.root)
    assert started == [1, 40]  # with the cache, the edited file only; without it, all of them
    same(cached, cold)
    assert list(cached.objectives) == list(cold.objectives)
    assert cached.objectives["2026-Q4/o17"].key_results[0].current == 500


def test_editing_the_people_registry_checks_the_references_again(repo, valid_objective, people_yaml):
    repo.objective("2026-Q4/a.md", valid_objective)
    same(*both(repo.root))
    repo.write("people.yaml", people_yaml.replace("  bob: {name: Bob Brown}\n", ""))
    cached, cold = both(repo.root)
    same(cached, cold)
    assert any(f.code == "owner-unknown" and "'bob'" in f.message for f in cached.findings)
    assert cached.objectives == {}
    repo.write("people.yaml", people_yaml)
    cached, cold = both(repo.root)
    same(cached, cold)
    assert not any(f.code == "owner-unknown" for f in cached.findings) and "2026-Q4/a" in cached.objectives


def test_editing_the_schema_validates_every_file_again(repo, valid_objective, counted):
    repo.objective("2026-Q4/a.md", valid_objective)
    project_schema = Path(__file__).resolve().parents[2] / "schema" / "objective.schema.json"
    schema = json.loads(project_schema.read_text())
    repo.write("../schema/objective.schema.json", json.dumps(schema))
    same(*both(repo.root))
    schema["properties"]["objective"]["maxLength"] = 10  # the title no longer fits
    repo.write("../schema/objective.schema.json", json.dumps(schema))
    counted.clear()
    cached, cold = both(repo.root)
    assert "okrs/2026-Q4/a.md" in counted[:1]
    same(cached, cold)
    assert any(f.code == "schema" for f in cached.findings)


def test_changing_an_option_validates_again(repo, valid_objective):
    repo.objective("2026-Q4/a.md", valid_objective)
    same(*both(repo.root))
    repo.mkdocs("plugins:\n  - okrs:\n      max_key_results: 1\n")
    cached, cold = both(repo.root)
    same(cached, cold)
    assert [f.code for f in cached.findings] == ["too-many-krs"]


def test_a_damaged_cache_entry_means_reading_the_file(repo, valid_objective):
    repo.objective("2026-Q4/a.md", valid_objective)
    load_repository(load_config(repo.root), cache=Store(repo.root))
    path = repo.root / CACHE_DIR / "parses.json"
    header, body = path.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    data["okrs/2026-Q4/a.md"][1][2] = ["not", "an", "objective"]
    Store(repo.root).save("parses", json.loads(header)["key"], data)  # well-formed, checksummed, but wrong
    same(*both(repo.root))


@pytest.mark.parametrize("field, value", [
    (6, "five hundred"),  # current: text where a number is
    (9, "high"),  # confidence
    (10, "heavy"),  # weight
    (8, "no"),  # done
    (None, ["latency", "p99"]),  # a key result record of the wrong length
])
def test_a_wrongly_typed_cache_entry_is_a_miss_and_is_written_again(repo, valid_objective, field, value):
    repo.objective("2026-Q4/a.md", valid_objective)
    load_repository(load_config(repo.root), cache=Store(repo.root))
    path = repo.root / CACHE_DIR / "parses.json"
    header, body = path.read_bytes().split(b"\n", 1)
    good = json.loads(body)
    bad = json.loads(body)
    krs = bad["okrs/2026-Q4/a.md"][1][2][5]
    if field is None:
        krs[0] = value
    else:
        krs[0][field] = value
    Store(repo.root).save("parses", json.loads(header)["key"], bad)  # signed, but wrong
    same(*both(repo.root))
    assert json.loads(path.read_bytes().split(b"\n", 1)[1]) == good  # healed, not sticky


def test_a_cache_entry_whose_references_do_not_match_its_objective_is_a_miss(repo, valid_objective):
    repo.objective("2026-Q4/a.md", valid_objective)
    load_repository(load_config(repo.root), cache=Store(repo.root))
    path = repo.root / CACHE_DIR / "parses.json"
    header, body = path.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    record = data["okrs/2026-Q4/a.md"][1]
    record[2][2] = "mallory"  # the objective's owner, while the references still list alice
    Store(repo.root).save("parses", json.loads(header)["key"], data)
    cached, cold = both(repo.root)
    same(cached, cold)
    assert cached.objectives["2026-Q4/a"].owner == "alice"


# --- history ------------------------------------------------------------------------------


def comparable(history: History) -> dict:
    digests = [render_json(history.digest(week)) for week in history.weeks]  # times as printed, zones included
    return {"state": history.state, "available": history.available, "reason": history.reason,
            "as_of_week": history.as_of_week, "digests": digests}


@pytest.fixture
def made(tmp_path: Path) -> tuple[GitRepo, dict[str, str]]:
    root = tmp_path / "repo"
    shas = okr_history(root)
    return GitRepo(root), shas


def cached_history(root: Path, **options) -> History:
    return read_history(Config(root=root, **options), cache=Store(root))


def cold_history(root: Path, **options) -> History:
    return read_history(Config(root=root, **options))


@pytest.mark.parametrize("start", ["c1", "c3", "c4", "c5", "c7", "c8", "m1", "c10", "c11"])
def test_a_walk_goes_on_from_the_last_commit_it_saw(made, start, monkeypatch):
    repo, shas = made
    repo.git("checkout", "-q", "--detach", shas[start])
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))
    repo.git("checkout", "-q", "main")
    walked = []
    from generator.history import walk as history_module
    original = history_module.read_log
    monkeypatch.setattr(history_module, "read_log",
                        lambda *args, **kwargs: walked.append(kwargs.get("since")) or original(*args, **kwargs))
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))
    assert walked[0] == shas[start]  # went on from there, did not walk from the start


def test_the_same_head_needs_no_walk(made, monkeypatch):
    repo, _ = made
    cached_history(repo.root)
    stored = (repo.root / CACHE_DIR / "history.json").stat().st_mtime_ns
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))
    assert (repo.root / CACHE_DIR / "history.json").stat().st_mtime_ns == stored  # not written again


def test_a_commit_dated_before_the_latest_date_is_walked_with_the_history_from_the_start(made, monkeypatch):
    """A walk from the start judges each commit's date by the commits after it: the one
    before a commit dated weeks back is then clamped (and warned about). A walk going on
    from the cache could not judge it again, so it walks from the start instead."""
    repo, shas = made
    cached_history(repo.root)
    repo.edit(UPTIME_PATH, "    current: 99.5\n", "    current: 99.7\n")
    repo.commit("A check-in from a machine whose clock is weeks behind", date="2026-10-27T10:00:00+00:00")
    walked = []
    from generator.history import walk as history_module
    original = history_module.read_log
    monkeypatch.setattr(history_module, "read_log",
                        lambda *args, **kwargs: walked.append(kwargs.get("since")) or original(*args, **kwargs))
    cached, cold = cached_history(repo.root), cold_history(repo.root)
    assert any(w.code == "history-date" for w in cold.warnings)  # the commits before it, clamped
    assert comparable(cached) == comparable(cold)
    assert walked[:2] == [shas["c11"], None]  # it looked at the commits since, then walked from the start


def test_a_few_commits_more_are_walked_again_rather_than_saved(made, monkeypatch):
    """Saving the state costs as much as reading it: after a walk on by a few commits it
    is not saved again, and the next walk goes on from the saved commit once more."""
    repo, shas = made
    repo.git("checkout", "-q", "--detach", shas["c10"])
    cached_history(repo.root)
    stored = (repo.root / CACHE_DIR / "history.json").stat().st_mtime_ns
    repo.git("checkout", "-q", "main")
    for _ in range(2):
        assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))
        assert (repo.root / CACHE_DIR / "history.json").stat().st_mtime_ns == stored
    from generator.history import walk as history_module
    monkeypatch.setattr(history_module, "SAVE_AFTER_COMMITS", 1)
    cached_history(repo.root)
    assert (repo.root / CACHE_DIR / "history.json").stat().st_mtime_ns != stored, "saved once worth it"


def test_a_long_walk_is_saved_behind_and_the_next_run_goes_on_from_it(made, monkeypatch):
    repo, shas = made
    from generator.history import walk as history_module
    monkeypatch.setattr(history_module, "SAVE_BEHIND_COMMITS", 1)  # every walk is long enough
    behind = []
    original = Store.write_behind
    monkeypatch.setattr(Store, "write_behind", lambda self, names, work: behind.append(names) or original(self, names, work))
    first = cached_history(repo.root)
    assert behind == [("history",)]
    walked = []
    original_log = history_module.read_log
    monkeypatch.setattr(history_module, "read_log",
                        lambda *args, **kwargs: walked.append(kwargs.get("since")) or original_log(*args, **kwargs))
    again = cached_history(repo.root)
    assert walked == [repo.git("rev-parse", "HEAD").strip()]  # restored what the child wrote: nothing to walk
    assert comparable(again) == comparable(first) == comparable(cold_history(repo.root))


def test_a_side_branch_commit_is_not_on_the_first_parent_chain(made):
    repo, shas = made
    repo.git("checkout", "-q", "--detach", shas["s2"])
    cached_history(repo.root)
    repo.git("checkout", "-q", "main")
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))


def test_a_rewritten_history_is_walked_again(made):
    repo, shas = made
    cached_history(repo.root)  # saved at c11
    repo.git("reset", "-q", "--hard", shas["c6"])  # a force push: c7.. are gone
    repo.edit(UPTIME_PATH, "    target: 2\n", "    target: 3\n")
    repo.commit("Another week 44", date="2026-10-26T09:00:00+00:00", author="Carol Chen")
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))


def test_head_moved_back_is_walked_again(made):
    repo, shas = made
    cached_history(repo.root)
    repo.git("reset", "-q", "--hard", shas["c5"])
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))


def test_a_broken_file_seen_again_after_the_saved_walk_is_warned_about_once(made):
    repo, shas = made
    broken = repo.git("show", f"{shas['c5']}:{UPTIME_PATH}")
    cached_history(repo.root)
    repo.write(UPTIME_PATH, broken + "\n", dedent=False)  # the very same broken blob as in c5
    repo.commit("Break uptime again", date="2026-11-18T10:00:00+00:00", author="Dan Diaz")
    cached, cold = cached_history(repo.root), cold_history(repo.root)
    assert len(cold.warnings) == 1
    assert comparable(cached) == comparable(cold)


def test_the_time_zone_and_the_schema_are_part_of_the_key(made):
    repo, _ = made
    cached_history(repo.root)
    assert comparable(cached_history(repo.root, timezone="Europe/Berlin")) == \
        comparable(cold_history(repo.root, timezone="Europe/Berlin"))
    project_schema = Path(__file__).resolve().parents[2] / "schema" / "objective.schema.json"
    schema = json.loads(project_schema.read_text())
    schema["properties"]["objective"]["maxLength"] = 25  # some historic titles no longer fit
    repo.write("schema/objective.schema.json", json.dumps(schema))
    cached, cold = cached_history(repo.root), cold_history(repo.root)
    assert comparable(cached) == comparable(cold) and cold.warnings


def test_a_damaged_history_cache_is_walked_again(made):
    repo, _ = made
    cached_history(repo.root)
    path = repo.root / CACHE_DIR / "history.json"
    path.write_bytes(path.read_bytes()[:-100])
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))


def test_as_of_stays_a_query_not_part_of_the_saved_walk(made):
    repo, _ = made
    first = read_history(Config(root=repo.root), cache=Store(repo.root), as_of=date(2026, 12, 30))
    second = read_history(Config(root=repo.root), cache=Store(repo.root), as_of=date(2026, 11, 1))
    assert [w.id for w in first.weeks][-1] == "2026-W53" and [w.id for w in second.weeks][-1] == "2026-W47"


def test_a_wrongly_typed_history_cache_is_walked_again(made):
    repo, _ = made
    cached_history(repo.root)
    path = repo.root / CACHE_DIR / "history.json"
    header, body = path.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    [_, points] = data["state"]["series"][0]
    points[0][1], points[0][3] = "seven hundred", "high"  # value and confidence: text
    data["tables"]["Objective"][0][5][0][6] = "abc"  # a key result's current
    Store(repo.root).save("history", json.loads(header)["key"], data)
    assert comparable(cached_history(repo.root)) == comparable(cold_history(repo.root))


def test_the_saved_walk_reads_its_objectives_as_the_loaders_own(made):
    """The history's cache holds the objectives the loader read from its own: read through
    the loader's pool they are those objects (not decoded again), and the state is the same."""
    repo, _ = made
    config = Config(root=repo.root)
    cached_history(repo.root)  # saved
    loaded = load_repository(config, cache=Store(repo.root))
    assert loaded.records is not None and len(loaded.records) == len(loaded.objectives)
    pooled = read_history(config, cache=Store(repo.root), pool=loaded.records)
    assert comparable(pooled) == comparable(cold_history(repo.root))
    at_head = {o.id: o for o in pooled.state.objectives.values() if o is not None}
    assert at_head.keys() == loaded.objectives.keys()
    assert all(at_head[ident] is loaded.objectives[ident] for ident in at_head)
    assert load_repository(config).records is None  # no cache: no records to share


def test_the_snapshots_are_saved_as_what_changed_and_come_back_whole_in_their_order(tmp_path: Path):
    from datetime import timezone

    from generator.history import cache as history_cache
    from generator.history.state import HistoryState
    from generator.model.core import KeyResult, Objective

    def objective(ident: str, title: str) -> Objective:
        return Objective(id=ident, path=f"okrs/{ident}.md", title=title, owner="alice", period="2026-Q4",
                         team="platform", key_results=(KeyResult(id="kr1", title="It", owner="bob", target=1.0),))

    a, b, c = objective("2026-Q4/a", "A"), objective("2026-Q4/b", "B"), objective("2026-Q4/c", "C")
    a2 = objective("2026-Q4/a", "A, edited")
    snapshots = ({0: a, 1: b}, {0: a2, 1: b, 2: c}, {0: a2, 2: c},  # edited, added; removed
                 {2: c, 0: a2})  # 0 gone and back within the week: its place changed
    state = HistoryState(commits=4, snapshot_starts=(date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19),
                                                     date(2026, 10, 26)), snapshots=snapshots)
    store = Store(tmp_path)
    assert history_cache.save(store, "k", state, "abc")
    saved = json.loads((tmp_path / CACHE_DIR / "history.json").read_text().split("\n", 1)[1])["state"]["snapshots"]
    assert [len(changed) for changed, _, _ in saved] == [2, 2, 0, 2]  # what changed, not every objective again
    restored, head = history_cache.restore(store, "k", tz=timezone.utc)
    assert head == "abc" and restored.snapshots == snapshots
    assert [list(s) for s in restored.snapshots] == [list(s) for s in snapshots]  # the same order
    first, second, third, _ = restored.snapshots
    assert second[1] is first[1] and third[0] is second[0]  # unchanged objectives shared, as the walk had them


def _same_digests_where_quiet(old: History, new: History) -> set[str]:
    """The weeks ``new`` calls quiet since ``old``'s walk, each checked: its digest is ``old``'s."""
    quiet = new.quiet_weeks(old.head, before=old.last_week)
    for week in quiet:
        assert render_json(new.digest(week)) == render_json(old.digest(week)), week
    return set(quiet)


@pytest.mark.parametrize("start", ["c3", "c7", "c10"])
def test_a_quiet_week_has_the_digest_it_had(made, start):
    """What ``History.quiet_weeks`` vouches for holds, through renames and a file broken
    and fixed: every week it names has the digest the earlier walk gave (commits since
    dated in its last week or later)."""
    repo, shas = made
    repo.git("checkout", "-q", "--detach", shas[start])
    old = cached_history(repo.root)
    repo.git("checkout", "-q", "main")
    new = cached_history(repo.root)
    assert new.went_on is not None and new.went_on[0] == shas[start]
    _same_digests_where_quiet(old, new)


def test_a_file_made_again_at_its_path_is_no_quiet_week_where_it_was(made):
    """A file deleted and made again at the same path takes a new lineage: the weeks that
    held it under its old one read its id's lineage again (its check-ins, its staleness),
    so they are not quiet, though no snapshot of theirs holds the new lineage."""
    repo, _ = made
    text = repo.read(UPTIME_PATH)
    repo.remove(UPTIME_PATH)
    repo.commit("Remove uptime", date="2026-11-23T09:00:00+00:00")
    old = cached_history(repo.root)
    repo.write(UPTIME_PATH, text.replace("status: dropped", "status: active"), dedent=False)
    repo.commit("Uptime again", date="2026-11-23T10:00:00+00:00")
    new = cached_history(repo.root)
    assert new.went_on is not None
    quiet = _same_digests_where_quiet(old, new)
    held = {w.id for w in new.weeks if w < old.last_week and any(o.path == UPTIME_PATH for o in new.snapshot(w).values())}
    assert held and not held & quiet


@pytest.mark.parametrize("stale_after_weeks", [1, 2])
def test_after_a_check_in_of_an_objective_that_was_there_every_week_before_the_last_is_quiet(made, stale_after_weeks):
    """A commit since that only edits a file that was there keeps each id's lineage: the
    weeks before the last read the same check-ins up to their end and the same first days,
    so all of them are quiet, those holding the edited objective too; each has the digest
    a walk from the start gives (staleness after one week: the earlier weeks list the
    edited objective's key results as stale, which a wrong vouch would change)."""
    repo, _ = made
    old = cached_history(repo.root, stale_after_weeks=stale_after_weeks)
    repo.edit(RENAMED_PATH, "    current: 600\n", "    current: 580\n")
    repo.commit("Check in latency", date="2026-11-18T10:00:00+00:00", author="Dan Diaz")
    new = cached_history(repo.root, stale_after_weeks=stale_after_weeks)
    cold = cold_history(repo.root, stale_after_weeks=stale_after_weeks)
    assert new.went_on is not None and new.went_on[2] == frozenset()
    quiet = new.quiet_weeks(old.head, before=old.last_week)
    assert quiet == {w.id for w in new.weeks if w < old.last_week}
    held = {w.id for w in new.weeks if w.id in quiet and any(o.path == RENAMED_PATH for o in new.snapshot(w).values())}
    assert held  # vouched for by the lineages, not by weeks that don't hold it
    for week in quiet:
        assert render_json(cold.digest(week)) == render_json(old.digest(week)), week
    if stale_after_weeks == 1:
        assert any(s.objective == RENAMED_PATH[len("okrs/"):-3] for w in held for s in cold.digest(w).stale)


def test_a_renamed_file_takes_a_lineage_and_keeps_the_weeks_that_hold_it_from_being_quiet(made):
    repo, _ = made
    old = cached_history(repo.root)
    repo.move(RENAMED_PATH, "okrs/2026-Q4/payments/checkout-speed.md")
    repo.commit("Rename checkout again", date="2026-11-18T10:00:00+00:00", author="Alice Rossi")
    new = cached_history(repo.root)
    assert new.went_on is not None and "2026-Q4/payments/checkout-speed" in new.went_on[2]
    quiet = _same_digests_where_quiet(old, new)
    held = {w.id for w in new.weeks if w < old.last_week and any(o.path == RENAMED_PATH for o in new.snapshot(w).values())}
    assert held and not held & quiet
