"""`okrs changelog` over a real git repository: formats, weeks, and where history is missing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import okr_history

from generator.cli.main import main


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("cli-changelog") / "repo"
    return root, okr_history(root)


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(["changelog", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_of_a_week(made, capsys) -> None:
    root, shas = made
    code, out, err = run(capsys, "--root", str(root), "--week", "2026-W45", "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "week": "2026-W45", "start": "2026-11-02", "end": "2026-11-08",
        "changes": [{
            "objective": "2026-Q4/payments/checkout-reliability", "key_result": "latency", "kind": "progress",
            "field": "current", "before": 650, "after": 600, "progress_before": 0.4, "progress_after": 0.5,
            "owner": "dan",
            "commits": [{"sha": shas["c9"], "author": "Dan Diaz", "date": "2026-11-08T23:30:00+00:00",
                         "subject": "Late Sunday check-in"}],
        }],
        "stale": [{"objective": "2026-Q4/platform/uptime", "key_result": "availability", "owner": "dan",
                   "last_checkin": "2026-10-22"}],
    }


def test_the_time_zone_comes_from_mkdocs_yml(made, capsys, tmp_path: Path) -> None:
    root, _ = made
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - okrs:\n      timezone: Europe/Berlin\n")
    try:
        code, out, _ = run(capsys, "--root", str(root), "--week", "2026-W45", "--format", "json")
    finally:
        (root / "mkdocs.yml").unlink()
    assert code == 0 and json.loads(out)["changes"] == []


def test_default_is_the_last_complete_week(made, capsys) -> None:
    code, out, _ = run(capsys, "--root", str(made[0]), "--as-of", "2026-11-18")
    assert code == 0
    assert out.startswith("## OKR changes in week 2026-W46 (2026-11-09 to 2026-11-15)\n")
    assert "### Stale key results" in out and "owner Dan Diaz, last check-in 2026-10-22" in out


def test_since_gives_every_week_newest_first(made, capsys) -> None:
    code, out, _ = run(capsys, "--root", str(made[0]), "--since", "2026-11-01", "--as-of", "2026-11-23",
                       "--format", "json")
    assert code == 0
    assert [week["week"] for week in json.loads(out)] == ["2026-W47", "2026-W46", "2026-W45", "2026-W44"]


def test_html_fragment_for_email(made, capsys) -> None:
    code, out, _ = run(capsys, "--root", str(made[0]), "--week", "2026-W46", "--format", "html")
    assert code == 0
    assert out.startswith('<section class="okrs-digest"') and out.rstrip().endswith("</section>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script>" not in out


def test_warnings_of_the_week_go_to_stderr(made, capsys) -> None:
    code, _, err = run(capsys, "--root", str(made[0]), "--week", "2026-W43")
    assert code == 0
    assert err.startswith("okrs: okrs/2026-Q4/platform/uptime.md:14:9: warning[history-unparsable]: at commit ")
    _, _, quiet = run(capsys, "--root", str(made[0]), "--week", "2026-W44")
    # No history warning that week; only that, without site_url in mkdocs.yml, the digest has no links.
    assert quiet.splitlines() == [line for line in quiet.splitlines() if "warning[site-url]" in line] != []


@pytest.mark.parametrize("args, message", [
    (["--week", "2026-47"], "okrs: --week: '2026-47' is not an ISO week like 2026-W47\n"),
    (["--since", "2026-11-23", "--as-of", "2026-11-24"],
     "okrs: --since 2026-11-23: no week has ended since then (as of 2026-11-24)\n"),
])
def test_bad_weeks_exit_2(made, capsys, args: list[str], message: str) -> None:
    code, out, err = run(capsys, "--root", str(made[0]), *args)
    assert (code, out, err) == (2, "", message)


def test_week_and_since_exclude_each_other(made, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["changelog", "--root", str(made[0]), "--week", "2026-W45", "--since", "2026-11-01"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_no_git_exits_2_with_the_reason(tmp_path: Path, capsys) -> None:
    (tmp_path / "okrs").mkdir()
    code, out, err = run(capsys, "--root", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == ("okrs: history is unavailable: this folder is not a git repository: history is read from the "
                   "git log; build from a clone of the repository (git clone, not a download of the files)\n")


def test_shallow_clone_exits_2_with_the_fix(made, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{made[0]}", str(clone)], check=True)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "changelog", "--root", str(clone)],
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("okrs: history is unavailable: this is a shallow clone: history needs the full log; "
                             "fetch it with `git fetch --unshallow`, and in GitHub Actions use actions/checkout "
                             "with fetch-depth: 0\n")
