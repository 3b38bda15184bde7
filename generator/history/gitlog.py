"""Tiny git wrappers for the history: open the repository, read the log once, stream blobs.

Everything goes through GitPython's ``Git`` command object (or its git executable): one
``git log`` whose output is parsed once (for a long history, one per core over parts of
the first-parent chain, side by side), and one ``git cat-file --batch`` process that
streams the changed blobs in the order the walk needs them.
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Iterable, Iterator

ZERO_SHA = "0" * 40
_FILE_MODES = ("100644", "100755")
_FIELD, _RECORD = "\x1f", "\x01"
_FORMAT = _RECORD + _FIELD.join(["%H", "%an", "%ae", "%cI", "%s"])


_NO_GIT = "git is not installed: history needs the git command; install git and build again"


class HistoryUnavailable(Exception):
    """Git history cannot be read; the message says why and how to fix it."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One line of ``git log --raw``: status letter, paths and blob ids (ZERO_SHA if none)."""

    status: str  # A, M, D, R, T (C is never asked for)
    old_path: str | None
    new_path: str | None
    old_sha: str
    new_sha: str
    new_is_file: bool = True  # a regular file, not a symlink or submodule


@dataclass(frozen=True, slots=True)
class LogEntry:
    sha: str
    author: str
    email: str
    date: datetime | None  # the committer date: when the commit landed on the branch; None if unreadable
    subject: str
    files: tuple[FileChange, ...]
    date_text: str = ""  # the date as git wrote it, for messages about a date that cannot be read


@dataclass
class GitRepository:
    git: object  # git.Git
    toplevel: Path


def open_repository(root: Path) -> GitRepository:
    """The git repository holding ``root``; HistoryUnavailable if there is none or it is shallow."""
    try:
        import git  # imported late: GitPython refuses to import when git is not installed
    except ImportError:
        raise HistoryUnavailable(_NO_GIT) from None
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HistoryUnavailable(
            "this folder is not a git repository: history is read from the git log; "
            "build from a clone of the repository (git clone, not a download of the files)") from None
    if repo.bare or repo.working_tree_dir is None:
        raise HistoryUnavailable("this is a bare git repository: build from a clone with a working tree")
    try:
        # Asked explicitly: a shallow log would silently start at the clone's depth.
        shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true" \
            or (Path(repo.common_dir) / "shallow").exists()
        has_commits = repo.head.is_valid()
    except git.GitCommandNotFound:
        raise HistoryUnavailable(_NO_GIT) from None
    except git.GitError as err:
        raise HistoryUnavailable(f"git cannot read {root}: {_stderr(err)}") from None
    if shallow:
        raise HistoryUnavailable(
            "this is a shallow clone: history needs the full log; fetch it with "
            "`git fetch --unshallow`, and in GitHub Actions use actions/checkout with fetch-depth: 0")
    if not has_commits:
        raise HistoryUnavailable("the git repository has no commits yet: history starts with the first commit")
    return GitRepository(repo.git, Path(repo.working_tree_dir))


def head_commit(repository: GitRepository) -> str:
    """The commit HEAD names now (asked once, so that every later step reads the same one)."""
    from git.exc import GitError

    try:
        return repository.git.rev_parse("--verify", "HEAD^{commit}").strip()
    except GitError as err:
        raise HistoryUnavailable(f"git cannot read HEAD: {_stderr(err)}") from None


def descends_from(repository: GitRepository, old: str, head: str) -> bool:
    """Is ``old`` on the first-parent chain of ``head`` (so the log of ``old..head`` is what
    came after it)? False when ``old`` is gone, or history was rewritten."""
    from git.exc import GitError

    if old == head:
        return True
    try:
        lines = repository.git.rev_list("--first-parent", "--parents", f"{old}..{head}").splitlines()
    except GitError:
        return False
    oldest = lines[-1].split() if lines else []
    return len(oldest) >= 2 and oldest[1] == old


