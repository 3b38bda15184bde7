"""`okrs init`, `okrs codeowners --check`, the check without MkDocs, and the README's examples."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import run_okrs

REPO = Path(__file__).resolve().parents[2]


def _contains_northwind(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and b"northwind" in p.read_bytes().lower()]


def test_init_checks_builds_and_brings_nothing_of_the_example(tmp_path: Path) -> None:
    repo = tmp_path / "acme"
    assert run_okrs("init", repo, "--org", "Acme").returncode == 0
    assert not (repo / ".git").exists()  # no history comes along: no commit at all
    check = run_okrs("check", "--root", repo)
    assert check.returncode == 0 and "0 errors, 0 warnings" in check.stderr, check.stderr
    build = run_okrs("build", "--root", repo)
    assert build.returncode == 0, build.stderr
    assert (repo / "site" / "index.html").is_file()
    assert "Acme OKRs" in (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert _contains_northwind(repo) == []
    assert "okrs @ git+" in (repo / "requirements.txt").read_text(encoding="utf-8")


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    result = run_okrs("init", tmp_path, "--org", "Acme")
    assert result.returncode == 2 and "not an empty folder" in result.stderr


def test_codeowners_check_follows_people(tmp_path: Path) -> None:
    repo = tmp_path / "acme"
    run_okrs("init", repo, "--org", "Acme")
    assert run_okrs("codeowners", "--check", "--root", repo).returncode == 1
    assert run_okrs("codeowners", "--root", repo).returncode == 0
    assert run_okrs("codeowners", "--check", "--root", repo).returncode == 0
    people = repo / "okrs" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("# github: your-handle", "github: you-gh"),
                      encoding="utf-8")
    stale = run_okrs("codeowners", "--check", "--root", repo)
    assert stale.returncode == 1 and "is out of date (" in stale.stderr, stale.stderr


def test_check_runs_without_the_site_stack() -> None:
    code = ("import sys\nfor name in ('mkdocs', 'material', 'jinja2', 'markdown'): sys.modules[name] = None\n"
            "from generator.cli.main import main\nsys.exit(main(['check', '--root', sys.argv[1]]))")
    result = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_readme_examples_fit_together(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    objective = re.search(r"```markdown\n(---\nobjective:.*?)```", readme, re.S).group(1)
    people = re.search(r"```yaml\n(people:\n.*?)```", readme, re.S).group(1)
    source = tmp_path / "okrs"
    (source / "2026-Q4" / "payments").mkdir(parents=True)
    (source / "people.yaml").write_text(people, encoding="utf-8")
    (source / "2026-Q4" / "payments" / "checkout.md").write_text(objective, encoding="utf-8")
    result = run_okrs("check", "--root", tmp_path)
    assert result.returncode == 0 and "0 errors" in result.stderr, result.stdout + result.stderr


def test_the_new_repositorys_workflows_pin_the_same_actions_as_ours():
    """An organisation starts with actions pinned by commit SHA, the ones this repository uses."""
    from datetime import date

    from generator.lifecycle.init import repository_files

    pinned = re.compile(r"uses: ([\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$", re.M)
    ours = {}
    for workflow in (Path(__file__).resolve().parents[2] / ".github" / "workflows").glob("*.yml"):
        ours.update(pinned.findall(workflow.read_text(encoding="utf-8")))
    files = repository_files(org="Acme", site_url=None, repo_url=None, today=date(2026, 11, 2))
    workflows = {path: text.decode() for path, text in files.items() if path.startswith(".github/workflows/")}
    assert len(workflows) == 4
    for path, text in workflows.items():
        uses = re.findall(r"uses: (\S+)", text)
        found = pinned.findall(text)
        assert uses and len(found) == len(uses), (path, uses)  # every action pinned, with its version
        assert all(ours[action] == sha for action, sha in found), path
