"""okrs/ -> (model, findings): read every file, validate it, build the model.

Reading never stops at the first bad file: every finding of every file is collected.
Only files without errors become objectives in the model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from generator.reading import schema_errors, schemas
from generator.runtime.cache import Store, digest
from generator.config import Config
from generator.reading.findings import ERROR, Finding, capped
from generator.reading.frontmatter import MAX_FILE_BYTES, YamlProblem, decode, parse_yaml
from generator.reading.pipeline import FileCheck, FileResult, check_bytes, file_check, people_file, relative_path
from generator.runtime.gc_pause import paused_gc
from generator.reading.source_files import FileRefused, listing_findings, read_regular_file, source_listing
from generator.model.core import Objective, People, Person, Team
from generator.runtime.parallel import map_items, start_map
from generator.history.records import (BAD_RECORD, ObjectivePool, finding_from_record, finding_record,
                                      objective_from_record, objective_record)
from generator.reading.across_files import ParentRef, page_rules, parent_rules
from generator.reading.people_rules import departures_as_text, left_date, people_rules
from generator.reading.suggestions import RegistrySuggestions
# The registry of a large organisation (100,000 people is about 10 MB) is no objective
# file: the 1 MiB limit of those would refuse it.
MAX_REGISTRY_BYTES = 64 * 1024 * 1024


@dataclass
class Repository:
    config: Config
    people: People
    objectives: dict[str, Objective] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files_read: int = 0
    # The objectives with their records in the build cache: the history's and the site
    # model's caches read theirs as these objects (None: loaded without a cache).
    records: ObjectivePool | None = field(default=None, compare=False, repr=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def is_objective_path(relative: str) -> bool:
    """Whether a path relative to the source folder (git's "/" form) is an objective file:
    *.md, not README.md, not in a hidden folder. The walk below applies the same rule."""
    parts = relative.split("/")
    return relative.endswith(".md") and parts[-1] != "README.md" and not any(p.startswith(".") for p in parts)


def objective_files(source_dir: Path) -> list[Path]:
    """Every objective file: *.md under the source folder but README.md and hidden folders."""
    return [source_dir / relative for relative in _objective_files(str(source_dir))]


def _objective_files(source_dir: str) -> list[str]:
    """Paths relative to the source folder, in Path order (folder by folder)."""
    return source_listing(source_dir).files


# What the walk refuses to read, by kind: the loader words the finding.

# Names that look like an objective file but are not read (git history and okrs diff
# ignore them too): said once, as a warning, rather than skipped without a word.
def objective_id(relative: str) -> str:
    """``2026-Q4/platform/reliability.md`` -> ``2026-Q4/platform/reliability``."""
    return relative[:-3] if relative.endswith(".md") else relative


def load_people(config: Config, *, memo: LoadMemo | None = None) -> tuple[People | None, list[Finding]]:
    """The people registry (None when missing or unreadable) and its findings; with a
    ``memo``, the last load's while the file and its schema are the same bytes."""
    path = people_file(config)
    return _load_people(path, config.root, relative_path(path, config.root), memo=memo)


class LoadMemo:
    """The last load's file results, for a process that loads again and again (`okrs serve`
    after every edit): a file whose bytes are the same gives back the same result, objects
    and all, instead of its record in the build cache decoded again."""

    def __init__(self) -> None:
        self.key = ""  # what the results depend on besides the files (``_cache_key``)
        self.results: dict[str, FileResult] = {}  # path -> result
        self.people: tuple[str, tuple[People | None, list[Finding]]] | None = None  # (bytes' digest, result)


def load_repository(config: Config, *, with_model: bool = True, cache: Store | None = None,
                    memo: LoadMemo | None = None) -> Repository:
    """Read and check every file. ``with_model=False`` (a check only) skips building objectives;
    with a ``cache``, files whose bytes did not change since the last run are not read again;
    with a ``memo``, nor since the last load in this process."""
    with paused_gc():
        return _load_repository(config, with_model=with_model, cache=cache, memo=memo)


def _load_repository(config: Config, *, with_model: bool, cache: Store | None, memo: LoadMemo | None) -> Repository:
    root, source_dir = config.root, config.source_dir
    shared = file_check(config, with_model=with_model, today=True)
    key = _cache_key(config, shared) if cache is not None or memo is not None else ""
    if cache is not None:
        cached = cache.load(PARSES, key)
        shared = replace(shared, cached=cached if isinstance(cached, dict) else {})
    if memo is not None:
        shared = replace(shared, cached=shared.cached if shared.cached is not None else {},
                         remembered=memo.results if memo.key == key else {})
    source_rel = relative_path(source_dir, root)
    listing = source_listing(str(source_dir))
    items = [(str(source_dir), source_rel, relative) for relative in listing.files]
    # The files the cache knows are taken from it here: in worker processes, decoding their
    # records costs less than sending the results back. Only the others are checked on every core.
    lookup = shared.cached or shared.remembered
    known = [known_result(item, shared) if lookup else None for item in items]
    pending = start_map(check_file, [item for item, result in zip(items, known) if result is None], shared)
    try:  # the files need no registry: read it meanwhile
        people, findings = load_people(config, memo=memo)
        findings = list(findings)  # the memo's list stays as it is
        findings += listing_findings(listing, source_rel)
        checked = iter(pending.results())
        results = [result if result is not None else next(checked) for result in known]
    finally:
        pending.close()
    pool = None
    if cache is not None:  # what the registry does not decide: the next run reuses it
        entries = _save_parses(cache, key, shared.cached or {},
                               [(_item_path(item), r) for item, r in zip(items, results)])
        pool = ObjectivePool()
        for item, result in zip(items, results):
            if result.objective is not None and result.content_hash:
                pool.add(result.objective, entries[_item_path(item)][1][2])
    if memo is not None:
        # As the build cache now holds them (the next load writes no entry of theirs again).
        memo.key, memo.results = key, {_item_path(item): replace(r, from_cache=True)
                                       for item, r in zip(items, results) if r.content_hash}
    if people is not None:  # files that name someone the registry lacks: their reference findings
        again = [index for index, result in enumerate(results) if not result.references_known(people)]
        with_people = replace(shared, people=people, suggestions=RegistrySuggestions.of(people))
        for index, result in zip(again, map_items(check_file, [items[i] for i in again], with_people)):
            results[index] = result
    refs = []
    for result in results:
        findings += result.findings
        if result.parent is not None:
            refs.append(result.parent)
    findings += parent_rules(refs)
    findings += page_rules(refs)
    failed = {f.path for f in findings if f.severity == ERROR}
    objectives = {
        result.objective.id: result.objective
        for result in results if result.objective is not None and result.objective.path not in failed
    }
    return Repository(config, people or People(), objectives, sorted(findings), files_read=len(items) + 1,
                      records=pool)


def check_file(item: tuple[str, str, str], shared: FileCheck) -> FileResult:
    """Read one objective file and apply every rule that needs only this file (and the
    registry, when ``shared`` has it).

    ``item`` is (source folder, its path relative to the root, the file's path relative
    to the source folder).
    """
    found = _read_item(item, shared)
    if isinstance(found, FileResult):
        return found
    raw, content_hash = found
    return check_bytes(raw, ident=objective_id(item[2]), path=_item_path(item), shared=shared,
                       content_hash=content_hash)


def known_result(item: tuple[str, str, str], shared: FileCheck) -> FileResult | None:
    """``check_file``'s result when it needs no check: the file is refused, or its bytes are
    those the cache (or the memo) holds a result of; else None."""
    found = _read_item(item, shared)
    return found if isinstance(found, FileResult) else None


def _read_item(item: tuple[str, str, str], shared: FileCheck) -> FileResult | tuple[bytes, str]:
    """The file's result if it needs no check, else its bytes and their digest ("": not kept)."""
    source_dir, _, relative = item
    rel, ident = _item_path(item), objective_id(relative)
    try:  # the file may have changed since the walk: removed, or replaced by a link or a folder
        raw, size = read_regular_file(os.path.join(source_dir, relative), limit=MAX_FILE_BYTES)
    except FileRefused as refused:
        return FileResult((refused.finding(rel),), None)
    if raw is None:  # refused unread
        return FileResult((Finding(rel, 1, 1, ERROR, "file-too-large",
                                   f"the file is {size:,} bytes, over the 1 MiB limit; "
                                   "an objective file is small"),), None)
    content_hash = ""
    if shared.cached is not None and shared.people is None:  # results that depend on the registry are not kept
        content_hash = digest(raw)
        known = shared.remembered.get(rel) if shared.remembered else None
        if known is not None and known.content_hash == content_hash:
            return known
        entry = shared.cached.get(rel)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == content_hash:
            try:
                return _file_result_from_record(entry[1], ident, rel, content_hash)
            except BAD_RECORD:
                pass  # a damaged entry: read the file
    return raw, content_hash


def _item_path(item: tuple[str, str, str]) -> str:
    """The file's path relative to the root, as findings name it."""
    _, source_rel, relative = item
    return f"{source_rel}/{relative}" if source_rel not in ("", ".") else relative


# -- the cache of file results ---------------------------------------------------------

PARSES = "parses"


def _cache_key(config: Config, shared: FileCheck) -> str:
    """What a file's result depends on besides its bytes and path: the schema and the options."""
    schema = schemas.schema_path(config.root, schemas.OBJECTIVE).read_bytes()
    return digest(schema, config.source, *shared.options_key(), str(shared.with_model))


def _save_parses(cache: Store, key: str, cached: Mapping[str, Any], results: list[tuple[str, FileResult]]
                 ) -> dict[str, Any]:
    """Keep the results for the next run; the entries kept: per path, [content hash, record]."""
    entries: dict[str, Any] = {}
    changed = False
    for path, result in results:
        if not result.content_hash:
            continue
        entry = cached.get(path)
        if result.from_cache and isinstance(entry, list) and len(entry) == 2 and entry[0] == result.content_hash:
            entries[path] = entry
        else:
            entries[path] = [result.content_hash, _file_result_record(result)]
            changed = True
    if changed or len(entries) != len(cached):
        cache.save(PARSES, key, entries)
    return entries


def _file_result_record(result: FileResult) -> list:
    parent = None if result.parent is None else [result.parent.parent, result.parent.line, result.parent.column]
    objective = None if result.objective is None else objective_record(result.objective)
    return [[finding_record(f) for f in result.findings], parent, objective,
            sorted(result.persons), sorted(result.teams)]


def _file_result_from_record(record: list, ident: str, rel: str, content_hash: str) -> FileResult:
    findings, parent, objective, persons, teams = record
    ref = None if parent is None else ParentRef(ident, rel, parent[0], int(parent[1]), int(parent[2]))
    if ref is not None and not isinstance(ref.parent, (str, type(None))):
        raise TypeError("a parent is text")
    model = None if objective is None else objective_from_record(objective)
    if model is not None and (model.id, model.path) != (ident, rel):
        raise ValueError("the record is of another file")
    persons, teams = frozenset(map(_text, persons)), frozenset(map(_text, teams))
    # The reference rules run again only for ids in these sets: they must cover the model's.
    if model is not None and not (model.owners() | set(model.contributors) <= persons and model.team in teams
                                  and ref is not None and ref.parent == model.parent):
        raise ValueError("the record's references do not match its objective")
    return FileResult(tuple(finding_from_record(f) for f in findings), ref, model, persons, teams, content_hash,
                      from_cache=True)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _load_people(path: Path, root: Path, rel: str, *, memo: LoadMemo | None = None
                 ) -> tuple[People | None, list[Finding]]:
    if not os.path.lexists(path):
        return None, [Finding(rel, 1, 1, ERROR, "people-missing",
                              f"{rel} is missing; it lists the people and teams that own objectives "
                              "(see the README for its format)")]
    try:
        raw, size = read_regular_file(str(path), limit=MAX_REGISTRY_BYTES)  # the size is known before reading
    except FileRefused as refused:
        return None, [refused.finding(rel)]
    if memo is None or raw is None:
        return _read_people(raw, size, root, rel)
    key = digest(raw, rel, schemas.schema_path(root, schemas.PEOPLE).read_bytes())
    if memo.people is None or memo.people[0] != key:
        memo.people = key, _read_people(raw, size, root, rel)
    return memo.people[1]


def _read_people(raw: bytes | None, size: int, root: Path, rel: str) -> tuple[People | None, list[Finding]]:
    try:
        if raw is None:
            raise YamlProblem(1, 1, "file-too-large", f"the file is {size:,} bytes, over the 64 MiB limit")
        document = parse_yaml(decode(raw), not_a_mapping=f"{rel} must be a mapping with `people:` (and `teams:`)")
    except YamlProblem as problem:
        return None, [problem.finding(rel)]
    findings = [p.finding(rel) for p in document.problems]
    departures_as_text(document.data)  # YAML dates are no JSON: the quick schema check would give up on them
    findings += schema_errors.schema_findings(document, schemas.quick_validator(root, schemas.PEOPLE), path=rel)
    findings += people_rules(document, path=rel)
    return people_from_data(document.data), capped(findings)


def people_from_data(data: Any) -> People:
    """A registry from people.yaml's data, keeping only well-formed entries."""
    data = data if isinstance(data, dict) else {}
    persons, teams = data.get("people") or {}, data.get("teams") or {}
    return People(
        persons={
            pid: Person(pid, str(p.get("name") or pid), p.get("email"), p.get("github"), left_date(p.get("left")))
            for pid, p in sorted(persons.items() if isinstance(persons, dict) else [])
            if isinstance(p, dict)
        },
        teams={
            tid: Team(tid, str(t.get("name") or tid), t.get("lead"),
                      tuple(m for m in t.get("members") or [] if isinstance(m, str)), t.get("parent"))
            for tid, t in sorted(teams.items() if isinstance(teams, dict) else [])
            if isinstance(t, dict)
        },
    )