def read_log(repository: GitRepository, folder: str, *, head: str = "HEAD", since: str | None = None) -> list[LogEntry]:
    """The first-parent history of ``head`` under ``folder`` (relative to the toplevel),
    oldest first; only what came after ``since`` when given.

    Renames are detected (-M); a merge shows its difference to its first parent, which
    is how its changes landed on the branch.

    The folder limits the difference (``--relative``), not the commits (a pathspec): with
    a pathspec git compares every commit's folder with its parent's twice, once to decide
    whether to show the commit and once for its files, and each comparison reads the whole
    of a changed folder (a period's thousands of team folders at 10,000 objectives). A
    commit that changed nothing in the folder has no files here and is left out, as the
    pathspec would leave it out; the paths are given from the toplevel, as before.
    """
    git = repository.git
    merges = "--diff-merges=first-parent" if git.version_info >= (2, 31) else "-m"
    command = [
        "git", "-c", "log.showSignature=false", "-c", "core.quotePath=false",
        "log", "-z", "--first-parent", "--reverse", "--raw", "-M", "--no-abbrev", merges,
        "--no-color", "--no-ext-diff", "--no-textconv", f"--format={_FORMAT}",
    ]
    prefix = folder.strip("/")
    prefix = "" if prefix in ("", ".") else prefix + "/"
    if prefix:
        command.append(f"--relative={prefix}")
    ranges = _ranges(repository, head=head, since=since)
    if len(ranges) == 1:
        outputs = [_git_output(repository, [*command, ranges[0], "--"], what="log")]
    else:
        outputs = _git_outputs(repository, [[*command, part, "--"] for part in ranges])
    return [entry for raw in outputs for entry in parse_log(raw.decode("utf-8", "replace"), prefix=prefix)
            if entry.files]


SPLIT_LOG_COMMITS = 8000  # a first-parent chain this long is read in one git log per core


