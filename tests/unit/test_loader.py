"""okrs/ -> (model, findings): every file read, every finding collected, clean files modelled.

Data-driven cases live in tests/data/invalid/: each file is one broken objective that
states the findings it must produce, as YAML comments (or Markdown lines) of the form

    # expect: CODE LINE:COLUMN [words the message contains]

and nothing else may be reported for it. Cases are copied to okrs/2026-Q4/cases/ of the
``repo`` fixture (so a case's id is 2026-Q4/cases/NAME) next to its people.yaml.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import loader
from generator.loader import objective_files, objective_id, people_from_data
from generator.model import KeyResult

DATA = Path(__file__).resolve().parents[1] / "data" / "invalid"
CASES_DIR = "2026-Q4/cases"
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

    class Spy:  # records which files are read, not only opened
        def __init__(self, path, *args, **options):
            self.name, self.handle = os.path.basename(path), open(path, *args, **options)

        def read(self, *args):
            read.append(self.name)
            return self.handle.read(*args)

        def fileno(self):
            return self.handle.fileno()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    monkeypatch.setattr(loader, "open", Spy, raising=False)
    started = time.perf_counter()
    found = only(repo.findings())
    assert time.perf_counter() - started < 1.0
    assert (found.code, found.path, found.line, found.column) == ("file-too-large", "okrs/2026-Q4/big.md", 1, 1)
    assert f"{big.stat().st_size:,} bytes, over the 1 MiB limit" in found.message
    assert "big.md" not in read and "checkout.md" in read


def test_a_file_of_exactly_1_mib_is_read(repo, valid_objective):
    body = valid_objective + "x" * (1024 * 1024 - len(valid_objective))
    repo.objective(text=body)
    assert repo.findings() == []


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
