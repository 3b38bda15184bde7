"""The source folder as it is on disk: objective files listed without following links,
files read only when they are regular files (never a link, a pipe or a device)."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field

from generator.reading.findings import ERROR, WARNING, Finding

SYMLINK, SPECIAL, MISNAMED, UNREADABLE = "symlink", "special", "misnamed", "unreadable"


_MARKDOWN_LIKE = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


@dataclass
class SourceListing:
    """The objective files under the source folder, and the entries that were not read."""

    files: list[str] = field(default_factory=list)  # relative to the source folder, "/" form
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (relative, kind, detail)


def source_listing(source_dir: str) -> SourceListing:
    """Walk the source folder without following links and without opening anything but
    folders: a symbolic link (to /etc/passwd, or to a folder) is seen by the check but not
    by git history, and a named pipe or device could hang or flood the check."""
    listing = SourceListing()
    folders = [(source_dir, "")]
    while folders:  # a stack, not recursion: any depth of folders
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as entries:
                found = list(entries)
        except OSError as err:
            if prefix:  # a missing source folder is reported as a missing people.yaml
                listing.refused.append((prefix.rstrip("/"), UNREADABLE, err.strerror or str(err)))
            continue
        for entry in found:
            _list_entry(entry, prefix, listing, folders)
    listing.files.sort(key=lambda relative: relative.split("/"))
    listing.refused.sort(key=lambda refused: refused[0].split("/"))
    return listing


def _list_entry(entry: os.DirEntry, prefix: str, listing: SourceListing, folders: list[tuple[str, str]]) -> None:
    name = entry.name
    if name.startswith("."):  # hidden folders and files
        return
    relative = prefix + name
    try:
        if entry.is_symlink():
            if _read_if_regular(name) or os.path.isdir(entry.path):  # a stat: the link's target is not opened
                listing.refused.append((relative, SYMLINK, ""))
            return
        if entry.is_dir(follow_symlinks=False):
            folders.append((entry.path, relative + "/"))
        elif _read_if_regular(name):
            if entry.is_file(follow_symlinks=False):
                listing.files.append(relative)
            else:
                listing.refused.append((relative, SPECIAL, _file_kind(entry.stat(follow_symlinks=False).st_mode)))
        elif name.lower().endswith(_MARKDOWN_LIKE) and name.split(".")[0].upper() != "README":
            listing.refused.append((relative, MISNAMED, ""))
    except OSError as err:  # removed while listing
        listing.refused.append((relative, UNREADABLE, err.strerror or str(err)))


def _read_if_regular(name: str) -> bool:
    """Whether a file of this name is an objective file (is_objective_path, for one name)."""
    return name.endswith(".md") and name != "README.md"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def listing_findings(listing: SourceListing, source_rel: str) -> list[Finding]:
    """A finding, at line 1 column 1 of its path, for every entry the walk did not read."""
    findings = []
    for relative, kind, detail in listing.refused:
        path = f"{source_rel}/{relative}" if source_rel not in ("", ".") else relative
        findings.append(_refusal(path, kind, detail))
    return findings


def _refusal(path: str, kind: str, detail: str) -> Finding:
    if kind == SYMLINK:
        return Finding(path, 1, 1, ERROR, "not-a-file",
                       f"{path} is a symbolic link, which okrs does not follow (git history and okrs diff "
                       "do not see what it points to): put the file or folder itself here")
    if kind == SPECIAL:
        return Finding(path, 1, 1, ERROR, "not-a-file",
                       f"{path} is {detail}, not a regular file, and was not read: "
                       "put a plain file here or remove it")
    if kind == MISNAMED:
        stem = path.rsplit("/", 1)[-1].split(".")[0]
        return Finding(path, 1, 1, WARNING, "ignored-file",
                       f"{path} is not read: objective files end in .md (lowercase); "
                       f"rename it to {stem}.md to make it an objective")
    return Finding(path, 1, 1, ERROR, "unreadable",
                   f"{path} cannot be read ({detail}); it was removed, replaced or is not accessible "
                   "while okrs read it: check that it is a readable file or folder and run okrs again")


class FileRefused(Exception):
    """A path that is no readable regular file; ``finding(path)`` says why."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail

    def finding(self, path: str) -> Finding:
        return _refusal(path, self.kind, self.detail)


# Open without following a final symbolic link, and without waiting for a writer when
# the file was replaced by a named pipe since the walk (flags absent off POSIX are 0).
_OPEN_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_regular_file(path: str, *, limit: int) -> tuple[bytes | None, int]:
    """(the file's bytes, its size); (None, size) when it is over ``limit`` bytes, unread.
    Raises FileRefused for a link, a pipe, a device, a folder, or a failed read."""
    try:
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        if err.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise FileRefused(SYMLINK) from None
        if err.errno == errno.EISDIR:
            raise FileRefused(SPECIAL, "a folder") from None
        raise FileRefused(UNREADABLE, err.strerror or str(err)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(SPECIAL, _file_kind(info.st_mode))
        if info.st_size > limit:
            return None, info.st_size
        raw = _read_at_most(fd, limit, expected=info.st_size)
    except OSError as err:
        raise FileRefused(UNREADABLE, err.strerror or str(err)) from None
    finally:
        os.close(fd)
    return (raw, len(raw)) if len(raw) <= limit else (None, len(raw))


def _read_at_most(fd: int, limit: int, *, expected: int) -> bytes:
    """Up to ``limit + 1`` bytes (a file that grew since fstat is still bounded); plain
    os.read, several times faster per small file than an io object."""
    chunks, size, want = [], 0, expected + 1  # one read for a file that did not change
    while size <= limit:
        chunk = os.read(fd, min(limit + 1 - size, want))
        want = 1 << 16
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
