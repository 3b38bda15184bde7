"""`okrs diff BASE [HEAD]`: the OKRs at two git revisions and what changed between them.

Reads the objective files of a revision straight from git (no checkout), parses them
like the history walk does, and reuses the history engine's diff. The markdown table is
what a pull request's job summary shows: reviewers see progress claimed and goalposts
moved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.reading import schemas
from generator.history.changelog import describe, escape_markdown, subject
from generator.config import Config
from generator.reading.findings import ERROR, WARNING, Finding
from generator.history.diff import Change, diff_states
from generator.history.gitlog import BlobReader, HistoryUnavailable, open_repository
from generator.reading.frontmatter import MAX_FILE_BYTES
from generator.reading.loader import (check_objective, is_objective_path, objective_files, objective_from_data,
                                      objective_id)
from generator.reading.source_files import FileRefused, read_regular_file
from generator.model.core import Objective, People
from generator.reading.report import dump_json


class RevisionError(Exception):
    """A revision cannot be read (unknown name, no git): exit 2 with the message."""


@dataclass(frozen=True)
class Revision:
    name: str  # as given, e.g. origin/main
    sha: str
    objectives: dict[str, Objective]
    warnings: list[Finding]
    uncommitted: bool = False  # the working tree: the commit ``sha`` plus edits not yet committed


def read_revision(config: Config, rev: str) -> Revision:
    """The objectives of ``rev``; files that do not parse there are skipped with a warning."""
    try:
        repository = open_repository(config.root)
    except HistoryUnavailable as err:
        raise RevisionError(str(err)) from None
    try:
        sha = repository.git.rev_parse("--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except Exception:  # noqa: BLE001 - GitCommandError: an unknown revision
        sha = ""
    if not sha:
        raise RevisionError(f"'{rev}' is not a commit of this repository (in CI, check out with fetch-depth: 0)")
    source = config.source_dir.resolve().relative_to(repository.toplevel.resolve()).as_posix()
    listing = repository.git.ls_tree("-r", "-z", "--full-name", sha, "--", source)
    files = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        relative = path[len(source) + 1:] if source != "." else path
        if kind == "blob" and mode in ("100644", "100755") and is_objective_path(relative):
            files.append((path, objective_id(relative), blob))
    check = schemas.quick_validator(config.root, schemas.OBJECTIVE)
    objectives, warnings = {}, []
    reader = BlobReader(repository, [blob for _, _, blob in files])
    try:
        for path, ident, blob in files:
            document, findings = check_objective(reader.next_blob(blob) or b"", check, path=path)
            errors = [f for f in findings if f.severity == ERROR]
            if document is None or errors:
                first = min(errors) if errors else Finding(path, 1, 1, ERROR, "front-matter", "unreadable")
                warnings.append(Finding(path, first.line, first.column, WARNING, "revision-unparsable",
                                        f"at {rev} the file does not parse ({first.message}); left out of the diff"))
                continue
            objectives[ident] = objective_from_data(ident, document, path=path)
    finally:
        reader.close()
    return Revision(rev, sha, objectives, warnings)


WORKING_TREE = "working tree"


def has_uncommitted_changes(config: Config) -> bool:
    """Whether the OKR folder holds edits, new or deleted files that HEAD does not."""
    try:
        repository = open_repository(config.root)
        return bool(repository.git.status("--porcelain", "--untracked-files=all", "--", str(config.source_dir)).strip())
    except HistoryUnavailable as err:
        raise RevisionError(str(err)) from None
    except Exception:  # noqa: BLE001 - GitCommandError: no commit yet; read_revision says so
        return False


def read_working_tree(config: Config) -> Revision:
    """The objectives as the files are now (committed or not), on top of HEAD."""
    head = read_revision(config, "HEAD")  # also: there is a repository with a commit
    top = open_repository(config.root).toplevel.resolve()
    check = schemas.quick_validator(config.root, schemas.OBJECTIVE)
    objectives, warnings = {}, []
    for file in objective_files(config.source_dir):
        ident = objective_id(file.relative_to(config.source_dir).as_posix())
        path = file.resolve().relative_to(top).as_posix() if file.resolve().is_relative_to(top) else file.as_posix()
        try:
            raw, _ = read_regular_file(str(file), limit=MAX_FILE_BYTES)
        except FileRefused as refused:
            warnings.append(replace(refused.finding(path), severity=WARNING, code="revision-unparsable"))
            continue
        document, findings = check_objective(raw or b"", check, path=path)
        errors = [f for f in findings if f.severity == ERROR]
        if document is None or errors or raw is None:
            first = min(errors) if errors else Finding(path, 1, 1, ERROR, "file-too-large", "over the 1 MiB limit")
            warnings.append(Finding(path, first.line, first.column, WARNING, "revision-unparsable",
                                    f"in the working tree the file does not parse ({first.message}); "
                                    "left out of the diff"))
            continue
        objectives[ident] = objective_from_data(ident, document, path=path)
    return Revision(WORKING_TREE, head.sha, objectives, warnings, uncommitted=True)


def merge_base(config: Config, base: str, head: str) -> str:
    """Where ``head`` branched from ``base`` (what a pull request's diff starts from), else ``base``."""
    try:
        repository = open_repository(config.root)
        found = repository.git.merge_base(base, head).strip()
    except Exception:  # noqa: BLE001 - unrelated histories, unknown names: read_revision reports those
        return base
    return found or base


def compare(base: Revision, head: Revision) -> list[Change]:
    return diff_states(base.objectives, head.objectives)


def render_json(base: Revision, head: Revision, changes: list[Change]) -> str:
    data = {"base": {"name": base.name, "sha": base.sha},
            "head": {"name": head.name, "sha": head.sha, **({"uncommitted": True} if head.uncommitted else {})},
            "changes": [c.as_dict() for c in changes]}
    return dump_json(data)


CELL_LIMIT = 200  # characters of a table cell; a longer title is cut with an ellipsis


def table_cell(text: str) -> str:
    """A value as one cell of a Markdown table: one line (escape_markdown), no | that
    would start another cell, at most CELL_LIMIT characters of the value (cut before
    escaping, so that no escape is cut in half)."""
    if len(text) > CELL_LIMIT:
        text = text[:CELL_LIMIT - 1] + "…"
    return escape_markdown(text)


def render_markdown(base: Revision, head: Revision, changes: list[Change], *, people: People | None = None) -> str:
    e, cell = escape_markdown, table_cell
    after = (f"the working tree (`{head.sha[:7]}` and uncommitted changes)" if head.uncommitted
             else f"`{head.sha[:7]}` ({e(head.name)})")
    title = f"### OKR changes: `{base.sha[:7]}` ({e(base.name)}) → {after}\n\n"
    if not changes:
        return title + "No objective or key result changes.\n"
    name = people.name_of if people else (lambda ident: ident)
    lines = [title]
    eased = [c for c in changes if c.kind == "target" and c.direction == "eased"]
    for change in eased:  # goalposts moved: said on their own line, first
        lines.append(f"> **Target eased**: {e(subject(change))} ({e(change.objective)}): "
                     f"{e(describe(change, people))}\n\n")
    lines.append("| Objective | Key result | Change | Owner |\n| --- | --- | --- | --- |\n")
    for change in changes:
        key_result = cell(change.key_result_title or change.key_result) if change.key_result else "–"
        lines.append(
            f"| {cell(change.objective_title or change.objective)} | {key_result} "
            f"| {cell(describe(change, people))} | {cell(name(change.owner)) if change.owner else ''} |\n"
        )
    return "".join(lines)
