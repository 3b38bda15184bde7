"""The one check pipeline: the bytes of an objective file and its path -> a FileResult.

Every reader of objective files goes through ``check_bytes``: the loader (files on disk),
the history walk (historic blobs), `okrs diff` (the files of a revision) and `okrs new`
(the file it is about to write). So a file is refused, and reported, the same way
wherever it is read: front matter, schema, the rules of one file, the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from generator.config import Config
from generator.model.core import KeyResult, Objective, People, Period
from generator.reading import schema_errors, schemas
from generator.reading.findings import ERROR, Finding, capped
from generator.reading.frontmatter import MAX_FILE_BYTES, Document, YamlProblem, decode, parse_yaml, split_front_matter
from generator.reading.score_rules import score_findings
from generator.reading.across_files import ParentRef
from generator.reading.references import references
from generator.reading.rules import file_rules, parent_ref
from generator.reading.sources import ObjectiveSource
from generator.reading.suggestions import RegistrySuggestions
from generator.reading.type_rules import due_date

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

    from generator.reading.fastschema import QuickValidator

PEOPLE_FILE = "people.yaml"


def people_file(config: Config) -> Path:
    """The people registry of the configured source folder."""
    return config.source_dir / PEOPLE_FILE


def people_path(config: Config) -> str:
    """The registry's path as messages name it: relative to the root (``goals/people.yaml``
    with ``source: goals``)."""
    return relative_path(people_file(config), config.root)


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True, slots=True)
class FileResult:
    """All a reader keeps of one objective file: small enough to send between processes.

    It does not depend on the people registry unless the check had one: the file's
    references are kept instead, and a file whose references the registry lacks is
    checked again with the registry.
    """

    findings: tuple[Finding, ...]
    parent: ParentRef | None  # None when the front matter could not be read
    objective: Objective | None = None  # no error of its own, and the model was asked for
    persons: frozenset[str] = frozenset()  # ids that must be persons (owners, contributors)
    teams: frozenset[str] = frozenset()  # ids that must be teams
    content_hash: str = ""  # of the file's bytes, when a cache asked for it
    from_cache: bool = False  # taken from the cache entry (else computed: the entry is written again)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def references_known(self, people: People) -> bool:
        """Every reference is in the registry, so the reference rules find nothing."""
        persons, teams = people.persons, people.teams  # mappings: `in`, never a set built per call
        # someone who has left (on any day) may make a key result `owner-left`: check with the registry
        return all(p in persons and persons[p].left is None for p in self.persons) and all(t in teams for t in self.teams)


@dataclass(frozen=True)
class FileCheck:
    """What checking one file needs besides the file: shared by every file of a run."""

    check: QuickValidator
    ownership: str
    max_key_results: int
    periods: Mapping[str, Period]
    people_path: str
    with_model: bool = True
    people: People | None = None  # None: the reference rules are left to the caller
    suggestions: RegistrySuggestions | None = None  # "did you mean", bounded over the run
    cached: Mapping[str, Any] | None = None  # path -> [content hash, record]: results of an earlier run
    remembered: Mapping[str, Any] | None = None  # path -> FileResult: this process's last load (``LoadMemo``)
    as_of: date | None = None  # the day of the check, for the rules that depend on it (baseline-missing, owner-left)
    baseline_weeks: int | None = None

    def options_key(self) -> tuple[str, ...]:
        """The options the rules of one file read, as text: part of the key of every cache
        that keeps what this check decided (the day too: a baseline-missing warning starts
        on a day, with no change to the file)."""
        periods = repr(sorted((name, repr(period)) for name, period in self.periods.items()))
        return (self.ownership, str(self.max_key_results), periods, self.people_path, str(self.baseline_weeks),
                self.as_of.isoformat() if self.as_of else "")


def file_check(config: Config, *, with_model: bool = True, people: People | None = None,
               today: bool = False) -> FileCheck:
    """The check of ``config``'s objective files (its schema, options and people file);
    with ``people``, the reference rules run too; with ``today``, the rules that depend on
    the day (as of the configured day). Historic files are checked without those: a
    warning of today says nothing of whether a version of then can be used, and the
    history's cache would otherwise last one day."""
    return FileCheck(
        check=schemas.quick_validator(config.root, schemas.OBJECTIVE),  # jsonschema explains the failures
        ownership=config.ownership, max_key_results=config.max_key_results, periods=config.periods,
        people_path=people_path(config), with_model=with_model, people=people,
        suggestions=RegistrySuggestions.of(people) if people is not None else None,
        as_of=config.today() if today else None, baseline_weeks=config.baseline_weeks if today else None,
    )


