"""`okrs close`: scores and retrospectives written into a real repository, nothing else
changed; closing an open period is refused; score-mismatch after a later edit."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from generator.cli.main import main
from gitrepo import TWO_PEOPLE, GitRepo

PROJECT = Path(__file__).resolve().parents[2]
PEOPLE = TWO_PEOPLE
# Progress 0.5 (weight 1) and a done milestone (weight 2): (0.5 + 2) / 3.
MIXED = """\
---
objective: Make checkout reliable
owner: alice   # the accountable one
team: payments
period: 2026-Q3
status: active
key_results:
  - id: latency
    title: p99 latency from 10 to 20
    owner: bob
    start: 10
    target: 20
    current: 15
  - id: drill
    title: Failover drill passes
    owner: alice
    type: milestone
    done: true
    weight: 2
---
Why this matters.
"""
# No status line, a comment after the period, CRLF line endings, a byte order mark, no
# final newline, a narrative that mentions a retrospective without the heading.
CRLF = ("\ufeff---\r\nobjective: 'Cut refund time'\r\nowner: bob\r\nteam: payments\r\n"
        "period: 2026-Q3   # the third quarter\r\nkey_results:\r\n  - id: refunds\r\n    title: Refund days 10 -> 2\r\n"
        "    owner: bob\r\n    start: 10\r\n    target: 2\r\n    current: 7\r\n---\r\nA retrospective comes later.")
DROPPED = """\
---
objective: Partner channel
owner: alice
team: payments
period: 2026-Q3
status: dropped
key_results:
  - id: partners
    title: Ten partners
    owner: alice
    start: 0
    target: 10
    current: 2
---
We stopped this in August.
"""
ALREADY = """\
---
objective: Fraud down
owner: alice
team: payments
period: 2026-Q3
status: done
key_results:
  - id: fraud
    title: Fraud rate 0.9 to 0.5
    owner: alice
    start: 0.9
    target: 0.5
    current: 0.5
---
Context.

## Retrospective

We wrote this ourselves, in July.
"""
NEXT_QUARTER = MIXED.replace("2026-Q3", "2026-Q4").replace("Make checkout reliable", "Next quarter")
RETRO_HEADINGS = ["## Retrospective", "### What went well", "### What we learned", "### What we will do differently"]


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo.create(tmp_path / "repo")
    shutil.copy(PROJECT / "mkdocs.yml", repo.root / "mkdocs.yml")
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write("okrs/2026-Q3/payments/checkout.md", MIXED)
    repo.write("okrs/2026-Q3/payments/refunds.md", CRLF.encode("utf-8"))
    repo.write("okrs/2026-Q3/payments/partners.md", DROPPED)
    repo.write("okrs/2026-Q3/payments/fraud.md", ALREADY)
    repo.write("okrs/2026-Q4/payments/next.md", NEXT_QUARTER)
    repo.commit("The third quarter", date="2026-07-01T09:00:00+00:00", author="Alice Rossi")
    return repo


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def added_lines(before: bytes, after: bytes) -> list[tuple[int, list[bytes]]]:
    """(line index in the new file, the lines) of every block the edit inserted; fails
    on anything but insertions."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    blocks = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        assert tag == "insert", f"the edit {tag}s lines {old[i1:i2]!r} -> {new[j1:j2]!r}"
        blocks.append((j1, new[j1:j2]))
    return blocks


def texts(lines: list[bytes]) -> list[str]:
    return [line.decode("utf-8").rstrip("\r\n") for line in lines]


