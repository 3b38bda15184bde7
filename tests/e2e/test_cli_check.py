"""`okrs check` as a user runs it: a real subprocess, real files, exit codes and output."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


PROJECT = Path(__file__).resolve().parents[2]
INVALID = PROJECT / "tests" / "data" / "invalid"
TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning)"
                       r"\[(?P<code>[a-z-]+)\]: (?P<message>.+)$")
CHECKOUT = "okrs/2026-Q4/payments/checkout.md"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def okrs(*args: str | Path, cwd: Path | None = None, env: dict | None = None, command=None) -> Run:
    """Run `okrs ARGS` in a fresh interpreter; GITHUB_ACTIONS is unset unless given."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(env or {})
    result = subprocess.run(
        [*(command or [sys.executable, "-m", "generator.cli"]), *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd or PROJECT, env=environment, timeout=60,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return Run(result.returncode, result.stdout, result.stderr)


def check(repo, *args: str | Path, **kwargs) -> Run:
    return okrs("check", "--root", repo.root, *args, **kwargs)


# --- the shipped example -------------------------------------------------------------------

def test_the_example_organisation_checks_clean():
    run = okrs("check", "--root", PROJECT)
    assert (run.code, run.out) == (0, "")
    assert re.fullmatch(r"okrs: \d+ files checked: 0 errors, 0 warnings\n", run.err)


def test_the_example_organisation_as_json_is_an_empty_list():
    run = okrs("check", "--root", PROJECT, "--format", "json")
    assert (run.code, json.loads(run.out)) == (0, [])


def test_the_console_script_is_installed_next_to_python():
    script = Path(sys.executable).with_name("okrs")
    if not script.exists():
        script = shutil.which("okrs")
    assert script, "the okrs console script is not installed"
    run = okrs("check", "--root", PROJECT, command=[str(script)])
    assert (run.code, run.out) == (0, "")


# --- formats ---------------------------------------------------------------------------------

@pytest.fixture
def broken_repo(repo, valid_objective):
    """Two files: an unknown owner, and a key result without owner."""
    repo.objective(text=valid_objective.replace("owner: carol", "owner: carl"))
    repo.objective("2026-Q4/a.md", valid_objective.replace("    owner: bob\n", ""))
    return repo


@pytest.mark.usefixtures("broken_repo")
def test_text_format_is_one_line_per_finding(repo):
    run = check(repo)
    assert run.code == 1
    assert run.lines == [
        "okrs/2026-Q4/a.md:7:5: error[owner-missing]: key result 'latency' has no owner; every key result "
        "needs exactly one owner, a person listed in okrs/people.yaml",
        f"{CHECKOUT}:15:12: error[owner-unknown]: key result 'drill': owner 'carl' is not a person in "
        "okrs/people.yaml; did you mean 'carol'? (or add 'carl' to okrs/people.yaml)",
    ]
    assert run.err == "okrs: 3 files checked: 2 errors, 0 warnings\n"


@pytest.mark.usefixtures("broken_repo")
def test_json_format(repo):
    run = check(repo, "--format", "json")
    assert run.code == 1 and run.err == ""
    data = json.loads(run.out)
    assert [{k: d[k] for k in ("path", "line", "column", "severity", "code")} for d in data] == [
        {"path": "okrs/2026-Q4/a.md", "line": 7, "column": 5, "severity": "error", "code": "owner-missing"},
        {"path": CHECKOUT, "line": 15, "column": 12, "severity": "error", "code": "owner-unknown"},
    ]
    assert all(set(d) == {"path", "line", "column", "severity", "code", "message"} for d in data)


@pytest.mark.usefixtures("broken_repo")
def test_github_format(repo):
    run = check(repo, "--format", "github")
    assert run.code == 1
    assert run.lines[1] == (
        f"::error file={CHECKOUT},line=15,col=12,title=okrs owner-unknown::key result 'drill': owner 'carl' "
        "is not a person in okrs/people.yaml; did you mean 'carol'? (or add 'carl' to okrs/people.yaml)")


def test_github_format_escapes_message_and_properties(repo, valid_objective):
    repo.objective(text=valid_objective.replace("owner: carol", 'owner: "50%\\r\\nof bob"'))
    repo.objective("2026-Q4/a,b:c.md")
    run = check(repo, "--format", "github")
    assert run.code == 1
    assert run.lines == [
        "::error file=okrs/2026-Q4/a%2Cb%3Ac.md,line=1,col=1,title=okrs path-invalid::'a,b:c' cannot be part of an "
        "objective id: use letters, digits, '-' and '_' in folder and file names, starting with a letter or digit",
        f"::error file={CHECKOUT},line=15,col=12,title=okrs owner-unknown::key result 'drill': owner "
        "'50%25%0D%0Aof bob' is not a person in okrs/people.yaml (or add '50%25%0D%0Aof bob' to okrs/people.yaml)",
    ]


@pytest.mark.usefixtures("broken_repo")
def test_github_actions_makes_github_the_default(repo):
    run = check(repo, env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1 and all(line.startswith("::error file=") for line in run.lines) and len(run.lines) == 2
    run = check(repo, "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert all(TEXT_LINE.match(line) for line in run.lines)
    run = check(repo, env={"GITHUB_ACTIONS": "false"})
    assert all(TEXT_LINE.match(line) for line in run.lines)


# --- exit codes --------------------------------------------------------------------------------

def test_clean_repository_exits_0(repo):
    repo.objective()
    run = check(repo)
    assert (run.code, run.out, run.err) == (0, "", "okrs: 2 files checked: 0 errors, 0 warnings\n")


@pytest.fixture
def six_key_results(valid_objective) -> str:
    return valid_objective.split("key_results:")[0] + "key_results:\n" + "".join(
        f"  - {{id: k{i}, title: K, owner: bob, type: milestone, done: false}}\n" for i in range(6)) + "---\n"


def test_warnings_pass_unless_strict(repo, six_key_results):
    repo.objective(text=six_key_results)
    run = check(repo)
    assert run.code == 0
    assert run.lines == [f"{CHECKOUT}:6:1: warning[too-many-krs]: 6 key results; more than 5 dilutes focus: "
                         "keep the few that matter most"]
    assert run.err == "okrs: 2 files checked: 0 errors, 1 warning\n"
    strict = check(repo, "--strict")
    assert (strict.code, strict.out) == (1, run.out)


@pytest.mark.parametrize("mkdocs, words", [
    ("plugins:\n  - okrs:\n      colour: red\n", "unknown option 'colour'"),
    ("plugins:\n  - okrs:\n      ownership: teams\n", "ownership must be one of individual, individual-or-team"),
    ("plugins:\n  - okrs:\n      timezone: Europe/Atlantis\n", "timezone 'Europe/Atlantis' is not a known IANA time zone"),
    ("plugins:\n  - okrs:\n      periods: {FY27: {start: 2026-09-01}}\n", "periods: FY27 must have exactly start and end"),
    ("plugins:\n  - okrs:\n      periods: {FY27: {start: 2026-09-01, end: 2026-02-30}}\n", "cannot read it as YAML"),
    ("plugins:\n  - okrs:\n      periods: {FY27: {start: x, end: y}}\n", "must be a date like 2026-09-01"),
    ("plugins: [okrs\n", "cannot read it as YAML"),
    ("plugins:\n  - okrs:\n      source: missing\n", "does not exist"),
])
def test_configuration_errors_exit_2_with_one_line(repo, mkdocs, words):
    repo.objective()
    repo.mkdocs(mkdocs)
    run = check(repo)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("okrs: ") and run.err.count("\n") == 1
    assert words in run.err


def test_mkdocs_yml_with_material_tags_is_read(repo, valid_objective):
    repo.objective(text=valid_objective.replace("owner: alice", "owner: payments"))
    repo.mkdocs("""\
        site_name: !ENV [SITE_NAME, OKRs]
        theme:
          name: material
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
              emoji_generator: !!python/name:material.extensions.emoji.to_svg
        plugins:
          - search
          - okrs:
              ownership: individual-or-team
        """)
    assert check(repo).code == 0


@pytest.mark.parametrize("args, words", [
    (["--format", "xml"], "invalid choice"),
    (["--root", "/no/such/dir"], "no such directory"),
    (["okrs/2026-Q4/nothing.md"], "no such file or folder"),
    (["/"], "outside the repository"),
])
def test_usage_errors_exit_2(repo, args, words):
    repo.objective()
    run = okrs("check", "--root", repo.root, *args, cwd=repo.root)
    assert run.code == 2 and words in run.err and run.out == ""


def test_no_command_prints_help_and_exits_2():
    run = okrs()
    assert run.code == 2 and "usage: okrs" in run.err


# --- PATH arguments ---------------------------------------------------------------------------------

@pytest.fixture
def two_teams(repo, valid_objective):
    """Findings in payments/, platform/ and people.yaml."""
    repo.objective("2026-Q4/payments/checkout.md", valid_objective.replace("owner: bob", "owner: bobb"))
    repo.objective("2026-Q4/platform/uptime.md", valid_objective.replace("owner: carol", "owner: carl")
                   .replace("team: payments", "team: platform"))
    repo.write("people.yaml", (repo.okrs / "people.yaml").read_text() + "  dan: {name: Dan again}\n")
    return repo


@pytest.mark.usefixtures("two_teams")
def test_paths_restrict_the_output_to_those_files(repo):
    everything = check(repo)
    assert [TEXT_LINE.match(line)["path"] for line in everything.lines] == [
        CHECKOUT, "okrs/2026-Q4/platform/uptime.md", "okrs/people.yaml"]
    one = check(repo, repo.root / CHECKOUT)
    assert (one.code, one.lines) == (1, [everything.lines[0]])
    folder = check(repo, repo.okrs / "2026-Q4" / "platform")
    assert folder.lines == [everything.lines[1]]
    # a change to people.yaml can break any objective: selecting it reports everything
    assert check(repo, repo.okrs / "people.yaml", repo.okrs / "2026-Q4" / "platform").lines == everything.lines


@pytest.mark.usefixtures("two_teams")
def test_relative_paths_are_relative_to_the_working_directory(repo):
    run = okrs("check", "--root", ".", "okrs/2026-Q4/platform/uptime.md", cwd=repo.root)
    assert run.code == 1
    assert [TEXT_LINE.match(line)["path"] for line in run.lines] == ["okrs/2026-Q4/platform/uptime.md"]
    assert check(repo, repo.okrs).lines == check(repo).lines


def test_a_clean_file_selected_exits_0_even_if_others_are_broken(repo, valid_objective):
    repo.objective("2026-Q4/payments/checkout.md", valid_objective.replace("owner: bob", "owner: bobb"))
    repo.objective("2026-Q4/platform/uptime.md", valid_objective.replace("team: payments", "team: platform"))
    run = check(repo, repo.okrs / "2026-Q4/platform/uptime.md")
    assert (run.code, run.out) == (0, "")


# --- bad input never produces a traceback ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_every_invalid_case_at_once_is_reported_without_traceback(repo, fmt, valid_objective):
    for case in sorted(INVALID.glob("*.md")):
        repo.write(f"2026-Q4/cases/{case.name}", case.read_bytes())
    repo.objective("2026-Q4/big.md", valid_objective + "x" * (2 * 1024 * 1024))
    run = check(repo, "--format", fmt)  # `okrs` asserts that no traceback was printed
    assert run.code == 1
    if fmt == "json":
        paths = [d["path"] for d in json.loads(run.out)]
    elif fmt == "github":
        # 10 annotations of each level (GitHub's limit), a notice, then the rest as text lines
        paths = [m[1] for line in run.lines if (m := re.match(r"::(?:error|warning) file=([^,]+),", line))]
        paths += [TEXT_LINE.match(line)["path"] for line in run.lines if not line.startswith("::")]
    else:
        assert all(TEXT_LINE.match(line) for line in run.lines), run.out
        paths = [TEXT_LINE.match(line)["path"] for line in run.lines]
    cases = {f"okrs/2026-Q4/cases/{case.name}" for case in INVALID.glob("*.md")} | {"okrs/2026-Q4/big.md"}
    assert set(paths) == cases
    assert fmt == "github" or paths == sorted(paths)


@pytest.mark.parametrize("people", [
    b"people: [\n", b"- alice\n", b"\xff\xfe", b"people:\n  alice: &a {name: A}\n", b"",
    b"people: !!python/object/apply:os.system [exit]\n", b"people:\n  alice: {name: A}\nteams: 5\n",
])
def test_broken_people_yaml_never_crashes(repo, people):
    repo.objective()
    repo.write("people.yaml", people)
    run = check(repo)
    assert run.code == 1
    assert all(TEXT_LINE.match(line) for line in run.lines)
    assert any(line.startswith("okrs/people.yaml:") for line in run.lines)


def test_an_empty_source_folder_is_clean_but_a_missing_one_is_a_usage_error(repo, tmp_path):
    assert check(repo).code == 0
    run = okrs("check", "--root", tmp_path)
    assert run.code == 2 and "does not exist" in run.err


# --- the common slips, as a person makes them by hand ----------------------------------------------

def test_the_common_yaml_slips_name_their_cause_and_fix(repo, valid_objective):
    repo.objective("2026-Q4/payments/colon.md",
                   valid_objective.replace("    current: 540\n", "    current: 540\n    note: Desktop shipped: +0.7 points\n"))
    repo.objective("2026-Q4/payments/tab.md", valid_objective.replace("    current: 540\n", "\tcurrent: 540\n"))
    repo.objective("2026-Q4/payments/dash.md", valid_objective.replace("  - id: drill", "    id: drill"))
    repo.objective("2026-Q4/payments/percent.md",
                   valid_objective.replace("    current: 540\n", "    current: 540\n    confidence: 75\n"))
    run = check(repo)
    assert run.code == 1
    assert run.lines == [
        "okrs/2026-Q4/payments/colon.md:13:11: error[front-matter]: YAML syntax error: the text of 'note' contains "
        "': ', which YAML reads as the start of another field; put the note in quotes: "
        'note: "Desktop shipped: +0.7 points"',
        "okrs/2026-Q4/payments/dash.md:13:5: error[duplicate-key]: line 13 looks like a new key result: start it "
        "with '- '; without it, YAML reads its fields as more fields of the key result on line 7 "
        "('id', 'title', 'owner' twice)",
        "okrs/2026-Q4/payments/percent.md:13:17: error[schema]: key result 'latency' field 'confidence': "
        "confidence is 0 to 1: did you mean 0.75 (75%)?",
        "okrs/2026-Q4/payments/tab.md:12:1: error[front-matter]: YAML syntax error: line 12 is indented with a tab; "
        "indent with spaces (YAML does not allow tabs in indentation)",
    ]


def test_a_copied_file_and_a_departed_owner_as_of_a_day(repo, valid_objective, people_yaml):
    repo.write("people.yaml", people_yaml.replace("  bob: {name: ", "  bob: {left: 2026-11-15, name: "))
    repo.objective("2027-Q1/payments/checkout.md", valid_objective.replace("owner: bob", "owner: dan"))
    repo.objective("2026-Q3/payments/done.md", valid_objective.replace("period: 2026-Q4", "period: 2026-Q3"))
    run = check(repo, "--as-of", "2026-11-20")
    assert run.code == 1
    assert run.lines == [
        "okrs/2027-Q1/payments/checkout.md:5:9: error[path-mismatch]: period '2026-Q4' does not match the folder "
        "okrs/2027-Q1/ the file is in; move the file to okrs/2026-Q4/payments/ or set period: 2027-Q1",
    ]  # bob left on 2026-11-15 but owns a key result of the closed 2026-Q3 only
    repo.objective("2026-Q4/payments/live.md", valid_objective)
    run = check(repo, "--as-of", "2026-11-20")
    assert "okrs/2026-Q4/payments/live.md:9:12: error[owner-left]: key result 'latency': owner 'bob' left on " \
           "2026-11-15 (in okrs/people.yaml), but 2026-Q4 runs until 2026-12-31; hand it over: did you mean their " \
           "team lead 'alice'?" in run.lines
    copied = [line for line in run.lines if "path-mismatch" in line]
    assert len(run.lines) == 2 and len(copied) == 1
    before = check(repo, "--as-of", "2026-11-14")  # the day before bob left: only the copied file
    assert (before.code, before.lines) == (1, copied)
