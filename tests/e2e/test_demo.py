"""`okrs demo`: a sample repository that checks clean, with a rich and repeatable history."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from gitrepo import git

from generator.cli.main import main
from generator.config import load_config
from generator.demo.repository import create_demo
from generator.history.queries import History
from generator.history.walk import read_history
from generator.reading.loader import load_repository

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "okrs-demo"
    assert main(["demo", str(target), "--weeks", "7", "--objectives", "12", "--seed", "3",
                 "--root", str(ROOT)]) == 0
    return target


@pytest.fixture(scope="module")
def history(demo: Path) -> History:
    return read_history(load_config(demo))


def test_it_checks_clean(demo: Path, capsys) -> None:
    capsys.readouterr()
    assert main(["check", "--root", str(demo)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 errors, 0 warnings" in err
    repository = load_repository(load_config(demo))
    planned = [o for o in repository.objectives.values() if o.period == "2026-Q4" and not o.carried_from]
    assert len(planned) == 12  # --objectives: the period's own; the previous period and carried ones come on top


def test_a_closed_previous_quarter_with_retrospectives_and_a_carried_objective(demo: Path, history: History) -> None:
    objectives = load_repository(load_config(demo)).objectives
    previous = {i: o for i, o in objectives.items() if o.period == "2026-Q3"}
    statuses = Counter(o.declared_status for o in previous.values())
    assert statuses["dropped"] == 1 and statuses["done"] >= 1
    for objective in previous.values():
        assert "## Retrospective" in objective.body and "Replace this line" not in objective.body
        if objective.declared_status == "dropped":
            assert objective.score is None
        else:
            assert objective.score is not None  # and okrs check (above) found no score-mismatch
    scores = sorted(o.score for o in previous.values() if o.score is not None)
    assert scores[0] < 0.4 <= scores[-1]  # a miss to learn from, and more
    carried = [o for o in objectives.values() if o.carried_from]
    assert carried and all(objectives[o.carried_from].declared_status == "active" for o in carried)
    for objective in carried:
        old = objectives[objective.carried_from]
        assert (objective.period, objective.owner, objective.team) == ("2026-Q4", old.owner, old.team)
        old_values = {kr.id: kr.value for kr in old.key_results}
        assert all(kr.start == old_values[kr.id] for kr in objective.key_results if kr.type == "metric")
    # Closed on the Monday after the quarter ended, in 2026-W41: the scores appear in that week.
    before, after = history.snapshot("2026-W40"), history.snapshot("2026-W41")
    assert all(before[i].score is None and after[i].score == o.score for i, o in previous.items())


def test_a_person_who_left_owns_only_closed_key_results_and_would_fail_an_active_one(demo: Path, tmp_path: Path,
                                                                                      capsys) -> None:
    repository = load_repository(load_config(demo))
    departed = {i: p for i, p in repository.people.persons.items() if p.left is not None}
    assert len(departed) == 1
    (ident, person), = departed.items()
    owned = [(o, kr) for o in repository.objectives.values() for kr in o.key_results if kr.owner == ident]
    assert owned and all(o.period == "2026-Q3" for o, _ in owned)  # closed before the demo's period
    period_ends = {o.period for o, _ in owned}
    assert person.left.isoformat() == "2026-09-30" and period_ends == {"2026-Q3"}
    # The same person as the owner of a key result of the running period: owner-left.
    current = next(o for o in repository.objectives.values() if o.period == "2026-Q4" and not o.carried_from
                   and o.team != "company")
    path = demo / current.path
    text = path.read_text()
    first_owner = current.key_results[0].owner
    changed = text.replace(f"    owner: {first_owner}\n", f"    owner: {ident}\n", 1)  # a key result's owner
    assert changed != text
    path.write_text(changed)
    try:
        capsys.readouterr()
        assert main(["check", "--root", str(demo), "--as-of", "2026-11-23"]) == 1
        out = capsys.readouterr().out
        assert "error[owner-left]" in out and current.path in out
    finally:
        path.write_text(text)


def test_it_copies_the_site_configuration(demo: Path) -> None:
    for item in ("mkdocs.yml", "schema/objective.schema.json", "schema/people.schema.json"):
        assert (demo / item).read_bytes() == (ROOT / item).read_bytes()
    copied = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "site_overrides").rglob("*") if p.is_file())
    assert copied and all((demo / path).is_file() for path in copied)
    assert git(demo, "status", "--porcelain") == ""  # everything is committed
    assert git(demo, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_weekly_check_ins_by_different_authors(demo: Path) -> None:
    log = git(demo, "log", "--format=%an|%ae|%aI|%cI|%s").splitlines()
    authors = Counter(line.split("|")[0] for line in log)
    assert len(authors) >= 5
    assert all(line.split("|")[2] == line.split("|")[3] for line in log)  # author date = committer date
    assert log[-1].endswith("|Set up the 2026-Q4 OKRs")
    assert sum("|Check in " in line for line in log) >= 7 * 12 // 2


def test_the_history_has_every_kind_of_event(history: History) -> None:
    assert history.available and not history.warnings
    assert [w.id for w in history.weeks] == [f"2026-W{n}" for n in range(39, 47)]
    changes = [c for week in history.weeks for c in history.changes_in_week(week)]
    found = {(c.kind, c.key_result is None) for c in changes}
    for expected in [("added", True), ("moved", True), ("removed", False), ("owner", False), ("target", False),
                     ("status", True), ("progress", False), ("confidence", False), ("note", False)]:
        assert expected in found, expected
    [moved] = [c for c in changes if c.kind == "moved"]
    log = history.objective_log(moved.after)
    assert log[0].kind == "added" and log[0].week == "2026-W39"  # the rename kept its history
    renamed = history.snapshot(history.weeks[-1])[moved.after]
    assert history.series(moved.after, renamed.key_results[0].id)[0].date.isoformat() == "2026-09-21"
    assert [c.direction for c in changes if c.kind == "target" and c.field == "target"] == ["eased"]


def test_same_seed_same_commits(tmp_path: Path, demo: Path) -> None:
    again = tmp_path / "again"
    create_demo(again, weeks=7, objectives=12, seed=3, template_root=ROOT)
    assert git(again, "rev-parse", "HEAD") == git(demo, "rev-parse", "HEAD")
    other = tmp_path / "other"
    create_demo(other, weeks=7, objectives=12, seed=4, template_root=ROOT)
    assert git(other, "rev-parse", "HEAD") != git(demo, "rev-parse", "HEAD")


def test_exact_number_of_check_ins_for_benchmarks(tmp_path: Path) -> None:
    create_demo(tmp_path / "bench", weeks=3, objectives=20, seed=1, commits=45, template_root=ROOT)
    subjects = git(tmp_path / "bench", "log", "--format=%s").splitlines()
    assert sum(s.startswith("Check in ") for s in subjects) == 45


def test_a_long_demo_uses_a_longer_period(tmp_path: Path) -> None:
    create_demo(tmp_path / "long", weeks=20, objectives=3, seed=1, template_root=ROOT)
    assert (tmp_path / "long" / "okrs" / "2026-H2").is_dir()
    assert main(["check", "--root", str(tmp_path / "long")]) == 0


def test_without_a_template_repository_it_uses_the_checkout(tmp_path: Path) -> None:
    create_demo(tmp_path / "d", weeks=1, objectives=1, seed=1, template_root=tmp_path / "nowhere")
    assert (tmp_path / "d" / "mkdocs.yml").read_bytes() == (ROOT / "mkdocs.yml").read_bytes()
    assert main(["check", "--root", str(tmp_path / "d")]) == 0


def test_it_refuses_a_non_empty_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "keep.txt").write_text("mine\n")
    assert main(["demo", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"okrs: {tmp_path} is not empty: okrs demo writes a new repository; "
                                       "give it a new or empty folder\n")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_it_refuses_nonsense_sizes(tmp_path: Path, capsys) -> None:
    assert main(["demo", str(tmp_path / "x"), "--weeks", "0"]) == 2
    assert capsys.readouterr().err == "okrs: --weeks must be 1 or more\n"
    assert not (tmp_path / "x").exists()


def test_it_never_copies_the_current_directorys_docs(tmp_path: Path) -> None:
    # Someone runs `okrs demo` in their own project: its docs/ must not end up in the demo.
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "private-notes.md").write_text("# not for the demo\n")
    target = tmp_path / "d"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "demo", str(target), "--weeks", "1",
                             "--objectives", "1"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not (target / "docs" / "private-notes.md").exists()
    history = git(target, "log", "--all", "--name-only", "--format=")
    assert "private-notes" not in history


def test_installed_without_a_checkout_the_demo_takes_the_packaged_templates(tmp_path: Path, monkeypatch) -> None:
    """A regular `pip install .` has no checkout beside the package: the demo takes `okrs
    init`'s mkdocs.yml and the packaged theme overrides (its stylesheet and scripts).
    test_installed.py builds such a demo from a real install."""
    from generator.demo import repository

    original = repository.template_files
    monkeypatch.setattr(repository, "template_files",
                        lambda root: original(root, checkout=tmp_path / "no-checkout"))
    files = repository.template_files(tmp_path / "nowhere")
    assert files["docs/.gitkeep"] == b""
    assert [name for name in files if name.startswith("docs/")] == ["docs/.gitkeep"]
    assert b"custom_dir: site_overrides" in files["mkdocs.yml"]
    assert {"site_overrides/main.html", "site_overrides/assets/okrs.css"} <= files.keys()
    target = tmp_path / "demo"
    create_demo(target, weeks=2, objectives=3, template_root=tmp_path / "nowhere")
    assert (target / "site_overrides" / "assets" / "okrs.css").read_bytes() == files["site_overrides/assets/okrs.css"]
    assert (target / "mkdocs.yml").read_bytes() == files["mkdocs.yml"]
