"""`okrs new`: a new objective file at the conventional path, valid, never overwriting."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.cli.main import main
from generator.lifecycle.scaffold import slugify

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT / "okrs", tmp_path / "okrs")
    shutil.copy(PROJECT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_creates_a_file_that_passes_the_check(root, capsys):
    code, out, err = run(capsys, "--root", str(root), "--team", "payments", "--owner", "priya",
                         "--period", "2026-Q4", "Make refunds instant: <90 s!")
    assert (code, err) == (0, "")
    assert out == "okrs/2026-Q4/payments/make-refunds-instant-90-s.md\n"
    text = (root / out.strip()).read_text(encoding="utf-8")
    assert 'objective: "Make refunds instant: <90 s!"' in text
    assert text.count("owner: priya") == 2  # the objective and its key result skeleton
    assert main(["check", "--root", str(root)]) == 0
    capsys.readouterr()


def test_refuses_to_overwrite(root, capsys):
    args = ("--root", str(root), "--team", "payments", "--owner", "priya", "--period", "2026-Q4", "Same title")
    assert run(capsys, *args)[0] == 0
    path = root / "okrs/2026-Q4/payments/same-title.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err == "okrs: okrs/2026-Q4/payments/same-title.md already exists; not overwriting it (choose another title)\n"
    assert path.read_text(encoding="utf-8").endswith("Edited by hand.\n")


@pytest.mark.parametrize("flag, value, message", [
    ("--team", "paymnets", "okrs: unknown team 'paymnets'; did you mean 'payments'?\n"),
    ("--owner", "pria", "okrs: unknown person 'pria'; did you mean 'priya'?\n"),
])
def test_unknown_team_or_person_is_a_usage_error_with_a_suggestion(root, capsys, flag, value, message):
    args = {"--team": "payments", "--owner": "priya"}
    args[flag] = value
    code, out, err = run(capsys, "--root", str(root), "--team", args["--team"], "--owner", args["--owner"], "Title")
    assert (code, out, err) == (2, "", message)
    assert not list((root / "okrs").rglob("title.md"))


def test_an_invalid_period_is_refused_before_writing(root, capsys):
    code, out, err = run(capsys, "--root", str(root), "--team", "payments", "--owner", "priya",
                         "--period", "2026-Q5", "Title")
    assert code == 2 and "error[period-invalid]" in err
    assert not (root / "okrs/2026-Q5").exists()


def test_period_defaults_to_the_current_quarter(root, capsys):
    zone = ZoneInfo(re.search(r"^ *timezone: *(\S+)", (root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1])

    def this_quarter() -> str:
        today = datetime.now(zone)
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"

    before = this_quarter()
    code, out, _ = run(capsys, "--root", str(root), "--team", "growth", "--owner", "sofia", "Grow")
    expected = {f"okrs/{quarter}/growth/grow.md\n" for quarter in (before, this_quarter())}  # run across midnight
    assert code == 0 and out in expected


@pytest.mark.parametrize("title, slug", [
    ("Make checkout boringly reliable", "make-checkout-boringly-reliable"),
    ("Déjà vu: 100% uptime!", "deja-vu-100-uptime"),
    ("!!!", "objective"),
    ("a" * 70 + " tail", "a" * 60),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize("period", ["/abs", "../x", "2026-Q4/../../x", "2026-Q4/sub", ""])
def test_a_period_that_is_not_one_folder_name_is_refused(root, capsys, period):
    # The period becomes a folder under okrs/: an absolute path or ../ would write elsewhere.
    before = sorted(p for p in root.parent.rglob("*"))
    code, out, err = run(capsys, "--root", str(root), "--team", "payments", "--owner", "priya",
                         "--period", period, "Title")
    if period == "":  # empty means the default: the current quarter
        assert code == 0
        return
    assert (code, out) == (2, "")
    assert err == (f"okrs: --period {period!r} is not a period name like 2026-Q4, 2026-H1 or 2026 "
                   "(one folder name: letters, digits, - and _)\n")
    assert sorted(p for p in root.parent.rglob("*")) == before
    assert not Path("/abs").exists()