def _ranges(repository: GitRepository, *, head: str, since: str | None) -> list[str]:
    """The revision ranges whose logs, one after the other, are the log of ``since..head``:
    one, or for a long chain one per core, of as many commits each. git log reads one
    commit after the other, and each commit's difference reads the whole of every folder it
    changed (at 10,000 objectives, a period's thousands of team folders): split, the parts
    run side by side."""
    from generator.runtime.parallel import available_cores

    whole = f"{since}..{head}" if since else head
    cores = min(available_cores(), 4)
    if cores < 2:
        return [whole]
    chain = _git_output(repository, ["git", "rev-list", "--first-parent", "--reverse", whole, "--"],
                        what="rev-list").split()
    if len(chain) < SPLIT_LOG_COMMITS:
        return [whole]
    bounds = [chain[len(chain) * part // cores - 1].decode("ascii") for part in range(1, cores)]
    starts = [since, *bounds]
    ends = [*bounds, head]
    return [f"{start}..{end}" if start else end for start, end in zip(starts, ends)]


def _git_output(repository: GitRepository, command: list[str], *, what: str) -> bytes:
    """The output of one git command; HistoryUnavailable("git WHAT failed: ...") if it fails."""
    from git.exc import GitError

    try:
        return repository.git.execute(command, stdout_as_string=False, strip_newline_in_stdout=False)
    except GitError as err:
        raise HistoryUnavailable(f"git {what} failed: {_stderr(err)}") from None


def _git_outputs(repository: GitRepository, commands: list[list[str]]) -> list[bytes]:
    """The outputs of the git commands, run side by side (each writes to a file of its own,
    so no pipe fills while another is read)."""
    import tempfile
    from git import Git

    runs = []
    try:
        for command in commands:
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
            process = subprocess.Popen([Git.GIT_PYTHON_GIT_EXECUTABLE or "git", *command[1:]],
                                       cwd=repository.toplevel, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            runs.append((process, out, err))
        outputs = []
        for process, out, err in runs:
            if process.wait():
                err.seek(0)
                text = err.read().decode("utf-8", "replace").strip()
                raise HistoryUnavailable(f"git log failed: {text or f'exit status {process.returncode}'}")
            out.seek(0)
            outputs.append(out.read())
        return outputs
    finally:
        for process, out, err in runs:
            if process.poll() is None:
                process.kill()
                process.wait()
            out.close()
            err.close()


def _stderr(err: Exception) -> str:
    stderr = getattr(err, "stderr", "") or ""
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else str(stderr)
    return text.strip() or str(err)


def parse_log(text: str, *, prefix: str = "") -> Iterator[LogEntry]:
    """Parse ``git log -z --raw --format=<_FORMAT>`` output; ``prefix`` goes before every
    path (the folder a ``--relative`` log gave its paths from)."""
    tokens = text.split("\0")
    header: list[str] | None = None
    files: list[FileChange] = []
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        i += 1
        if token.startswith(_RECORD):
            if header is not None:
                yield _entry(header, files)
            header, files = token[1:].split(_FIELD, 4), []
        elif token.startswith(":"):
            meta = token[1:].split(" ")
            old_mode, new_mode, old_sha, new_sha, status = meta[0], meta[1], meta[2], meta[3], meta[4]
            if status[0] in "RC":
                old_path, new_path = prefix + tokens[i], prefix + tokens[i + 1]
                i += 2
            else:
                old_path = new_path = prefix + tokens[i]
                i += 1
            letter = status[0]
            files.append(FileChange(
                letter,
                None if letter == "A" else old_path,
                None if letter == "D" else new_path,
                old_sha if old_mode in _FILE_MODES else ZERO_SHA,
                new_sha,
                new_is_file=new_mode in _FILE_MODES,
            ))
    if header is not None:
        yield _entry(header, files)


def _entry(header: list[str], files: list[FileChange]) -> LogEntry:
    sha, author, email, committed, subject = (header + [""] * 5)[:5]
    try:
        when: datetime | None = datetime.fromisoformat(committed)
    except ValueError:  # git accepts dates Python cannot hold (year 10000): the walk decides
        when = None
    return LogEntry(sha, author, email, when, subject, tuple(files), committed)


class BlobReader:
    """One ``git cat-file --batch`` process fed with blob ids in the order they are read.

    The ids are written by a thread while the caller reads, so neither pipe can fill
    and block the other.
    """

    def __init__(self, repository: GitRepository, shas: Iterable[str]) -> None:
        self._process = repository.git.execute(
            ["git", "cat-file", "--batch", "--buffer"], as_process=True, istream=subprocess.PIPE)
        self._stdout: IO[bytes] = self._process.proc.stdout
        stdin: IO[bytes] = self._process.proc.stdin
        self._writer = threading.Thread(target=_feed, args=(stdin, list(shas)), daemon=True)
        self._writer.start()

    def next_blob(self, expected: str) -> bytes | None:
        """The content of the next blob, which must be ``expected``; None if git lacks it."""
        header = self._stdout.readline().decode("ascii", "replace").split()
        if len(header) < 2 or header[0] != expected:
            raise HistoryUnavailable(f"git cat-file answered {' '.join(header)!r} for blob {expected}")
        if header[1] != "blob":
            return None
        data = self._stdout.read(int(header[2]))
        self._stdout.read(1)  # the newline after each object
        return data

    def close(self) -> None:
        self._stdout.close()  # first: a writer blocked on a full pipe then fails and ends
        self._writer.join()
        self._process.proc.wait()


def _feed(stdin: IO[bytes], shas: list[str]) -> None:
    try:
        for start in range(0, len(shas), 512):
            stdin.write("".join(sha + "\n" for sha in shas[start:start + 512]).encode("ascii"))
        stdin.flush()
    except (BrokenPipeError, ValueError):  # the reader stopped early
        pass
    finally:
        try:
            stdin.close()
        except (BrokenPipeError, ValueError):
            pass