def check_bytes(raw: bytes, *, ident: str, path: str, shared: FileCheck, content_hash: str = "") -> FileResult:
    """Read one objective file's bytes and apply every rule that needs only this file (and
    the registry, when ``shared`` has it). ``path`` is how findings name the file.

    Never raises for bad input: the bytes may be a historic blob that no check ever saw
    (an older, looser schema; a value the model cannot compute with), and whatever goes
    wrong reading them becomes a finding, not a traceback.
    """
    try:
        return _check_bytes(raw, ident=ident, path=path, shared=shared, content_hash=content_hash)
    except Exception as err:  # noqa: BLE001 - e.g. a looser custom schema, a nesting bomb, an overflow
        return FileResult((Finding(path, 1, 1, ERROR, "schema", f"cannot be read as an objective: {err!r}"),),
                          None, content_hash=content_hash)


def _check_bytes(raw: bytes, *, ident: str, path: str, shared: FileCheck, content_hash: str) -> FileResult:
    document, findings = check_objective(raw, shared.check, path=path, people_path=shared.people_path)
    if document is None:
        return FileResult(tuple(capped(findings)), None, content_hash=content_hash)
    source = ObjectiveSource(ident, path, document)
    findings += file_rules(source, shared.people, ownership=shared.ownership,
                           max_key_results=shared.max_key_results, periods=shared.periods,
                           people_path=shared.people_path, suggestions=shared.suggestions,
                           as_of=shared.as_of, baseline_weeks=shared.baseline_weeks)
    objective = None
    if not any(f.severity == ERROR for f in findings) and (shared.with_model or "score" in document.data):
        objective = objective_from_data(ident, document, path=path)
        objective.progress  # noqa: B018 - any arithmetic failure surfaces here, on this file
        findings += score_findings(source, objective)  # a closed objective's score against its values
        objective = objective if shared.with_model else None
    persons, teams = references(document.data)
    return FileResult(tuple(capped(findings)), parent_ref(source), objective, persons, teams, content_hash)


def read_objective(raw: bytes) -> Document:
    """Bytes of an objective file -> located front matter and body. Raises YamlProblem."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, "file-too-large",
                          f"the file is {len(raw):,} bytes, over the 1 MiB limit; an objective file is small")
    yaml_text, body, body_line = split_front_matter(decode(raw))
    document = parse_yaml(yaml_text, first_line=2)
    document.body, document.body_line = body, body_line
    return document


def check_objective(raw: bytes, check: Draft202012Validator | QuickValidator, *, path: str,
                    people_path: str = schema_errors.PEOPLE_PATH) -> tuple[Document | None, list[Finding]]:
    """The first stages: front matter and schema (``people_path`` is where messages send
    the reader to find people). The document is None when the front matter is unreadable."""
    try:
        document = read_objective(raw)
    except YamlProblem as problem:
        return None, [problem.finding(path)]
    findings = [p.finding(path) for p in document.problems]
    findings += schema_errors.schema_findings(document, check, path=path, people_path=people_path)
    return document, findings


def objective_from_data(ident: str, document: Document, *, path: str) -> Objective:
    """The model of a schema-valid objective document."""
    data = document.data
    return Objective(
        id=ident,
        title=data["objective"],
        owner=data["owner"],
        team=data["team"],
        period=str(data["period"]),  # a bare year is read as a number
        parent=data.get("parent"),
        declared_status=data.get("status", "active"),
        contributors=tuple(data.get("contributors") or ()),
        tags=tuple(data.get("tags") or ()),
        key_results=tuple(_key_result(kr) for kr in data["key_results"]),
        body=document.body,
        path=path,
        score=data.get("score"),  # written by `okrs close`; the schema decides whether it may be there
        score_reason=data.get("score_reason"),
        carried_from=data.get("carried_from"),
    )


def _key_result(kr: dict) -> KeyResult:
    return KeyResult(
        id=kr["id"], title=kr["title"], owner=kr["owner"], type=kr.get("type", "metric"),
        start=kr.get("start"), target=kr.get("target"), current=kr.get("current"),
        unit=kr.get("unit"), done=kr.get("done"), confidence=kr.get("confidence"),
        weight=kr.get("weight", 1), note=kr.get("note"), stretch=kr.get("stretch"),
        at_least=kr.get("at_least"), at_most=kr.get("at_most"), due=due_date(kr.get("due")),
    )
