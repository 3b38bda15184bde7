"""Model and history values as plain JSON lists, and back: the format of the cache.

Each value becomes the list of its dataclass fields, in order, so that reading it back
is one call. A record that does not fit raises (TypeError, ValueError, ...): the cache
then treats the whole file as missing. Dates and times are ISO text; times come back in
the configured time zone, exactly as the history made them.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from .diagnostics import Finding
from .diff import Change, CommitInfo
from .model import KeyResult, Objective

# Errors a bad record can raise while it is read back.
BAD_RECORD = (TypeError, ValueError, KeyError, IndexError, AttributeError)


def objective_record(objective: Objective) -> list:
    return [objective.id, objective.title, objective.owner, objective.team, objective.period,
            [key_result_record(kr) for kr in objective.key_results], objective.parent,
            objective.declared_status, list(objective.contributors), list(objective.tags),
            objective.body, objective.path]


def objective_from_record(record: list) -> Objective:
    (ident, title, owner, team, period, krs, parent, status, contributors, tags, body, path) = record
    return Objective(_str(ident), _str(title), _str(owner), _str(team), _str(period),
                     tuple(key_result_from_record(kr) for kr in krs), parent, _str(status),
                     tuple(contributors), tuple(tags), _str(body), _str(path))


def key_result_record(kr: KeyResult) -> list:
    return [kr.id, kr.title, kr.owner, kr.type, kr.start, kr.target, kr.current, kr.unit, kr.done,
            kr.confidence, kr.weight, kr.note]


def key_result_from_record(record: list) -> KeyResult:
    if len(record) != 12:
        raise ValueError("a key result record has 12 fields")
    return KeyResult(*record)


def finding_record(finding: Finding) -> list:
    return [finding.path, finding.line, finding.column, finding.severity, finding.code, finding.message]


def finding_from_record(record: list) -> Finding:
    path, line, column, severity, code, message = record
    return Finding(_str(path), int(line), int(column), _str(severity), _str(code), _str(message))


def commit_record(commit: CommitInfo) -> list:
    return [commit.sha, commit.author, commit.email, commit.date.isoformat(), commit.subject]


def commit_from_record(record: list, tz: tzinfo) -> CommitInfo:
    sha, author, email, when, subject = record
    return CommitInfo(_str(sha), _str(author), _str(email), datetime.fromisoformat(when).astimezone(tz), _str(subject))


def change_record(change: Change, commit_index: dict[int, int]) -> list:
    """A change; its commits as indexes into the file's table of commits (``commit_index``
    maps id(commit) to its index)."""
    return [change.objective, change.key_result, change.kind, change.field, change.before, change.after,
            change.progress_before, change.progress_after, change.owner, change.direction,
            change.objective_title, change.key_result_title, change.unit, change.week,
            [commit_index[id(commit)] for commit in change.commits]]


def change_from_record(record: list, commits: list[CommitInfo]) -> Change:
    *values, commit_indexes = record
    if len(values) != 14:
        raise ValueError("a change record has 15 fields")
    return Change(*values, commits=tuple(commits[i] for i in commit_indexes))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value
