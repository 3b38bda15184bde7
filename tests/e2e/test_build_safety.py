"""`okrs build` replaces only a site folder that an earlier `okrs build` made.

The swap deletes the folder it replaces (or, with a build cache, keeps it beside the site,
`.site.spare`, for the next build to build into), so every other folder (someone's files, the
hand-written docs, a git repository, a file, a folder reached through a link) is refused
with exit 2 and left byte for byte as it was. Real CLI runs on copies of this repository:
refusals in-process (no site is built), builds in a subprocess.
"""

from __future__ import annotations

import resource
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import AS_OF, build_env, copy_repository, okrs_command, run_okrs, tree_snapshot
from gitrepo import GitRepo

from generator.cli.main import main

MARKER = ".okrs-site"  # the file that says a folder is a site okrs build made (a documented name)

NOT_OURS = "is not a site folder made by okrs build (no .okrs-site marker)"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of someone else's files, beside the repository."""
    folder = tmp_path / "outside"
    (folder / "notes").mkdir(parents=True)
    (folder / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (folder / "notes" / "todo.txt").write_text("back this up\n", encoding="utf-8")
    return folder


def built(root: Path, site: Path | None = None) -> subprocess.CompletedProcess:
    result = run_okrs("build", "--root", root, "--as-of", AS_OF, *(["--site-dir", site] if site else []))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def refused(capsys, root: Path, site_dir: Path | str) -> str:
    """Run `okrs build --site-dir`; it must exit 2 with one `okrs: ...` line. Returns that line."""
    status = main(["build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site_dir)])
    err = capsys.readouterr().err
    assert status == 2, err
    lines = [line for line in err.splitlines() if line.startswith("okrs: ") and "warning" not in line]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def snapshot(*folders: Path) -> list[dict]:
    return [tree_snapshot(folder) for folder in folders]


# --- 1. what is refused --------------------------------------------------------------------------


def test_a_folder_of_someone_elses_files_is_refused(capsys, root: Path, outside: Path) -> None:
    before = snapshot(root, outside)
    message = refused(capsys, root, outside)
    assert NOT_OURS in message and "choose an empty or new folder, or delete it yourself" in message
    assert snapshot(root, outside) == before


def test_a_site_link_to_an_outside_folder_is_refused(capsys, root: Path, outside: Path) -> None:
    (root / "site").symlink_to(outside, target_is_directory=True)
    before = snapshot(root, outside)
    message = refused(capsys, root, root / "site")
    assert "symbolic link" in message
    assert snapshot(root, outside) == before
    # The default site folder is checked the same way.
    assert main(["build", "--root", str(root), "--as-of", AS_OF]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert snapshot(root, outside) == before and (root / "site").is_symlink()


def test_a_linked_folder_on_the_way_inside_the_repository_is_refused(capsys, root: Path, outside: Path) -> None:
    (root / "out").symlink_to(outside, target_is_directory=True)
    before = snapshot(root, outside)
    assert "goes through" in refused(capsys, root, root / "out" / "notes")
    assert snapshot(root, outside) == before


@pytest.mark.parametrize("name, says", [
    ("docs", "the hand-written docs_dir"),
    ("site_overrides", "the theme's custom_dir"),
    ("site_overrides/partials", "the theme's custom_dir"),
    ("docs/site", "the hand-written docs_dir"),
    ("schema", NOT_OURS),
    ("mkdocs.yml", "is a file, not a folder"),
    ("okrs/people.yaml", "would overwrite the OKR sources"),
])
def test_the_sites_own_sources_are_refused(capsys, root: Path, name: str, says: str) -> None:
    (root / "docs" / "extra.md").write_text("# A hand-written page\n", encoding="utf-8")
    (root / "site_overrides" / "partials").mkdir(exist_ok=True)
    before = snapshot(root)
    assert says in refused(capsys, root, root / name)
    assert snapshot(root) == before


def test_git_folders_are_refused(capsys, root: Path, tmp_path: Path) -> None:
    GitRepo.create(root)
    other = GitRepo.create(tmp_path / "other")  # some other repository, outside
    other.write("README.md", "mine\n")
    before = snapshot(root, other.root)
    assert "git repository" in refused(capsys, root, root / ".git")
    assert "git repository" in refused(capsys, root, root / ".git" / "refs")
    assert "git repository" in refused(capsys, root, other.root)
    assert snapshot(root, other.root) == before


def test_the_root_and_its_ancestors_are_refused(capsys, root: Path) -> None:
    before = snapshot(root)
    for folder in (root, root.parent, Path(root.anchor)):
        assert "would overwrite the OKR sources" in refused(capsys, root, folder)
    assert snapshot(root) == before


# --- what is replaced ------------------------------------------------------------------------------


def test_a_rebuild_replaces_its_own_site_and_serves_it_readable(root: Path, tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)  # an empty folder is fine
    built(root, site)
    assert (site / MARKER).is_file() and "okrs build" in (site / MARKER).read_text(encoding="utf-8")
    assert site.stat().st_mode & 0o777 == 0o755  # mkdtemp made it 0700
    (site / "stale.html").write_text("from an older build\n", encoding="utf-8")
    built(root, site)
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
    assert site.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


# --- 2. a full disk --------------------------------------------------------------------------------


def _limit_file_size() -> None:
    """In the child: no file over 500 kB (the site has a larger one). Writes fail with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (500_000, 500_000))


def test_a_write_error_during_the_build_keeps_the_previous_site(root: Path, tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    built(root, site)
    (site / "index.html").write_text("<p>the previous site</p>\n", encoding="utf-8")
    before = tree_snapshot(site)
    result = subprocess.run([*okrs_command(), "build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site)],
                            capture_output=True, text=True, env=build_env(), timeout=120,
                            preexec_fn=_limit_file_size)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "okrs: the site was not built: cannot write " in result.stderr and "File too large" in result.stderr
    assert "the previous site is untouched" in result.stderr
    assert tree_snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "a temporary folder was left behind"


def test_a_write_error_in_a_build_into_the_spare_keeps_the_previous_site(root: Path, tmp_path: Path) -> None:
    """In a git repository (with a build cache) the site a build replaced is kept beside it
    for the next build to build into; that build failing still leaves the site as it was."""
    repository = GitRepo(root)
    repository.git("init", "-q", "-b", "main")
    repository.commit("The example", date="2026-11-02T10:00:00+00:00")
    site = tmp_path / "out" / "site"
    built(root, site)
    built(root, site)
    assert sorted(p.name for p in site.parent.iterdir()) == [".site.spare", "site"]
    before = tree_snapshot(site)
    result = subprocess.run([*okrs_command(), "build", "--root", str(root), "--as-of", AS_OF, "--site-dir", str(site)],
                            capture_output=True, text=True, env=build_env(), timeout=120,
                            preexec_fn=_limit_file_size)
    assert result.returncode == 1 and "the previous site is untouched" in result.stderr, result.stderr
    assert tree_snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "the spare it took: removed, not left half built"
    built(root, site)
    assert (site / "index.html").is_file()


# --- 3. a build stopped half way -------------------------------------------------------------------


def test_a_build_stopped_between_the_renames_is_recovered(root: Path, tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    built(root, site)
    (site / "index.html").write_text("<p>the previous site</p>\n", encoding="utf-8")
    # What a build killed between its two renames leaves: the old site moved aside, the new
    # one still in its staging folder, no site/ (the process ids are long gone).
    previous, staging = site.with_name(".site.previous-999999999"), site.with_name(".site.building-999999998-x1")
    site.rename(previous)
    staging.mkdir()
    (staging / MARKER).write_text("ours\n", encoding="utf-8")
    (root / "okrs" / "people.yaml").write_text("people: [", encoding="utf-8")  # this build fails its check

    result = run_okrs("build", "--root", root, "--as-of", AS_OF, "--site-dir", site)
    assert result.returncode == 1 and "the previous site is untouched" in result.stderr, result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "<p>the previous site</p>\n"
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_leftovers_that_are_not_ours_are_left_alone(root: Path, tmp_path: Path) -> None:
    site = tmp_path / "out" / "site"
    not_ours = site.with_name(".site.previous-999999999")
    (not_ours / "keep").mkdir(parents=True)  # no marker: someone's folder with a name like ours
    built(root, site)
    assert (not_ours / "keep").is_dir()


def test_the_leftover_folders_are_ignored_by_git(tmp_path: Path) -> None:
    repository = GitRepo.create(tmp_path / "ignoring")
    repository.write(".gitignore", (Path(__file__).resolve().parents[2] / ".gitignore").read_bytes())
    for name in (".site.building-4242-k2j3h/index.html", ".site.previous-4242/index.html", ".site.spare/index.html",
                 "public/.public.building-7-abc/index.html", "site/.okrs-site"):
        repository.write(name, "x\n")
    listed = repository.git("status", "--porcelain", "--untracked-files=all").splitlines()
    assert listed == ["?? .gitignore"], listed


# --- 4. an unreadable mkdocs.yml -------------------------------------------------------------------


def _folder(path: Path) -> None:
    path.mkdir()


def _link_to_nothing(path: Path) -> None:
    path.symlink_to(path.with_name("missing.yml"))


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"site_name: caf\xe9\n")


@pytest.mark.parametrize("make", [_folder, _link_to_nothing, _not_utf8])
@pytest.mark.parametrize("command", ["check", "build"])
def test_an_unreadable_mkdocs_yml_is_a_clear_error(capsys, root: Path, command: str, make) -> None:
    (root / "mkdocs.yml").unlink()
    make(root / "mkdocs.yml")
    status = main([command, "--root", str(root)])
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.startswith(f"okrs: {root / 'mkdocs.yml'}") and "cannot read it" in err and err.count("\n") == 1, err
    assert not (root / "site").exists()
