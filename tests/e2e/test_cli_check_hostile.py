"""`okrs check` on hostile trees, as a user runs it: links out of the repository, a
link to /proc/self/mem, a named pipe. Each is one located line, never a traceback or a
hang (the subprocess has a timeout), and the rest of the repository is still checked."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def check(root: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "--root", str(root)],
                            capture_output=True, text=True, encoding="utf-8", cwd=PROJECT, timeout=60)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def test_links_and_pipes_are_located_errors_and_the_rest_is_checked(repo, valid_objective):
    repo.objective()
    repo.objective("2026-Q4/broken.md", valid_objective.replace("owner: bob", "owner: bobb"))
    (repo.okrs / "2026-Q4/passwd.md").symlink_to("/etc/passwd")
    (repo.okrs / "2026-Q4/mem.md").symlink_to("/proc/self/mem")
    (repo.okrs / "etc").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(repo.okrs / "2026-Q4/pipe.md")
    result = check(repo.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "okrs/2026-Q4/broken.md:9:12: error[owner-unknown]: key result 'latency': owner 'bobb' is not a person "
        "in okrs/people.yaml; did you mean 'bob'? (or add 'bobb' to okrs/people.yaml)",
        "okrs/2026-Q4/mem.md:1:1: error[not-a-file]: okrs/2026-Q4/mem.md is a symbolic link, which okrs does not "
        "follow (git history and okrs diff do not see what it points to): put the file or folder itself here",
        "okrs/2026-Q4/passwd.md:1:1: error[not-a-file]: okrs/2026-Q4/passwd.md is a symbolic link, which okrs "
        "does not follow (git history and okrs diff do not see what it points to): put the file or folder itself here",
        "okrs/2026-Q4/pipe.md:1:1: error[not-a-file]: okrs/2026-Q4/pipe.md is a named pipe, not a regular file, "
        "and was not read: put a plain file here or remove it",
        "okrs/etc:1:1: error[not-a-file]: okrs/etc is a symbolic link, which okrs does not follow (git history "
        "and okrs diff do not see what it points to): put the file or folder itself here",
    ]


def test_a_symlinked_people_yaml_is_refused(repo):
    (repo.okrs / "people.yaml").unlink()
    (repo.okrs / "people.yaml").symlink_to("/proc/self/mem")
    result = check(repo.root)
    assert result.returncode == 1
    assert result.stdout.startswith("okrs/people.yaml:1:1: error[not-a-file]: okrs/people.yaml is a symbolic link")


def test_a_file_named_like_markdown_but_not_md_is_a_warning_that_passes(repo):
    repo.objective()
    repo.write("2026-Q4/notes.MD", textwrap.dedent("# Notes\n"))
    result = check(repo.root)
    assert result.returncode == 0
    assert result.stdout.startswith("okrs/2026-Q4/notes.MD:1:1: warning[ignored-file]: ")