def test_close_writes_only_scores_and_retrospectives(repo, capsys):
    files = {p: (repo.root / p).read_bytes() for p in (
        "okrs/2026-Q3/payments/checkout.md", "okrs/2026-Q3/payments/refunds.md",
        "okrs/2026-Q3/payments/partners.md", "okrs/2026-Q3/payments/fraud.md", "okrs/2026-Q4/payments/next.md")}
    code, out, err = run(capsys, "close", "2026-Q3", "--as-of", "2026-10-01", "--root", str(repo.root))
    assert code == 0, err
    after = {p: (repo.root / p).read_bytes() for p in files}

    # checkout: score after the status line, the retrospective appended after a blank line.
    score = round((0.5 * 1 + 1.0 * 2) / 3, 2)
    (score_at, score_lines), (retro_at, retro_lines) = added_lines(files["okrs/2026-Q3/payments/checkout.md"],
                                                                 after["okrs/2026-Q3/payments/checkout.md"])
    old_lines = files["okrs/2026-Q3/payments/checkout.md"].decode().splitlines()
    assert texts(score_lines) == [f"score: {score:.2f}"]
    assert old_lines[score_at - 1] == "status: active"
    assert retro_at == len(old_lines) + 1  # at the end (after the new score line)
    retro = texts(retro_lines)
    assert retro[0] == "" and [line for line in retro if line.startswith("#")] == RETRO_HEADINGS

    # refunds: after the period line (no status), CRLF kept on the new lines, BOM kept.
    old, new = files["okrs/2026-Q3/payments/refunds.md"], after["okrs/2026-Q3/payments/refunds.md"]
    assert new.startswith(b"\xef\xbb\xbf---\r\n")
    refunds_score = (10 - 7) / (10 - 2)  # 0.375 -> 0.38, rounded half up
    assert f"\r\nperiod: 2026-Q3   # the third quarter\r\nscore: 0.38\r\nkey_results:".encode() in new
    assert round(refunds_score * 100 + 1e-9) == 38
    assert new.startswith(old.replace(b"quarter\r\n", b"quarter\r\nscore: 0.38\r\n"))
    tail = new[len(old) + len(b"score: 0.38\r\n"):]
    assert tail.startswith(b"\r\n\r\n## Retrospective\r\n")  # the missing final newline, a blank line
    assert b"\n" not in tail.replace(b"\r\n", b"")

    # partners (dropped): no score, but a retrospective; fraud: its own retrospective kept, a score.
    [(_, partner_lines)] = added_lines(files["okrs/2026-Q3/payments/partners.md"],
                                       after["okrs/2026-Q3/payments/partners.md"])
    assert "## Retrospective" in texts(partner_lines) and not any(l.startswith("score") for l in texts(partner_lines))
    [(at, fraud_lines)] = added_lines(files["okrs/2026-Q3/payments/fraud.md"], after["okrs/2026-Q3/payments/fraud.md"])
    assert texts(fraud_lines) == ["score: 1.00"]
    assert after["okrs/2026-Q3/payments/fraud.md"].count(b"## Retrospective") == 1
    assert after["okrs/2026-Q4/payments/next.md"] == files["okrs/2026-Q4/payments/next.md"]  # another period

    assert f"okrs/2026-Q3/payments/checkout.md:{score_at + 1}: score: {score:.2f} (delivered)\n" in out
    assert "okrs/2026-Q3/payments/refunds.md:6: score: 0.38 (missed)\n" in out
    assert "okrs/2026-Q3/payments/partners.md: no new score: dropped" in out
    assert f"okrs/2026-Q3/payments/checkout.md:{retro_at + 2}: ## Retrospective added\n" in out
    assert "closed 2026-Q3: 3 objectives scored" in err
    assert run(capsys, "check", "--root", str(repo.root))[0] == 0

    # Closing again changes nothing.
    code, out, err = run(capsys, "close", "2026-Q3", "--as-of", "2026-10-01", "--root", str(repo.root))
    assert code == 0 and "already closed: no file changed" in err
    assert {p: (repo.root / p).read_bytes() for p in files} == after


@pytest.mark.parametrize("as_of", ["2026-09-30", "2026-07-15"])
def test_closing_a_period_that_has_not_ended_is_refused(repo, capsys, as_of):
    before = {p: p.read_bytes() for p in (repo.root / "okrs").rglob("*") if p.is_file()}
    code, out, err = run(capsys, "close", "2026-Q3", "--as-of", as_of, "--root", str(repo.root))
    assert (code, out) == (2, "")
    assert err == (f"okrs: not closing: 2026-Q3 has not ended. It ends on 2026-09-30; close it from the day after "
                   f"(today is {as_of})\n")
    assert {p: p.read_bytes() for p in (repo.root / "okrs").rglob("*") if p.is_file()} == before


def test_a_bad_period_name_is_a_usage_error(repo, capsys):
    code, out, err = run(capsys, "close", "2026-Q5", "--as-of", "2027-01-01", "--root", str(repo.root))
    assert code == 2 and "'2026-Q5' is not a period" in err


def test_a_later_value_edit_is_a_score_mismatch_at_the_score_line_until_a_reason_is_given(repo, capsys):
    assert run(capsys, "close", "2026-Q3", "--as-of", "2026-10-01", "--root", str(repo.root))[0] == 0
    repo.commit("Close 2026-Q3", date="2026-10-01T09:00:00+00:00", author="Alice Rossi")
    path = "okrs/2026-Q3/payments/checkout.md"
    repo.edit(path, "    current: 15\n", "    current: 20\n")  # now (1 + 2) / 3 = 1.00
    score_line = repo.read(path).splitlines().index("score: 0.83") + 1
    code, out, err = run(capsys, "check", "--root", str(repo.root))
    assert code == 1
    assert out.startswith(f"{path}:{score_line}:8: error[score-mismatch]: score 0.83 was recorded when the period "
                          "was closed, but the key results now give 1.00")
    assert out.count("score-mismatch") == 1
    repo.edit(path, "score: 0.83\n", "score: 0.83\nscore_reason: the drill was run twice; counted once\n")
    assert run(capsys, "check", "--root", str(repo.root))[0] == 0


def test_a_score_on_a_dropped_objective_is_a_mismatch(repo, capsys):
    repo.edit("okrs/2026-Q3/payments/partners.md", "status: dropped\n", "status: dropped\nscore: 0.2\n")
    code, out, _ = run(capsys, "check", "--root", str(repo.root))
    assert code == 1 and "okrs/2026-Q3/payments/partners.md:7:8: error[score-mismatch]: score 0.20 on a dropped" in out


def test_closing_refuses_while_files_have_errors(repo, capsys):
    repo.edit("okrs/2026-Q3/payments/checkout.md", "owner: bob\n", "owner: nobody\n")
    before = repo.read("okrs/2026-Q3/payments/refunds.md")
    code, out, err = run(capsys, "close", "2026-Q3", "--as-of", "2026-10-01", "--root", str(repo.root))
    assert code == 1 and "owner-unknown" in out and "not closing 2026-Q3" in err
    assert repo.read("okrs/2026-Q3/payments/refunds.md") == before
