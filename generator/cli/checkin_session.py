"""What `okrs checkin` shares between its two ways (one REF, or asked on a terminal):
reading, checking and writing the files of one repository, numbers as typed, git."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.lifecycle.checkin import (CheckinEdit, CheckinValues, UnreadableFile, checkin_findings, edit_key_result,
                                         errors_in)
from generator.lifecycle.files import replace_file
from generator.model.core import People
from generator.reading.frontmatter import MAX_FILE_BYTES
from generator.reading.yaml_nodes import MAX_NUMBER
from generator.reading.loader import load_people, objective_id
from generator.reading.pipeline import FileCheck, file_check

EXAMPLE_REF = "2026-Q4/platform/reliability#p99-latency"


class CheckinUsage(Exception):
    """Exit 2 with the message."""


@dataclass
class Session:
    """What a check-in needs to read, check and write files of one repository."""

    config: Config
    people: People | None
    shared: FileCheck | None = None  # the check of `okrs check`, with the registry
    texts: dict[Path, str] = field(default_factory=dict)  # files read (and edited) so far
    edits: dict[Path, list[CheckinEdit]] = field(default_factory=dict)

    @classmethod
    def open(cls, config: Config) -> Session:
        people, _ = load_people(config)
        return cls(config, people, file_check(config, people=people, today=True))

    def rel(self, path: Path) -> str:
        return path.relative_to(self.config.root).as_posix()

    def text(self, path: Path) -> str:
        if path not in self.texts:
            if path.is_symlink() or not path.is_file():
                raise CheckinUsage(f"{self.rel(path)} is not a regular file; okrs checkin does not follow links")
            raw = path.read_bytes()
            if len(raw) > MAX_FILE_BYTES:
                raise CheckinUsage(f"{self.rel(path)} is over the 1 MiB limit; run `okrs check`")
            try:
                self.texts[path] = raw.decode("utf-8")  # a BOM stays, as U+FEFF
            except UnicodeDecodeError:
                raise UnreadableFile("the file is not valid UTF-8") from None
        return self.texts[path]

    def findings(self, path: Path, text: str) -> list:
        config = self.config
        ident = objective_id(path.relative_to(config.source_dir).as_posix())
        return checkin_findings(text.encode("utf-8"), ident=ident, path=self.rel(path), shared=self.shared)

    def apply(self, path: Path, key_result: str, values: CheckinValues) -> tuple[CheckinEdit, list]:
        """The edit and the new file's findings; kept for writing only when it has no error."""
        edit = edit_key_result(self.text(path), key_result=key_result, values=values)
        findings = self.findings(path, edit.text) if edit.changes else []
        if edit.changes and not errors_in(findings):
            self.texts[path] = edit.text
            self.edits.setdefault(path, []).append(edit)
        return edit, findings

    def write(self) -> list[Path]:
        paths = sorted(self.edits)
        for path in paths:
            replace_file(path, self.texts[path].encode("utf-8"))
        return paths


_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def parse_number(text: str, *, what: str) -> int | float:
    """A number as typed: 480, 0.7, -1.5e3 (ASCII digits only)."""
    text = text.strip()
    if _INT.fullmatch(text):
        number: int | float = int(text)
    elif _FLOAT.fullmatch(text):
        number = float(text)
    else:
        raise CheckinUsage(f"{what} {text!r} is not a number like 480 or 0.7")
    if abs(number) > MAX_NUMBER:
        raise CheckinUsage(f"{what} {text} is too large: numbers must be at most 1e15 in size")
    return number


def git(root: Path, *args: str, check: bool = True) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        raise CheckinUsage("--commit needs git, which is not installed") from None
    if check and result.returncode:
        raise CheckinUsage(f"git {args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def ensure_committable(root: Path, rels: list[str]) -> None:
    """--commit commits these files alone: they must hold no other uncommitted edit."""
    git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    dirty = git(root, "status", "--porcelain", "--", *rels).strip()
    if dirty:
        raise CheckinUsage(f"--commit: {', '.join(rels)} has uncommitted changes; commit them first "
                           "(or check in without --commit); nothing written")


def commit(root: Path, rels: list[str], message: str) -> str:
    try:
        git(root, "add", "--", *rels)
        git(root, "commit", "-q", "-m", message, "--", *rels)
    except CheckinUsage as err:
        raise CheckinUsage(f"{err}; the check-in is written to {', '.join(rels)} but not committed") from None
    return git(root, "rev-parse", "--short", "HEAD").strip()
