"""`okrs diff BASE [HEAD]`: the OKRs at two git revisions and what changed between them.

Reads the objective files of a revision straight from git (no checkout), checks them
as the history walk does (the check pipeline of `okrs check`, but the references to
people), and reuses the history engine's diff. The markdown table is
what a pull request's job summary shows: reviewers see progress claimed and goalposts
moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.history.changelog import describe, escape_markdown, subject
from generator.config import Config
from generator.reading.findings import WARNING, Finding
from generator.history.diff import Change, diff_states
from generator.history.gitlog import BlobReader, HistoryUnavailable, open_repository
from generator.reading.loader import is_objective_path, objective_id
from generator.reading.pipeline import check_bytes, file_check
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
    shared = file_check(config)
    objectives, warnings = {}, []
    reader = BlobReader(repository, [blob for _, _, blob in files])
    try:
        for path, ident, blob in files:
            result = check_bytes(reader.next_blob(blob) or b"", ident=ident, path=path, shared=shared)
            if result.objective is None:
                first = min(result.errors)  # the pipeline makes the model of every file without errors
                warnings.append(Finding(path, first.line, first.column, WARNING, "revision-unparsable",
                                        f"at {rev} the file does not parse ({first.message}); left out of the diff"))
                continue
            objectives[ident] = result.objective
    finally:
        reader.close()
    return Revision(rev, sha, objectives, warnings)


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
    data = {"base": {"name": base.name, "sha": base.sha}, "head": {"name": head.name, "sha": head.sha},
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
    title = f"### OKR changes: `{base.sha[:7]}` ({e(base.name)}) → `{head.sha[:7]}` ({e(head.name)})\n\n"
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
