"""`okrs checkin` on a copy of the example organisation in a real git repository: the
console script in a subprocess, `git diff` to see what it changed, and a real
pseudo-terminal for the questions it asks without a REF."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from gitrepo import GitRepo

from e2e.conftest import build_env, copy_repository, okrs_command

REF = "2026-Q4/platform/reliability#p99-latency"
FILE = "okrs/2026-Q4/platform/reliability.md"
NOTE = "Cache: rolled out #2"
# Comments the owner wrote; a check-in must leave them where they are.
COMMENTED = {
    "---\n": "---\n# Platform's reliability objective: reviewed every Monday.\n",
    "    target: 250\n": "    target: 250        # the SLO, agreed with Support\n",
    "  - id: error-rate\n": "  # error budget: see the SRE handbook\n  - id: error-rate\n",
}


def okrs(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*okrs_command(), *args, "--root", str(root)], capture_output=True, text=True,
                          env=env or build_env(), timeout=120)


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.replace("\r\n", "\n").split("---\n")[1])


def key_result(text: str, ident: str) -> dict:
    return next(kr for kr in front_matter(text)["key_results"] if kr["id"] == ident)


@pytest.fixture()
def repo(tmp_path: Path) -> GitRepo:
    root = copy_repository(tmp_path / "repo")
    made = GitRepo.create(root)
    text = made.read(FILE)
    for old, new in COMMENTED.items():
        assert old in text
        text = text.replace(old, new, 1)
    made.write(FILE, text, dedent=False)
    made.git("config", "user.name", "Farah Haddad")
    made.git("config", "user.email", "farah@example.com")
    made.commit("The example organisation", date="2026-11-02T09:00:00+00:00")
    return made


def diff_lines(repo: GitRepo) -> tuple[list[str], list[str]]:
    """The removed and added lines of `git diff` (without their - and +)."""
    diff = repo.git("diff", "-U0", "--no-color")
    lines = [line for line in diff.splitlines() if not line.startswith(("---", "+++", "@@", "diff ", "index "))]
    return [l[1:] for l in lines if l.startswith("-")], [l[1:] for l in lines if l.startswith("+")]


def test_the_weekly_check_in_changes_exactly_three_lines(repo: GitRepo) -> None:
    before = repo.read(FILE)
    result = okrs(repo.root, "checkin", REF, "--current", "480", "--confidence", "0.7", "--note", NOTE)
    assert result.returncode == 0, result.stderr
    removed, added = diff_lines(repo)
    assert removed == ["    current: 340", "    confidence: 0.75",
                       "    note: " + key_result(before, "p99-latency")["note"]]
    assert len(added) == 3 and [a.split(":")[0] for a in added] == ["    current", "    confidence", "    note"]
    after = repo.read(FILE)
    assert key_result(after, "p99-latency") == {**key_result(before, "p99-latency"),
                                                "current": 480, "confidence": 0.7, "note": NOTE}
    for commented in COMMENTED.values():  # every comment still there, on its line
        assert commented in after
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new) and len([i for i, (a, b) in enumerate(zip(old, new)) if a != b]) == 3
    assert repo.git("status", "--porcelain") == f"M {FILE}"
    check = okrs(repo.root, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "p99-latency" in result.stdout and "340 ms → 480 ms" in result.stdout


def test_an_invalid_value_writes_nothing_and_prints_the_located_finding(repo: GitRepo) -> None:
    before = (repo.root / FILE).read_bytes()
    result = okrs(repo.root, "checkin", REF, "--confidence", "7", "--note", "almost")
    assert result.returncode == 1
    line = next(i for i, l in enumerate(before.decode().splitlines(), 1) if l.strip().startswith("confidence: 0.75"))
    assert re.search(rf"^{re.escape(FILE)}:{line}:\d+: error\[[a-z-]+\]: .*confidence", result.stdout, re.M), result.stdout
    assert "nothing written" in result.stderr or "unchanged" in result.stderr
    assert (repo.root / FILE).read_bytes() == before
    assert repo.git("status", "--porcelain") == ""


def test_commit_commits_that_file_alone_with_the_check_in_message(repo: GitRepo) -> None:
    other = "okrs/2026-Q4/platform/developer-experience.md"
    repo.edit(other, "---\n", "---\n# an edit in progress, not part of the check-in\n")
    title = key_result(repo.read(FILE), "p99-latency")["title"]
    result = okrs(repo.root, "checkin", REF, "--current", "480", "--commit")
    assert result.returncode == 0, result.stderr
    assert repo.git("log", "-1", "--format=%s") == f"Check-in: {title}: 340 ms → 480 ms"
    assert repo.git("show", "--name-only", "--format=", "HEAD") == FILE
    assert repo.git("log", "-1", "--format=%ae") == "farah@example.com"
    assert repo.git("diff", "--name-only") == other  # still there, still uncommitted
    assert repo.git("diff", "--cached", "--name-only") == ""


def test_commit_refuses_a_file_with_other_uncommitted_edits(repo: GitRepo) -> None:
    repo.edit(FILE, "    unit: ms\n", "    unit: ms   # half-typed edit\n")
    before = (repo.root / FILE).read_bytes()
    result = okrs(repo.root, "checkin", REF, "--current", "480", "--commit")
    assert result.returncode == 2 and "uncommitted changes" in result.stderr
    assert (repo.root / FILE).read_bytes() == before
    assert repo.git("rev-list", "--count", "HEAD") == "1"


@pytest.mark.parametrize("note", [
    "Desktop shipped: +0.7 points", "#1 priority done", 'She said "ship it" and it\'s out',
    "Größe 10 µs — 完成 ✓", "yes", "- not a list", "  spaced  ", "null", "{braces}, [brackets]", "50%",
])
def test_notes_that_need_quotes_read_back_exactly(repo: GitRepo, note: str) -> None:
    result = okrs(repo.root, "checkin", REF, "--note", note)
    assert result.returncode == 0, result.stderr
    assert key_result(repo.read(FILE), "p99-latency")["note"] == note
    removed, added = diff_lines(repo)
    assert len(removed) == len(added) == 1 and added[0].startswith("    note: ")
    assert okrs(repo.root, "check").returncode == 0


def test_a_missing_confidence_is_added_after_the_last_field(repo: GitRepo) -> None:
    repo.edit(FILE, "    confidence: 0.75\n", "")
    repo.commit("No confidence yet", date="2026-11-03T09:00:00+00:00")
    result = okrs(repo.root, "checkin", REF, "--confidence", "0.6")
    assert result.returncode == 0, result.stderr
    removed, added = diff_lines(repo)
    assert removed == [] and added == ["    confidence: 0.6"]
    lines = repo.read(FILE).splitlines()
    note_line = next(i for i, l in enumerate(lines) if l.startswith("    note: Connection pooling"))
    assert lines[note_line + 1] == "    confidence: 0.6"  # after the key result's last field
    assert lines[note_line + 2] == "  # error budget: see the SRE handbook"
    assert okrs(repo.root, "check").returncode == 0


def test_done_on_a_milestone(repo: GitRepo) -> None:
    ref = "2026-Q4/platform/reliability#alert-runbooks"
    result = okrs(repo.root, "checkin", ref, "--done", "false")
    assert result.returncode == 0, result.stderr
    assert diff_lines(repo) == (["    done: true"], ["    done: false"])
    assert key_result(repo.read(FILE), "alert-runbooks")["done"] is False
    wrong = okrs(repo.root, "checkin", ref, "--current", "3")
    assert wrong.returncode == 2 and "milestone" in wrong.stderr and "--done" in wrong.stderr
    wrong = okrs(repo.root, "checkin", REF, "--done", "true")
    assert wrong.returncode == 2 and "--current" in wrong.stderr


@pytest.mark.parametrize(("ref", "suggestion"), [
    ("2026-Q4/platform/reliabilty#p99-latency", "did you mean '2026-Q4/platform/reliability'?"),
    ("2026-Q4/platform/reliability#p99-latenc", "did you mean 'p99-latency'?"),
    ("2026-Q4/platform/reliability", "OBJECTIVE_ID#KR_ID"),
    ("../../etc/passwd#x", "no objective"),
])
def test_an_unknown_ref_exits_2_with_a_suggestion(repo: GitRepo, ref: str, suggestion: str) -> None:
    result = okrs(repo.root, "checkin", ref, "--current", "480")
    assert result.returncode == 2
    assert suggestion in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert repo.git("status", "--porcelain") == ""


def test_a_file_with_crlf_line_endings_stays_crlf(repo: GitRepo) -> None:
    crlf = repo.read(FILE).replace("    confidence: 0.75\n", "").replace("\n", "\r\n").encode("utf-8")
    (repo.root / FILE).write_bytes(crlf)
    repo.commit("CRLF, as a Windows editor saves it; no confidence yet", date="2026-11-03T09:00:00+00:00")
    before = (repo.root / FILE).read_bytes()
    result = okrs(repo.root, "checkin", REF, "--current", "480", "--confidence", "0.7", "--note", NOTE)
    assert result.returncode == 0, result.stderr
    after = (repo.root / FILE).read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") == before.count(b"\r\n") + 1  # the added line too
    assert key_result(after.decode(), "p99-latency")["note"] == NOTE
    removed, added = diff_lines(repo)
    assert [line.rstrip("\r") for line in removed] == ["    current: 340", "    note: " + key_result(
        before.decode(), "p99-latency")["note"]]
    assert [line.rstrip("\r") for line in added] == ["    current: 480", f"    note: '{NOTE}'", "    confidence: 0.7"]
    assert okrs(repo.root, "check").returncode == 0


def test_without_a_ref_and_no_terminal_it_says_what_to_give(repo: GitRepo) -> None:
    result = subprocess.run([*okrs_command(), "checkin", "--root", str(repo.root)], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, env=build_env(), timeout=60)
    assert result.returncode == 2 and "OBJECTIVE_ID#KR_ID" in result.stderr


# -- asked on a terminal ----------------------------------------------------------------

FUTURE = "okrs/2099-Q1/platform/terminal-check-in.md"
FUTURE_TEXT = """\
---
objective: Check in from a terminal
owner: farah
team: platform
period: 2099-Q1
key_results:
  - id: builds
    title: Build time under 5 minutes
    owner: farah
    start: 20
    target: 5
    current: 12   # minutes, median of the week
    unit: min
  - id: cache
    title: Remote build cache enabled
    owner: farah
    type: milestone
    done: false
  - id: someone-else
    title: Not Farah's
    owner: kenji
    start: 0
    target: 1
