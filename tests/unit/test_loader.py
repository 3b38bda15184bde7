"""okrs/ -> (model, findings): every file read, every finding collected, clean files modelled.

Data-driven cases live in tests/data/invalid/: each file is one broken objective that
states the findings it must produce, as YAML comments (or Markdown lines) of the form

    # expect: CODE LINE:COLUMN [words the message contains]

and nothing else may be reported for it. Cases are copied to okrs/2026-Q4/payments/ of the
``repo`` fixture (so a case's id is 2026-Q4/payments/NAME) next to its people.yaml.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.reading import loader, source_files
from generator.reading.loader import objective_files, objective_id, people_from_data
from generator.model.core import KeyResult

DATA = Path(__file__).resolve().parents[1] / "data" / "invalid"
CASES_DIR = "2026-Q4/payments"  # the cases say team: payments: their folder agrees (path-mismatch)
EXPECT = re.compile(r"expect: (?P<code>[a-z-]+) (?P<line>\d+):(?P<column>\d+)(?: (?P<words>.*))?$")


@dataclass(frozen=True)
class Expected:
    code: str
    line: int
    column: int
    words: str


def expectations(raw: bytes) -> list[Expected]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    found = []
    for line in text.splitlines():
        if match := EXPECT.search(line):
            found.append(Expected(match["code"], int(match["line"]), int(match["column"]),
                                  (match["words"] or "").strip()))
    return found


CASES = sorted(DATA.glob("*.md"))


def install_cases(repo, cases=CASES) -> dict[str, list[Expected]]:
    """Copy case files into the repository; return the expected findings by path."""
    expected = {}
    for case in cases:
        raw = case.read_bytes()
        repo.write(f"{CASES_DIR}/{case.name}", raw)
        expected[f"okrs/{CASES_DIR}/{case.name}"] = expectations(raw)
    return expected


def test_every_case_states_what_it_expects():
    assert len(CASES) >= 30
    for case in CASES:
        assert expectations(case.read_bytes()), f"{case.name} has no '# expect:' line"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_case(repo, case):
    repo.objective()  # a valid neighbour: its id exists, and it must stay clean
    expected = install_cases(repo, [case])
    path = f"okrs/{CASES_DIR}/{case.name}"
    findings = repo.findings()
    assert sorted((f.path, f.code, f.line, f.column) for f in findings) == sorted(
        (path, e.code, e.line, e.column) for e in expected[path])
    for want in expected[path]:
        messages = [f.message for f in findings if (f.code, f.line, f.column) == (want.code, want.line, want.column)]
        assert any(want.words in m for m in messages), (want, messages)


def test_all_cases_together_are_all_reported_sorted(repo):
    expected = install_cases(repo)
    repo.objective()
    started = time.perf_counter()
    findings = repo.findings()
    assert time.perf_counter() - started < 2.0  # the alias bomb in there is defused, not expanded
    assert sorted((f.path, f.code, f.line, f.column) for f in findings) == sorted(
        (path, e.code, e.line, e.column) for path, wanted in expected.items() for e in wanted)
    assert findings == sorted(findings)
    assert [(f.path, f.line) for f in findings] == sorted((f.path, f.line) for f in findings)


def test_several_broken_files_in_one_run_sorted_by_file_then_line(repo, valid_objective, located):
    repo.objective("b/two.md", valid_objective.replace("owner: carol", "owner: zed").replace("team: payments", "team: x"))
    repo.objective("a/one.md", "no front matter\n")
    repo.objective("c/three.md", valid_objective.replace("target: 300", "target: 850"))
    repo.objective("a/zero.md", valid_objective)
    assert located(repo.findings()) == [
        ("front-matter", "okrs/a/one.md", 1, 1),
        ("team-unknown", "okrs/b/two.md", 4, 7),
        ("owner-unknown", "okrs/b/two.md", 15, 12),
        ("target-equals-start", "okrs/c/three.md", 11, 13),
    ]


def test_tags_are_not_executed_when_loading(repo, tmp_path, valid_objective, located):
    marker = tmp_path / "executed"
    repo.objective(text=valid_objective.replace("objective: Make checkout boringly reliable",
                                                f"objective: !!python/object/apply:os.system ['touch {marker}']"))
    assert located(repo.findings()) == [("front-matter", "okrs/2026-Q4/payments/checkout.md", 2, 12)]
    assert not marker.exists()


# --- files and ids ---------------------------------------------------------------------

def test_objective_files_skip_readme_hidden_folders_and_other_extensions(repo):
    repo.objective("2026-Q4/b.md")
    repo.objective("2026-Q4/a.md")
    repo.write("README.md", "# not an objective\n")
    repo.write("2026-Q4/README.md", "# nor this\n")
    repo.write(".drafts/c.md", b"\xff")
    repo.write("2026-Q4/.hidden/d.md", b"\xff")
    repo.write("2026-Q4/notes.txt", "text")
    assert [p.relative_to(repo.okrs).as_posix() for p in objective_files(repo.okrs)] == ["2026-Q4/a.md", "2026-Q4/b.md"]
    assert repo.findings() == []


def test_objective_id_is_the_path_without_md():
    assert objective_id("2026-Q4/platform/reliability.md") == "2026-Q4/platform/reliability"


def test_clean_repository_model(repo):
    repo.objective()
    loaded = repo.load()
    assert loaded.findings == [] and loaded.errors == []
    assert loaded.files_read == 2  # people.yaml and one objective
    objective = loaded.objectives["2026-Q4/payments/checkout"]
    assert (objective.title, objective.owner, objective.team, objective.period, objective.declared_status) == (
        "Make checkout boringly reliable", "alice", "payments", "2026-Q4", "active")
    assert objective.path == "okrs/2026-Q4/payments/checkout.md"
    assert objective.body == "Why it matters.\n"
    assert objective.key_results == (
        KeyResult(id="latency", title="p99 checkout latency under 300 ms", owner="bob",
                  start=850, target=300, current=540),
        KeyResult(id="drill", title="Multi-region failover drill passes", owner="carol",
                  type="milestone", done=False),
    )
    assert set(loaded.people.persons) == {"alice", "bob", "carol", "dan"}
    assert loaded.people.teams["payments"].members == ("alice", "bob")


def test_only_files_without_errors_become_objectives(repo, valid_objective):
    repo.objective("q/good.md")
    repo.objective("q/broken.md", valid_objective.replace("owner: bob", "owner: zed"))
    repo.objective("q/warned.md", valid_objective.split("key_results:")[0] + "key_results:\n" + "".join(
        f"  - {{id: k{i}, title: K, owner: bob, type: milestone, done: false}}\n" for i in range(6)) + "---\n")
    loaded = repo.load()
    assert sorted(loaded.objectives) == ["q/good", "q/warned"]
    assert [f.code for f in loaded.errors] == ["owner-unknown"]


def test_bom_and_crlf_file_is_accepted(repo, valid_objective):
    repo.write("2026-Q4/payments/checkout.md", ("\ufeff" + valid_objective).replace("\n", "\r\n").encode())
    loaded = repo.load()
    assert loaded.findings == []
    assert loaded.objectives["2026-Q4/payments/checkout"].body == "Why it matters.\n"


def test_bom_and_crlf_file_reports_the_right_line(repo, valid_objective, located):
    text = ("\ufeff" + valid_objective.replace("owner: carol", "owner: carla")).replace("\n", "\r\n")
    repo.write("2026-Q4/payments/checkout.md", text.encode())
    assert located(repo.findings()) == [("owner-unknown", "okrs/2026-Q4/payments/checkout.md", 15, 12)]


def test_non_utf8_file_reports_line_and_column(repo, valid_objective, only):
    raw = valid_objective.replace("p99 checkout", "p99 caf\xe9 checkout").encode("latin-1")
    repo.write("2026-Q4/payments/checkout.md", raw)
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("encoding", "okrs/2026-Q4/payments/checkout.md", 8, 19)
    assert found.message == "the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"


def test_a_2_mib_file_is_refused_unread(repo, monkeypatch, valid_objective, only):
    big = repo.objective("2026-Q4/big.md", valid_objective + "x" * (2 * 1024 * 1024))
    repo.objective()
    read = []

    original = source_files._read_at_most

    def spy(fd, limit, **options):  # records which files are read, not only opened
        read.append(os.path.basename(os.readlink(f"/proc/self/fd/{fd}")))
        return original(fd, limit, **options)

    monkeypatch.setattr(source_files, "_read_at_most", spy)
    started = time.perf_counter()
    found = only(repo.findings())
    assert time.perf_counter() - started < 1.0
    assert (found.code, found.path, found.line, found.column) == ("file-too-large", "okrs/2026-Q4/big.md", 1, 1)
    assert f"{big.stat().st_size:,} bytes, over the 1 MiB limit" in found.message
    assert "big.md" not in read and "checkout.md" in read


def test_a_file_of_exactly_1_mib_is_read(repo, valid_objective):
    body = valid_objective + "x" * (1024 * 1024 - len(valid_objective))
    repo.objective(text=body)
    # Read and valid; only its megabyte of narrative is too long to render as Markdown.
    assert [f.code for f in repo.findings()] == ["narrative-too-complex"]


# --- people.yaml -------------------------------------------------------------------------

def test_without_people_yaml_owners_are_not_checked_but_the_file_is_named(repo, valid_objective, located):
    (repo.okrs / "people.yaml").unlink()
    repo.objective(text=valid_objective.replace("owner: bob", "owner: zed"))
    assert located(repo.findings()) == [("people-missing", "okrs/people.yaml", 1, 1)]


def test_broken_people_yaml_is_reported_and_objectives_still_checked(repo, valid_objective):
    repo.write("people.yaml", "people:\n  alice: {name: Alice\n")
    repo.objective(text=valid_objective.replace("target: 300", "target: 850"))
    codes = [(f.path, f.code) for f in repo.findings()]
    assert codes == [("okrs/2026-Q4/payments/checkout.md", "target-equals-start"),
                     ("okrs/people.yaml", "front-matter")]


def test_people_yaml_duplicate_key(repo, people_yaml, located):
    repo.write("people.yaml", people_yaml.replace("  dan: {name: Dan Diaz}\n", "  dan: {name: Dan Diaz}\n  bob: {name: Bobby}\n"))
    repo.objective()
    assert located(repo.findings()) == [("duplicate-key", "okrs/people.yaml", 6, 3)]


def test_people_from_data_keeps_well_formed_entries_only():
    people = people_from_data({"people": {"a": {"name": "A"}, "b": "oops"},
                               "teams": {"t": {"name": "T", "members": ["a", 3]}, "u": None}})
    assert list(people.persons) == ["a"] and list(people.teams) == ["t"]
    assert people.teams["t"].members == ("a",)
    assert people_from_data(None).persons == {}


# --- links, pipes, unreadable and misnamed files ------------------------------------------

CHECKOUT = "okrs/2026-Q4/payments/checkout.md"


def test_a_symlinked_objective_is_refused_and_not_read(repo, located):
    repo.objective()
    (repo.okrs / "2026-Q4/passwd.md").symlink_to("/etc/passwd")
    findings = repo.findings()
    assert located(findings) == [("not-a-file", "okrs/2026-Q4/passwd.md", 1, 1)]
    assert findings[0].severity == "error"
    assert findings[0].message.startswith("okrs/2026-Q4/passwd.md is a symbolic link, which okrs does not follow")
    assert "root:" not in str(findings)


def test_a_symlinked_folder_is_refused_and_not_walked(repo, tmp_path, valid_objective, located):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_bytes(b"\xff not read")
    (repo.okrs / "linked").symlink_to(elsewhere, target_is_directory=True)
    repo.objective()
    assert located(repo.findings()) == [("not-a-file", "okrs/linked", 1, 1)]
    assert set(repo.load().objectives) == {"2026-Q4/payments/checkout"}


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(repo, located, only):
    repo.objective()
    os.mkfifo(repo.okrs / "2026-Q4/pipe.md")
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("not-a-file", "okrs/2026-Q4/pipe.md", 1, 1)
    assert "is a named pipe, not a regular file" in found.message


@pytest.mark.parametrize("make, words", [
    (lambda path: path.symlink_to("/etc/passwd"), "is a symbolic link"),
    (lambda path: os.mkfifo(path), "is a named pipe"),
    (lambda path: path.mkdir(), "is a folder"),
])
def test_people_yaml_that_is_no_regular_file_is_refused(repo, valid_objective, make, words, only):
    (repo.okrs / "people.yaml").unlink()
    make(repo.okrs / "people.yaml")
    repo.objective()
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column) == ("not-a-file", "okrs/people.yaml", 1, 1)
    assert words in found.message


def file_check(repo):
    from generator.reading import schemas

    return loader.FileCheck(check=schemas.quick_validator(repo.root, schemas.OBJECTIVE), ownership="individual",
                            max_key_results=5, periods={}, people_path="okrs/people.yaml")


def test_a_file_removed_after_the_listing_is_a_located_finding(repo):
    path = repo.objective("2026-Q4/gone.md")
    assert loader.source_listing(str(repo.okrs)).files == ["2026-Q4/gone.md"]
    path.unlink()  # between the listing and the read
    [found] = loader.check_file((str(repo.okrs), "okrs", "2026-Q4/gone.md"), file_check(repo)).findings
    assert (found.code, found.path, found.line, found.column) == ("unreadable", "okrs/2026-Q4/gone.md", 1, 1)
    assert "No such file or directory" in found.message


def test_a_file_replaced_by_a_folder_or_a_link_after_the_listing_is_refused(repo):
    (repo.okrs / "2026-Q4/x.md").mkdir(parents=True)
    (repo.okrs / "2026-Q4/y.md").symlink_to("/etc/passwd")
    shared = file_check(repo)
    [folder] = loader.check_file((str(repo.okrs), "okrs", "2026-Q4/x.md"), shared).findings
    [link] = loader.check_file((str(repo.okrs), "okrs", "2026-Q4/y.md"), shared).findings
    assert (folder.code, folder.path, "a folder" in folder.message) == ("not-a-file", "okrs/2026-Q4/x.md", True)
    assert (link.code, link.path, "symbolic link" in link.message) == ("not-a-file", "okrs/2026-Q4/y.md", True)


def test_an_unreadable_folder_is_worded_as_a_located_error():
    # A folder the walk cannot list (no permission, removed meanwhile) is reported, not
    # skipped; as root the walk cannot be made to fail, so the wording is checked here.
    listing = source_files.SourceListing(refused=[("2026-Q4/locked", source_files.UNREADABLE, "Permission denied")])
    [found] = loader.listing_findings(listing, "okrs")
    assert (found.code, found.path, found.line, found.column) == ("unreadable", "okrs/2026-Q4/locked", 1, 1)
    assert found.message.startswith("okrs/2026-Q4/locked cannot be read (Permission denied)")


@pytest.mark.parametrize("name", ["x.MD", "x.Md", "x.markdown", "x.mdown"])
def test_markdown_files_with_another_extension_are_a_warning(repo, name, only):
    repo.objective()
    repo.write(f"2026-Q4/{name}", b"\xff")
    found = only(repo.findings())
    assert (found.code, found.path, found.line, found.column, found.severity) == (
        "ignored-file", f"okrs/2026-Q4/{name}", 1, 1, "warning")
    assert found.message == (f"okrs/2026-Q4/{name} is not read: objective files end in .md (lowercase); "
                             "rename it to x.md to make it an objective")


def test_readme_in_any_case_is_no_warning(repo):
    repo.objective()
    repo.write("2026-Q4/README.MD", "# notes\n")
    repo.write("readme.markdown", "# notes\n")
    assert repo.findings() == []


def test_an_oversized_people_yaml_is_refused_before_it_is_read(repo, only):
    import tracemalloc

    with open(repo.okrs / "people.yaml", "r+b") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no disk used
    tracemalloc.start()
    try:
        found = only(repo.findings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (found.code, found.path, found.line, found.column) == ("file-too-large", "okrs/people.yaml", 1, 1)
    assert found.message == "the file is 104,857,600 bytes, over the 64 MiB limit"
    assert peak < 16 * 1024 * 1024, f"{peak:,} bytes allocated: the file was read"


def test_a_load_memo_gives_back_the_results_of_unchanged_files(repo, valid_objective, tmp_path):
    """`okrs serve` loads after every edit: with a memo, an unchanged file's objective is the
    object of the last load, an edited one is read again, and the results are a plain load's;
    with other options the memo is not used, and an unchanged build cache is not written again."""
    from dataclasses import replace

    from generator.config import load_config
    from generator.runtime.cache import Store

    repo.objective("q/one.md")
    repo.objective("q/two.md")
    config, store, memo = load_config(repo.root), Store(tmp_path), loader.LoadMemo()
    first = loader.load_repository(config, cache=store, memo=memo)
    repo.objective("q/two.md", valid_objective.replace("current: 540", "current: 500"))
    parses = store.folder / f"{loader.PARSES}.json"
    second = loader.load_repository(config, cache=store, memo=memo)
    plain = loader.load_repository(config)
    assert second.objectives == plain.objectives and second.findings == plain.findings
    assert second.objectives["q/one"] is first.objectives["q/one"]
    assert second.objectives["q/two"] is not first.objectives["q/two"]
    assert second.objectives["q/two"].key_results[0].current == 500
    written = parses.stat().st_mtime_ns
    time.sleep(0.01)
    third = loader.load_repository(config, cache=store, memo=memo)
    assert third.objectives["q/two"] is second.objectives["q/two"]
    assert parses.stat().st_mtime_ns == written, "nothing changed: the build cache is not written again"
    other = loader.load_repository(replace(config, max_key_results=1), cache=store, memo=memo)
    assert other.objectives["q/one"] is not third.objectives["q/one"], "other options: read again"
    assert [f.code for f in other.findings] == [f.code for f in loader.load_repository(
        replace(config, max_key_results=1)).findings]


def test_a_load_memo_gives_back_the_registry_while_its_bytes_and_schema_are_the_same(repo, valid_objective):
    """`okrs serve` after an edit of an objective does not read people.yaml again; an edit
    of people.yaml, or of its schema, does."""
    import json
    import shutil

    from generator.config import load_config
    from generator.reading import schemas

    repo.objective("q/one.md")
    config, memo = load_config(repo.root), loader.LoadMemo()
    first = loader.load_repository(config, memo=memo)
    again = loader.load_repository(config, memo=memo)
    assert again.people is first.people and again.findings == first.findings
    registry = (repo.okrs / "people.yaml").read_text(encoding="utf-8")
    repo.write("people.yaml", registry + "  # a comment\n")
    edited = loader.load_repository(config, memo=memo)
    assert edited.people is not first.people and edited.people == first.people
    repo.write("people.yaml", registry.replace("people:", "people:\n  zoe: {name: Zoe Zed}", 1))
    added = loader.load_repository(config, memo=memo)
    assert "zoe" in added.people.persons and added.people == loader.load_repository(config).people
    schema = json.loads(schemas.schema_path(repo.root, schemas.PEOPLE).read_text(encoding="utf-8"))
    (repo.root / "schema").mkdir(exist_ok=True)
    for name in (schemas.OBJECTIVE, schemas.PEOPLE):  # the repository's own schemas, as `okrs init` writes
        shutil.copyfile(schemas.schema_path(repo.root, name), repo.root / "schema" / name)
    schema.setdefault("required", []).append("unheard-of")
    (repo.root / "schema" / schemas.PEOPLE).write_text(json.dumps(schema), encoding="utf-8")
    stricter = loader.load_repository(config, memo=memo)
    assert "okrs/people.yaml" in {f.path for f in stricter.errors}, "the new schema was not applied"
