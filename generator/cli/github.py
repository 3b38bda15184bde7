"""`okrs check` in GitHub Actions: paths from the repository's top level, the files a pull
request changes, and the job summary.

GitHub places an annotation by its path from the top of the repository it checked out;
`okrs` reports paths from ``--root``, which may be a subfolder of it.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

from generator.reading.findings import Finding


class ChangedFilesError(Exception):
    """`--changed-from` names a revision git cannot compare with."""


def top_level(root: Path) -> Path:
    """The git work tree holding ``root``; the current directory when there is none
    (no git, or not a repository): GitHub's workspace is the checkout then."""
    try:
        result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root,
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return Path.cwd().resolve()
    if result.returncode or not result.stdout.strip():
        return Path.cwd().resolve()
    return Path(result.stdout.strip()).resolve()


def path_prefix(root: Path, top: Path) -> str:
    """What goes before a path from ``root`` to make it a path from ``top``: ``sub/`` or ``""``."""
    try:
        rel = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return ""  # --root outside the work tree: its own paths are the best we have
    return "" if rel in ("", ".") else rel + "/"


def from_top_level(findings: list[Finding], prefix: str) -> list[Finding]:
    return [dataclasses.replace(f, path=prefix + f.path) for f in findings] if prefix else findings


def changed_files(top: Path, revision: str) -> frozenset[str]:
    """Paths (from ``top``) that differ between ``revision`` and the work tree."""
    if revision.startswith("-"):
        raise ChangedFilesError(f"--changed-from {revision}: not a revision")
    try:
        result = subprocess.run(["git", "diff", "--name-only", "--no-renames", "-z", revision, "--"],
                                cwd=top, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        raise ChangedFilesError(f"--changed-from {revision}: git diff failed: {err}") from None
    if result.returncode:
        raise ChangedFilesError(f"--changed-from {revision}: {result.stderr.strip() or 'git diff failed'}")
    return frozenset(name for name in result.stdout.split("\0") if name)


def changed_files_from_env() -> frozenset[str]:
    """``OKRS_CHANGED_FILES``: paths from the top level, one a line (as `git diff --name-only` prints)."""
    return frozenset(line.strip() for line in os.environ.get("OKRS_CHANGED_FILES", "").splitlines() if line.strip())


def append_to_summary(text: str) -> bool:
    """Append to the job summary when there is one (``GITHUB_STEP_SUMMARY``); False when not."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(text)
    return True