---
A period that is still open whenever the test runs.
"""
ANSWERS = {  # (key result title, prompt) -> what Farah types; everything else: Enter
    ("Build time under 5 minutes", "current"): "9",
    ("Build time under 5 minutes", "confidence"): "0.8",
    ("Build time under 5 minutes", "note"): "Remote cache: 30% hits",
    ("Remote build cache enabled", "done?"): "y",
}


def test_asks_about_each_of_my_active_key_results_on_a_terminal_and_commits_once(repo: GitRepo) -> None:
    repo.write(FUTURE, FUTURE_TEXT, dedent=False)
    repo.commit("A future objective", date="2026-11-05T09:00:00+00:00")
    primary, secondary = os.openpty()
    process = subprocess.Popen([*okrs_command(), "checkin", "--commit", "--root", str(repo.root)],
                               stdin=secondary, stdout=secondary, stderr=secondary, env=build_env(),
                               close_fds=True)
    os.close(secondary)
    transcript, asked = _converse(primary, process)
    assert process.wait(timeout=30) == 0, transcript
    os.close(primary)
    assert ("Not Farah's", "current") not in asked, transcript  # only her own key results
    assert {k for k in ANSWERS} <= set(asked), transcript
    after = repo.read(FUTURE)
    assert key_result(after, "builds") | {} == {**key_result(FUTURE_TEXT, "builds"), "current": 9, "confidence": 0.8,
                                               "note": "Remote cache: 30% hits"}
    assert key_result(after, "cache")["done"] is True
    assert "    current: 9   # minutes, median of the week" in after.splitlines()
    assert repo.git("log", "-1", "--format=%s") == "Check-in: 2 key results"
    assert repo.git("show", "--name-only", "--format=", "HEAD") == FUTURE
    body = repo.git("log", "-1", "--format=%b")
    assert "Build time under 5 minutes: 12 min → 9 min" in body and "Remote build cache enabled: not done → done" in body
    assert repo.git("status", "--porcelain") == ""


def test_a_wrong_answer_on_the_terminal_is_asked_again(repo: GitRepo) -> None:
    repo.write(FUTURE, FUTURE_TEXT, dedent=False)
    repo.commit("A future objective", date="2026-11-05T09:00:00+00:00")
    # Not a number: asked again. Confidence 7 fails the check: all three asked again, Enter
    # keeping the answers just given (current 9, the note) and 0.5 replacing the 7.
    answers = iter(["abc", "9", "7", "Cache on", "", "0.5", ""])
    primary, secondary = os.openpty()
    process = subprocess.Popen([*okrs_command(), "checkin", "--as", "farah", "--root", str(repo.root)],
                               stdin=secondary, stdout=secondary, stderr=secondary, env=build_env(),
                               close_fds=True)
    os.close(secondary)
    transcript, _ = _converse(primary, process, answer=lambda title, prompt: next(answers, "")
                              if title == "Build time under 5 minutes" else "")
    assert process.wait(timeout=30) == 0, transcript
    os.close(primary)
    assert "is not a number" in transcript
    assert "confidence" in transcript and "try again" in transcript
    assert key_result(repo.read(FUTURE), "builds")["confidence"] == 0.5
    assert key_result(repo.read(FUTURE), "builds")["current"] == 9
    assert key_result(repo.read(FUTURE), "builds")["note"] == "Cache on"


def _converse(primary: int, process: subprocess.Popen, *, answer=None) -> tuple[str, list[tuple[str, str]]]:
    """Read the terminal; answer each prompt (`  NAME ...: `) for the key result last named."""
    answer = answer or (lambda title, prompt: ANSWERS.get((title, prompt), ""))
    transcript, asked, title, seen = "", [], "", 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(primary, 4096).decode("utf-8", "replace")
            except OSError:  # the other side closed: the process ended
                break
            if not chunk:
                break
            transcript += chunk
        elif process.poll() is not None:
            break
        pending = transcript[seen:]
        headers = re.findall(r"#[a-z0-9-]+: (.+?)\r?\n", pending)
        if headers:
            title = headers[-1]
        prompt = re.search(r"\n  (current|confidence|note|done\?)[^\n]*\]: $", pending)
        if prompt:
            asked.append((title, prompt.group(1)))
            os.write(primary, (answer(title, prompt.group(1)) + "\n").encode("utf-8"))
            seen = len(transcript)
    return transcript, asked
