"""okrs/ -> (model, findings): read every file, validate it, build the model.

Reading never stops at the first bad file: every finding of every file is collected.
Only files without errors become objectives in the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from . import schemas
from .config import Config
from .diagnostics import ERROR, Finding
from .fastschema import QuickValidator
from .frontmatter import MAX_FILE_BYTES, Document, YamlProblem, decode, parse_yaml, split_front_matter
from .model import KeyResult, Objective, People, Person, Team
from .rules import ObjectiveSource, objective_rules, people_rules

PEOPLE_FILE = "people.yaml"


@dataclass
class Repository:
    config: Config
    people: People
    objectives: dict[str, Objective] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files_read: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def objective_files(source_dir: Path) -> list[Path]:
    """Every objective file: *.md under the source folder but README.md and hidden folders."""
    files = []
    for path in source_dir.rglob("*.md"):
        relative = path.relative_to(source_dir)
        if path.name == "README.md" or any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file():
            files.append(path)
    return sorted(files)


def objective_id(relative: str) -> str:
    """``2026-Q4/platform/reliability.md`` -> ``2026-Q4/platform/reliability``."""
    return relative[:-3] if relative.endswith(".md") else relative


def read_objective(raw: bytes) -> Document:
    """Bytes of an objective file -> located front matter and body. Raises YamlProblem."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, "file-too-large",
                          f"the file is {len(raw):,} bytes, over the 1 MiB limit; an objective file is small")
    yaml_text, body, body_line = split_front_matter(decode(raw))
    document = parse_yaml(yaml_text, first_line=2)
    document.body, document.body_line = body, body_line
    return document


def check_objective(raw: bytes, check: Draft202012Validator | QuickValidator, *, path: str) -> tuple[Document | None, list[Finding]]:
    """Read and schema-check one objective file's bytes (also used for historic blobs)."""
    try:
        document = read_objective(raw)
    except YamlProblem as problem:
        return None, [problem.finding(path)]
    findings = [p.finding(path) for p in document.problems]
    findings += schemas.schema_findings(document, check, path=path)
    return document, findings


def load_people(config: Config) -> tuple[People | None, list[Finding]]:
    """The people registry (None when missing or unreadable) and its findings."""
    path = config.source_dir / PEOPLE_FILE
    return _load_people(path, config.root, _relative(path, config.root))


def load_repository(config: Config) -> Repository:
    root, source_dir = config.root, config.source_dir
    people_rel = _relative(source_dir / PEOPLE_FILE, root)
    people, findings = load_people(config)
    check = QuickValidator(schemas.validator(root, schemas.OBJECTIVE))  # jsonschema explains the failures
    sources, clean = [], {}
    files = objective_files(source_dir)
    for file in files:
        rel = _relative(file, root)
        ident = objective_id(file.relative_to(source_dir).as_posix())
        if file.stat().st_size > MAX_FILE_BYTES:  # refused unread
            findings.append(Finding(rel, 1, 1, ERROR, "file-too-large",
                                    f"the file is {file.stat().st_size:,} bytes, over the 1 MiB limit; "
                                    "an objective file is small"))
            continue
        document, file_findings = check_objective(file.read_bytes(), check, path=rel)
        findings += file_findings
        if document is not None:
            sources.append(ObjectiveSource(ident, rel, document))
            if not file_findings:
                clean[ident] = document
    findings += objective_rules(
        sources, people, ownership=config.ownership, max_key_results=config.max_key_results,
        periods=config.periods, people_path=people_rel,
    )
    failed = {f.path for f in findings if f.severity == ERROR}
    objectives = {
        source.id: objective_from_data(source.id, source.document, path=source.path)
        for source in sources if source.id in clean and source.path not in failed
    }
    return Repository(config, people or People(), objectives, sorted(findings), files_read=len(files) + 1)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _load_people(path: Path, root: Path, rel: str) -> tuple[People | None, list[Finding]]:
    if not path.is_file():
        return None, [Finding(rel, 1, 1, ERROR, "people-missing",
                              f"{rel} is missing; it lists the people and teams that own objectives "
                              "(see the README for its format)")]
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES:
            raise YamlProblem(1, 1, "file-too-large", f"the file is {len(raw):,} bytes, over the 1 MiB limit")
        document = parse_yaml(decode(raw), not_a_mapping=f"{rel} must be a mapping with `people:` (and `teams:`)")
    except YamlProblem as problem:
        return None, [problem.finding(rel)]
    findings = [p.finding(rel) for p in document.problems]
    findings += schemas.schema_findings(document, schemas.validator(root, schemas.PEOPLE), path=rel)
    findings += people_rules(document, path=rel)
    return people_from_data(document.data), findings


def people_from_data(data: Any) -> People:
    """A registry from people.yaml's data, keeping only well-formed entries."""
    data = data if isinstance(data, dict) else {}
    persons, teams = data.get("people") or {}, data.get("teams") or {}
    return People(
        persons={
            pid: Person(pid, str(p.get("name") or pid), p.get("email"), p.get("github"))
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
    )


def _key_result(kr: dict) -> KeyResult:
    return KeyResult(
        id=kr["id"], title=kr["title"], owner=kr["owner"], type=kr.get("type", "metric"),
        start=kr.get("start"), target=kr.get("target"), current=kr.get("current"),
        unit=kr.get("unit"), done=kr.get("done"), confidence=kr.get("confidence"),
        weight=kr.get("weight", 1), note=kr.get("note"),
    )
